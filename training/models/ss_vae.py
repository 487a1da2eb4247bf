"""Sparse-structure VAE: 64³ occupancy ↔ 8×16³ latent, dense Conv3d, TRELLIS-like (DESIGN §4).

Grids enter as (B, 1, 64, 64, 64) float occupancy indexed [z][y][x] (the .npy order of DESIGN §3, so
a grid file is the input as is). The decoder returns logits; logits > 0 is occupancy.

The latent the rest of the pack sees is NORMALIZED: `encode` returns (μ − mean) / std with per-channel
statistics measured on training shapes after the VAE is trained (`set_latent_stats`), and `decode`
undoes it, so the flow trains on roughly unit-variance latents. The statistics are buffers, so they
travel in checkpoints and are baked into the exported encoder and decoder graphs.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class VaeConfig:
    resolution: int = 64
    latent_channels: int = 8
    channels: tuple = (32, 64, 96)  # at 64³, 32³, 16³
    # Residual blocks per level (64³, 32³, 16³). The encoder has none at 64³: its input is a binary
    # shell, which conv_in and the strided conv digest; the decoder, which draws the shell, does.
    res_blocks: tuple = (0, 1, 2)
    dec_res_blocks: tuple = (1, 1, 2)
    groups: int = 8
    occupancy_prior: float = 0.035  # shells fill ~3.5% of the grid: the decoder's initial bias

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "VaeConfig":
        d = dict(d)
        for k in ("channels", "res_blocks", "dec_res_blocks"):
            if k in d:
                d[k] = tuple(d[k])
        return VaeConfig(**d)


def _norm(c: int, groups: int) -> nn.GroupNorm:
    return nn.GroupNorm(min(groups, c), c)


class ResBlock3d(nn.Module):
    def __init__(self, c: int, groups: int):
        super().__init__()
        self.norm1 = _norm(c, groups)
        self.conv1 = nn.Conv3d(c, c, 3, padding=1)
        self.norm2 = _norm(c, groups)
        self.conv2 = nn.Conv3d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return x + h


class Encoder(nn.Module):
    def __init__(self, cfg: VaeConfig):
        super().__init__()
        ch, g = cfg.channels, cfg.groups
        self.conv_in = nn.Conv3d(1, ch[0], 3, padding=1)
        layers = []
        for i, c in enumerate(ch):
            layers += [ResBlock3d(c, g) for _ in range(cfg.res_blocks[i])]
            if i + 1 < len(ch):
                layers.append(nn.Conv3d(c, ch[i + 1], 3, stride=2, padding=1))
        self.body = nn.Sequential(*layers)
        self.norm_out = _norm(ch[-1], g)
        self.conv_out = nn.Conv3d(ch[-1], 2 * cfg.latent_channels, 3, padding=1)

    def forward(self, x: torch.Tensor):
        h = self.conv_out(F.silu(self.norm_out(self.body(self.conv_in(x)))))
        mean, logvar = h.chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)


class Upsample3d(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv3d(c_in, c_out, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Decoder(nn.Module):
    def __init__(self, cfg: VaeConfig):
        super().__init__()
        ch, g = tuple(reversed(cfg.channels)), cfg.groups
        blocks = tuple(reversed(cfg.dec_res_blocks))
        self.conv_in = nn.Conv3d(cfg.latent_channels, ch[0], 3, padding=1)
        layers = []
        for i, c in enumerate(ch):
            layers += [ResBlock3d(c, g) for _ in range(blocks[i])]
            if i + 1 < len(ch):
                layers.append(Upsample3d(c, ch[i + 1]))
        self.body = nn.Sequential(*layers)
        self.norm_out = _norm(ch[-1], g)
        self.conv_out = nn.Conv3d(ch[-1], 1, 3, padding=1)
        p = cfg.occupancy_prior
        nn.init.zeros_(self.conv_out.weight)
        nn.init.constant_(self.conv_out.bias, float(torch.logit(torch.tensor(p))))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.conv_out(F.silu(self.norm_out(self.body(self.conv_in(z)))))


class SsVae(nn.Module):
    def __init__(self, cfg: VaeConfig | None = None):
        super().__init__()
        self.cfg = cfg or VaeConfig()
        self.encoder = Encoder(self.cfg)
        self.decoder = Decoder(self.cfg)
        C = self.cfg.latent_channels
        self.register_buffer("latent_mean", torch.zeros(C))
        self.register_buffer("latent_std", torch.ones(C))

    @property
    def latent_shape(self) -> tuple:
        n = self.cfg.resolution // 2 ** (len(self.cfg.channels) - 1)
        return (self.cfg.latent_channels, n, n, n)

    def _stats(self, z: torch.Tensor):
        shape = (1, -1, 1, 1, 1)
        return self.latent_mean.reshape(shape).to(z.dtype), self.latent_std.reshape(shape).to(z.dtype)

    def posterior(self, occ: torch.Tensor):
        """Raw (unnormalized) posterior mean and log-variance of (B, 1, R, R, R) occupancy."""
        return self.encoder(occ)

    def encode(self, occ: torch.Tensor) -> torch.Tensor:
        """Normalized latent (posterior mean): the flow's data space."""
        mean, _ = self.encoder(occ)
        m, s = self._stats(mean)
        return (mean - m) / s

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Occupancy logits (B, 1, R, R, R) of a normalized latent."""
        m, s = self._stats(z)
        return self.decoder(z * s + m)

    def forward(self, occ: torch.Tensor, sample: bool = True):
        """Training pass: (logits, kl) with z drawn from the posterior (unnormalized space)."""
        mean, logvar = self.encoder(occ)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean) if sample else mean
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).mean()
        return self.decoder(z), kl

    @torch.no_grad()
    def set_latent_stats(self, means: torch.Tensor) -> None:
        """Per-channel statistics of raw posterior means (N, C, ...) for the normalization."""
        flat = means.transpose(0, 1).reshape(means.shape[1], -1).float()
        self.latent_mean.copy_(flat.mean(dim=1))
        self.latent_std.copy_(flat.std(dim=1).clamp(min=1e-4))


def vae_loss(logits: torch.Tensor, occ: torch.Tensor, kl: torch.Tensor, pos_weight: float, kl_weight: float):
    """Pos-weighted BCE (shells are sparse: ~3.5% of voxels) + a small KL."""
    bce = F.binary_cross_entropy_with_logits(
        logits.float(), occ.float(), pos_weight=torch.tensor(pos_weight, device=logits.device))
    return bce + kl_weight * kl, bce


@torch.no_grad()
def iou(logits: torch.Tensor, occ: torch.Tensor) -> torch.Tensor:
    """Per-item IoU of (logits > 0) against occupancy."""
    pred = logits > 0
    gt = occ > 0.5
    inter = (pred & gt).flatten(1).sum(1).float()
    union = (pred | gt).flatten(1).sum(1).float()
    return inter / union.clamp(min=1)
