"""Train the SS-VAE for a time budget, resumably (one ≤ 10-minute device command's worth of work).

    python3 -m training.scripts.train_vae --minutes 4 --out $OUT [--init public/models/default]

Data: random training shapes built by DataLoader workers, voxelized on the device, kept in a ring of
recent grids that each step samples from. Loss: pos-weighted BCE (shells fill ~3.5% of the grid) +
a small KL. At the end: per-channel latent statistics (the normalization the flow trains in) — only
while the flow is untrained, since new statistics would move the flow's data space — the held-out
round-trip IoU, a reconstruction grid, the loss CSV/PNG and the checkpoints.

Once the flow has been trained on this VAE's latents, only the decoder may keep training
(`--decoder-only`): that improves reconstructions without moving the latent space.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from training import render as rd
from training.checkpoint import load_into
from training.corpus.io import write_png
from training.data import GridPool, grids, heldout_shapes, mesh_loader, pack_meshes
from training.models import SsVae, VaeConfig, parameter_count
from training.models.ss_vae import iou, vae_loss
from training.trainlib import (Clock, autocast, common_args, cpu_state_dict, dump_json, load_state, save_state,
                               setup_device, sync, warmup_lr, write_history)


@torch.no_grad()
def latent_statistics(vae: SsVae, loader, dev, n: int) -> dict:
    means = []
    count = 0
    while count < n:
        occ, _ = grids(next(loader), dev)
        with autocast(dev):
            mean, _ = vae.posterior(occ.float()[:, None])
        means.append(mean.float())
        count += occ.shape[0]
    vae.set_latent_stats(torch.cat(means)[:n])
    return {"mean": vae.latent_mean.tolist(), "std": vae.latent_std.tolist(), "shapes": n}


@torch.no_grad()
def heldout_eval(vae: SsVae, dev, n: int, out_dir, batch: int = 16) -> dict:
    """Round trip encode (mean) → decode on held-out shapes; IoU of logits > 0."""
    shapes = heldout_shapes(n)
    ious, images = [], []
    for i in range(0, n, batch):
        occ, col = grids(pack_meshes(shapes[i:i + batch]), dev)
        with autocast(dev):
            logits = vae.decode(vae.encode(occ.float()[:, None]))
        ious.append(iou(logits.float(), occ.float()[:, None]).cpu())
        if i == 0 and out_dir:
            k = min(12, occ.shape[0])
            rec = (logits[:k, 0] > 0).to(torch.uint8)
            grey = torch.full((*rec.shape, 3), 190, dtype=torch.uint8, device=dev)
            top = rd.render(occ[:k], col[:k], 1).cpu().numpy()
            bottom = rd.render(rec, grey, 1).cpu().numpy()
            images = np.concatenate([np.concatenate(list(top), 1), np.concatenate(list(bottom), 1)], 0)
            write_png(f"{out_dir}/vae_recon.png", images)
    v = torch.cat(ious)
    return {"heldout_shapes": n, "iou_mean": float(v.mean()), "iou_min": float(v.min()),
            "iou_median": float(v.median())}


def main() -> None:
    ap = common_args(argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--new-per-step", type=int, default=16, help="new shapes voxelized per step")
    ap.add_argument("--pool", type=int, default=1024)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--pos-weight", type=float, default=4.0)
    ap.add_argument("--kl-weight", type=float, default=1e-3)
    ap.add_argument("--decoder-only", action="store_true")
    ap.add_argument("--stats-shapes", type=int, default=1024)
    ap.add_argument("--eval-shapes", type=int, default=96)
    args = ap.parse_args()

    dev = setup_device(args.device)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    state, source = load_state(args)
    meta = state["meta"]
    if meta["flow_steps"] > 0 and not args.decoder_only:
        raise SystemExit("the flow is trained on this VAE's latents; train the decoder only (--decoder-only)")
    vae = SsVae(VaeConfig.from_dict(state["configs"]["vae"]))
    load_into(vae, state["vae"], "vae")
    vae.to(dev).train()
    params = list(vae.decoder.parameters()) if args.decoder_only else list(vae.parameters())
    if args.decoder_only:
        vae.encoder.requires_grad_(False)
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.99), weight_decay=0.0)
    if state.get("opt_vae") and state.get("opt_vae_decoder_only", False) == args.decoder_only:
        opt.load_state_dict(state["opt_vae"])
    print(f"vae: {parameter_count(vae):,} parameters; start from {source}; step {meta['vae_steps']}; "
          f"device {dev}{' (' + torch.cuda.get_device_name(dev) + ')' if dev.type == 'cuda' else ''}", flush=True)

    gen = torch.Generator().manual_seed(args.seed * 7919 + meta["vae_steps"])
    loader = mesh_loader(args.new_per_step, args.workers, seed=args.seed * 1_000_003 + meta["vae_steps"])
    pool = GridPool(args.pool, dev)
    warm = min(args.pool, 4 * args.batch)
    while pool.size < warm:
        occ, col = grids(next(loader), dev)
        pool.add(occ, col)

    clock = Clock(args.minutes, args.max_steps)
    history = meta["history"].setdefault("vae", [])
    step0, steps, t_data, t_step = meta["vae_steps"], 0, 0.0, 0.0
    while not clock.done(steps):
        t0 = time.time()
        occ, col = grids(next(loader), dev)
        pool.add(occ, col)
        x = pool.occ[pool.sample(args.batch, gen)].float()[:, None]
        sync(dev)
        t1 = time.time()
        lr = warmup_lr(steps, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        with autocast(dev):
            logits, kl = vae(x)
        loss, bce = vae_loss(logits, x, kl, args.pos_weight, args.kl_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        steps += 1
        if steps % args.log_every == 0 or steps == 1:
            sync(dev)
            row = {"step": step0 + steps, "seconds": round(meta["vae_seconds"] + clock.elapsed(), 1),
                   "samples": meta["vae_samples"] + steps * args.batch, "loss": float(loss), "bce": float(bce),
                   "kl": float(kl), "iou": float(iou(logits.float(), x).mean()), "lr": lr}
            history.append(row)
            print(f"vae step {row['step']}: loss {row['loss']:.4f} bce {row['bce']:.4f} kl {row['kl']:.3f} "
                  f"iou {row['iou']:.4f} ({(time.time() - t1) * 1e3:.0f} ms step, {(t1 - t0) * 1e3:.0f} ms data)",
                  flush=True)
        t_data += t1 - t0
        t_step += time.time() - t1
    elapsed = clock.elapsed()
    meta["vae_steps"] += steps
    meta["vae_samples"] += steps * args.batch
    meta["vae_seconds"] += elapsed
    print(f"vae: {steps} steps in {elapsed:.0f} s (data {t_data:.0f} s, compute {t_step:.0f} s)", flush=True)

    vae.eval()
    report = {"steps_this_run": steps, "seconds_this_run": round(elapsed, 1)}
    if meta["flow_steps"] == 0:
        report["latent_stats"] = latent_statistics(vae, loader, dev, args.stats_shapes)
        print(f"latent mean {np.round(report['latent_stats']['mean'], 3).tolist()} "
              f"std {np.round(report['latent_stats']['std'], 3).tolist()}", flush=True)
    report["heldout"] = heldout_eval(vae, dev, args.eval_shapes, args.out)
    meta["vae_heldout_iou"] = report["heldout"]["iou_mean"]
    print(f"held-out round trip: {report['heldout']}", flush=True)

    state["vae"] = cpu_state_dict(vae)
    state["opt_vae"] = opt.state_dict()
    state["opt_vae_decoder_only"] = args.decoder_only
    save_state(args, state)
    write_history(args.out, "vae", history)
    dump_json(args.out, "vae_report.json", report)


if __name__ == "__main__":
    main()
