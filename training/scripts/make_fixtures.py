"""Writes the committed cross-language fixtures (run from the repository root):

    /usr/bin/python3 -m training.scripts.make_fixtures

tests/fixtures/corpus/<family>-<seed>.ply            raw (unnormalized) corpus mesh, per-face colours
tests/fixtures/corpus/<family>-<seed>.{xyz,rgb}.npy  the Python voxelization of the normalized mesh
tests/golden/render/<family>-<seed>-v<k>-{shaded,flat}.png  Python renders of those grids

src/core/corpus-parity.test.ts imports each .ply with the studio's importer, normalizes and voxelizes
it in TypeScript and expects the same grid; src/core/render/render-view.test.ts renders the grids in
TypeScript and compares with the PNGs. Deterministic: running it again changes no byte.
"""
from __future__ import annotations

from pathlib import Path

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
    for family, seed, views, flat_views in GOLDEN_SET:
        name = f"{family}-{seed}"
        occ, col = grids[name]
        for flat, chosen in ((False, views), (True, flat_views)):
            for view in chosen:
                img = rd.render(occ, col, view, flat=flat)[0].numpy()
                write_png(GOLDEN / f"{name}-v{view}-{'flat' if flat else 'shaded'}.png", img)


if __name__ == "__main__":
    main()
