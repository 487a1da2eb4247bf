"""Conditional generation in PyTorch, for sample grids and evaluation during training. The same rules
as the studio's samplers (DESIGN §3): t = 1 noise → 0 data, Euler x ← x + (t_{i−1} − t_i)·v on the
grid t_i = shift(i/T) with shift(t) = r·t / (1 + (r − 1)·t), guidance v = v_u + s·(v_c − v_u) inside
the guidance interval (unconditional = all-zero condition tokens), plain v_c outside it.
"""
from __future__ import annotations

import torch


def shift_time(t: torch.Tensor, r: float) -> torch.Tensor:
    return r * t / (1 + (r - 1) * t)


def time_grid(steps: int, r: float) -> torch.Tensor:
    return shift_time(torch.arange(steps + 1, dtype=torch.float64) / steps, r)


@torch.no_grad()
def sample(flow, cond: torch.Tensor, steps: int = 25, shift: float = 3.0, cfg: float = 3.0,
           interval=(0.5, 1.0), noise: torch.Tensor | None = None, generator=None) -> torch.Tensor:
    """Latents (B, C, R, R, R) for condition tokens (B, L, D)."""
    c = flow.cfg
    B = cond.shape[0]
    shape = (B, c.latent_channels, c.latent_res, c.latent_res, c.latent_res)
    x = noise if noise is not None else torch.randn(shape, generator=generator).to(cond.device)
    ts = time_grid(steps, shift).tolist()
    uncond = torch.zeros_like(cond)
    for i in range(steps, 0, -1):
        t, t_prev = ts[i], ts[i - 1]
        tt = torch.full((B,), t, device=cond.device, dtype=torch.float32)
        if cfg != 1.0 and interval[0] <= t <= interval[1]:
            v = flow(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([cond, uncond])).float()
            v_c, v_u = v.chunk(2)
            v = v_u + cfg * (v_c - v_u)
        else:
            v = flow(x, tt, cond).float()
        x = x + (t_prev - t) * v
    return x
