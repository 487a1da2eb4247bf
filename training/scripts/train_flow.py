"""Train the SS flow transformer and the image encoder together, for a time budget, resumably.

    python3 -m training.scripts.train_flow --minutes 8 --out $OUT [--init public/models/default]

Needs a trained VAE in the same state (train_vae first). Per step: a few new training shapes are
voxelized and encoded (frozen VAE, normalized latents) into a ring of recent grids; the batch is
drawn from the ring, each item with a random canonical view 0–7 (a quarter of them flat, unshaded);
the image encoder turns the views into condition tokens, 10% of which are dropped to ZEROS (the
samplers' unconditional branch); t ~ logit-normal(1, 1) (t = 1 noise); loss ‖v − (ε − x0)‖².
EMA weights (what ships) are kept for both trained models.

At the end: a fixed held-out validation loss (48 held-out shapes, fixed views, t and noise), a
sample grid (condition view | generated shape at that view | at the opposite view) and the
silhouette IoU of generated shapes against their condition views, on held-out seeds.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from training import render as rd
from training.checkpoint import load_into
from training.corpus.io import write_png
from training.data import GridPool, grids, heldout_shapes, mesh_loader, pack_meshes
from training.models import ImageEncoder, ImageEncoderConfig, FlowConfig, SsFlow, SsVae, VaeConfig, parameter_count
from training.models.image_encoder import images_to_input, view_one_hot
from training.models.ss_flow import flow_targets, sample_t
from training.sample import sample
from training.trainlib import (Clock, Ema, autocast, common_args, cpu_state_dict, dump_json, load_state, save_state,
                               setup_device, sync, warmup_lr, write_history)

GREY = 190


def render_views(occ, col, views, flat):
    return rd.render(occ, col, [int(v) for v in views], [bool(f) for f in flat], chunk=64)


@torch.no_grad()
def heldout_set(vae, dev, n: int):
    """Fixed held-out evaluation data: grids, latents, views (cycling 0–7), shaded."""
    shapes = heldout_shapes(n)
    occ, col = grids(pack_meshes(shapes), dev)
    with autocast(dev):
        z = vae.encode(occ.float()[:, None]).float()
    views = torch.arange(n) % 8
    images = render_views(occ, col, views, [False] * n)
    return occ, col, z, views, images


@torch.no_grad()
def validation_loss(flow, enc, data, dev) -> float:
    """MSE of v on held-out latents at fixed t ∈ {0.1, …, 0.9} and fixed noise (EMA weights)."""
    _, _, z, views, images = data
    g = torch.Generator().manual_seed(1234)
    cond = enc(images_to_input(images), view_one_hot(views, device=dev))
    losses = []
    for t in (0.1, 0.3, 0.5, 0.7, 0.9):
        noise = torch.randn(z.shape, generator=g).to(dev)
        tt = torch.full((z.shape[0],), t, device=dev)
        x_t, target = flow_targets(z, noise, tt)
        with autocast(dev):
            v = flow(x_t, tt, cond)
        losses.append(float(F.mse_loss(v.float(), target)))
    return float(np.mean(losses))


@torch.no_grad()
def generation_eval(flow, enc, vae, data, dev, out_dir, cfg: float, steps: int, rows: int = 12) -> dict:
    """Generate from each held-out condition view; silhouette IoU of the generated shape's render at
    the same view against the condition image's silhouette; a sample grid."""
    occ, col, _, views, images = data
    n = occ.shape[0]
    cond = enc(images_to_input(images), view_one_hot(views, device=dev))
    g = torch.Generator().manual_seed(99)
    with autocast(dev):
        z = sample(flow, cond, steps=steps, cfg=cfg, generator=g)
        logits = vae.decode(z.float())
    gen = (logits[:, 0] > 0).to(torch.uint8)
    grey = torch.full((*gen.shape, 3), GREY, dtype=torch.uint8, device=dev)
    same = render_views(gen, grey, views, [True] * n)
    bg = torch.tensor(rd.SPEC["background"], device=dev, dtype=torch.uint8)
    sil_c = (images != bg).any(-1)
    sil_g = (same != bg).any(-1)
    inter = (sil_c & sil_g).flatten(1).sum(1).float()
    union = (sil_c | sil_g).flatten(1).sum(1).float().clamp(min=1)
    sil_iou = inter / union
    # Voxel IoU against the held-out shape itself (one view does not pin the back, so this is low-ish).
    vox = ((gen > 0) & (occ > 0)).flatten(1).sum(1).float() / ((gen > 0) | (occ > 0)).flatten(1).sum(1).float().clamp(min=1)
    if out_dir:
        k = min(rows, n)
        opposite = render_views(gen[:k], grey[:k], (views[:k] + 4) % 8, [False] * k)
        shaded = render_views(gen[:k], grey[:k], views[:k], [False] * k)
        strip = lambda a: np.concatenate(list(a.cpu().numpy()), axis=1)  # noqa: E731
        write_png(f"{out_dir}/flow_samples.png",
                  np.concatenate([strip(images[:k]), strip(shaded), strip(opposite)], axis=0))
    return {"heldout_conditions": n, "cfg": cfg, "steps": steps,
            "silhouette_iou_mean": float(sil_iou.mean()), "silhouette_iou_median": float(sil_iou.median()),
            "voxel_iou_mean": float(vox.mean()), "empty_generations": int((gen.flatten(1).sum(1) == 0).sum())}


def main() -> None:
    ap = common_args(argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter))
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--new-per-step", type=int, default=64, help="new shapes voxelized and encoded per step")
    ap.add_argument("--pool", type=int, default=2048)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--p-uncond", type=float, default=0.1)
    ap.add_argument("--p-flat", type=float, default=0.25)
    ap.add_argument("--eval-shapes", type=int, default=48)
    ap.add_argument("--eval-cfg", type=float, default=3.0)
    ap.add_argument("--eval-steps", type=int, default=25)
    ap.add_argument("--allow-untrained-vae", action="store_true", help="smoke tests only")
    args = ap.parse_args()

    dev = setup_device(args.device)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    state, source = load_state(args)
    meta = state["meta"]
    if meta["vae_steps"] == 0 and not args.allow_untrained_vae:
        raise SystemExit("the VAE is untrained: run training.scripts.train_vae first")
    cfgs = state["configs"]
    vae = SsVae(VaeConfig.from_dict(cfgs["vae"]))
    enc = ImageEncoder(ImageEncoderConfig.from_dict(cfgs["image_encoder"]))
    flow = SsFlow(FlowConfig.from_dict(cfgs["flow"]))
    load_into(vae, state["vae"], "vae")
    load_into(enc, state["image_encoder"], "image_encoder")
    load_into(flow, state["flow"], "flow")
    vae.to(dev).eval().requires_grad_(False)
    enc.to(dev).train()
    flow.to(dev).train()
    ema_enc = Ema(enc, args.ema, state.get("image_encoder_ema"))
    ema_flow = Ema(flow, args.ema, state.get("flow_ema"))
    params = list(enc.parameters()) + list(flow.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.99), weight_decay=args.weight_decay)
    if state.get("opt_flow"):
        opt.load_state_dict(state["opt_flow"])
    print(f"flow: {parameter_count(flow):,} + image encoder {parameter_count(enc):,} parameters; start from "
          f"{source}; step {meta['flow_steps']}; device {dev}", flush=True)

    gen = torch.Generator().manual_seed(args.seed * 7919 + meta["flow_steps"] + 1)
    loader = mesh_loader(args.new_per_step, args.workers, seed=args.seed * 1_000_003 + meta["flow_steps"] + 17)
    lat = vae.latent_shape
    pool = GridPool(args.pool, dev, extras={"z": (lat, torch.float32)})

    def refill():
        occ, col = grids(next(loader), dev)
        with torch.no_grad(), autocast(dev):
            z = vae.encode(occ.float()[:, None]).float()
        pool.add(occ, col, z=z)

    while pool.size < min(args.pool, 2 * args.batch):
        refill()

    clock = Clock(args.minutes, args.max_steps)
    history = meta["history"].setdefault("flow", [])
    step0, steps, t_data, t_step = meta["flow_steps"], 0, 0.0, 0.0
    while not clock.done(steps):
        t0 = time.time()
        refill()
        idx = pool.sample(args.batch, gen)
        views = torch.randint(0, 8, (args.batch,), generator=gen)
        flat = torch.rand(args.batch, generator=gen) < args.p_flat
        images = render_views(pool.occ[idx], pool.col[idx], views, flat)
        x0 = pool.extras["z"][idx]
        sync(dev)
        t1 = time.time()
        lr = warmup_lr(steps, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        keep = (torch.rand(args.batch, generator=gen) >= args.p_uncond).to(dev)
        t = sample_t(args.batch, generator=gen).to(dev)
        noise = torch.randn(x0.shape, generator=gen).to(dev)
        x_t, target = flow_targets(x0, noise, t)
        with autocast(dev):
            cond = enc(images_to_input(images), view_one_hot(views, device=dev))
            cond = cond * keep[:, None, None].to(cond.dtype)
            v = flow(x_t, t, cond)
        loss = F.mse_loss(v.float(), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema_enc.update(enc)
        ema_flow.update(flow)
        steps += 1
        if steps % args.log_every == 0 or steps == 1:
            sync(dev)
            row = {"step": step0 + steps, "seconds": round(meta["flow_seconds"] + clock.elapsed(), 1),
                   "samples": meta["flow_samples"] + steps * args.batch, "loss": float(loss),
                   "grad_norm": float(gnorm), "lr": lr}
            history.append(row)
            print(f"flow step {row['step']}: loss {row['loss']:.4f} |g| {row['grad_norm']:.2f} "
                  f"({(time.time() - t1) * 1e3:.0f} ms step, {(t1 - t0) * 1e3:.0f} ms data)", flush=True)
        t_data += t1 - t0
        t_step += time.time() - t1
    elapsed = clock.elapsed()
    meta["flow_steps"] += steps
    meta["flow_samples"] += steps * args.batch
    meta["flow_seconds"] += elapsed
    print(f"flow: {steps} steps in {elapsed:.0f} s (data {t_data:.0f} s, compute {t_step:.0f} s)", flush=True)

    # Evaluate the EMA weights (what ships).
    state["flow"], state["image_encoder"] = cpu_state_dict(flow), cpu_state_dict(enc)
    state["flow_ema"], state["image_encoder_ema"] = ema_flow.state_dict(), ema_enc.state_dict()
    load_into(flow, state["flow_ema"], "flow")
    load_into(enc, state["image_encoder_ema"], "image_encoder")
    flow.eval()
    enc.eval()
    report = {"steps_this_run": steps, "seconds_this_run": round(elapsed, 1)}
    data = heldout_set(vae, dev, args.eval_shapes)
    report["val_mse"] = validation_loss(flow, enc, data, dev)
    report["generation"] = generation_eval(flow, enc, vae, data, dev, args.out, args.eval_cfg, args.eval_steps)
    meta["flow_val_mse"] = report["val_mse"]
    meta["flow_silhouette_iou"] = report["generation"]["silhouette_iou_mean"]
    print(f"held-out: val mse {report['val_mse']:.4f}; generation {report['generation']}", flush=True)
    state["opt_flow"] = opt.state_dict()
    save_state(args, state)
    write_history(args.out, "flow", history)
    dump_json(args.out, "flow_report.json", report)


if __name__ == "__main__":
    main()
