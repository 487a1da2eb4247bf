"""Condition encoder: one canonical view (training/RENDERER.md) + its view index → condition tokens.

DINOv2 cannot be fetched here, so this small encoder is trained jointly with the flow. A strided conv
stem turns the 128×128 view into an 8×8 grid of 256-wide tokens (16-pixel patches), a learned view
embedding (from a one-hot of the view index) and a fixed 2D position embedding are added, and two
transformer layers give every token the whole picture. A final LayerNorm makes every real token
unit-scale, so the all-zero token block that the samplers feed as "unconditional" (flow-contract.ts)
is never confused with a real condition.

Inputs (what the exported graph takes):
  image  float32 (B, 3, 128, 128): sRGB bytes / 255, row 0 at the top (the renderer's output, NCHW)
  view   float32 (B, 8): one-hot of the view index 0..7 (a float one-hot rather than an int64 index,
         so the graph is a MatMul and needs no integer input on the WebGPU EP)
Output:
  cond   float32 (B, 64, 256)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .layers import TransformerBlock, sincos_2d


@dataclass
class ImageEncoderConfig:
    image_size: int = 128
    views: int = 8
    channels: tuple = (64, 128, 192)  # conv stem widths at 64², 32², 16²
    dim: int = 256  # token width
    tokens_side: int = 8  # 8×8 tokens
    depth: int = 2
    heads: int = 4
    groups: int = 8

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "ImageEncoderConfig":
        d = dict(d)
        if "channels" in d:
            d["channels"] = tuple(d["channels"])
        return ImageEncoderConfig(**d)

    @property
    def tokens(self) -> int:
        return self.tokens_side ** 2


class ResBlock2d(nn.Module):
    def __init__(self, c: int, groups: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(min(groups, c), c)
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.norm2 = nn.GroupNorm(min(groups, c), c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        return x + self.conv2(F.silu(self.norm2(h)))


class ImageEncoder(nn.Module):
    def __init__(self, cfg: ImageEncoderConfig | None = None):
        super().__init__()
        self.cfg = cfg = cfg or ImageEncoderConfig()
        ch, g = cfg.channels, cfg.groups
        # len(ch) + 1 halvings: 128 → 64 → 32 → 16 → 8. The last one is a 2×2 patch merge into tokens.
        assert cfg.image_size == cfg.tokens_side * 2 ** (len(ch) + 1), "image_size must halve to tokens_side"
        widths = list(ch) + [cfg.dim]
        layers = [nn.Conv2d(3, ch[0], 4, stride=2, padding=1)]
        for i, c in enumerate(ch):
            layers.append(ResBlock2d(c, g))
            last = i + 1 == len(ch)
            layers.append(nn.Conv2d(c, widths[i + 1], 2 if last else 4, stride=2, padding=0 if last else 1))
        self.stem = nn.Sequential(*layers)
        self.view_embed = nn.Linear(cfg.views, cfg.dim, bias=False)
        nn.init.normal_(self.view_embed.weight, std=0.02)
        self.register_buffer("pos_embed", sincos_2d(cfg.dim, cfg.tokens_side)[None], persistent=False)
        self.blocks = nn.ModuleList([TransformerBlock(cfg.dim, cfg.heads) for _ in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim)

    def forward(self, image: torch.Tensor, view: torch.Tensor) -> torch.Tensor:
        h = self.stem(image * 2.0 - 1.0)  # (B, dim, 8, 8)
        tokens = h.flatten(2).transpose(1, 2)  # (B, 64, dim), row-major
        tokens = tokens + self.pos_embed.to(tokens.dtype) + self.view_embed(view)[:, None, :]
        for block in self.blocks:
            tokens = block(tokens)
        return self.norm(tokens)


def view_one_hot(views, n: int = 8, device=None) -> torch.Tensor:
    v = torch.as_tensor(views, device=device).long().reshape(-1)
    return F.one_hot(v, n).float()


def images_to_input(images_u8: torch.Tensor) -> torch.Tensor:
    """Renderer output (B, H, W, 3) uint8 → the encoder's (B, 3, H, W) float in [0, 1]."""
    return images_u8.permute(0, 3, 1, 2).float() / 255.0
