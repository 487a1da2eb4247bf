"""Writes the committed cross-language fixtures (run from the repository root):

    /usr/bin/python3 -m training.scripts.make_fixtures

tests/fixtures/corpus/<family>-<seed>.ply            raw (unnormalized) corpus mesh, per-face colours
tests/fixtures/corpus/<family>-<seed>.{xyz,rgb}.npy  the Python voxelization of the normalized mesh
tests/golden/render/<family>-<seed>-v<k>-{shaded,flat}.png  Python renders of those grids
tests/fixtures/corpus/lattice-0.*  adversarial mesh: triangles on a half-voxel lattice (exact touches of
                                   voxel faces, edges and corners) and zero-area ones (segments, points)
tests/golden/render/checker-v<k>-shaded.png  renders of checker_grid() below, which the TS test builds
                                             itself: every ray ends within a voxel or two of a tie

src/core/corpus-parity.test.ts imports each .ply with the studio's importer, normalizes and voxelizes
it in TypeScript and expects the same grid; src/core/render/render-view.test.ts renders the grids in
TypeScript and compares with the PNGs. Deterministic: running it again changes no byte.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from training import render as rd
from training.corpus import make_shape
from training.corpus.io import save_sparse_grid, write_ply, write_png
from training.corpus.voxelize_torch import voxelize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fixtures/corpus"
GOLDEN = ROOT / "tests/golden/render"

# (family, seed): chosen for variety: rotated slabs and thin parts (airplane), curved surfaces
# (mug), large flat faces on voxel planes (house), many small parts (chair), capsules (animal).
PARITY = [("chair", 3), ("airplane", 4), ("house", 6), ("mug", 4), ("animal", 5)]
# (family, seed, views, flat views) rendered as golden images.
GOLDEN_SET = [
    ("chair", 3, range(8), range(8)),
    ("airplane", 4, (0, 3, 6), (3,)),
    ("house", 6, (0, 3, 6), (3,)),
    ("mug", 4, (0, 3, 6), (3,)),
]


def lattice_mesh(n: int = 400, seed: int = 0):
    """Small random triangles with corners on the lattice k/128 − 1/2 (voxel faces, edges, corners
    and centres at 64³), a fifth of them zero-area, each with its own colour. Two point-triangles at
    opposite corners of the cube make the bounding box exactly [-0.5, 0.5]³, so normalization is the
    identity and the file holds what the Python voxelizer sees, bit for bit."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 129, size=(n, 1, 3))
    corners = np.clip(first + rng.integers(-6, 7, size=(n, 3, 3)) * (np.arange(3) > 0)[None, :, None], 0, 128)
    kinds = rng.integers(0, 10, size=n)
    corners[kinds == 0, 2] = corners[kinds == 0, 1]  # a repeated vertex: a segment
    corners[kinds == 1, 1:] = corners[kinds == 1, :1]  # all three equal: a point
    mid = kinds == 2  # three collinear points
    corners[mid, 2] = np.clip(2 * corners[mid, 1] - corners[mid, 0], 0, 128)
    lattice = corners / 128 - 0.5
    ends = np.array([[[-0.5] * 3] * 3, [[0.5] * 3] * 3])
    tris = np.concatenate([ends[:1], lattice, ends[1:]]).astype(np.float32)
    vertices = tris.reshape(-1, 3)
    faces = np.arange(len(vertices)).reshape(-1, 3)
    colors = rng.integers(0, 256, size=(len(faces), 3)).astype(np.uint8)
    return vertices, faces, colors


def checker_grid(resolution: int = 64):
    """Occupied where (x + y + z) is even inside the ball of radius 28 about (31.5, 31.5, 31.5);
    colour (4x, 4y, 4z). src/core/render/render-view.test.ts builds the same grid."""
    z, y, x = np.meshgrid(*[np.arange(resolution)] * 3, indexing="ij")
    c = (resolution - 1) / 2
    occ = (((x + y + z) % 2 == 0) & ((x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= 28 ** 2)).astype(np.uint8)
    col = np.stack([4 * x, 4 * y, 4 * z], axis=-1).astype(np.uint8) * occ[..., None]
    return occ, col


def main() -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    grids = {}
    for family, seed in PARITY:
        shape = make_shape(family, seed)
        name = f"{family}-{seed}"
        write_ply(CORPUS / f"{name}.ply", shape.raw_vertices, shape.faces, shape.face_colors)
        occ, col = voxelize([shape])
        save_sparse_grid(CORPUS / name, occ[0].numpy(), col[0].numpy())
        grids[name] = (occ[0], col[0])
        print(f"{name}: {len(shape.faces)} triangles, {int(occ.sum())} voxels")
    vertices, faces, colors = lattice_mesh()
    write_ply(CORPUS / "lattice-0.ply", vertices, faces, colors)
    occ, col = voxelize([(vertices, faces, colors)])
    save_sparse_grid(CORPUS / "lattice-0", occ[0].numpy(), col[0].numpy())
    print(f"lattice-0: {len(faces)} triangles, {int(occ.sum())} voxels")
    occ, col = (torch.from_numpy(a) for a in checker_grid())
    for view in (0, 1, 2, 3):
        write_png(GOLDEN / f"checker-v{view}-shaded.png", rd.render(occ, col, view)[0].numpy())
    for family, seed, views, flat_views in GOLDEN_SET:
        name = f"{family}-{seed}"
        occ, col = grids[name]
        for flat, chosen in ((False, views), (True, flat_views)):
            for view in chosen:
                img = rd.render(occ, col, view, flat=flat)[0].numpy()
                write_png(GOLDEN / f"{name}-v{view}-{'flat' if flat else 'shaded'}.png", img)


if __name__ == "__main__":
    main()
