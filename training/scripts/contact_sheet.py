"""Contact sheet of corpus shapes as the model sees them (voxelized, canonical view).

    /usr/bin/python3 -m training.scripts.contact_sheet -o sheet.png --seeds 1 2 3 --view 1 [--families chair car]
"""
from __future__ import annotations

import argparse

import numpy as np

from training import render as rd
from training.corpus import make_shape
from training.corpus.families import FAMILIES
from training.corpus.io import write_png
from training.corpus.voxelize_torch import voxelize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--view", type=int, default=1)
    ap.add_argument("--flat", action="store_true")
    ap.add_argument("--families", nargs="+", default=list(FAMILIES))
    args = ap.parse_args()
    rows = []
    for seed in args.seeds:
        occ, col = voxelize([make_shape(f, seed) for f in args.families])
        img = rd.render(occ, col, args.view, flat=args.flat).numpy()
        rows.append(np.concatenate(list(img), axis=1))
    write_png(args.output, np.concatenate(rows, axis=0))


if __name__ == "__main__":
    main()
