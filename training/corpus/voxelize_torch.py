"""Surface-shell voxelizer in PyTorch, reproducing src/core/voxelize.ts exactly.

Definition (DESIGN §3, voxelize.ts): in grid units g = (p + 0.5)·R, voxel (x, y, z) is the CLOSED box
[x, x+1] × [y, y+1] × [z, z+1]; it is occupied iff some triangle meets it by the separating-axis test
of src/core/tri-box.ts (touching counts). Its colour is that of the triangle whose closest point to
the voxel centre is nearest, among the triangles that meet it; ties go to the lower triangle index.
The corpus colours whole faces, so the colour is the face colour (the TS voxelizer interpolates equal
vertex colours, which rounds back to the same byte).

Everything is float64 and evaluated in the same operation order as the TypeScript, so on the same
float32 vertices the two agree bit for bit (tests/fixtures/corpus and src/core/corpus-parity.test.ts
check it). Work is vectorized over candidate (triangle, voxel) pairs: every voxel of each
triangle's bounding box, as voxelize.ts's 'bbox' candidates (its 'slab' pruning gives the same set of
overlapping pairs). Several meshes are voxelized in one call; runs on CPU and CUDA.
"""
from __future__ import annotations

import warnings

import numpy as np
import torch

EPS = 1e-9  # voxelize.ts: candidate ranges are widened by this many voxels (a superset is harmless)
BIG = torch.iinfo(torch.int64).max


def _as_mesh(item):
    if hasattr(item, "face_colors"):
        return item.vertices, item.faces, item.face_colors
    return item


def _separates(p0, p1, p2, r):
    return ((p0 > r) & (p1 > r) & (p2 > r)) | ((p0 < -r) & (p1 < -r) & (p2 < -r))


def tri_box_overlap(tri: torch.Tensor, bx: torch.Tensor, by: torch.Tensor, bz: torch.Tensor) -> torch.Tensor:
    """SAT overlap of triangles tri (P, 9: a, b, c) with unit boxes [b, b+1] (integer corners), per pair.

    Same arithmetic as triangleBoxOverlap in src/core/tri-box.ts with min = b, max = b + 1.
    """
    ox, oy, oz = bx + 0.5, by + 0.5, bz + 0.5  # (min + max)·0.5, exact
    hx = hy = hz = 0.5
    v0x, v0y, v0z = tri[:, 0] - ox, tri[:, 1] - oy, tri[:, 2] - oz
    v1x, v1y, v1z = tri[:, 3] - ox, tri[:, 4] - oy, tri[:, 5] - oz
    v2x, v2y, v2z = tri[:, 6] - ox, tri[:, 7] - oy, tri[:, 8] - oz
    sep = _separates(v0x, v1x, v2x, hx) | _separates(v0y, v1y, v2y, hy) | _separates(v0z, v1z, v2z, hz)
    edges = ((v1x - v0x, v1y - v0y, v1z - v0z), (v2x - v1x, v2y - v1y, v2z - v1z), (v0x - v2x, v0y - v2y, v0z - v2z))
    for ex, ey, ez in edges:
        fx, fy, fz = ex.abs(), ey.abs(), ez.abs()
        r = hy * fz + hz * fy
        sep |= _separates(ey * v0z - ez * v0y, ey * v1z - ez * v1y, ey * v2z - ez * v2y, r)
        r = hx * fz + hz * fx
        sep |= _separates(ez * v0x - ex * v0z, ez * v1x - ex * v1z, ez * v2x - ex * v2z, r)
        r = hx * fy + hy * fx
        sep |= _separates(ex * v0y - ey * v0x, ex * v1y - ey * v1x, ex * v2y - ey * v2x, r)
    (e0x, e0y, e0z), (e1x, e1y, e1z), _ = edges
    nx = e0y * e1z - e0z * e1y
    ny = e0z * e1x - e0x * e1z
    nz = e0x * e1y - e0y * e1x
    d0 = nx * v0x + ny * v0y + nz * v0z
    d1 = nx * v1x + ny * v1y + nz * v1z
    d2 = nx * v2x + ny * v2y + nz * v2z
    r = hx * nx.abs() + hy * ny.abs() + hz * nz.abs()
    sep |= _separates(d0, d1, d2, r)
    return ~sep


def _closest_on_edges(a, b, c, p):
    """closestOnEdges of surface-color.ts: barycentric weights (u, v, w) of the nearest edge point."""
    best = torch.full_like(p[0], float("inf"))
    out = [torch.zeros_like(p[0]) for _ in range(3)]
    for s, e, i, j in ((a, b, 0, 1), (b, c, 1, 2), (c, a, 2, 0)):
        dx, dy, dz = e[0] - s[0], e[1] - s[1], e[2] - s[2]
        len2 = dx * dx + dy * dy + dz * dz
        raw = ((p[0] - s[0]) * dx + (p[1] - s[1]) * dy + (p[2] - s[2]) * dz) / torch.where(len2 > 0, len2, torch.ones_like(len2))
        raw = torch.where(len2 > 0, raw, torch.zeros_like(raw))
        t = torch.clamp(raw, min=0.0).clamp(max=1.0)
        qx, qy, qz = s[0] + t * dx - p[0], s[1] + t * dy - p[1], s[2] + t * dz - p[2]
        d = qx * qx + qy * qy + qz * qz
        better = d < best
        best = torch.where(better, d, best)
        new = [torch.zeros_like(t) for _ in range(3)]
        new[i] = 1 - t
        new[j] = t
        out = [torch.where(better, n, o) for n, o in zip(new, out)]
    return out


def closest_distance2(tri: torch.Tensor, px, py, pz) -> torch.Tensor:
    """Squared distance from p to triangle tri (P, 9), as closestPointOnTriangle in surface-color.ts."""
    ax, ay, az, bx, by, bz, cx, cy, cz = (tri[:, k] for k in range(9))
    abx, aby, abz = bx - ax, by - ay, bz - az
    acx, acy, acz = cx - ax, cy - ay, cz - az
    apx, apy, apz = px - ax, py - ay, pz - az
    d1 = abx * apx + aby * apy + abz * apz
    d2 = acx * apx + acy * apy + acz * apz
    nx = aby * acz - abz * acy
    ny = abz * acx - abx * acz
    nz = abx * acy - aby * acx
    degenerate = (nx * nx + ny * ny + nz * nz) == 0
    bpx, bpy, bpz = px - bx, py - by, pz - bz
    d3 = abx * bpx + aby * bpy + abz * bpz
    d4 = acx * bpx + acy * bpy + acz * bpz
    cpx, cpy, cpz = px - cx, py - cy, pz - cz
    d5 = abx * cpx + aby * cpy + abz * cpz
    d6 = acx * cpx + acy * cpy + acz * cpz
    vc = d1 * d4 - d3 * d2
    vb = d5 * d2 - d1 * d6
    va = d3 * d6 - d5 * d4
    one, zero = torch.ones_like(d1), torch.zeros_like(d1)

    # Each region's weights; the first true condition wins, as in the TS if/else chain.
    t_ab = d1 / (d1 - d3)
    t_ac = d2 / (d2 - d6)
    t_bc = (d4 - d3) / ((d4 - d3) + (d5 - d6))
    s = (va + vb) + vc
    s_safe = torch.where(s > 0, s, one)
    iv, iw = vb / s_safe, vc / s_safe
    iu = (1 - iv) - iw
    regions = [
        ((d1 <= 0) & (d2 <= 0), (one, zero, zero)),
        ((d3 >= 0) & (d4 <= d3), (zero, one, zero)),
        ((vc <= 0) & (d1 >= 0) & (d3 <= 0), (1 - t_ab, t_ab, zero)),
        ((d6 >= 0) & (d5 <= d6), (zero, zero, one)),
        ((vb <= 0) & (d2 >= 0) & (d6 <= 0), (1 - t_ac, zero, t_ac)),
        ((va <= 0) & ((d4 - d3) >= 0) & ((d5 - d6) >= 0), (zero, 1 - t_bc, t_bc)),
        (s > 0, (iu, iv, iw)),
    ]
    u, v, w = zero, zero, zero
    for cond, (cu, cv, cw) in reversed(regions):  # so the first true condition is applied last
        u, v, w = torch.where(cond, cu, u), torch.where(cond, cv, v), torch.where(cond, cw, w)
    # Zero-area triangles, and the rare case where rounding left no region: the closest edge point.
    # Computed for those pairs only; it is the costliest branch.
    need = degenerate | ~torch.stack([c for c, _ in regions]).any(dim=0)
    if bool(need.any()):
        sub = lambda t: t[need]  # noqa: E731
        eu, ev, ew = _closest_on_edges((sub(ax), sub(ay), sub(az)), (sub(bx), sub(by), sub(bz)),
                                       (sub(cx), sub(cy), sub(cz)), (sub(px), sub(py), sub(pz)))
        u, v, w = u.clone(), v.clone(), w.clone()
        u[need], v[need], w[need] = eu, ev, ew
    qx = u * ax + v * bx + w * cx - px
    qy = u * ay + v * by + w * cy - py
    qz = u * az + v * bz + w * cz - pz
    return qx * qx + qy * qy + qz * qz


@torch.no_grad()
def voxelize(meshes, resolution: int = 64, device=None, max_pairs: int | None = None):
    """Voxelizes meshes (each a Shape or (vertices (n,3) float32, faces (m,3) int, face_colors (m,3) uint8)).

    Vertices must already be normalized into [-0.5, 0.5]³. Returns (occupancy, colors) as uint8 tensors
    of shape (B, R, R, R) and (B, R, R, R, 3), indexed [b][z][y][x] (DESIGN §3), on `device`.
    """
    R = resolution
    device = torch.device(device or "cpu")
    if max_pairs is None:
        # Pairs per vectorized step: small on CPU (cache-friendly), large on a GPU (fewer launches).
        max_pairs = 1 << 22 if device.type == "cuda" else 1 << 17
    tris, mesh_ids, colors = [], [], []
    for b, item in enumerate(meshes):
        v, f, c = _as_mesh(item)
        v = torch.as_tensor(np.asarray(v, dtype=np.float32) if not torch.is_tensor(v) else v).to(device)
        f = torch.as_tensor(np.asarray(f, dtype=np.int64) if not torch.is_tensor(f) else f).to(device).long()
        c = torch.as_tensor(np.asarray(c, dtype=np.uint8) if not torch.is_tensor(c) else c).to(device)
        g = (v.to(torch.float32).double() + 0.5) * R
        tris.append(g[f].reshape(-1, 9))
        mesh_ids.append(torch.full((len(f),), b, dtype=torch.int64, device=device))
        colors.append(c.reshape(-1, 3))
    B = len(tris)
    tri = torch.cat(tris)
    mesh_id = torch.cat(mesh_ids)
    face_colors = torch.cat(colors)
    T = len(tri)
    cells = R * R * R

    pts = tri.reshape(T, 3, 3)
    finite = torch.isfinite(tri).all(dim=1)
    safe = torch.where(finite[:, None, None], pts, torch.zeros_like(pts))
    lo = torch.ceil(safe.min(dim=1).values - EPS).long() - 1
    hi = torch.floor(safe.max(dim=1).values + EPS).long()
    lo = lo.clamp(min=0)
    hi = hi.clamp(max=R - 1)
    n = (hi - lo + 1).clamp(min=0)
    count = n[:, 0] * n[:, 1] * n[:, 2] * finite.long()

    best_d = torch.full((B * cells,), float("inf"), dtype=torch.float64, device=device)
    best_t = torch.full((B * cells,), BIG, dtype=torch.int64, device=device)

    # Triangles in index order, grouped so each group has at most max_pairs candidate pairs (or is one
    # triangle); because groups come in ascending index order, a tie keeps the earlier group's owner.
    ends = torch.cumsum(count, 0).cpu().numpy()
    start = 0
    while start < T:
        base = ends[start - 1] if start > 0 else 0
        stop = int(np.searchsorted(ends, base + max_pairs, side="right"))
        stop = max(stop, start + 1)
        _accumulate(tri, lo, n, count, mesh_id, start, stop, R, best_d, best_t)
        start = stop

    occupied = best_t != BIG
    occ = occupied.to(torch.uint8).reshape(B, R, R, R)
    col = torch.zeros((B * cells, 3), dtype=torch.uint8, device=device)
    col[occupied] = face_colors[best_t[occupied]]
    return occ, col.reshape(B, R, R, R, 3)


def _accumulate(tri, lo, n, count, mesh_id, start, stop, R, best_d, best_t):
    dev = tri.device
    idx = torch.arange(start, stop, device=dev)
    c = count[start:stop]
    total = int(c.sum())
    if total == 0:
        return
    pair_tri = torch.repeat_interleave(idx, c)
    first = torch.cumsum(c, 0) - c
    local = torch.arange(total, device=dev) - torch.repeat_interleave(first, c)
    nx, ny = n[pair_tri, 0], n[pair_tri, 1]
    ix = lo[pair_tri, 0] + local % nx
    iy = lo[pair_tri, 1] + (local // nx) % ny
    iz = lo[pair_tri, 2] + local // (nx * ny)
    t9 = tri[pair_tri]
    hit = tri_box_overlap(t9, ix.double(), iy.double(), iz.double())
    if not bool(hit.any()):
        return
    pair_tri, ix, iy, iz, t9 = pair_tri[hit], ix[hit], iy[hit], iz[hit], t9[hit]
    d2 = closest_distance2(t9, ix.double() + 0.5, iy.double() + 0.5, iz.double() + 0.5)
    key = mesh_id[pair_tri] * (R * R * R) + ix + R * (iy + R * iz)
    # Reduce over the voxels this group touches only (not the whole batch of grids): per voxel the
    # smallest distance, then the lowest triangle index at it. An earlier group's owner at the same
    # distance has a lower index still, so it is kept.
    voxels, inverse = torch.unique(key, return_inverse=True)
    with warnings.catch_warnings():  # scatter_reduce is "beta" in torch 1.13, stable later
        warnings.simplefilter("ignore", UserWarning)
        group_d = torch.full((len(voxels),), float("inf"), dtype=d2.dtype, device=dev)
        group_d.scatter_reduce_(0, inverse, d2, reduce="amin", include_self=True)
        at_min = d2 == group_d[inverse]
        group_t = torch.full((len(voxels),), BIG, dtype=torch.int64, device=dev)
        group_t.scatter_reduce_(0, inverse[at_min], pair_tri[at_min], reduce="amin", include_self=True)
    old_d, old_t = best_d[voxels], best_t[voxels]
    take = group_d < old_d
    best_d[voxels] = torch.where(take, group_d, old_d)
    best_t[voxels] = torch.where(take, group_t, old_t)
