#!/usr/bin/env python3
"""scipy baseline for Voxel-Merge: the path the released Nano3D code uses
(ndimage.label with generate_binary_structure(3, 1), bincount, size filter, xor).

  scipy_merge.py merge SRC EDITED --tau T --rule fixed|adaptive -o OUT [--mask MASK]
      one merge; prints {"tau", "kept", "voxelsChanged", "components"} as JSON.
  scipy_merge.py merge-many MANIFEST.json
      the same for each [{"src", "edited", "tau", "rule", "output", "mask"}]; prints a JSON list.
  scipy_merge.py bench MANIFEST.json
      times label alone and the whole merge on each case of the manifest
      ([{"name", "src", "edited", "tau", "rule", "reps"}]); prints JSON timings in ms.

The adaptive rule is Flowsmith's reading of the released code (src/core/merge/filter.ts):
halve tau by float division while the largest component is <= tau, keep size > tau.
The released loop tests `largest < tau`, which differs only when largest == tau / 2**k.
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy.ndimage import generate_binary_structure, label

STRUCTURE = generate_binary_structure(3, 1)  # 6-connectivity


def select(counts, tau, rule):
    """counts[0] is the background; returns (effective tau, boolean keep per label 0..num)."""
    sizes = counts[1:]
    if rule == "adaptive" and sizes.size > 0:
        largest = int(sizes.max())
        while largest <= tau:
            tau = tau / 2
    keep = np.zeros(counts.shape[0], dtype=bool)
    keep[1:] = sizes >= tau if rule == "fixed" else sizes > tau
    return tau, keep


def merge(src, edited, tau, rule):
    diff = src ^ edited
    labels, num = label(diff, structure=STRUCTURE)
    counts = np.bincount(labels.ravel(), minlength=num + 1)
    tau, keep = select(counts, tau, rule)
    mask = keep[labels].astype(np.uint8)
    merged = src ^ mask
    return merged, mask, tau, num, counts, keep


def merge_files(src_path, edited_path, tau, rule, output, mask_path):
    src = np.load(src_path)
    edited = np.load(edited_path)
    merged, mask, tau, num, _, keep = merge(src, edited, float(tau), rule)
    np.save(output, merged)
    if mask_path:
        np.save(mask_path, mask)
    kept = np.nonzero(keep[1:])[0].tolist()
    return {"tau": tau, "kept": kept, "voxelsChanged": int(mask.sum()), "components": int(num)}


def cmd_merge(args):
    json.dump(merge_files(args.src, args.edited, args.tau, args.rule, args.output, args.mask), sys.stdout)


def cmd_merge_many(args):
    with open(args.manifest) as f:
        cases = json.load(f)
    reports = [
        merge_files(c["src"], c["edited"], c["tau"], c["rule"], c["output"], c.get("mask"))
        for c in cases
    ]
    json.dump(reports, sys.stdout)


def timed(fn, reps):
    fn()  # warm caches and any lazy allocation before measuring
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "reps": reps}


def cmd_bench(args):
    with open(args.manifest) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        src = np.load(case["src"])
        edited = np.load(case["edited"])
        diff = src ^ edited
        reps = int(case.get("reps", 20))
        lab = timed(lambda: label(diff, structure=STRUCTURE), reps)
        whole = timed(lambda: merge(src, edited, case["tau"], case["rule"]), reps)
        merged, _, tau, num, _, _ = merge(src, edited, case["tau"], case["rule"])
        results.append(
            {
                "name": case["name"],
                "label": lab,
                "merge": whole,
                "components": int(num),
                "tau": tau,
                "voxelsChanged": int((merged != src).sum()),
            }
        )
    json.dump(results, sys.stdout)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("merge")
    m.add_argument("src")
    m.add_argument("edited")
    m.add_argument("--tau", type=float, required=True)
    m.add_argument("--rule", choices=["fixed", "adaptive"], default="fixed")
    m.add_argument("-o", "--output", required=True)
    m.add_argument("--mask")
    m.set_defaults(fn=cmd_merge)
    mm = sub.add_parser("merge-many")
    mm.add_argument("manifest")
    mm.set_defaults(fn=cmd_merge_many)
    b = sub.add_parser("bench")
    b.add_argument("manifest")
    b.set_defaults(fn=cmd_bench)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
