"""Smoke test of the corpus pipeline on the GPU machine (also runs on a CPU):

    python3 -m training.scripts.gpu_check [--device cuda] [--batch 64]

Checks that the voxelizer and renderer give the committed fixtures and golden images bit for bit on
this device and PyTorch version, that CUDA equals CPU on a batch of corpus shapes, and prints
throughput: shapes built per second (CPU), grids voxelized and views rendered per second (device).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from training import render as rd
from training.corpus import design, make_shape, random_choice, train_seed
from training.corpus.families import FAMILIES
from training.corpus.io import load_sparse_grid, read_png
from training.corpus.voxelize_torch import voxelize
from training.scripts.make_fixtures import GOLDEN_SET, PARITY, checker_grid, lattice_mesh

ROOT = Path(__file__).resolve().parents[2]


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    dev = torch.device(args.device)
    print(f"torch {torch.__version__}, device {dev}"
          + (f" ({torch.cuda.get_device_name(dev)})" if dev.type == "cuda" else ""))

    # 1. Fixtures: voxel grids and golden images.
    bad = 0
    meshes = [make_shape(f, s) for f, s in PARITY] + [lattice_mesh()]
    names = [f"{f}-{s}" for f, s in PARITY] + ["lattice-0"]
    occ, col = voxelize(meshes, device=dev)
    for i, name in enumerate(names):
        ref_occ, ref_col = load_sparse_grid(ROOT / "tests/fixtures/corpus" / name)
        ok = np.array_equal(occ[i].cpu().numpy(), ref_occ) and np.array_equal(col[i].cpu().numpy(), ref_col)
        bad += not ok
        print(f"voxelize {name}: {'identical' if ok else 'DIFFERS'}")
    goldens = sorted((ROOT / "tests/golden/render").glob("*.png"))
    grids = {n: (occ[i], col[i]) for i, n in enumerate(names)}
    c_occ, c_col = checker_grid()
    grids["checker"] = (torch.from_numpy(c_occ).to(dev), torch.from_numpy(c_col).to(dev))
    differing = 0
    for path in goldens:
        name, view, mode = path.stem.rsplit("-", 2)
        o, c = grids[name]
        img = rd.render(o, c, int(view[1:]), flat=mode == "flat")[0].cpu().numpy()
        differing += int((img != read_png(path)).any(axis=-1).sum())
    bad += differing > 0
    print(f"render {len(goldens)} goldens: {differing} differing pixels")
    assert all(f"{f}-{s}" in grids for f, s, *_ in GOLDEN_SET)

    # 2. Device vs CPU on random training shapes.
    rng = np.random.default_rng(0)
    fams = list(FAMILIES)
    t0 = time.perf_counter()
    shapes = []
    for i in range(args.batch):
        family, seed = fams[i % len(fams)], train_seed(int(rng.integers(0, 10 ** 6)))
        shapes.append(make_shape(family, seed, random_choice(design(family, seed), rng)))
    build = time.perf_counter() - t0
    occ_d, col_d = voxelize(shapes, device=dev)
    if dev.type != "cpu":
        occ_c, col_c = voxelize(shapes, device="cpu")
        same = torch.equal(occ_d.cpu(), occ_c) and torch.equal(col_d.cpu(), col_c)
        bad += not same
        print(f"{dev} vs cpu on {len(shapes)} shapes: {'identical' if same else 'DIFFERS'}")
        views = [i % 8 for i in range(len(shapes))]
        flat = [i % 3 == 0 for i in range(len(shapes))]
        same_r = torch.equal(rd.render(occ_d, col_d, views, flat).cpu(), rd.render(occ_c, col_c, views, flat))
        bad += not same_r
        print(f"render {dev} vs cpu: {'identical' if same_r else 'DIFFERS'}")

    # 3. Throughput.
    views = [i % 8 for i in range(len(shapes))]
    rd.render(occ_d, col_d, views)  # tables to the device
    times_v, times_r = [], []
    for _ in range(args.repeats):
        sync(dev)
        t = time.perf_counter()
        occ_d, col_d = voxelize(shapes, device=dev)
        sync(dev)
        times_v.append(time.perf_counter() - t)
        t = time.perf_counter()
        rd.render(occ_d, col_d, views)
        sync(dev)
        times_r.append(time.perf_counter() - t)
    n = len(shapes)
    print(f"make_shape: {n / build:.0f} shapes/s (one CPU process)")
    print(f"voxelize: batch {n} in {min(times_v) * 1e3:.1f} ms (best of {args.repeats}) = {n / min(times_v):.0f} grids/s")
    print(f"render:   batch {n} in {min(times_r) * 1e3:.1f} ms = {n / min(times_r):.0f} views/s")
    print("ALL OK" if not bad else f"{bad} CHECKS FAILED")


if __name__ == "__main__":
    main()
