"""Training data on the fly: corpus shapes built in DataLoader workers (CPU), voxelized and rendered in
batches on the training device (training/README.md: ~170 shapes/s per CPU process; voxelize ~2,400
grids/s and render ~21,000 views/s on an H100).

Only TRAINING seeds are ever drawn (`train_seed`, corpus/split.py); held-out seeds (≡ 0 mod 10) are
for evaluation alone (`heldout_batch`).
"""
from __future__ import annotations

import numpy as np
import torch

from training import render as rd
from training.corpus import design, heldout_seed, is_heldout, make_shape, random_choice, train_seed
from training.corpus.families import FAMILIES
from training.corpus.voxelize_torch import voxelize

FAMILY_NAMES = tuple(FAMILIES)
SEED_RANGE = 10 ** 7  # training seed indices drawn uniformly below this


def random_training_shape(rng: np.random.Generator):
    """A random training shape: uniform family, a training seed, each slot re-drawn with p = 0.3."""
    family = FAMILY_NAMES[int(rng.integers(len(FAMILY_NAMES)))]
    seed = train_seed(int(rng.integers(SEED_RANGE)))
    assert not is_heldout(seed)
    return make_shape(family, seed, random_choice(design(family, seed), rng))


def pack_meshes(shapes) -> dict:
    """Meshes as a few flat arrays (one IPC transfer per batch instead of three per shape)."""
    v = [s.vertices for s in shapes]
    f = [s.faces for s in shapes]
    c = [s.face_colors for s in shapes]
    return {
        "vertices": torch.from_numpy(np.concatenate(v)),
        "faces": torch.from_numpy(np.concatenate(f).astype(np.int64)),
        "colors": torch.from_numpy(np.concatenate(c)),
        "nv": torch.tensor([len(x) for x in v]),
        "nf": torch.tensor([len(x) for x in f]),
    }


def unpack_meshes(batch: dict) -> list:
    out = []
    v0 = f0 = 0
    for nv, nf in zip(batch["nv"].tolist(), batch["nf"].tolist()):
        out.append((batch["vertices"][v0:v0 + nv], batch["faces"][f0:f0 + nf], batch["colors"][f0:f0 + nf]))
        v0 += nv
        f0 += nf
    return out


class ShapeStream(torch.utils.data.IterableDataset):
    """Endless batches of random training meshes; each worker has its own generator."""

    def __init__(self, batch: int, seed: int = 0):
        super().__init__()
        self.batch = batch
        self.seed = seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        rng = np.random.default_rng([self.seed, wid])
        while True:
            yield pack_meshes([random_training_shape(rng) for _ in range(self.batch)])


def mesh_loader(batch: int, workers: int, seed: int = 0):
    """An endless iterator of packed mesh batches (use `grids` on each)."""
    ds = ShapeStream(batch, seed)
    if workers == 0:
        return iter(ds)
    loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=workers, prefetch_factor=4,
                                         persistent_workers=True, pin_memory=False)
    return iter(loader)


def grids(packed: dict, device) -> tuple:
    """(occupancy (B, 64, 64, 64) uint8, colours (B, 64, 64, 64, 3) uint8) on `device`."""
    return voxelize(unpack_meshes(packed), device=device)


def condition_views(occ, col, repeats: int, generator: torch.Generator, flat_p: float = 0.25):
    """Random canonical views (0–7) of each grid, `repeats` per grid, a share of them flat (unshaded).

    Returns (images (B·repeats, 128, 128, 3) uint8, view ids (B·repeats,), index of each image's grid).
    """
    B = occ.shape[0]
    idx = torch.arange(B).repeat_interleave(repeats)
    views = torch.randint(0, rd.SPEC["views"], (len(idx),), generator=generator)
    flat = torch.rand(len(idx), generator=generator) < flat_p
    dev_idx = idx.to(occ.device)
    images = rd.render(occ[dev_idx], col[dev_idx], views.tolist(), flat.tolist(), chunk=64)
    return images, views, idx


def heldout_shapes(n: int, start: int = 0) -> list:
    """Deterministic held-out shapes: family i % 12 at held-out seed i // 12 (default parts)."""
    out = []
    for i in range(start, start + n):
        family = FAMILY_NAMES[i % len(FAMILY_NAMES)]
        out.append(make_shape(family, heldout_seed(1 + i // len(FAMILY_NAMES))))
    return out


class GridPool:
    """A ring of recent grids on the device (and, optionally, per-grid tensors such as their latents),
    from which each step samples its batch: voxelizing is the costly part of the data, so each new grid
    serves several steps, under different views, times and noise."""

    def __init__(self, capacity: int, device, extras: dict | None = None):
        R = 64
        self.capacity = capacity
        self.occ = torch.zeros((capacity, R, R, R), dtype=torch.uint8, device=device)
        self.col = torch.zeros((capacity, R, R, R, 3), dtype=torch.uint8, device=device)
        self.extras = {k: torch.zeros((capacity, *shape), dtype=dtype, device=device)
                       for k, (shape, dtype) in (extras or {}).items()}
        self.size = 0
        self.head = 0

    def add(self, occ, col, **extras) -> None:
        n = occ.shape[0]
        idx = (torch.arange(n, device=occ.device) + self.head) % self.capacity
        self.occ[idx] = occ
        self.col[idx] = col
        for k, v in extras.items():
            self.extras[k][idx] = v.to(self.extras[k].dtype)
        self.head = (self.head + n) % self.capacity
        self.size = min(self.capacity, self.size + n)

    def sample(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return torch.randint(0, self.size, (n,), generator=generator).to(self.occ.device)
