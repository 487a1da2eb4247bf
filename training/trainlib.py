"""What the training scripts share: state loading and saving, EMA, learning-rate warm-up, logs.

A run is resumable at three levels (training/checkpoint.py): the full checkpoint in `--work` (same
lease: weights, EMA, optimizer), else `--init` (a compact checkpoint or an exported pack: weights
only, Adam restarts with a fresh warm-up), else fresh weights.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch

from training import checkpoint as ck
from training.models import PRESETS, build

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK = ROOT / "training" / "checkpoints" / "work"


def common_args(ap: argparse.ArgumentParser) -> argparse.ArgumentParser:
    ap.add_argument("--minutes", type=float, default=8.0, help="time budget of the training loop")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (tests)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--preset", default="default", help="model sizes for a fresh start (models.PRESETS)")
    ap.add_argument("--work", default=str(DEFAULT_WORK), help="folder of the full checkpoint (this machine)")
    ap.add_argument("--init", default=None, help="compact checkpoint or pack folder to start from")
    ap.add_argument("--out", default=None, help="folder for the compact checkpoint, CSV and PNG outputs")
    ap.add_argument("--workers", type=int, default=max(0, min(14, (os.cpu_count() or 2) - 2)))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--log-every", type=int, default=25)
    return ap


def fresh_state(preset: str) -> dict:
    vae, enc, flow = build(preset)
    return {
        "configs": {k: c.to_dict() for k, c in PRESETS[preset].items()},
        "vae": vae.state_dict(),
        "image_encoder": enc.state_dict(),
        "flow": flow.state_dict(),
        "meta": {"vae_steps": 0, "flow_steps": 0, "vae_samples": 0, "flow_samples": 0,
                 "vae_seconds": 0.0, "flow_seconds": 0.0, "history": {"vae": [], "flow": []}},
    }


def load_state(args) -> tuple:
    """(state, where it came from)."""
    full = Path(args.work) / ck.FULL_NAME
    if full.exists():
        return ck.load_full(full), f"full checkpoint {full}"
    if args.init:
        state = ck.load_any(args.init)
        if state is None:
            raise SystemExit(f"--init {args.init}: no checkpoint or pack there")
        meta = state.setdefault("meta", {})
        meta.setdefault("history", {"vae": [], "flow": []})
        for k in ("vae_steps", "flow_steps", "vae_samples", "flow_samples", "vae_seconds", "flow_seconds"):
            meta.setdefault(k, 0)
        return state, f"weights of {args.init} (optimizer state restarts)"
    return fresh_state(args.preset), f"fresh weights (preset {args.preset})"


def save_state(args, state: dict) -> None:
    ck.save_full(Path(args.work) / ck.FULL_NAME, state)
    if args.out:
        ck.save_compact(args.out, state)


def cpu_state_dict(module) -> dict:
    return {k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items()}


class Ema:
    """Exponential moving average of a module's float tensors (decay warmed up from 0)."""

    def __init__(self, module: torch.nn.Module, decay: float, state: dict | None = None):
        self.decay = decay
        src = module.state_dict()
        self.shadow = {k: (state[k].to(v.device, v.dtype) if state and k in state else v.detach().clone())
                       for k, v in src.items()}
        self.updates = 0

    @torch.no_grad()
    def update(self, module: torch.nn.Module) -> None:
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, v in module.state_dict().items():
            if v.is_floating_point():
                self.shadow[k].lerp_(v.detach(), 1 - d)
            else:
                self.shadow[k].copy_(v)

    def state_dict(self) -> dict:
        return {k: v.detach().cpu().clone() for k, v in self.shadow.items()}


def warmup_lr(step_in_run: int, base: float, warmup: int) -> float:
    """Linear warm-up at the start of every run (after a resume without optimizer state, too)."""
    return base * min(1.0, (step_in_run + 1) / max(1, warmup))


def autocast(device: torch.device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def setup_device(name: str) -> torch.device:
    dev = torch.device(name)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    return dev


def sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize()


class Clock:
    def __init__(self, minutes: float, max_steps: int | None):
        self.start = time.time()
        self.budget = minutes * 60
        self.max_steps = max_steps

    def elapsed(self) -> float:
        return time.time() - self.start

    def done(self, steps: int) -> bool:
        if self.max_steps is not None and steps >= self.max_steps:
            return True
        return self.elapsed() >= self.budget


def write_history(folder, name: str, rows: list) -> Path | None:
    """rows: dicts with the same keys → <name>_loss.csv; and a PNG of the curves."""
    if not folder or not rows:
        return None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_loss.csv"
    keys = list(rows[0].keys())
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in keys})
    try:
        plot_history(folder / f"{name}_loss.png", name, rows)
    except Exception as e:  # a plot is a nicety; the CSV is the record
        print(f"(no plot: {e})")
    return path


def plot_history(path: Path, name: str, rows: list) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [k for k in rows[0] if k not in ("step", "seconds", "samples", "lr")]
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.2))
    axes = np.atleast_1d(axes)
    steps = [r["step"] for r in rows]
    for ax, k in zip(axes, keys):
        vals = [float(r[k]) if r[k] != "" else math.nan for r in rows]
        ax.plot(steps, vals, lw=1)
        if k in ("loss", "bce", "mse", "kl") and all(v > 0 for v in vals if not math.isnan(v)):
            ax.set_yscale("log")
        ax.set_title(f"{name}: {k}")
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def dump_json(folder, name: str, obj) -> None:
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_text(json.dumps(obj, indent=1, default=str))
