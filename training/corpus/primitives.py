"""Parametric part meshes for the procedural corpus.

Every primitive is a closed triangle mesh in float64 with outward (counter-clockwise) winding and no
zero-area triangles (poles are single vertices, not rings of coincident ones), centred at the origin
with its axis along +y. `place` scales, rotates and translates it. Tessellation is deliberately modest:
at 64³ a voxel is 1/64 of the object, and fewer triangles keep voxelization on the fly cheap.
"""
from __future__ import annotations

import math

import numpy as np

Mesh = tuple  # (vertices (n, 3) float64, faces (m, 3) int64)


def _mesh(v, f) -> Mesh:
    return np.asarray(v, dtype=np.float64).reshape(-1, 3), np.asarray(f, dtype=np.int64).reshape(-1, 3)


def box(hx: float, hy: float, hz: float) -> Mesh:
    """Axis-aligned box with half extents (hx, hy, hz)."""
    v = [[sx * hx, sy * hy, sz * hz] for sz in (-1, 1) for sy in (-1, 1) for sx in (-1, 1)]
    # Corner i has x bit 0, y bit 1, z bit 2.
    f = [
        [0, 2, 3], [0, 3, 1],  # -z
        [4, 5, 7], [4, 7, 6],  # +z
        [0, 1, 5], [0, 5, 4],  # -y
        [2, 6, 7], [2, 7, 3],  # +y
        [0, 4, 6], [0, 6, 2],  # -x
        [1, 3, 7], [1, 7, 5],  # +x
    ]
    return _mesh(v, f)


def round_box(hx: float, hy: float, hz: float, r: float, m: int = 2) -> Mesh:
    """Box with edges and corners rounded by radius r (a Minkowski sum of a box and a sphere).

    Each face is a grid whose lines sit at the flat part's borders and at m steps over each rounded
    band, so the flat centre is one quad and the arcs get m segments per 45°.
    """
    h = np.array([hx, hy, hz], dtype=np.float64)
    r = min(r, 0.95 * float(h.min()))
    inner = h - r
    # Coordinates along one axis in units of that axis: -h .. -inner (arc), inner .. h (arc).
    s = np.sin(np.linspace(0.0, math.pi / 4, m + 1)) / math.sin(math.pi / 4)  # 0..1, denser at the flat side

    def ticks(axis: int) -> np.ndarray:
        band = inner[axis] + (h[axis] - inner[axis]) * s
        return np.concatenate([-band[::-1], band])

    verts = []
    faces = []
    for axis in range(3):
        a, b = (axis + 1) % 3, (axis + 2) % 3
        ta, tb = ticks(a), ticks(b)
        for sign in (-1.0, 1.0):
            base = sum(len(x) for x in verts)
            grid = np.zeros((len(ta), len(tb), 3))
            grid[:, :, axis] = sign * h[axis]
            grid[:, :, a] = ta[:, None]
            grid[:, :, b] = tb[None, :]
            core = np.clip(grid, -inner, inner)
            d = grid - core
            d /= np.linalg.norm(d, axis=-1, keepdims=True)
            pts = core + r * d
            verts.append(pts.reshape(-1, 3))
            na, nb = len(ta), len(tb)
            for i in range(na - 1):
                for j in range(nb - 1):
                    p00 = base + i * nb + j
                    p10 = p00 + nb
                    p01 = p00 + 1
                    p11 = p10 + 1
                    # (a, b, axis) is right-handed, so a→b is counter-clockwise seen from +axis.
                    if sign > 0:
                        faces += [[p00, p10, p11], [p00, p11, p01]]
                    else:
                        faces += [[p00, p11, p10], [p00, p01, p11]]
    return _mesh(np.concatenate(verts), faces)


def _ring(radius: float, y: float, seg: int, phase: float = 0.0) -> np.ndarray:
    ang = phase + 2 * math.pi * np.arange(seg) / seg
    # Angle measured from +z toward +x, so increasing index runs counter-clockwise seen from +y.
    return np.stack([radius * np.sin(ang), np.full(seg, y), radius * np.cos(ang)], axis=1)


def _lathe(profile: list, seg: int, phase: float = 0.0) -> Mesh:
    """Surface of revolution about y from a profile [(radius, y), ...] running from bottom to top.

    A radius of 0 becomes a single pole vertex, so there are no degenerate triangles.
    """
    verts = []
    rings = []  # list of vertex index lists (len 1 for a pole)
    for radius, y in profile:
        start = sum(len(v) for v in verts)
        if radius == 0:
            verts.append(np.array([[0.0, y, 0.0]]))
            rings.append([start])
        else:
            verts.append(_ring(radius, y, seg, phase))
            rings.append(list(range(start, start + seg)))
    faces = []
    for lo, hi in zip(rings[:-1], rings[1:]):
        if len(lo) == 1 and len(hi) == 1:
            continue
        for i in range(seg):
            j = (i + 1) % seg
            if len(lo) == 1:
                faces.append([lo[0], hi[j], hi[i]])
            elif len(hi) == 1:
                faces.append([lo[i], lo[j], hi[0]])
            else:
                faces += [[lo[i], lo[j], hi[j]], [lo[i], hi[j], hi[i]]]
    return _mesh(np.concatenate(verts), faces)


def cylinder(r_bottom: float, r_top: float, height: float, seg: int = 20) -> Mesh:
    """Closed frustum along y, centred; r_top = 0 gives a cone."""
    y0, y1 = -height / 2, height / 2
    profile = [(0.0, y0), (r_bottom, y0)]
    profile.append((r_top, y1))
    if r_top > 0:
        profile.append((0.0, y1))
    return _lathe(profile, seg)


def cone(radius: float, height: float, seg: int = 20) -> Mesh:
    return cylinder(radius, 0.0, height, seg)


def sphere(radius: float, seg: int = 16, rings: int = 10) -> Mesh:
    lat = np.linspace(-math.pi / 2, math.pi / 2, rings + 1)
    profile = [(0.0 if k in (0, rings) else radius * math.cos(t), radius * math.sin(t)) for k, t in enumerate(lat)]
    return _lathe(profile, seg)


def capsule(radius: float, length: float, seg: int = 16, rings: int = 4) -> Mesh:
    """Cylinder of the given straight length along y with hemispherical ends (total length + 2r)."""
    half = length / 2
    lat = np.linspace(0, math.pi / 2, rings + 1)
    bottom = [(radius * math.sin(t), -half - radius * math.cos(t)) for t in lat]
    top = [(radius * math.cos(t), half + radius * math.sin(t)) for t in lat]
    profile = [(0.0, bottom[0][1])] + bottom[1:] + top[:-1] + [(0.0, top[-1][1])]
    return _lathe(profile, seg)


def torus(major: float, minor: float, seg: int = 20, tube: int = 10) -> Mesh:
    """Ring in the xz plane around y."""
    u = 2 * math.pi * np.arange(seg) / seg
    v = 2 * math.pi * np.arange(tube) / tube
    uu, vv = np.meshgrid(u, v, indexing="ij")
    rad = major + minor * np.cos(vv)
    pts = np.stack([rad * np.sin(uu), minor * np.sin(vv), rad * np.cos(uu)], axis=-1).reshape(-1, 3)
    faces = []
    for i in range(seg):
        i1 = (i + 1) % seg
        for j in range(tube):
            j1 = (j + 1) % tube
            a, b, c, d = i * tube + j, i1 * tube + j, i1 * tube + j1, i * tube + j1
            faces += [[a, b, c], [a, c, d]]
    return _mesh(pts, faces)


# --- placement -----------------------------------------------------------------------------------------

def rot_x(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def align_y(direction) -> np.ndarray:
    """Rotation taking +y to the unit vector along `direction`."""
    d = np.asarray(direction, dtype=np.float64)
    d = d / np.linalg.norm(d)
    y = np.array([0.0, 1.0, 0.0])
    c = float(y @ d)
    if c > 1 - 1e-12:
        return np.eye(3)
    if c < -1 + 1e-12:
        return rot_x(180)
    k = np.cross(y, d)
    s = np.linalg.norm(k)
    k = k / s
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + s * kx + (1 - c) * (kx @ kx)


def place(mesh: Mesh, at=(0.0, 0.0, 0.0), rot=None, scale=(1.0, 1.0, 1.0)) -> Mesh:
    """Scale (per axis, before rotation), rotate by the 3×3 matrix `rot`, then translate."""
    v, f = mesh
    s = np.asarray(scale, dtype=np.float64)
    out = v * s
    if rot is not None:
        out = out @ np.asarray(rot, dtype=np.float64).T
    out = out + np.asarray(at, dtype=np.float64)
    if np.prod(np.sign(s)) < 0:  # a mirror turns the mesh inside out
        f = f[:, ::-1]
    return out, f


def between(p0, p1, radius: float, kind: str = "cylinder", seg: int = 16) -> Mesh:
    """A cylinder or capsule whose axis runs from p0 to p1."""
    p0 = np.asarray(p0, dtype=np.float64)
    p1 = np.asarray(p1, dtype=np.float64)
    length = float(np.linalg.norm(p1 - p0))
    if kind == "capsule":
        m = capsule(radius, length, seg)
    else:
        m = cylinder(radius, radius, length, seg)
    return place(m, at=(p0 + p1) / 2, rot=align_y(p1 - p0))
