"""The object families: each is a function rng -> ordered list of Slots (see shapes.py).

Rules every builder follows, because edit pairs depend on them:
- Every random draw happens unconditionally, in a fixed order, before or while building ALL variants
  of ALL slots; nothing depends on which variant will be chosen.
- A part's geometry depends only on the seed's drawn parameters, never on another slot's variant, so
  swapping one slot leaves every other part unchanged.
- Objects stand on y = 0 or above (y up), face +z (their front: a chair's seat edge, a car's bonnet, an
  animal's head), and are roughly left/right symmetric in x.
"""
from __future__ import annotations

import math

import numpy as np

from . import primitives as pr
from .shapes import NONE, Part, Slot

# sRGB palettes; each draw is jittered a little so colours vary continuously.
WOOD = [(150, 100, 60), (120, 80, 45), (182, 132, 82), (96, 62, 36), (204, 164, 112), (160, 82, 45)]
METAL = [(170, 170, 176), (92, 92, 98), (204, 204, 210), (58, 58, 64), (184, 150, 90)]
FABRIC = [(180, 40, 40), (40, 90, 160), (60, 140, 70), (220, 180, 60), (120, 60, 140), (230, 230, 220),
          (40, 40, 46), (210, 110, 40), (70, 160, 170), (200, 120, 150)]
BRIGHT = [(230, 50, 50), (40, 120, 230), (40, 180, 80), (250, 200, 40), (240, 120, 30), (150, 70, 200),
          (30, 190, 190), (240, 90, 160), (250, 250, 250), (30, 30, 35)]
CERAMIC = [(240, 238, 230), (60, 110, 170), (200, 70, 60), (90, 150, 110), (230, 200, 120), (50, 50, 55),
           (170, 200, 220)]
FOLIAGE = [(60, 130, 50), (40, 100, 40), (90, 160, 60), (120, 150, 50), (180, 110, 40), (150, 50, 40)]
BARK = [(100, 70, 45), (80, 55, 35), (130, 95, 60), (70, 60, 50)]
WALL = [(230, 220, 200), (200, 90, 70), (240, 240, 235), (170, 190, 210), (220, 190, 140), (150, 150, 140)]
ROOF = [(150, 50, 40), (70, 70, 80), (110, 70, 50), (60, 90, 120), (40, 40, 45)]
FUR = [(120, 80, 50), (200, 170, 120), (60, 50, 45), (230, 225, 215), (170, 110, 60), (140, 140, 145)]
SKIN = [(200, 200, 205), (120, 130, 140), (220, 180, 60), (70, 110, 180), (230, 230, 230), (190, 80, 60)]
GLASS = [(150, 200, 230), (90, 140, 180), (40, 60, 80)]
BLACK = [(30, 30, 34), (45, 45, 50), (20, 20, 22)]


class B:
    """Draws parameters and collects slots for one seed."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.slots: list = []

    def u(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def i(self, lo: int, hi: int) -> int:
        """Integer in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def coin(self, p: float = 0.5) -> bool:
        return bool(self.rng.random() < p)

    def color(self, palette: list, jitter: int = 14) -> tuple:
        c = np.asarray(palette[int(self.rng.integers(len(palette)))], dtype=np.int64)
        c = c + self.rng.integers(-jitter, jitter + 1, size=3)
        return tuple(int(x) for x in np.clip(c, 0, 255))

    def slot(self, name: str, variants: dict, p_none: float = 0.0) -> None:
        """Adds a slot; `variants` maps names to lists of Parts (NONE is added when p_none > 0).

        The default variant is drawn here, always with the same number of draws.
        """
        variants = dict(variants)
        solid = list(variants)
        if p_none > 0:
            variants[NONE] = []
        absent = self.rng.random() < p_none
        pick = solid[int(self.rng.integers(len(solid)))]
        self.slots.append(Slot(name, variants, NONE if absent else pick))


def part(name: str, mesh, color) -> Part:
    v, f = mesh
    return Part(name, v, f, color)


def mirror_x(mesh):
    return pr.place(mesh, scale=(-1, 1, 1))


def legs_at(corners, make) -> list:
    return [make(x, z) for x, z in corners]


# --- 1. chair ---------------------------------------------------------------------------------------------------

def chair(rng) -> list:
    b = B(rng)
    w, d = b.u(0.8, 1.1), b.u(0.75, 1.05)
    h = b.u(0.75, 1.0)  # seat top
    t = b.u(0.06, 0.12)
    leg = b.u(0.045, 0.08)
    inset = b.u(0.04, 0.1)
    back_h = b.u(0.7, 1.1)
    tilt = b.u(0, 12)
    frame = b.color(WOOD + METAL)
    seat_c = frame if b.coin(0.5) else b.color(FABRIC)
    cushion_c = b.color(FABRIC)
    corners = [(sx * (w / 2 - inset - leg), sz * (d / 2 - inset - leg)) for sx in (-1, 1) for sz in (-1, 1)]
    leg_h = h - t

    b.slot("seat", {
        "box": [part("seat", pr.place(pr.box(w / 2, t / 2, d / 2), at=(0, h - t / 2, 0)), seat_c)],
        "round": [part("seat", pr.place(pr.round_box(w / 2, t / 2, d / 2, t / 2.2), at=(0, h - t / 2, 0)), seat_c)],
    })
    b.slot("legs", {
        "square": [part("leg", pr.place(pr.box(leg, leg_h / 2, leg), at=(x, leg_h / 2, z)), frame) for x, z in corners],
        "round": [part("leg", pr.place(pr.cylinder(leg, leg, leg_h, 12), at=(x, leg_h / 2, z)), frame)
                  for x, z in corners],
        "tapered": [part("leg", pr.place(pr.cylinder(leg * 0.55, leg * 1.15, leg_h, 12), at=(x, leg_h / 2, z)), frame)
                    for x, z in corners],
    })
    zb = -d / 2 + inset + leg
    rot = pr.rot_x(-tilt)
    back_c = (0, h + back_h / 2, zb)

    def tilted(mesh, local):
        """Places a back part given in back-local coordinates (origin at the back's centre)."""
        v, f = pr.place(mesh, at=local)
        return pr.place((v, f), rot=rot, at=back_c)

    slats = [part("post", tilted(pr.box(leg, back_h / 2, leg), (sx * (w / 2 - inset - leg), 0, 0)), frame)
             for sx in (-1, 1)]
    n_slats = b.i(2, 4)
    for k in range(n_slats):
        y = -back_h / 2 + back_h * (k + 1) / (n_slats + 1)
        slats.append(part("slat", tilted(pr.box(w / 2 - inset - leg, back_h * 0.06, leg * 0.6), (0, y, 0)), frame))
    slats.append(part("rail", tilted(pr.box(w / 2 - inset, back_h * 0.07, leg), (0, back_h / 2, 0)), frame))
    b.slot("back", {
        "solid": [part("back", tilted(pr.round_box(w / 2 - inset * 0.5, back_h / 2, t / 2, t / 2.5), (0, 0, 0)), seat_c)],
        "slats": slats,
        "frame": [part("post", tilted(pr.box(leg, back_h / 2, leg), (sx * (w / 2 - inset - leg), 0, 0)), frame)
                  for sx in (-1, 1)]
        + [part("rail", tilted(pr.box(w / 2 - inset, back_h * 0.12, t / 2), (0, back_h * 0.35, 0)), frame)],
    }, p_none=0.1)
    arm_h = b.u(0.2, 0.3)
    arm_w = b.u(0.05, 0.08)
    arms = []
    for sx in (-1, 1):
        x = sx * (w / 2 - arm_w)
        arms.append(part("armrest", pr.place(pr.box(arm_w, 0.03, d * 0.42), at=(x, h + arm_h, 0.02)), frame))
        arms.append(part("armpost", pr.place(pr.cylinder(0.025, 0.025, arm_h, 10), at=(x, h + arm_h / 2, d * 0.3)), frame))
    b.slot("armrests", {"bars": arms}, p_none=0.6)
    b.slot("cushion", {
        "pad": [part("cushion", pr.place(pr.round_box(w / 2 - 0.05, 0.05, d / 2 - 0.05, 0.045), at=(0, h + 0.05, 0.0)),
                     cushion_c)],
    }, p_none=0.6)
    sh = leg_h * b.u(0.2, 0.4)
    (x0, z0), (x1, _) = corners[0], corners[2]  # (-x, -z) and (+x, -z)
    stretch = [part("stretcher", pr.between((x, sh, z0), (x, sh, -z0), leg * 0.45, seg=10), frame) for x in (x0, x1)]
    stretch.append(part("stretcher", pr.between((x0, sh * 1.3, 0), (x1, sh * 1.3, 0), leg * 0.45, seg=10), frame))
    b.slot("stretchers", {"h": stretch}, p_none=0.6)
    return b.slots


# --- 2. table ---------------------------------------------------------------------------------------------------

def table(rng) -> list:
    b = B(rng)
    w, d = b.u(1.2, 2.0), b.u(0.7, 1.2)
    h = b.u(0.65, 0.85)
    t = b.u(0.04, 0.09)
    leg = b.u(0.035, 0.07)
    top_c = b.color(WOOD + [(240, 240, 240), (40, 40, 45)])
    leg_c = top_c if b.coin(0.6) else b.color(METAL + WOOD)
    vase_c = b.color(CERAMIC)
    flower_c = b.color(BRIGHT)
    drawer_c = b.color(WOOD)
    lh = h - t
    corners = [(sx * 0.36 * w, sz * 0.36 * d) for sx in (-1, 1) for sz in (-1, 1)]
    b.slot("top", {
        "rect": [part("top", pr.place(pr.box(w / 2, t / 2, d / 2), at=(0, h - t / 2, 0)), top_c)],
        "rounded": [part("top", pr.place(pr.round_box(w / 2, t / 2, d / 2, t / 2.2), at=(0, h - t / 2, 0)), top_c)],
        "oval": [part("top", pr.place(pr.cylinder(1, 1, t, 32), at=(0, h - t / 2, 0), scale=(0.55 * w, 1, 0.55 * d)),
                      top_c)],
    })
    col_r = b.u(0.05, 0.09)
    foot_r = b.u(0.25, 0.4) * d
    b.slot("base", {
        "legs": [part("leg", pr.place(pr.box(leg, lh / 2, leg), at=(x, lh / 2, z)), leg_c) for x, z in corners],
        "round_legs": [part("leg", pr.place(pr.cylinder(leg, leg * 0.7, lh, 12), at=(x, lh / 2, z)), leg_c)
                       for x, z in corners],
        "pedestal": [part("column", pr.place(pr.cylinder(col_r, col_r, lh, 16), at=(0, lh / 2, 0)), leg_c),
                     part("foot", pr.place(pr.cylinder(foot_r, foot_r * 0.8, 0.05, 24), at=(0, 0.025, 0)), leg_c)],
        "trestle": [part("slab", pr.place(pr.box(leg, lh / 2, 0.3 * d), at=(sx * 0.36 * w, lh / 2, 0)), leg_c)
                    for sx in (-1, 1)]
        + [part("beam", pr.place(pr.box(0.36 * w, leg, leg), at=(0, lh * 0.3, 0)), leg_c)],
    })
    shelf_y = lh * b.u(0.15, 0.3)
    b.slot("shelf", {
        "board": [part("shelf", pr.place(pr.box(0.36 * w + leg, t / 3, 0.36 * d + leg), at=(0, shelf_y, 0)), top_c)],
    }, p_none=0.7)
    vx, vz = b.u(-0.3, 0.3) * w, b.u(-0.2, 0.2) * d
    vr, vh = b.u(0.05, 0.1), b.u(0.12, 0.3)
    b.slot("vase", {
        "vase": [part("vase", pr.place(pr.cylinder(vr * 0.8, vr, vh, 16), at=(vx, h + vh / 2, vz)), vase_c),
                 part("flowers", pr.place(pr.sphere(vr * 1.3, 12, 8), at=(vx, h + vh + vr, vz)), flower_c)],
        "bowl": [part("bowl", pr.place(pr.sphere(vr * 1.6, 16, 8), at=(vx, h + vr * 0.4, vz), scale=(1, 0.45, 1)),
                      vase_c)],
    }, p_none=0.6)
    b.slot("drawer", {
        "drawer": [part("drawer", pr.place(pr.box(0.25 * w, 0.06, 0.3 * d), at=(0, h - t - 0.06, 0.04)), drawer_c),
                   part("knob", pr.place(pr.sphere(0.025, 10, 6), at=(0, h - t - 0.06, 0.04 + 0.3 * d + 0.02)), leg_c)],
    }, p_none=0.75)
    return b.slots


# --- 3. mug -----------------------------------------------------------------------------------------------------

def mug(rng) -> list:
    b = B(rng)
    r, h = b.u(0.3, 0.45), b.u(0.6, 1.0)
    body_c = b.color(CERAMIC)
    handle_c = body_c if b.coin(0.7) else b.color(CERAMIC)
    saucer_c = b.color(CERAMIC)
    lid_c = b.color(METAL + CERAMIC)
    base = 0.06
    b.slot("body", {
        "straight": [part("body", pr.place(pr.cylinder(r, r, h, 28), at=(0, base + h / 2, 0)), body_c)],
        "tapered": [part("body", pr.place(pr.cylinder(r * 0.78, r * 1.05, h, 28), at=(0, base + h / 2, 0)), body_c)],
        "barrel": [part("body", pr._lathe([(0, base), (r * 0.85, base), (r * 1.08, base + h * 0.5), (r * 0.9, base + h),
                                            (0, base + h)], 28), body_c)],
    })
    hr = h * b.u(0.25, 0.35)
    hy = base + h * b.u(0.45, 0.55)
    thick = b.u(0.04, 0.07)
    hx = r * 1.02
    square = [
        part("handle", pr.place(pr.box(hr * 0.55, thick, thick), at=(hx + hr * 0.5, hy + hr * 0.8, 0)), handle_c),
        part("handle", pr.place(pr.box(hr * 0.55, thick, thick), at=(hx + hr * 0.5, hy - hr * 0.8, 0)), handle_c),
        part("handle", pr.place(pr.box(thick, hr * 0.8 + thick, thick), at=(hx + hr, hy, 0)), handle_c),
    ]
    b.slot("handle", {
        "round": [part("handle", pr.place(pr.torus(hr, thick, 20, 8), rot=pr.rot_x(90), at=(hx, hy, 0)), handle_c)],
        "square": square,
    }, p_none=0.15)
    sr = r * b.u(1.4, 1.8)
    b.slot("saucer", {
        "plate": [part("saucer", pr.place(pr.cylinder(sr * 0.8, sr, base, 32), at=(0, base / 2, 0)), saucer_c)],
    }, p_none=0.6)
    b.slot("lid", {
        "flat": [part("lid", pr.place(pr.cylinder(r * 1.08, r * 1.08, 0.04, 28), at=(0, base + h + 0.02, 0)), lid_c),
                 part("knob", pr.place(pr.sphere(0.05, 10, 6), at=(0, base + h + 0.08, 0)), lid_c)],
        "dome": [part("lid", pr.place(pr.sphere(r * 1.05, 24, 10), at=(0, base + h, 0), scale=(1, 0.4, 1)), lid_c)],
    }, p_none=0.7)
    ang = b.u(10, 30)
    b.slot("spoon", {
        "spoon": [part("spoon", pr.between((0.3 * r, base + h * 0.5, 0), (0.3 * r + math.sin(math.radians(ang)) * h * 0.9,
                                                                         base + h * 1.35, 0.0), 0.025, "capsule", 8),
                       b.color(METAL))],
    }, p_none=0.8)
    return b.slots


# --- 4. lamp ----------------------------------------------------------------------------------------------------

def lamp(rng) -> list:
    b = B(rng)
    base_r = b.u(0.25, 0.4)
    pole_h = b.u(0.9, 1.6)
    pole_r = b.u(0.025, 0.045)
    shade_r = b.u(0.3, 0.5)
    shade_h = b.u(0.3, 0.5)
    base_c = b.color(METAL + WOOD)
    pole_c = base_c if b.coin(0.6) else b.color(METAL)
    shade_c = b.color(FABRIC + CERAMIC)
    bulb_c = (250, 240, 180)
    bh = 0.08
    b.slot("base", {
        "disc": [part("base", pr.place(pr.cylinder(base_r, base_r * 0.9, bh, 28), at=(0, bh / 2, 0)), base_c)],
        "square": [part("base", pr.place(pr.round_box(base_r, bh / 2, base_r, 0.03), at=(0, bh / 2, 0)), base_c)],
        "dome": [part("base", pr.place(pr.sphere(base_r, 24, 10), at=(0, 0.0, 0), scale=(1, 0.35, 1)), base_c)],
    })
    b.slot("pole", {
        "straight": [part("pole", pr.place(pr.cylinder(pole_r, pole_r, pole_h, 12), at=(0, pole_h / 2, 0)), pole_c)],
    })
    top = pole_h
    b.slot("shade", {
        "cone": [part("shade", pr.place(pr.cylinder(shade_r, shade_r * 0.55, shade_h, 28), at=(0, top, 0)), shade_c)],
        "drum": [part("shade", pr.place(pr.cylinder(shade_r * 0.85, shade_r * 0.85, shade_h, 28), at=(0, top, 0)),
                      shade_c)],
        "globe": [part("shade", pr.place(pr.sphere(shade_r * 0.75, 20, 12), at=(0, top + shade_r * 0.2, 0)), shade_c)],
    })
    b.slot("finial", {
        "ball": [part("finial", pr.place(pr.sphere(0.05, 10, 6), at=(0, top + shade_h / 2 + 0.06, 0)), pole_c)],
        "spike": [part("finial", pr.place(pr.cone(0.04, 0.14, 10), at=(0, top + shade_h / 2 + 0.07, 0)), pole_c)],
    }, p_none=0.6)
    arm_y = pole_h * b.u(0.45, 0.65)
    arm_len = b.u(0.35, 0.6)
    side = 1.0 if b.coin() else -1.0
    end = np.array([side * arm_len, arm_y + arm_len * 0.6, 0.0])
    b.slot("reading_arm", {
        "arm": [part("arm", pr.between((0, arm_y, 0), end, pole_r * 0.8, seg=10), pole_c),
                part("small_shade", pr.place(pr.cone(0.12, 0.18, 16), at=end + (0, -0.02, 0)), shade_c)],
    }, p_none=0.75)
    b.slot("switch", {
        "knob": [part("switch", pr.place(pr.box(0.05, 0.03, 0.04), at=(0, pole_h * 0.3, pole_r + 0.03)), b.color(BLACK))],
    }, p_none=0.7)
    return b.slots


# --- 5. airplane (nose at +z) -----------------------------------------------------------------------------------

def airplane(rng) -> list:
    b = B(rng)
    L = b.u(2.0, 3.0)
    fr = b.u(0.12, 0.2)
    span = b.u(1.6, 2.6)
    chord = b.u(0.3, 0.5)
    sweep = b.u(0, 35)
    wing_z = b.u(-0.1, 0.15) * L
    wing_y = b.u(-0.5, 0.3) * fr
    body_c = b.color([(235, 235, 240), (200, 200, 205), (60, 90, 150), (200, 60, 50), (230, 200, 60)])
    wing_c = body_c if b.coin(0.6) else b.color(METAL + BRIGHT)
    accent = b.color(BRIGHT)
    b.slot("fuselage", {
        "slim": [part("fuselage", pr.place(pr.capsule(fr, L - 2 * fr, 20, 5), rot=pr.rot_x(90)), body_c)],
        "wide": [part("fuselage", pr.place(pr.capsule(fr * 1.25, L - 2.5 * fr, 20, 5), rot=pr.rot_x(90),
                                           scale=(1, 1, 1)), body_c)],
    })
    ws = span / 2

    def wing(sw, taper):
        parts = []
        for sx in (-1, 1):
            m = pr.box(ws / 2, 0.025, chord / 2)
            v, f = m
            v = v.copy()
            # Taper the tip's chord; shift the tip back by the sweep.
            tip = (v[:, 0] > 0)
            v[tip, 2] *= taper
            v[tip, 2] -= ws * math.tan(math.radians(sw))
            v[:, 0] += ws / 2
            m = pr.place((v, f), scale=(sx, 1, 1))
            parts.append(part("wing", pr.place(m, at=(sx * fr * 0.5, wing_y, wing_z)), wing_c))
        return parts

    b.slot("wings", {"straight": wing(0, 0.8), "swept": wing(sweep + 10, 0.55), "delta": wing(45, 0.2)})
    fin_h = b.u(0.3, 0.5)
    tail_z = -L / 2 + 0.2
    v, f = pr.box(0.025, fin_h / 2, 0.2)
    v = v.copy()
    v[v[:, 1] > 0, 2] -= fin_h * 0.5
    b.slot("tail_fin", {
        "fin": [part("fin", pr.place((v, f), at=(0, fin_h / 2 + fr * 0.6, tail_z)), accent)],
    }, p_none=0.1)
    stab = b.u(0.3, 0.5)
    b.slot("stabilizers", {
        "flat": [part("stabilizer", pr.place(pr.box(stab, 0.02, 0.12), at=(0, fr * 0.3, tail_z - 0.02)), wing_c)],
    }, p_none=0.2)
    ex = b.u(0.3, 0.45) * ws
    er = b.u(0.06, 0.1)
    b.slot("engines", {
        "pods": [part("engine", pr.place(pr.cylinder(er, er * 0.85, 0.45, 16), rot=pr.rot_x(90),
                                         at=(sx * (fr * 0.5 + ex), wing_y - er - 0.03, wing_z + 0.1)), b.color(METAL))
                 for sx in (-1, 1)],
    }, p_none=0.5)
    nose = L / 2
    blade = b.u(0.25, 0.4)
    prop = [part("spinner", pr.place(pr.cone(0.08, 0.16, 12), rot=pr.rot_x(90), at=(0, 0, nose + 0.06)), accent)]
    for k in range(3):
        blade_mesh = pr.place(pr.box(0.03, blade / 2, 0.012), at=(0, blade / 2, 0))
        prop.append(part("blade", pr.place(blade_mesh, rot=pr.rot_z(120 * k), at=(0, 0, nose + 0.03)), b.color(BLACK)))
    b.slot("propeller", {"three": prop}, p_none=0.6)
    b.slot("canopy", {
        "glass": [part("canopy", pr.place(pr.sphere(1, 16, 8), at=(0, fr * 0.7, nose - 0.45),
                                          scale=(fr * 0.6, fr * 0.5, 0.3)), b.color(GLASS))],
    }, p_none=0.5)
    gear = []
    for x, z in ((-0.5 * fr - 0.2, wing_z), (0.5 * fr + 0.2, wing_z), (0, nose - 0.35)):
        gear.append(part("strut", pr.between((x, -fr * 0.5, z), (x, -fr - 0.18, z), 0.015, seg=8), (90, 90, 95)))
        gear.append(part("wheel", pr.place(pr.cylinder(0.06, 0.06, 0.04, 14), rot=pr.rot_z(90),
                                           at=(x, -fr - 0.2, z)), b.color(BLACK)))
    b.slot("landing_gear", {"wheels": gear}, p_none=0.6)
    return b.slots


# --- 6. car (front at +z) ---------------------------------------------------------------------------------------

def car(rng) -> list:
    b = B(rng)
    L, W = b.u(1.8, 2.6), b.u(0.8, 1.1)
    body_h = b.u(0.3, 0.45)
    clear = b.u(0.12, 0.22)
    wr = b.u(0.16, 0.24)
    cab_h = b.u(0.25, 0.4)
    body_c = b.color(BRIGHT + METAL)
    cab_c = body_c if b.coin(0.7) else b.color(GLASS + METAL)
    wheel_c = b.color(BLACK)
    hub_c = b.color(METAL)
    y0 = clear + body_h / 2
    b.slot("body", {
        "round": [part("body", pr.place(pr.round_box(W / 2, body_h / 2, L / 2, 0.1), at=(0, y0, 0)), body_c)],
        "box": [part("body", pr.place(pr.box(W / 2, body_h / 2, L / 2), at=(0, y0, 0)), body_c)],
    })
    ytop = clear + body_h
    cab_l = L * b.u(0.4, 0.5)
    cz = -L * b.u(0.0, 0.1)
    b.slot("cabin", {
        "sedan": [part("cabin", pr.place(pr.round_box(W / 2 * 0.88, cab_h / 2, cab_l / 2, 0.08),
                                         at=(0, ytop + cab_h / 2, cz)), cab_c)],
        "van": [part("cabin", pr.place(pr.round_box(W / 2 * 0.92, cab_h / 2, L * 0.4, 0.06),
                                       at=(0, ytop + cab_h / 2, -L * 0.08)), cab_c)],
        "cab": [part("cabin", pr.place(pr.round_box(W / 2 * 0.88, cab_h / 2, L * 0.15, 0.06),
                                       at=(0, ytop + cab_h / 2, L * 0.1)), cab_c)],
    }, p_none=0.1)
    wz = L / 2 - wr * 1.6
    wheels = {}
    for name, width in (("thin", 0.12), ("thick", 0.22)):
        parts = []
        for sx in (-1, 1):
            for sz in (-1, 1):
                at = (sx * (W / 2 - width * 0.3), wr, sz * wz)
                parts.append(part("tire", pr.place(pr.cylinder(wr, wr, width, 18), rot=pr.rot_z(90), at=at), wheel_c))
                parts.append(part("hub", pr.place(pr.cylinder(wr * 0.5, wr * 0.5, width + 0.02, 12), rot=pr.rot_z(90),
                                                  at=at), hub_c))
        wheels[name] = parts
    b.slot("wheels", wheels)
    sp_y = ytop + b.u(0.1, 0.2)
    b.slot("spoiler", {
        "wing": [part("spoiler", pr.place(pr.box(W / 2 * 0.9, 0.02, 0.1), at=(0, sp_y, -L / 2 + 0.12)), b.color(BLACK)),
                 *[part("spoiler_post", pr.place(pr.box(0.02, (sp_y - ytop) / 2, 0.04),
                                                 at=(sx * W * 0.3, (sp_y + ytop) / 2, -L / 2 + 0.12)), b.color(BLACK))
                   for sx in (-1, 1)]],
    }, p_none=0.7)
    rack_y = ytop + cab_h + 0.04
    b.slot("roof_box", {
        "box": [part("roof_box", pr.place(pr.round_box(W * 0.3, 0.06, L * 0.18, 0.04), at=(0, rack_y + 0.02, cz)),
                     b.color(BLACK + METAL))],
    }, p_none=0.8)
    b.slot("headlights", {
        "round": [part("headlight", pr.place(pr.sphere(0.06, 10, 6), at=(sx * W * 0.32, y0 + body_h * 0.15, L / 2 - 0.02)),
                       (250, 240, 200)) for sx in (-1, 1)],
    }, p_none=0.4)
    b.slot("bumpers", {
        "bars": [part("bumper", pr.place(pr.box(W / 2 * 0.95, 0.04, 0.05), at=(0, clear + 0.05, sz * (L / 2 + 0.02))),
                      b.color(METAL + BLACK)) for sz in (-1, 1)],
    }, p_none=0.6)
    return b.slots


# --- 7. robot / humanoid (facing +z) ------------------------------------------------------------------------------

def robot(rng) -> list:
    b = B(rng)
    tw, th, td = b.u(0.25, 0.4), b.u(0.45, 0.7), b.u(0.15, 0.25)
    leg_l = b.u(0.55, 0.85)
    leg_r = b.u(0.06, 0.1)
    arm_l = b.u(0.45, 0.7)
    arm_r = b.u(0.05, 0.08)
    hs = b.u(0.13, 0.2)
    skin = b.color(SKIN)
    accent = b.color(BRIGHT)
    limb_c = skin if b.coin(0.6) else b.color(METAL)
    hip = leg_l + 0.02
    ty = hip + th / 2
    b.slot("torso", {
        "box": [part("torso", pr.place(pr.round_box(tw, th / 2, td, 0.04), at=(0, ty, 0)), skin)],
        "barrel": [part("torso", pr.place(pr.cylinder(tw, tw * 0.85, th, 20), at=(0, ty, 0), scale=(1, 1, td / tw)), skin)],
    })
    hy = hip + th + 0.04 + hs
    b.slot("head", {
        "box": [part("head", pr.place(pr.round_box(hs, hs, hs, 0.03), at=(0, hy, 0)), skin)],
        "sphere": [part("head", pr.place(pr.sphere(hs * 1.1, 18, 10), at=(0, hy, 0)), skin)],
        "dome": [part("head", pr.place(pr.capsule(hs, hs * 0.6, 18, 4), at=(0, hy, 0)), skin)],
    })
    sy = hip + th - arm_r * 1.2
    sx = tw + arm_r * 1.3
    arms = {}
    for name, ang in (("down", 8), ("out", 80), ("up", 165)):
        parts = []
        for s in (-1, 1):
            d = np.array([s * math.sin(math.radians(ang)), -math.cos(math.radians(ang)), 0.0])
            p0 = np.array([s * sx, sy, 0.0])
            parts.append(part("arm", pr.between(p0, p0 + arm_l * d, arm_r, "capsule", 12), limb_c))
        arms[name] = parts
    b.slot("arms", arms)
    lx = tw * 0.5
    b.slot("legs", {
        "capsule": [part("leg", pr.between((s * lx, hip, 0), (s * lx, leg_r, 0), leg_r, "capsule", 12), limb_c)
                    for s in (-1, 1)],
        "box": [part("leg", pr.place(pr.box(leg_r * 1.1, hip / 2, leg_r * 1.2), at=(s * lx, hip / 2, 0)), limb_c)
                for s in (-1, 1)],
    })
    top = hy + hs
    b.slot("antenna", {
        "rod": [part("antenna", pr.place(pr.cylinder(0.012, 0.012, 0.2, 8), at=(0, top + 0.1, 0)), (80, 80, 85)),
                part("antenna_tip", pr.place(pr.sphere(0.035, 10, 6), at=(0, top + 0.22, 0)), accent)],
    }, p_none=0.6)
    b.slot("backpack", {
        "pack": [part("backpack", pr.place(pr.round_box(tw * 0.7, th * 0.35, 0.08, 0.03), at=(0, ty + th * 0.05, -td - 0.08)),
                      accent)],
    }, p_none=0.7)
    b.slot("hat", {
        "cone": [part("hat", pr.place(pr.cone(hs * 0.9, hs * 1.3, 16), at=(0, top + hs * 0.55, 0)), accent)],
        "cap": [part("hat", pr.place(pr.cylinder(hs * 1.05, hs * 1.05, hs * 0.35, 18), at=(0, top + hs * 0.1, 0)), accent),
                part("brim", pr.place(pr.box(hs * 0.7, 0.015, hs * 0.5), at=(0, top - 0.02, hs * 1.1)), accent)],
    }, p_none=0.7)
    b.slot("eyes", {
        "dots": [part("eye", pr.place(pr.sphere(hs * 0.18, 10, 6), at=(s * hs * 0.4, hy + hs * 0.15, hs * 1.02)),
                      b.color(BLACK + [(40, 200, 250)])) for s in (-1, 1)],
    }, p_none=0.3)
    return b.slots


# --- 8. four-legged animal (head at +z) ---------------------------------------------------------------------------

def animal(rng) -> list:
    b = B(rng)
    bl = b.u(0.9, 1.5)
    br = b.u(0.2, 0.32)
    leg_l = b.u(0.4, 0.8)
    leg_r = b.u(0.05, 0.09)
    head_r = b.u(0.15, 0.24)
    neck = b.u(0.1, 0.35)
    fur = b.color(FUR)
    accent = b.color(FUR)
    horn_c = b.color([(230, 220, 190), (120, 100, 80), (60, 60, 60)])
    wing_c = b.color(FUR + [(240, 240, 245), (200, 60, 50)])
    by = leg_l + br * 0.6
    b.slot("body", {
        "slim": [part("body", pr.place(pr.capsule(br, bl, 18, 5), rot=pr.rot_x(90), at=(0, by, 0)), fur)],
        "stocky": [part("body", pr.place(pr.capsule(br * 1.2, bl * 0.9, 18, 5), rot=pr.rot_x(90), at=(0, by, 0),
                                         scale=(1, 1, 1)), fur)],
    })
    hz = bl / 2 + br * 0.6 + head_r * 0.8
    hy = by + br * 0.5 + neck
    b.slot("head", {
        "round": [part("head", pr.place(pr.sphere(head_r, 16, 10), at=(0, hy, hz)), fur),
                  part("neck", pr.between((0, by + br * 0.3, bl / 2 + br * 0.3), (0, hy, hz), head_r * 0.55, "capsule", 12),
                       fur)],
        "long": [part("head", pr.place(pr.capsule(head_r * 0.85, head_r * 0.8, 16, 4), rot=pr.rot_x(70), at=(0, hy, hz)),
                      fur),
                 part("neck", pr.between((0, by + br * 0.3, bl / 2 + br * 0.3), (0, hy, hz), head_r * 0.55, "capsule", 12),
                      fur)],
    })
    lx = br * 0.6
    lz = bl / 2 * 0.85
    b.slot("legs", {
        "straight": [part("leg", pr.between((sx * lx, by, sz * lz), (sx * lx, leg_r, sz * lz), leg_r, "capsule", 10), fur)
                     for sx in (-1, 1) for sz in (-1, 1)],
        "hooved": [p for sx in (-1, 1) for sz in (-1, 1) for p in (
            part("leg", pr.between((sx * lx, by, sz * lz), (sx * lx, 0.08, sz * lz), leg_r * 0.8, "cylinder", 10), fur),
            part("hoof", pr.place(pr.cylinder(leg_r * 1.1, leg_r * 0.9, 0.08, 10), at=(sx * lx, 0.04, sz * lz)),
                 b.color(BLACK)))],
    })
    tz = -bl / 2 - br * 0.8
    b.slot("tail", {
        "thin": [part("tail", pr.between((0, by + br * 0.3, tz + 0.1), (0, by + br * 0.2 + 0.35, tz - 0.3), 0.03,
                                         "capsule", 8), accent)],
        "bushy": [part("tail", pr.place(pr.sphere(1, 12, 8), rot=pr.rot_x(-40), at=(0, by + br * 0.5, tz - 0.12),
                                        scale=(0.1, 0.28, 0.1)), accent)],
    }, p_none=0.3)
    horn_l = b.u(0.12, 0.3)
    horns = {
        "straight": [part("horn", pr.place(pr.cone(0.04, horn_l, 10), rot=pr.rot_z(-s * 20),
                                           at=(s * head_r * 0.5, hy + head_r * 0.8 + horn_l * 0.4, hz)), horn_c)
                     for s in (-1, 1)],
        "curved": [part("horn", pr.place(pr.torus(horn_l * 0.6, 0.03, 14, 6), rot=pr.rot_z(90),
                                         at=(s * (head_r * 0.7 + 0.0), hy + head_r * 0.6, hz - horn_l * 0.3),
                                         scale=(1, 1, 1)), horn_c)
                   for s in (-1, 1)],
    }
    b.slot("horns", horns, p_none=0.6)
    b.slot("ears", {
        "pointed": [part("ear", pr.place(pr.cone(0.05, 0.12, 8), rot=pr.rot_z(-s * 35),
                                         at=(s * head_r * 0.75, hy + head_r * 0.75, hz - 0.03)), accent) for s in (-1, 1)],
    }, p_none=0.4)
    span = b.u(0.5, 0.9)
    wings = []
    for s in (-1, 1):
        m = pr.place(pr.box(span / 2, 0.02, 0.22), at=(span / 2, 0, 0))
        wings.append(part("wing", pr.place(m, rot=pr.rot_z(s * 30) if s > 0 else pr.rot_z(180 - 30),
                                           at=(s * br * 0.6, by + br * 0.9, bl * 0.1)), wing_c))
    b.slot("wings", {"feathered": wings}, p_none=0.75)
    b.slot("snout", {
        "snout": [part("snout", pr.place(pr.capsule(head_r * 0.45, head_r * 0.5, 12, 3), rot=pr.rot_x(90),
                                         at=(0, hy - head_r * 0.25, hz + head_r * 0.8)), accent)],
    }, p_none=0.5)
    return b.slots


# --- 9. house (door at +z) ----------------------------------------------------------------------------------------

def house(rng) -> list:
    b = B(rng)
    W, D, H = b.u(1.2, 2.0), b.u(1.0, 1.6), b.u(0.8, 1.3)
    pitch = b.u(25, 40)
    wall_c = b.color(WALL)
    roof_c = b.color(ROOF)
    door_c = b.color(WOOD + BRIGHT)
    win_c = b.color(GLASS)
    trim = b.color(WALL)
    b.slot("walls", {"box": [part("walls", pr.place(pr.box(W / 2, H / 2, D / 2), at=(0, H / 2, 0)), wall_c)]})
    over = 0.08
    t = 0.06
    half = D / 2 + over
    rise = half * math.tan(math.radians(pitch))
    slope = half / math.cos(math.radians(pitch))
    ridge = H + (D / 2) * math.tan(math.radians(pitch))  # the slabs' underside meets the walls' top edge
    gable = []
    for s in (-1, 1):
        m = pr.place(pr.box(W / 2 + over, t / 2, slope / 2), at=(0, 0, s * slope / 2))
        gable.append(part("roof", pr.place(m, rot=pr.rot_x(s * pitch), at=(0, ridge + t / 2, 0)), roof_c))
    for s in (-1, 1):
        # The triangular gable end: a 4-sided cone is a diamond-based pyramid; flattened in x it is a triangle.
        gable.append(part("gable", pr.place(pr.cone(1, 1, 4), at=(s * (W / 2 - 0.02), (H + ridge) / 2, 0),
                                            scale=(0.02, ridge - H, D / 2)), wall_c))
    b.slot("roof", {
        "gable": gable,
        "pyramid": [part("roof", pr.place(pr.place(pr.cone(1, 1, 4), rot=pr.rot_y(45)), at=(0, H + rise * 0.6, 0),
                                          scale=((W / 2 + over) * math.sqrt(2), rise * 1.2, (D / 2 + over) * math.sqrt(2))),
                         roof_c)],
        "flat": [part("roof", pr.place(pr.box(W / 2 + over, 0.05, D / 2 + over), at=(0, H + 0.05, 0)), roof_c)],
    })
    cx = b.u(-0.3, 0.3) * W
    ch = rise + b.u(0.2, 0.4)
    b.slot("chimney", {
        "brick": [part("chimney", pr.place(pr.box(0.09, ch / 2, 0.09), at=(cx, H + ch / 2, -D * 0.15)), b.color(ROOF))],
    }, p_none=0.5)
    dh = H * b.u(0.5, 0.65)
    dx = b.u(-0.2, 0.2) * W
    b.slot("door", {
        "door": [part("door", pr.place(pr.box(0.15, dh / 2, 0.02), at=(dx, dh / 2, D / 2 + 0.01)), door_c),
                 part("knob", pr.place(pr.sphere(0.025, 8, 6), at=(dx + 0.09, dh * 0.5, D / 2 + 0.04)), (200, 180, 60))],
    }, p_none=0.15)
    wy = H * b.u(0.55, 0.7)
    wins = []
    for x in (-W * 0.32, W * 0.32):
        if abs(x - dx) > 0.3:
            wins.append(part("window", pr.place(pr.box(0.12, 0.12, 0.015), at=(x, wy, D / 2 + 0.008)), win_c))
    for s in (-1, 1):
        wins.append(part("window", pr.place(pr.box(0.015, 0.12, 0.14), at=(s * (W / 2 + 0.008), wy, 0)), win_c))
    b.slot("windows", {"panes": wins}, p_none=0.25)
    ph = dh + 0.1
    b.slot("porch", {
        "posts": [part("porch_floor", pr.place(pr.box(0.4, 0.03, 0.25), at=(dx, 0.03, D / 2 + 0.25)), trim),
                  part("porch_roof", pr.place(pr.box(0.45, 0.03, 0.3), at=(dx, ph, D / 2 + 0.28)), roof_c),
                  *[part("porch_post", pr.place(pr.cylinder(0.025, 0.025, ph, 8), at=(dx + s * 0.36, ph / 2, D / 2 + 0.45)),
                         trim) for s in (-1, 1)]],
    }, p_none=0.7)
    return b.slots


# --- 10. tree -----------------------------------------------------------------------------------------------------

def tree(rng) -> list:
    b = B(rng)
    th = b.u(0.6, 1.2)
    tr = b.u(0.06, 0.12)
    cr = b.u(0.4, 0.7)
    bark = b.color(BARK)
    leaf = b.color(FOLIAGE)
    fruit_c = b.color([(220, 40, 40), (250, 160, 30), (240, 220, 60), (150, 50, 150)])
    b.slot("trunk", {"trunk": [part("trunk", pr.place(pr.cylinder(tr * 1.3, tr * 0.8, th, 12), at=(0, th / 2, 0)), bark)]})
    blobs = []
    n = b.i(3, 6)
    for k in range(n):
        a = 2 * math.pi * k / n + b.u(-0.3, 0.3)
        rr = cr * b.u(0.45, 0.7)
        off = cr * b.u(0.3, 0.55)
        blobs.append(part("foliage", pr.place(pr.sphere(rr, 14, 8), at=(off * math.sin(a), th + cr * 0.6 + b.u(-0.1, 0.2) * cr,
                                                                       off * math.cos(a))), leaf))
    blobs.append(part("foliage", pr.place(pr.sphere(cr * 0.75, 16, 10), at=(0, th + cr * 0.9, 0)), leaf))
    pine = []
    for k in range(3):
        pine.append(part("foliage", pr.place(pr.cone(cr * (1 - 0.22 * k), cr * 0.9, 18),
                                             at=(0, th * 0.8 + cr * 0.45 + k * cr * 0.45, 0)), leaf))
    palm = []
    nf = b.i(5, 8)
    for k in range(nf):
        a = 360 * k / nf
        m = pr.place(pr.box(cr * 0.5, 0.015, 0.08), at=(cr * 0.5, 0, 0))
        palm.append(part("frond", pr.place(m, rot=pr.rot_y(a) @ pr.rot_z(-25), at=(0, th, 0)), leaf))
    b.slot("canopy", {
        "round": blobs,
        "pine": pine,
        "palm": palm,
        "ellipsoid": [part("foliage", pr.place(pr.sphere(1, 18, 12), at=(0, th + cr * 0.9, 0), scale=(cr * 0.8, cr * 1.2,
                                                                                                    cr * 0.8)), leaf)],
    })
    branches = []
    for k in range(3):
        a = math.radians(120 * k + b.u(0, 60))
        y0 = th * b.u(0.45, 0.75)
        p1 = (math.sin(a) * cr * 0.7, y0 + cr * 0.4, math.cos(a) * cr * 0.7)
        branches.append(part("branch", pr.between((0, y0, 0), p1, tr * 0.4, seg=8), bark))
    b.slot("branches", {"three": branches}, p_none=0.6)
    fruit = []
    for k in range(b.i(4, 8)):
        a = b.u(0, 2 * math.pi)
        e = b.u(-0.3, 0.6)
        r = cr * 0.95
        fruit.append(part("fruit", pr.place(pr.sphere(0.05, 10, 6), at=(r * math.cos(e) * math.sin(a),
                                                                         th + cr * 0.75 + r * math.sin(e) * 0.8,
                                                                         r * math.cos(e) * math.cos(a))), fruit_c))
    b.slot("fruit", {"fruit": fruit}, p_none=0.7)
    b.slot("ground", {
        "pot": [part("pot", pr.place(pr.cylinder(tr * 2.2, tr * 3.2, 0.3, 16), at=(0, 0.15, 0)), b.color(CERAMIC))],
        "grass": [part("grass", pr.place(pr.cylinder(cr * 0.8, cr * 0.8, 0.04, 24), at=(0, 0.02, 0)), b.color(FOLIAGE))],
    }, p_none=0.5)
    return b.slots


# --- 11. rocket ---------------------------------------------------------------------------------------------------

def rocket(rng) -> list:
    b = B(rng)
    r, h = b.u(0.15, 0.25), b.u(1.0, 1.6)
    nose_h = b.u(0.3, 0.6)
    body_c = b.color([(235, 235, 240), (200, 200, 205), (230, 60, 50), (60, 90, 160)])
    accent = b.color(BRIGHT)
    base = 0.15
    b.slot("body", {
        "cylinder": [part("body", pr.place(pr.cylinder(r, r, h, 24), at=(0, base + h / 2, 0)), body_c)],
        "tapered": [part("body", pr.place(pr.cylinder(r * 1.1, r * 0.85, h, 24), at=(0, base + h / 2, 0)), body_c)],
    })
    top = base + h
    b.slot("nose", {
        "cone": [part("nose", pr.place(pr.cone(r, nose_h, 24), at=(0, top + nose_h / 2, 0)), accent)],
        "dome": [part("nose", pr.place(pr.sphere(r, 24, 10), at=(0, top, 0), scale=(1, nose_h / r * 0.8, 1)), accent)],
    })
    nf = b.i(3, 4)
    fin_h = b.u(0.25, 0.4)
    fins = []
    for k in range(nf):
        m = pr.place(pr.box(0.12, fin_h / 2, 0.015), at=(r + 0.1, base + fin_h / 2 - 0.05, 0))
        fins.append(part("fin", pr.place(m, rot=pr.rot_y(360 * k / nf + 45)), accent))
    b.slot("fins", {"fins": fins}, p_none=0.15)
    boost = []
    for s in (-1, 1):
        boost.append(part("booster", pr.place(pr.cylinder(r * 0.45, r * 0.45, h * 0.55, 16), at=(s * r * 1.5, base + h * 0.3, 0)),
                          body_c))
        boost.append(part("booster_nose", pr.place(pr.cone(r * 0.45, r * 0.8, 16), at=(s * r * 1.5, base + h * 0.575 + r * 0.4, 0)),
                          accent))
    b.slot("boosters", {"pair": boost}, p_none=0.6)
    wy = base + h * b.u(0.6, 0.75)
    b.slot("window", {
        "porthole": [part("window_ring", pr.place(pr.torus(r * 0.35, 0.02, 16, 6), rot=pr.rot_x(90), at=(0, wy, r)),
                          b.color(METAL)),
                     part("window", pr.place(pr.cylinder(r * 0.33, r * 0.33, 0.02, 16), rot=pr.rot_x(90), at=(0, wy, r * 0.995)),
                          b.color(GLASS))],
    }, p_none=0.4)
    b.slot("flame", {
        "flame": [part("flame", pr.place(pr.cone(r * 0.7, base * 1.6, 16), rot=pr.rot_x(180), at=(0, base * 0.2, 0)),
                       (250, 150, 40))],
    }, p_none=0.6)
    return b.slots


# --- 12. snowman (facing +z) ---------------------------------------------------------------------------------------

def snowman(rng) -> list:
    b = B(rng)
    r0 = b.u(0.35, 0.45)
    r1 = r0 * b.u(0.65, 0.8)
    r2 = r1 * b.u(0.6, 0.75)
    snow = b.color([(245, 245, 250), (235, 240, 250)], jitter=6)
    y0 = r0
    y1 = y0 + r0 * 0.85 + r1 * 0.85
    y2 = y1 + r1 * 0.85 + r2 * 0.85
    b.slot("bottom", {"ball": [part("ball", pr.place(pr.sphere(r0, 20, 12), at=(0, y0, 0)), snow)]})
    b.slot("middle", {"ball": [part("ball", pr.place(pr.sphere(r1, 20, 12), at=(0, y1, 0)), snow)]})
    b.slot("head", {"ball": [part("head", pr.place(pr.sphere(r2, 18, 10), at=(0, y2, 0)), snow)]})
    hat_c = b.color(BLACK + BRIGHT)
    top = y2 + r2 * 0.85
    b.slot("hat", {
        "top_hat": [part("hat", pr.place(pr.cylinder(r2 * 0.6, r2 * 0.6, r2 * 0.8, 18), at=(0, top + r2 * 0.4, 0)), hat_c),
                    part("brim", pr.place(pr.cylinder(r2 * 0.95, r2 * 0.95, 0.03, 20), at=(0, top, 0)), hat_c)],
        "beanie": [part("hat", pr.place(pr.sphere(r2 * 0.8, 16, 8), at=(0, top - r2 * 0.1, 0), scale=(1.05, 0.7, 1.05)), hat_c),
                   part("pompom", pr.place(pr.sphere(r2 * 0.2, 10, 6), at=(0, top + r2 * 0.5, 0)), b.color(BRIGHT))],
    }, p_none=0.3)
    b.slot("nose", {
        "carrot": [part("nose", pr.place(pr.cone(r2 * 0.15, r2 * 0.8, 10), rot=pr.rot_x(90), at=(0, y2, r2 + r2 * 0.3)),
                        (240, 120, 30))],
    }, p_none=0.2)
    arm_l = b.u(0.4, 0.6)
    ang = b.u(10, 40)
    arms = []
    for s in (-1, 1):
        p0 = np.array([s * r1 * 0.8, y1 + r1 * 0.2, 0.0])
        d = np.array([s * math.cos(math.radians(ang)), math.sin(math.radians(ang)), 0.0])
        arms.append(part("arm", pr.between(p0, p0 + arm_l * d, 0.02, seg=8), b.color(BARK)))
    b.slot("arms", {"sticks": arms}, p_none=0.3)
    b.slot("scarf", {
        "scarf": [part("scarf", pr.place(pr.torus(r2 * 0.85, r2 * 0.18, 20, 8), at=(0, y2 - r2 * 0.8, 0)), b.color(BRIGHT))],
    }, p_none=0.6)
    b.slot("buttons", {
        "coal": [part("button", pr.place(pr.sphere(0.03, 8, 6),
                                         at=(0, y1 + k * r1 * 0.35, r1 * math.sqrt(1 - (0.35 * k) ** 2) + 0.005)),
                      b.color(BLACK)) for k in (-1, 0, 1)],
    }, p_none=0.5)
    return b.slots


FAMILIES = {
    "chair": chair,
    "table": table,
    "mug": mug,
    "lamp": lamp,
    "airplane": airplane,
    "car": car,
    "robot": robot,
    "animal": animal,
    "house": house,
    "tree": tree,
    "rocket": rocket,
    "snowman": snowman,
}
