"""Export parity without Python's onnxruntime: runs a pack's graphs through onnxruntime-node (the
studio's CLI runtime) and compares with PyTorch (fp32) holding the pack's own fp16 weights.

    /usr/bin/python3 -m training.scripts.ort_node_parity public/models/default [--batch 3]

On the GPU machine, `python3 -m training.export ... --parity` does the same with Python's onnxruntime.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from training.checkpoint import load_into, load_pack
from training.export import example_inputs, graph_specs, rel_errors
from training.models import build

ROOT = Path(__file__).resolve().parents[2]


def node_parity(pack, batch: int = 3, verbose: bool = False) -> dict:
    state = load_pack(pack)
    vae, enc, flow = build(configs=state["configs"])
    for m, k in ((vae, "vae"), (enc, "image_encoder"), (flow, "flow")):
        load_into(m, state[k], k)
        m.eval()
    specs = graph_specs(vae, enc, flow)
    refs, jobs = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (wrapper, inputs, outputs) in specs.items():
            feeds = example_inputs(name, inputs, batch, seed=1)
            if name == "ss_flow":
                feeds["cond"][-1].zero_()
            with torch.no_grad():
                refs[name] = wrapper(*feeds.values()).numpy()
            job = {"graph": name, "inputs": {}, "output": {"name": next(iter(outputs)), "file": f"{name}.out"}}
            for k, v in feeds.items():
                f = f"{name}.{k}.in"
                (Path(tmp) / f).write_bytes(np.ascontiguousarray(v.numpy(), dtype="<f4").tobytes())
                job["inputs"][k] = {"shape": list(v.shape), "file": f}
            jobs.append(job)
        (Path(tmp) / "jobs.json").write_text(json.dumps(jobs))
        run = subprocess.run(["node", str(ROOT / "training/scripts/ort_run.mjs"), str(Path(pack).resolve()), tmp],
                             cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"onnxruntime-node failed:\n{run.stderr}")
        if verbose:
            print(run.stdout, end="")
        out = {}
        for name, ref in refs.items():
            got = np.frombuffer((Path(tmp) / f"{name}.out").read_bytes(), dtype="<f4").reshape(ref.shape)
            out[name] = rel_errors(got, ref)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pack")
    ap.add_argument("--batch", type=int, default=3)
    args = ap.parse_args()
    result = node_parity(args.pack, args.batch, verbose=True)
    print(json.dumps(result, indent=1))
    bad = {k: v for k, v in result.items() if v["max_rel"] >= 1e-3}
    if bad:
        sys.exit(f"parity FAILED (relative error ≥ 1e-3): {bad}")
    print("parity OK: every graph within 1e-3 relative error")


if __name__ == "__main__":
    main()
