"""Shapes and ground-truth edit pairs of the procedural corpus.

A family builder draws ALL of a seed's random parameters (every slot, every variant, every colour)
from one generator seeded by (family, seed), whatever the toggles; the toggles only choose which
variant of each slot is assembled. So a shape is a pure function of (family, seed, toggles), and two
shapes of one seed that differ in one slot share every other part bit for bit, in the same triangle
order: an edit pair with exact ground truth.

Normalization follows src/core/normalize.ts exactly (float32 positions, float64 mapping, clamp,
pinned extremes), so a raw shape exported as a mesh and imported by the studio lands on the same
float32 coordinates as `make_shape` produces. An edit pair is normalized with ONE frame, the frame
of the union of its source and target, so that every part outside the edit keeps its coordinates and
therefore its voxels (see README.md in this folder).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

NONE = "none"
EDIT_KINDS = ("add", "remove", "replace")


@dataclass
class Part:
    name: str
    vertices: np.ndarray  # (n, 3) float64, raw units
    faces: np.ndarray  # (m, 3) int64, into vertices
    color: tuple  # sRGB bytes


@dataclass
class Slot:
    name: str
    variants: dict  # variant name -> list[Part]; NONE maps to [] for optional slots
    default: str

    @property
    def optional(self) -> bool:
        return NONE in self.variants

    def solid_variants(self) -> list:
        return [k for k in self.variants if k != NONE]


@dataclass
class Design:
    family: str
    seed: int
    slots: list  # ordered: assembly (and so triangle) order

    def slot(self, name: str) -> Slot:
        for s in self.slots:
            if s.name == name:
                return s
        raise KeyError(f"{self.family} has no slot {name!r}; it has {[s.name for s in self.slots]}")

    def default_choice(self) -> dict:
        return {s.name: s.default for s in self.slots}


@dataclass
class Frame:
    """normalized = clamp((p + offset) · scale); extremes of the longest axis pinned to ±0.5."""

    offset: np.ndarray
    scale: float
    axis: int
    lo: float  # min and max of the longest axis (float32 values held as float64)
    hi: float


@dataclass
class Shape:
    family: str
    seed: int
    choice: dict  # slot -> variant
    vertices: np.ndarray  # (n, 3) float32, normalized into [-0.5, 0.5]³
    faces: np.ndarray  # (m, 3) int32
    face_colors: np.ndarray  # (m, 3) uint8
    face_slots: np.ndarray  # (m,) int16, index into slot_names
    slot_names: list
    raw_vertices: np.ndarray  # (n, 3) float32, before normalization (what a mesh export holds)
    frame: Frame = field(repr=False)


@dataclass
class EditPair:
    kind: str  # add | remove | replace
    slot: str
    source_variant: str
    target_variant: str
    source: Shape
    target: Shape


# --- randomness ------------------------------------------------------------------------------------------

def family_key(family: str) -> int:
    """A stable number per family name (not its position in a list, so adding families changes nothing)."""
    return zlib.crc32(family.encode("utf-8"))


def rng_for(family: str, seed: int, *salt: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([family_key(family), int(seed), *salt])))


# --- design and assembly -----------------------------------------------------------------------------------

def design(family: str, seed: int) -> Design:
    from .families import FAMILIES

    if family not in FAMILIES:
        raise KeyError(f"unknown family {family!r}; known: {sorted(FAMILIES)}")
    if seed < 0:
        raise ValueError("seeds are non-negative")
    slots = FAMILIES[family](rng_for(family, seed))
    names = [s.name for s in slots]
    assert len(set(names)) == len(names), f"{family}: duplicate slot names"
    return Design(family, seed, slots)


def resolve_choice(d: Design, toggles: dict | None) -> dict:
    """Default variants, overridden by `toggles`: slot -> variant name, or True/False for on/off.

    True keeps the default variant when it is not NONE, else the slot's first solid variant.
    """
    choice = d.default_choice()
    for name, value in (toggles or {}).items():
        slot = d.slot(name)
        if value is True:
            value = slot.default if slot.default != NONE else slot.solid_variants()[0]
        elif value is False:
            value = NONE
        if value not in slot.variants:
            raise ValueError(f"{d.family}.{name} has no variant {value!r}; it has {list(slot.variants)}")
        choice[name] = value
    return choice


def assemble(d: Design, choice: dict):
    """Raw float32 vertices, int32 faces, uint8 face colours and int16 face slots for a choice."""
    verts, faces, colors, slots = [], [], [], []
    base = 0
    for si, slot in enumerate(d.slots):
        for part in slot.variants[choice[slot.name]]:
            verts.append(part.vertices)
            faces.append(part.faces + base)
            colors.append(np.tile(np.asarray(part.color, dtype=np.uint8), (len(part.faces), 1)))
            slots.append(np.full(len(part.faces), si, dtype=np.int16))
            base += len(part.vertices)
    if not verts:
        raise ValueError(f"{d.family} seed {d.seed}: the choice {choice} has no parts")
    return (
        np.concatenate(verts).astype(np.float32),
        np.concatenate(faces).astype(np.int32),
        np.concatenate(colors),
        np.concatenate(slots),
    )


# --- normalization (mirror of src/core/normalize.ts) ------------------------------------------------------

def frame_of(*raw_vertices: np.ndarray) -> Frame:
    """The normalization frame of the union of the given float32 vertex arrays."""
    v = np.concatenate([np.asarray(r, dtype=np.float32) for r in raw_vertices]).astype(np.float64)
    lo, hi = v.min(axis=0), v.max(axis=0)
    offset = -(lo + hi) / 2
    ext = hi - lo
    # normalize.ts's longestAxis: the first axis strictly longer than the ones before it wins.
    axis = 0
    for k in (1, 2):
        if ext[k] > ext[axis]:
            axis = k
    return Frame(offset=offset, scale=1.0 / float(ext.max()), axis=axis, lo=float(lo[axis]), hi=float(hi[axis]))


def apply_frame(raw: np.ndarray, frame: Frame) -> np.ndarray:
    src = np.asarray(raw, dtype=np.float32).astype(np.float64)
    out = np.clip((src + frame.offset) * frame.scale, -0.5, 0.5).astype(np.float32)
    a = frame.axis
    out[src[:, a] == frame.lo, a] = -0.5
    out[(src[:, a] == frame.hi) & (src[:, a] != frame.lo), a] = 0.5
    return out


# --- public API ------------------------------------------------------------------------------------------------

def _shape(d: Design, choice: dict, frame: Frame | None) -> Shape:
    raw, faces, colors, slots = assemble(d, choice)
    frame = frame or frame_of(raw)
    return Shape(
        family=d.family,
        seed=d.seed,
        choice=dict(choice),
        vertices=apply_frame(raw, frame),
        faces=faces,
        face_colors=colors,
        face_slots=slots,
        slot_names=[s.name for s in d.slots],
        raw_vertices=raw,
        frame=frame,
    )


def make_shape(family: str, seed: int, toggles: dict | None = None, frame: Frame | None = None) -> Shape:
    """The shape of (family, seed, toggles), normalized by its own frame unless one is given."""
    d = design(family, seed)
    return _shape(d, resolve_choice(d, toggles), frame)


def random_choice(d: Design, rng: np.random.Generator, p_flip: float = 0.3) -> dict:
    """Augmentation: the default choice with each slot re-drawn with probability p_flip."""
    choice = d.default_choice()
    for s in d.slots:
        if rng.random() < p_flip:
            options = list(s.variants)
            choice[s.name] = options[int(rng.integers(len(options)))]
    if all(not d.slot(k).variants[v] for k, v in choice.items()):
        return d.default_choice()
    return choice


def editable_slots(d: Design, kind: str) -> list:
    if kind in ("add", "remove"):
        return [s.name for s in d.slots if s.optional and s.solid_variants()]
    if kind == "replace":
        return [s.name for s in d.slots if len(s.solid_variants()) >= 2]
    raise ValueError(f"edit kind must be one of {EDIT_KINDS}, not {kind!r}")


def make_edit_pair(
    family: str,
    seed: int,
    kind: str,
    slot: str | None = None,
    variant: str | None = None,
    toggles: dict | None = None,
) -> EditPair:
    """A ground-truth edit: source and target differ in exactly one slot.

    add: the slot is absent in the source and present (`variant`, default: its default or first
    solid variant) in the target; remove: the reverse; replace: one solid variant by another
    (`variant` is the target's; the source keeps the current variant unless that is the target). The slot, when not given, is drawn from (family, seed, kind).
    Both shapes share the frame of their union, so untouched parts keep identical coordinates.
    """
    d = design(family, seed)
    base = resolve_choice(d, toggles)
    options = editable_slots(d, kind)
    if slot is None:
        if not options:
            raise ValueError(f"{family} has no slot that supports {kind!r}")
        pick = rng_for(family, seed, 1 + EDIT_KINDS.index(kind))
        slot = options[int(pick.integers(len(options)))]
    elif slot not in options:
        raise ValueError(f"{family}.{slot} does not support {kind!r}; slots that do: {options}")
    s = d.slot(slot)
    solid = s.solid_variants()
    current = base[slot] if base[slot] != NONE else (s.default if s.default != NONE else solid[0])
    if kind == "add":
        src_v, tgt_v = NONE, variant or current
    elif kind == "remove":
        src_v, tgt_v = variant or current, NONE
    else:
        if variant is not None and variant not in solid:
            raise ValueError(f"{family}.{slot} has no variant {variant!r}; it has {solid}")
        pick = rng_for(family, seed, 7)
        if variant is None:
            src_v = current
            others = [v for v in solid if v != src_v]
            tgt_v = others[int(pick.integers(len(others)))]
        else:
            # The target is given; the source is the current variant, or another one if they coincide.
            tgt_v = variant
            others = [v for v in solid if v != tgt_v]
            src_v = current if current != tgt_v else others[int(pick.integers(len(others)))]
    src_choice = {**base, slot: src_v}
    tgt_choice = {**base, slot: tgt_v}
    raw_src = assemble(d, src_choice)[0]
    raw_tgt = assemble(d, tgt_choice)[0]
    frame = frame_of(raw_src, raw_tgt)
    return EditPair(kind, slot, src_v, tgt_v, _shape(d, src_choice, frame), _shape(d, tgt_choice, frame))
