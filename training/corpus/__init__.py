"""Procedural part-based shape corpus for the default model pack (see README.md)."""
from .shapes import EDIT_KINDS, NONE, EditPair, Shape, design, make_edit_pair, make_shape, random_choice  # noqa: F401
from .split import HELDOUT_MODULUS, heldout_seed, is_heldout, split_of, train_seed  # noqa: F401
