"""Building blocks shared by the models.

Everything here must run on PyTorch 1.13 (CPU, tests) and 2.x (CUDA, training), and export to ONNX
(opset 17) with a dynamic batch. Two consequences shape the code:
- attention uses PyTorch's fused kernel when it exists and we are not exporting, else the plain
  matmul-softmax-matmul that every ONNX runtime runs;
- patchify/unpatchify use transposes of rank ≤ 6 (the naive version needs rank 8, which not every
  execution provider of onnxruntime-web handles).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def _exporting() -> bool:
    return bool(torch.onnx.is_in_onnx_export())


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q·kᵀ/√d)·v over (B, H, N, d) tensors."""
    if hasattr(F, "scaled_dot_product_attention") and not _exporting():
        return F.scaled_dot_product_attention(q, k, v)
    scale = 1.0 / math.sqrt(q.shape[-1])
    w = torch.matmul(q * scale, k.transpose(-1, -2)).softmax(dim=-1)
    return torch.matmul(w, v)


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, D = x.shape
        h = self.heads
        qkv = self.qkv(x).reshape(B, N, 3, h, D // h).permute(2, 0, 3, 1, 4)
        o = attention(qkv[0], qkv[1], qkv[2])  # (B, h, N, d)
        return self.out(o.transpose(1, 2).reshape(B, N, D))


class CrossAttention(nn.Module):
    def __init__(self, dim: int, context_dim: int, heads: int):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(context_dim, 2 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        B, N, D = x.shape
        M = context.shape[1]
        h = self.heads
        q = self.q(x).reshape(B, N, h, D // h).transpose(1, 2)
        kv = self.kv(context).reshape(B, M, 2, h, D // h).permute(2, 0, 3, 1, 4)
        o = attention(q, kv[0], kv[1])
        return self.out(o.transpose(1, 2).reshape(B, N, D))


class Mlp(nn.Module):
    def __init__(self, dim: int, ratio: float = 4.0):
        super().__init__()
        hidden = int(dim * ratio)
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class TransformerBlock(nn.Module):
    """Pre-LN self-attention + MLP (the image encoder's context layers)."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, mlp_ratio)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding of (B,) float times (already scaled, e.g. 1000·t) → (B, dim)."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def sincos_1d(dim: int, pos: torch.Tensor) -> torch.Tensor:
    omega = 1.0 / 10000 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0))
    out = pos.double()[:, None] * omega[None]
    return torch.cat([torch.sin(out), torch.cos(out)], dim=1)


def sincos_3d(dim: int, res: int) -> torch.Tensor:
    """(res³, dim) fixed 3D sin-cos position embedding, token order (d, h, w) with w fastest — the
    order of `patchify`'s tokens. dim is split into three multiples of 2 (the remainder is zero)."""
    per = (dim // 3) // 2 * 2
    g = torch.arange(res)
    d, h, w = torch.meshgrid(g, g, g, indexing="ij")
    parts = [sincos_1d(per, a.reshape(-1)) for a in (d, h, w)]
    emb = torch.cat(parts, dim=1)
    if emb.shape[1] < dim:
        emb = torch.cat([emb, torch.zeros(emb.shape[0], dim - emb.shape[1], dtype=emb.dtype)], dim=1)
    return emb.float()


def sincos_2d(dim: int, res: int) -> torch.Tensor:
    """(res², dim) fixed 2D sin-cos position embedding, row-major (row, column)."""
    per = dim // 2
    g = torch.arange(res)
    r, c = torch.meshgrid(g, g, indexing="ij")
    return torch.cat([sincos_1d(per, r.reshape(-1)), sincos_1d(per, c.reshape(-1))], dim=1).float()


def patchify(x: torch.Tensor, p: int) -> torch.Tensor:
    """(B, C, D, H, W) → (B, (D/p)(H/p)(W/p), C·p³): token (i, j, k) with k fastest; within a token,
    channel c then the offsets (a, b, e) inside the patch, e fastest. Transposes of rank ≤ 6 only."""
    B, C, D, H, W = x.shape
    d, h, w = D // p, H // p, W // p
    # (B·C, d, p, h, p, W) → (B·C, d, h, p, p, W): brings the d/h patch indices together.
    y = x.reshape(-1, d, p, h, p, W).permute(0, 1, 3, 2, 4, 5)
    # (B, C, d·h, p·p, w, p) → (B, d·h, w, C, p·p, p)
    y = y.reshape(-1, C, d * h, p * p, w, p).permute(0, 2, 4, 1, 3, 5)
    return y.reshape(-1, d * h * w, C * p * p * p)


def unpatchify(tokens: torch.Tensor, C: int, p: int, res: int) -> torch.Tensor:
    """Inverse of `patchify`: (B, n³, C·p³) → (B, C, n·p, n·p, n·p) with n = res // p."""
    n = res // p
    # (B, d·h, w, C, p·p, p) → (B, C, d·h, p·p, w, p)
    y = tokens.reshape(-1, n * n, n, C, p * p, p).permute(0, 3, 1, 4, 2, 5)
    # (B·C, d, h, p, p, W) → (B·C, d, p, h, p, W)
    y = y.reshape(-1, n, n, p, p, n * p).permute(0, 1, 3, 2, 4, 5)
    return y.reshape(-1, C, res, res, res)
