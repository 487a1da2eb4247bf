"""Native reference for issue 7: a full default-pack edit in PyTorch, timed stage by stage.

The pack's own weights (public/models/default, read back from its ONNX initializers by
training/checkpoint.py load_pack) go into the training modules; the samplers are native_samplers.py
(the studio's maths). A full edit, as src/engine/edit-pipeline.ts runs it: encode the source and the
target view (two image-encoder calls, same view index), VAE-encode the 64³ source grid, the method's
steps, VAE-decode. Each (dtype, method) is run once to warm up, then --repeats times; every stage is
timed with CUDA events (host clock on the CPU) and the medians reported, with the peak of
torch.cuda.max_memory_allocated over the timed runs.

  python3 -m bench.gpu.native_edit --device cuda --device-name h100 --out bench/results/native-edit-h100.json
  /usr/bin/python3 -m bench.gpu.native_edit --device cpu --steps 2 --repeats 1 --dtypes fp32   (smoke)

Inputs: --grid (uint8 64³ .npy, [z][y][x]) and --src-view/--tgt-view (128² PNGs); without them a
held-out corpus shape is voxelized, and without views both are rendered with training/render.py (the
target from the grid with its top third removed, a 'remove'-like edit).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

from bench.gpu import native_samplers as ns

ROOT = Path(__file__).resolve().parents[2]
DTYPES = {"fp32": None, "bf16": torch.bfloat16}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", default=str(ROOT / "public/models/default"))
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--device-name", default=None, help="short name for the results, e.g. h100")
    ap.add_argument("--dtypes", default="fp32,bf16", help="fp32 and/or bf16 (autocast)")
    ap.add_argument("--methods", default=",".join(ns.METHODS))
    ap.add_argument("--kind", default="replace", choices=["remove", "add", "replace", "pose", "style"])
    ap.add_argument("--steps", type=int, default=None, help="T (default: the pack's sampler.steps)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--view", type=int, default=0, help="view index of both images (0..7)")
    ap.add_argument("--grid", default=None)
    ap.add_argument("--src-view", default=None)
    ap.add_argument("--tgt-view", default=None)
    ap.add_argument("--out", default=None)
    return ap.parse_args(argv)


def load_models(pack: Path, device):
    from training.checkpoint import load_into, load_pack
    from training.models import build

    state = load_pack(pack)
    if state is None:
        raise SystemExit(f"{pack} holds no manifest.json")
    vae, enc, flow = build(configs=state["configs"])
    for module, key in ((vae, "vae"), (enc, "image_encoder"), (flow, "flow")):
        load_into(module, state[key], key)
        module.to(device).eval()
    return vae, enc, flow, json.loads((pack / "manifest.json").read_text())


def png_rgb(path) -> np.ndarray:
    from PIL import Image

    img = np.asarray(Image.open(path).convert("RGB"))
    if img.shape != (128, 128, 3):
        raise SystemExit(f"{path}: a view must be 128×128, got {img.shape[:2]}")
    return img


def inputs(args):
    """(occupancy uint8 (64,64,64), source view, target view (128,128,3) uint8, description)."""
    from training import render as rd

    if args.grid:
        occ = np.load(args.grid)
        if occ.shape != (64, 64, 64):
            raise SystemExit(f"{args.grid}: the grid must be 64³, got {occ.shape}")
        occ = (occ != 0).astype(np.uint8)
        col = np.full((64, 64, 64, 3), 180, np.uint8)  # a grid file has no colours: one grey
        what = f"grid {args.grid}"
    else:
        from training.corpus.voxelize_torch import voxelize
        from training.data import heldout_shapes

        occ_t, col_t = voxelize(heldout_shapes(1), device=args.device)
        occ_t, col_t = occ_t.cpu(), col_t.cpu()
        occ, col = occ_t[0].numpy().astype(np.uint8), col_t[0].numpy()
        what = "held-out corpus shape 0 (training.data.heldout_shapes)"
    if args.src_view and args.tgt_view:
        return occ, png_rgb(args.src_view), png_rgb(args.tgt_view), what + f", views {args.src_view} → {args.tgt_view}"
    ys = np.nonzero(occ.any(axis=(0, 2)))[0]
    cut = ys.min() + 2 * (ys.max() - ys.min() + 1) // 3 if len(ys) else 64
    edited = occ.copy()
    edited[:, cut:, :] = 0
    views = rd.render(torch.from_numpy(np.stack([occ, edited])), torch.from_numpy(np.stack([col, col])),
                      [args.view, args.view]).numpy()
    src = png_rgb(args.src_view) if args.src_view else views[0]
    tgt = png_rgb(args.tgt_view) if args.tgt_view else views[1]
    return occ, src, tgt, what + f", view {args.view} rendered; target = top third removed (y ≥ {cut})"


class Clock:
    """Marks on the device's timeline (CUDA events) or the host clock on the CPU."""

    def __init__(self, device):
        self.cuda = device.type == "cuda"

    def mark(self):
        if self.cuda:
            e = torch.cuda.Event(enable_timing=True)
            e.record()
            return e
        return time.perf_counter()

    def ms(self, a, b) -> float:
        return a.elapsed_time(b) if self.cuda else (b - a) * 1e3

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()


@torch.no_grad()
def full_edit(models, data, r: ns.Resolved, dtype, device, seed: int, view: int, interval, clock: Clock):
    """One full edit; returns (stage times ms, per-step ms, result occupancy, the GuidedFlow)."""
    vae, enc, flow = models
    occ, src_img, tgt_img = data
    one_hot = torch.zeros((1, 8), device=device)
    one_hot[0, view] = 1
    ac = (torch.autocast(device.type, dtype=dtype) if dtype is not None
          else torch.autocast(device.type, enabled=False))
    gen = torch.Generator(device=device).manual_seed(seed)
    m = {"start": clock.mark()}
    with ac:
        c_src = enc(src_img, one_hot).float()
        c_tgt = enc(tgt_img, one_hot).float()
    m["encode_images"] = clock.mark()
    with ac:
        x_src = vae.encode(occ).float()
    m["encode_latent"] = clock.mark()
    v = ns.GuidedFlow(flow, {"src": c_src, "tgt": c_tgt}, interval, dtype)
    step_marks = []
    x = ns.run_method(v, x_src, r, gen, on_step=lambda k: step_marks.append(clock.mark()))
    with ac:
        logits = vae.decode(x).float()
    result = logits > 0
    m["decode"] = clock.mark()
    clock.sync()
    stages = {}
    prev = m["start"]
    for name in ("encode_images", "encode_latent"):
        stages[name] = clock.ms(prev, m[name])
        prev = m[name]
    steps, last = [], m["encode_latent"]
    for e in step_marks:
        steps.append(clock.ms(last, e))
        last = e
    stages["steps"] = sum(steps)
    stages["decode"] = clock.ms(last, m["decode"])
    stages["total"] = clock.ms(m["start"], m["decode"])
    return stages, steps, result[0, 0], v


def median(xs):
    return statistics.median(xs) if xs else 0.0


def bench(args):
    device = torch.device(args.device)
    pack = Path(args.pack)
    models = load_models(pack, device)
    vae, enc, flow, manifest = models
    sampler = manifest["sampler"]
    T = args.steps or sampler["steps"]
    shift = float(sampler["shift"])
    interval = tuple(sampler.get("guidanceInterval") or (0.0, 1.0))
    occ_np, src_np, tgt_np, what = inputs(args)
    occ = torch.from_numpy(occ_np).float()[None, None].to(device)
    img = lambda a: torch.from_numpy(a).permute(2, 0, 1)[None].float().div(255).to(device)  # noqa: E731
    data = (occ, img(src_np), img(tgt_np))
    src_occ = occ[0, 0] > 0
    clock = Clock(device)
    runs = []
    for dname in args.dtypes.split(","):
        dtype = DTYPES[dname]
        for method in args.methods.split(","):
            r = ns.resolve(method, args.kind, T, shift, float(sampler["cfg"]))
            for i in range(args.warmup):
                full_edit((vae, enc, flow), data, r, dtype, device, args.seed + 1000 + i, args.view, interval, clock)
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            totals, per_stage, per_step = [], {}, []
            for i in range(args.repeats):
                stages, steps, result, v = full_edit((vae, enc, flow), data, r, dtype, device, args.seed + i,
                                                     args.view, interval, clock)
                totals.append(stages["total"])
                for k, val in stages.items():
                    per_stage.setdefault(k, []).append(val)
                per_step.append(steps)
            inter = (result & src_occ).sum().item()
            union = (result | src_occ).sum().item()
            runs.append({
                "dtype": dname,
                "method": method,
                "params": r.to_dict(),
                "model_calls": v.calls,
                "flow_batch_sizes": v.batch_sizes,
                "stages_ms": {k: median(vals) for k, vals in per_stage.items()},
                "step_ms": [median(col) for col in zip(*per_step)],
                "step_ms_median": median([s for steps in per_step for s in steps]),
                "total_ms": median(totals),
                "total_ms_runs": totals,
                "peak_mem_bytes": torch.cuda.max_memory_allocated(device) if device.type == "cuda" else None,
                "result": {"occupied": int(result.sum().item()), "source_occupied": int(src_occ.sum().item()),
                           "iou_vs_source": inter / max(union, 1)},
            })
            print(f"  {dname} {method}: {median(totals):.1f} ms", file=sys.stderr, flush=True)
    return {
        "bench": "native-edit",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "device_name": args.device_name or (torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "tf32": {"matmul": torch.backends.cuda.matmul.allow_tf32, "cudnn": torch.backends.cudnn.allow_tf32},
        "command": "python3 -m bench.gpu.native_edit " + " ".join(sys.argv[1:]),
        "pack": {"name": manifest["name"], "ss_flow_sha256": manifest["graphs"]["ss_flow"]["sha256"]},
        "input": what,
        "kind": args.kind,
        "steps": T, "shift": shift, "guidance_interval": list(interval), "cfg_regenerate": sampler["cfg"],
        "repeats": args.repeats, "warmup": args.warmup, "view": args.view,
        "notes": [
            "Noise from torch.Generator, not the studio's Philox streams: same distributions, other draws; "
            "the work per step (and so the timing) is the same, the edited shapes are not bit-comparable.",
            "Eager PyTorch, no torch.compile or CUDA graphs; bf16 = torch.autocast around every model call, "
            "latent arithmetic in fp32. Times are CUDA-event intervals on the device timeline, host gaps "
            "included; medians over the repeats.",
            "The studio also decodes a preview every previewEvery steps (edit-pipeline.ts); not done here.",
        ],
        "runs": runs,
    }


def table(res) -> str:
    head = ("dtype", "method", "n_max", "calls", "img ms", "lat ms", "steps ms", "ms/step", "dec ms", "total ms", "peak MiB")
    rows = [head]
    for r in res["runs"]:
        s = r["stages_ms"]
        mem = r["peak_mem_bytes"]
        rows.append((r["dtype"], r["method"], str(r["params"]["n_max"]), str(r["model_calls"]),
                     f"{s['encode_images']:.2f}", f"{s['encode_latent']:.2f}", f"{s['steps']:.1f}",
                     f"{r['step_ms_median']:.2f}", f"{s['decode']:.2f}", f"{r['total_ms']:.1f}",
                     "-" if mem is None else f"{mem / 2**20:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [f"{res['device_name']} ({res['device']}), torch {res['torch']}, T = {res['steps']}, kind {res['kind']}"]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    res = bench(args)
    print(table(res))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(res, indent=1) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
