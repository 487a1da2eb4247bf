"""Builds the pack's quality-report fixtures: ground-truth edit pairs on held-out seeds (run from the root):

    /usr/bin/python3 -m training.scripts.make_eval_pairs            # writes bench/data/edit-pairs-{test,val}.bin.gz

Why these seeds are unseen: training draws only `train_seed(i)` (seeds ≢ 0 mod 10, training/data.py
asserts it); seeds ≡ 0 (mod 10) are held out (corpus/split.py). Among held-out seeds, training's own
monitoring used `heldout_shapes` (seeds 10..80, default parts) for the VAE round trip, validation MSE
and silhouette IoU printed in REPORT.md. To keep the report clear of anything looked at while
training, the TEST pairs take held-out seeds 1000, 1010, ... and the VALIDATION pairs (the only ones
any setting may be tuned on) take held-out seeds 5000, 5010, ...: disjoint from each other and from
10..80. Every seed is checked with `is_heldout` before use.

A pair is `make_edit_pair(family, seed, kind)` (the slot drawn from (family, seed, kind), the union
frame, so voxels outside the edited slot are identical), voxelized by the torch twin of the studio's
voxelizer (bit-identical, src/core/corpus-parity.test.ts). A candidate is skipped, and the next seed
taken, when the edit is too small to be seen from any canonical view (see MIN_*): an evaluation of
image-driven edits needs the edit in the image. The filter looks at ground truth only, never at a
model's output. The person's view is the canonical view where the source and target renders differ in
the most pixels (ties: the lowest view).

File format (gzip of one little-endian binary; reader: bench/eval/pairs.ts):
    magic   8 bytes  b"FSEPAIRS"
    u32     length of the JSON header in bytes
    JSON    {"format": "flowsmith-edit-pairs", "version": 1, "resolution": 64, "split": "test"|"val",
             "generator": ..., "pairs": [{"family", "kind", "slot", "sourceVariant", "targetVariant",
             "seed", "view", "viewPixels", "regionVoxels", "sourceVoxels", "targetVoxels"}, ...]}
    then, per pair, the source grid then the target grid, each as
        indices  LEB128 varints: the gaps between ascending voxel indices (index = x + 64·(y + 64·z),
                 the first gap counted from -1, so every gap is ≥ 1), `...Voxels` of them
        colours  3 bytes (sRGB) per occupied voxel, in the same order
"""
from __future__ import annotations

import argparse
import gzip
import json
import struct
from pathlib import Path

import numpy as np
import torch

from training import render as rd
from training.corpus import EDIT_KINDS, heldout_seed, is_heldout, make_edit_pair
from training.corpus.families import FAMILIES
from training.corpus.voxelize_torch import voxelize

ROOT = Path(__file__).resolve().parents[2]
MAGIC = b"FSEPAIRS"
FAMILY_NAMES = tuple(FAMILIES)
# An edit the person could not paint is no test of an image-driven editor: at least this many
# voxels must change, and this many pixels of the best view.
MIN_REGION_VOXELS = 24
MIN_VIEW_PIXELS = 60
SPLITS = {
    # split: (first held-out seed index, pairs per kind)
    "test": (100, 18),
    "val": (500, 6),
}


def leb128_gaps(indices: np.ndarray) -> bytes:
    gaps = np.diff(np.concatenate([[-1], indices.astype(np.int64)]))
    assert (gaps >= 1).all()
    out = bytearray()
    for g in gaps.tolist():
        while True:
            byte = g & 0x7F
            g >>= 7
            if g:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                break
    return bytes(out)


def encode_grid(occ: np.ndarray, col: np.ndarray) -> tuple:
    idx = np.flatnonzero(occ.reshape(-1))
    rgb = col.reshape(-1, 3)[idx]
    return len(idx), leb128_gaps(idx) + np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()


def best_view(src_occ, src_col, tgt_occ, tgt_col) -> tuple:
    """(view, differing pixels) of the canonical view where the edit shows most."""
    occ = torch.stack([torch.as_tensor(src_occ), torch.as_tensor(tgt_occ)])
    col = torch.stack([torch.as_tensor(src_col), torch.as_tensor(tgt_col)])
    counts = []
    for v in range(rd.SPEC["views"]):
        img = rd.render(occ, col, v)
        counts.append(int((img[0] != img[1]).any(dim=-1).sum()))
    view = int(np.argmax(counts))
    return view, counts[view]


def family_for(kind_index: int, j: int) -> str:
    """Each kind visits every family once, then half of them again; the extra halves alternate by kind."""
    return FAMILY_NAMES[(j + 6 * kind_index) % len(FAMILY_NAMES)]


def build_split(split: str) -> tuple:
    first, per_kind = SPLITS[split]
    next_seed = first
    records, blobs, skipped = [], [], []
    for k, kind in enumerate(EDIT_KINDS):
        for j in range(per_kind):
            family = family_for(k, j)
            while True:
                seed = heldout_seed(next_seed)
                next_seed += 1
                assert is_heldout(seed)
                try:
                    pair = make_edit_pair(family, seed, kind)
                except ValueError as error:  # e.g. a choice with no parts at all
                    skipped.append({"family": family, "seed": seed, "kind": kind, "why": str(error)})
                    continue
                occ, col = voxelize([pair.source, pair.target])
                occ, col = occ.numpy(), col.numpy()
                region = int((occ[0] != occ[1]).sum())
                view, pixels = best_view(occ[0], col[0], occ[1], col[1])
                if region < MIN_REGION_VOXELS or pixels < MIN_VIEW_PIXELS:
                    skipped.append({"family": family, "seed": seed, "kind": kind, "slot": pair.slot,
                                    "why": f"too small: {region} voxels, {pixels} pixels"})
                    continue
                break
            n_src, blob_src = encode_grid(occ[0], col[0])
            n_tgt, blob_tgt = encode_grid(occ[1], col[1])
            records.append({
                "family": family, "kind": kind, "slot": pair.slot, "sourceVariant": pair.source_variant,
                "targetVariant": pair.target_variant, "seed": seed, "view": view, "viewPixels": pixels,
                "regionVoxels": region, "sourceVoxels": n_src, "targetVoxels": n_tgt,
            })
            blobs += [blob_src, blob_tgt]
            print(f"{split} {kind:7s} {family:8s} seed {seed:5d} {pair.slot}: {pair.source_variant} → "
                  f"{pair.target_variant}, {region} voxels, view {view} ({pixels} px)", flush=True)
    return records, blobs, skipped


def write(path: Path, split: str, records: list, blobs: list) -> None:
    header = json.dumps({
        "format": "flowsmith-edit-pairs", "version": 1, "resolution": 64, "split": split,
        "generator": "python3 -m training.scripts.make_eval_pairs", "pairs": records,
    }, separators=(",", ":")).encode("utf-8")
    raw = MAGIC + struct.pack("<I", len(header)) + header + b"".join(blobs)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same pairs give the same bytes.
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(raw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "bench/data"))
    ap.add_argument("--splits", nargs="+", default=list(SPLITS), choices=list(SPLITS))
    args = ap.parse_args()
    torch.set_num_threads(1)
    for split in args.splits:
        records, blobs, skipped = build_split(split)
        path = Path(args.out) / f"edit-pairs-{split}.bin.gz"
        write(path, split, records, blobs)
        seeds = [r["seed"] for r in records]
        print(f"{split}: {len(records)} pairs, seeds {min(seeds)}..{max(seeds)}, {len(skipped)} candidates "
              f"skipped, {path.stat().st_size:,} bytes → {path}", flush=True)
        for s in skipped:
            print(f"  skipped {s}", flush=True)


if __name__ == "__main__":
    main()
