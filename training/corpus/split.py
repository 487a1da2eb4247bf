"""The train / held-out split, in one place.

Seeds are non-negative integers. A seed ≡ 0 (mod 10) is HELD OUT, for every family: the model never
trains on it, and the quality report (VAE round trip, conditional generation, ground-truth edit
pairs) is measured only on such seeds. Everything else is training data. Because a shape and its
edit pairs are pure functions of (family, seed, toggles), this split also covers every edit pair.
"""
from __future__ import annotations

HELDOUT_MODULUS = 10


def is_heldout(seed: int) -> bool:
    return seed % HELDOUT_MODULUS == 0


def split_of(seed: int) -> str:
    return "heldout" if is_heldout(seed) else "train"


def train_seed(i: int) -> int:
    """The i-th training seed (0, 1, 2, ... → 1, 2, ..., 9, 11, ...)."""
    return i + i // (HELDOUT_MODULUS - 1) + 1


def heldout_seed(i: int) -> int:
    """The i-th held-out seed (0, 10, 20, ...)."""
    return HELDOUT_MODULUS * i
