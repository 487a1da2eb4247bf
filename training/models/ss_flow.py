"""Sparse-structure flow transformer: v(x_t, t, cond) on the 8×16³ normalized latent (DESIGN §3–4).

TRELLIS' SS flow is a dense DiT over the 16³ latent; ours is the same design at browser scale. The
latent is PATCHIFIED with patch 2 into 8³ = 512 tokens of 8·2³ = 64 values (the token count the
engine's flow bench measures, static), plus a fixed 3D sin-cos position embedding. Each block:
adaLN-modulated self-attention → cross-attention to the condition tokens (plain LayerNorm, as in
TRELLIS) → adaLN-modulated MLP, each residual; the adaLN gates start at zero (adaLN-Zero), so a new
block is the identity. The modulation of every block is computed from a compact 128-wide time
embedding rather than the model width: per-block adaLN, at a third of the parameters. (The LayerNorms
before a modulation keep their affine weights: PyTorch 1.13 exports an affine-less LayerNorm at opset
17 as an invalid node.)

Contract (src/model/flow-contract.ts), what the exported graph takes and returns:
  x_t   float32 (B, 8, 16, 16, 16)  normalized latent (ss_vae.encode), t = 1 noise, t = 0 data
  t     float32 (B,)                 our time; the graph feeds 1000·t to the embedding itself
  cond  float32 (B, 64, 256)         image_encoder tokens; ALL ZEROS = unconditional (CFG)
  v     float32 (B, 8, 16, 16, 16)   velocity v = ε − x0
Training drops the condition to zeros 10% of the time, so the samplers' zero block is the learned
unconditional branch (no separate null tokens need to ship).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from .layers import CrossAttention, Mlp, SelfAttention, patchify, sincos_3d, timestep_embedding, unpatchify


@dataclass
class FlowConfig:
    latent_channels: int = 8
    latent_res: int = 16
    patch: int = 2
    width: int = 288
    depth: int = 6
    heads: int = 4
    mlp_ratio: float = 4.0
    t_dim: int = 128  # time-embedding width feeding every block's adaLN
    t_freq: int = 256  # sinusoid features of 1000·t
    t_scale: float = 1000.0
    cond_tokens: int = 64
    cond_dim: int = 256

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "FlowConfig":
        return FlowConfig(**d)

    @property
    def tokens(self) -> int:
        return (self.latent_res // self.patch) ** 3

    @property
    def token_dim(self) -> int:
        return self.latent_channels * self.patch ** 3


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return x * (1 + scale[:, None, :]) + shift[:, None, :]


class FlowBlock(nn.Module):
    def __init__(self, cfg: FlowConfig):
        super().__init__()
        d = cfg.width
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.self_attn = SelfAttention(d, cfg.heads)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.cross_attn = CrossAttention(d, cfg.cond_dim, cfg.heads)
        self.norm3 = nn.LayerNorm(d, eps=1e-6)
        self.mlp = Mlp(d, cfg.mlp_ratio)
        self.ada = nn.Linear(cfg.t_dim, 6 * d)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, x: torch.Tensor, temb: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        s1, c1, g1, s2, c2, g2 = self.ada(temb).chunk(6, dim=1)
        x = x + g1[:, None, :] * self.self_attn(modulate(self.norm1(x), s1, c1))
        x = x + self.cross_attn(self.norm2(x), cond)
        return x + g2[:, None, :] * self.mlp(modulate(self.norm3(x), s2, c2))


class SsFlow(nn.Module):
    def __init__(self, cfg: FlowConfig | None = None):
        super().__init__()
        self.cfg = cfg = cfg or FlowConfig()
        d = cfg.width
        self.x_embed = nn.Linear(cfg.token_dim, d)
        self.register_buffer("pos_embed", sincos_3d(d, cfg.latent_res // cfg.patch)[None], persistent=False)
        self.t_embed = nn.Sequential(nn.Linear(cfg.t_freq, cfg.t_dim), nn.SiLU(), nn.Linear(cfg.t_dim, cfg.t_dim))
        self.t_act = nn.SiLU()
        self.blocks = nn.ModuleList([FlowBlock(cfg) for _ in range(cfg.depth)])
        self.norm_out = nn.LayerNorm(d, eps=1e-6)
        self.ada_out = nn.Linear(cfg.t_dim, 2 * d)
        self.out = nn.Linear(d, cfg.token_dim)
        for m in (self.ada_out, self.out):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)
        for block in self.blocks:
            for lin in (block.self_attn.qkv, block.self_attn.out, block.cross_attn.q, block.cross_attn.kv,
                        block.cross_attn.out, block.mlp.fc1, block.mlp.fc2):
                nn.init.xavier_uniform_(lin.weight)
                nn.init.zeros_(lin.bias)

    def forward(self, x_t: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        h = self.x_embed(patchify(x_t, cfg.patch)) + self.pos_embed.to(x_t.dtype)
        temb = self.t_act(self.t_embed(timestep_embedding(t * cfg.t_scale, cfg.t_freq).to(h.dtype)))
        for block in self.blocks:
            h = block(h, temb, cond)
        shift, scale = self.ada_out(temb).chunk(2, dim=1)
        h = self.out(modulate(self.norm_out(h), shift, scale))
        return unpatchify(h, cfg.latent_channels, cfg.patch, cfg.latent_res)


def sample_t(n: int, device=None, mean: float = 1.0, std: float = 1.0, generator=None) -> torch.Tensor:
    """Logit-normal(mean, std) times: t = sigmoid(N(mean, std)). With t = 1 noise (our convention and
    TRELLIS'), mean 1 puts most samples on the noisy side."""
    return torch.sigmoid(torch.randn(n, device=device, generator=generator) * std + mean)


def flow_targets(x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor):
    """(x_t, v): x_t = (1 − t)·x0 + t·ε and the velocity target v = ε − x0 (DESIGN §3)."""
    tt = t.reshape(-1, *([1] * (x0.dim() - 1)))
    return (1 - tt) * x0 + tt * noise, noise - x0
