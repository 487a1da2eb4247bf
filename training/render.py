"""Canonical view renderer — the model's contract (training/RENDERER.md; twin: src/core/render/).

Renders a voxel grid (occupancy + per-voxel colour), not a mesh, so training and the studio see the
same image. Every number of the spec is in SPEC below and nowhere else in this file.

Exactness: the rays' voxel traversals do not depend on the grid, so they are computed once per view
(`traversal`) in NumPy float32, each operation rounded to float32 exactly as src/core/render/ does it
with Math.fround, and cached. Rendering a batch is then a gather: for each ray, the first occupied voxel
along its precomputed path, and the face it was entered by. So the Python and TypeScript renderers agree
bit for bit on any grid, on CPU and on CUDA alike (no device arithmetic decides which voxel is hit).
"""
from __future__ import annotations

import functools
import math

import numpy as np
import torch

SPEC = {
    "grid_resolution": 64,  # voxels per axis; the cube [-0.5, 0.5]³
    "image_size": 128,  # pixels per side, one ray through each pixel centre
    "views": 8,  # azimuth a_k = k·45°, k = 0 looks at the front (camera on +z), counter-clockwise from +y
    "azimuth_step_deg": 45,
    "elevation_deg": 20,  # camera above the object, looking down
    # cos/sin of 20° as decimal literals: libm's last bit differs between platforms (NumPy's cos(20°)
    # is one ulp off Python's and V8's), and both twins must start from the same double.
    "cos_elevation": 0.9396926207859084,
    "sin_elevation": 0.3420201433256687,
    "half_extent": 0.88,  # orthographic view square [-0.88, 0.88]²; the cube's bounding sphere (√3/2) fits
    "background": (255, 255, 255),
    "light": (-0.4, 0.8, 0.6),  # world-space direction TOWARD the light (normalized below): up, left, front
    "ambient": 0.45,  # shaded colour = colour × (ambient + diffuse · max(0, n·l)), n the entered face's normal
    "diffuse": 0.55,
}

R = SPEC["grid_resolution"]
W = SPEC["image_size"]
MAX_STEPS = 3 * R - 2  # voxels one ray can visit inside the grid
F32 = np.float32
# Face ids: 2·axis for the face whose outward normal is −axis, 2·axis + 1 for +axis.
FACE_NORMALS = np.array([[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, 0, -1], [0, 0, 1]], dtype=np.float64)


def azimuth_sin_cos(view: int) -> tuple:
    """(sin a, cos a) of a_k = k·45°, from exact values (0, ±1, ±√½) rather than libm."""
    if not (isinstance(view, (int, np.integer)) and 0 <= view < SPEC["views"]):
        raise ValueError(f"view must be an integer 0..{SPEC['views'] - 1}, got {view!r}")
    s = math.sqrt(0.5)
    sin = (0.0, s, 1.0, s, 0.0, -s, -1.0, -s)
    cos = (1.0, s, 0.0, -s, -1.0, -s, 0.0, s)
    return sin[view], cos[view]


def camera(view: int) -> dict:
    """float32 forward (ray direction), right and up vectors of a view.

    The camera sits at d = (cos e·sin a, sin e, cos e·cos a) and looks along f = −d; right = (cos a, 0,
    −sin a) and up = right × f. Components are formed in float64 and rounded to float32 once.
    """
    sa, ca = azimuth_sin_cos(view)
    ce, se = SPEC["cos_elevation"], SPEC["sin_elevation"]
    return {
        "forward": np.array([-(ce * sa), -se, -(ce * ca)], dtype=F32),
        "right": np.array([ca, 0.0, -sa], dtype=F32),
        "up": np.array([-(se * sa), ce, -(se * ca)], dtype=F32),
    }


def face_shades() -> np.ndarray:
    """float32 shade factor per face id: ambient + diffuse · max(0, n·l), evaluated in float64."""
    lx, ly, lz = SPEC["light"]
    norm = math.sqrt(lx * lx + ly * ly + lz * lz)
    light = (lx / norm, ly / norm, lz / norm)
    out = []
    for face in range(6):
        axis, positive = face // 2, face % 2 == 1
        nl = light[axis] if positive else -light[axis]
        out.append(SPEC["ambient"] + SPEC["diffuse"] * max(0.0, nl))
    return np.array(out, dtype=F32)


@functools.lru_cache(maxsize=None)
def traversal(view: int) -> np.ndarray:
    """(W·W, MAX_STEPS) int32: per pixel (row-major, row 0 at the top), the voxels its ray visits in
    order, each coded voxel_index·8 + entered_face, then −1. Amanatides–Woo DDA in float32."""
    cam = camera(view)
    f, r, u = cam["forward"], cam["right"], cam["up"]
    half = F32(SPEC["half_extent"])
    k = np.arange(W)
    # Pixel centre in [-1, 1]: (2k + 1)/W − 1 is exact in float32.
    a = ((2 * k + 1) / W - 1).astype(F32)
    sx = np.tile(a * half, W)  # column i → x to the right
    sy = np.repeat((-a) * half, W)  # row j → y downward
    origin = []
    for ax in range(3):
        p = (sx * r[ax]).astype(F32) + (sy * u[ax]).astype(F32)
        origin.append((p.astype(F32) * F32(R) + F32(R / 2)).astype(F32))

    n = W * W
    t_near = np.full(n, -np.inf, dtype=F32)
    t_far = np.full(n, np.inf, dtype=F32)
    inside = np.ones(n, dtype=bool)
    t_axis_near = []
    for ax in range(3):
        o, d = origin[ax], f[ax]
        if d == 0:
            inside &= (o >= 0) & (o < R)
            t_axis_near.append(np.full(n, -np.inf, dtype=F32))
            continue
        t1 = (-o) / d
        t2 = (F32(R) - o) / d
        lo, hi = np.minimum(t1, t2), np.maximum(t1, t2)
        t_axis_near.append(lo)
        t_near = np.maximum(t_near, lo)
        t_far = np.minimum(t_far, hi)
    live = inside & (t_near < t_far)
    entry = np.full(n, -1)
    for ax in (2, 1, 0):  # the first axis (x, y, z order) whose entry equals t_near
        if f[ax] != 0:
            entry = np.where(t_axis_near[ax] == t_near, ax, entry)

    vox, step, t_max = [], [], []
    for ax in range(3):
        o, d = origin[ax], f[ax]
        if d == 0:
            v = np.floor(o)
        else:
            p = (o + (t_near * d).astype(F32)).astype(F32)
            v = np.clip(np.floor(np.where(np.isfinite(p), p, 0)), 0, R - 1)
            v = np.where(entry == ax, 0 if d > 0 else R - 1, v)
        v = np.where(live, v, 0).astype(np.int64)
        vox.append(v)
        step.append(0 if d == 0 else (1 if d > 0 else -1))
    face = np.where(live, 2 * entry + (f[np.maximum(entry, 0)] < 0), 0).astype(np.int64)

    def boundary_t(ax):
        d = f[ax]
        if d == 0:
            return np.full(n, np.inf, dtype=F32)
        edge = (vox[ax] + (1 if d > 0 else 0)).astype(F32)
        return ((edge - origin[ax]).astype(F32) / d).astype(F32)

    t_max = [boundary_t(ax) for ax in range(3)]
    table = np.full((n, MAX_STEPS), -1, dtype=np.int32)
    for s in range(MAX_STEPS):
        if not live.any():
            break
        idx = vox[0] + R * (vox[1] + R * vox[2])
        table[live, s] = (idx * 8 + face)[live]
        tx, ty, tz = t_max
        m = np.where((tx <= ty) & (tx <= tz), 0, np.where(ty <= tz, 1, 2))
        for ax in range(3):
            sel = live & (m == ax)
            if not sel.any():
                continue
            vox[ax] = np.where(sel, vox[ax] + step[ax], vox[ax])
            face = np.where(sel, 2 * ax + (1 if step[ax] < 0 else 0), face)
            out = sel & ((vox[ax] < 0) | (vox[ax] >= R))
            live = live & ~out
            t_max[ax] = np.where(sel & live, boundary_t(ax), t_max[ax])
    return table


_TABLES: dict = {}


def _table(view: int, device: torch.device) -> torch.Tensor:
    key = (view, str(device))
    if key not in _TABLES:
        t = traversal(view)
        used = int((t >= 0).sum(axis=1).max()) if (t >= 0).any() else 1
        _TABLES[key] = torch.from_numpy(np.ascontiguousarray(t[:, :used])).to(device)
    return _TABLES[key]


@torch.no_grad()
def render(occupancy, colors, views, flat=False, chunk: int = 16) -> torch.Tensor:
    """Renders grids: occupancy (B, R, R, R) and colors (B, R, R, R, 3), [b][z][y][x], uint8 or bool.

    views: one int for all, or B ints; flat: bool for all, or B bools (flat = the voxel colour unshaded).
    Returns (B, W, W, 3) uint8 on the grids' device, row 0 at the top.
    """
    occ = torch.as_tensor(occupancy)
    col = torch.as_tensor(colors)
    if occ.dim() == 3:
        occ, col = occ[None], col[None]
    B = occ.shape[0]
    dev = occ.device
    views = [int(views)] * B if isinstance(views, (int, np.integer)) else [int(v) for v in views]
    flat = torch.as_tensor([bool(flat)] * B if isinstance(flat, (bool, np.bool_)) else [bool(x) for x in flat], device=dev)
    occ_flat = occ.reshape(B, -1) != 0
    col_flat = col.reshape(B, -1, 3)
    shades = torch.from_numpy(face_shades()).to(dev)
    out = torch.empty((B, W * W, 3), dtype=torch.uint8, device=dev)
    for view in sorted(set(views)):
        table = _table(view, dev)
        vox = (table >> 3).long()
        face = (table & 7).long()
        valid = table >= 0
        S = table.shape[1]
        steps = torch.arange(S, device=dev)
        members = [b for b in range(B) if views[b] == view]
        for c0 in range(0, len(members), chunk):
            bs = torch.tensor(members[c0:c0 + chunk], device=dev)
            hit_mask = occ_flat[bs][:, vox.clamp(min=0)] & valid  # (b, P, S)
            first = torch.where(hit_mask, steps, torch.full_like(steps, S)).min(dim=-1).values  # (b, P)
            hit = first < S
            at = first.clamp(max=S - 1)
            hv = torch.gather(vox.expand(len(bs), -1, -1), 2, at[..., None])[..., 0]
            hf = torch.gather(face.expand(len(bs), -1, -1), 2, at[..., None])[..., 0].clamp(max=5)
            rgb = torch.gather(col_flat[bs], 1, hv.clamp(min=0)[..., None].expand(-1, -1, 3))
            shaded = torch.floor(rgb.float() * shades[hf][..., None] + 0.5).to(torch.uint8)
            rgb = torch.where(flat[bs][:, None, None], rgb, shaded)
            bg = torch.tensor(SPEC["background"], dtype=torch.uint8, device=dev)
            out[bs] = torch.where(hit[..., None], rgb, bg)
    return out.reshape(B, W, W, 3)
