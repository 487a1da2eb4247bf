"""The studio's edit samplers in PyTorch, for the native reference of issue 7 (bench/gpu/native_edit.py).

Same maths as src/core/flow/: time grid t_k = shift(k/T) (schedule.ts), guidance v = v_u + s·(v_c − v_u)
only where guidanceApplies (model.ts: s ≠ 1 and t inside the interval; uncond = all-zero tokens), and
every (trajectory × cond/uncond) pair of a step in ONE forward call, as guidedVelocitiesOn batches it.
The per-method updates follow edit-loop.ts (FlowEdit, AnchorFlow 'paper'), stm.ts (stochastic
generator, identity mapper) and sample.ts (Regenerate, λ = 0).

Noise comes from torch's generator, not the studio's Philox streams (src/core/flow/philox.ts): same
distributions, different draws, so results are not bit-comparable with the browser's; the work per step
(and so the timing) is identical.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch

DEFAULT_SHIFT = 3.0


def shift_time(u: float, r: float = DEFAULT_SHIFT) -> float:
    return r * u / (1 + (r - 1) * u)


def unshift_time(t: float, r: float = DEFAULT_SHIFT) -> float:
    return t / (r - (r - 1) * t)


def timesteps(T: int, r: float = DEFAULT_SHIFT) -> list:
    ts = [shift_time(k / T, r) for k in range(T + 1)]
    ts[0], ts[T] = 0.0, 1.0
    return ts


def js_round(x: float) -> int:
    # Math.round rounds halves up; Python's round() rounds them to even.
    return math.floor(x + 0.5)


def steps_for_start_time(t_start: float, T: int, r: float = DEFAULT_SHIFT) -> int:
    return min(T, max(0, js_round(T * unshift_time(t_start, r))))


# presets.ts's start times: where each paper's n_max starts in time, carried to the pack's grid.
def _hunyuan_start(n_max: int) -> float:
    return 1 - (50 - n_max) / 49


def _trellis_start(n_max: int) -> float:
    return shift_time(n_max / 25, 3)


_NANO3D = dict(t_start=_trellis_start(13), n_avg=5, s_src=2.5, s_tgt=6.5)
_ANCHOR = {35: 5.0, 37: 6.0, 41: 7.5, 45: 10.0}
PRESETS = {
    "flowedit": {k: dict(_NANO3D) for k in ("remove", "add", "replace", "style")}
    | {"pose": dict(_NANO3D, t_start=_hunyuan_start(45))},
    "anchorflow": {kind: dict(t_start=_hunyuan_start(n), n_avg=1, s_src=3.5, s_tgt=_ANCHOR[n], variant="paper")
                   for kind, n in (("remove", 35), ("style", 35), ("add", 37), ("replace", 41), ("pose", 45))},
    "stm": {kind: dict(t_start=_trellis_start(n), n_avg=1, s_src=6.0, s_tgt=6.0, lam=0.6)
            for kind, n in (("remove", 12), ("style", 12), ("add", 18), ("replace", 18), ("pose", 21))},
}
METHODS = ("flowedit", "anchorflow", "stm", "regenerate")


@dataclass
class Resolved:
    method: str
    kind: str
    T: int
    shift: float
    n_max: int
    n_avg: int
    s_src: float
    s_tgt: float
    lam: float = 0.0
    variant: str = "paper"

    def to_dict(self) -> dict:
        return asdict(self)


def resolve(method: str, kind: str, T: int, shift: float, cfg: float) -> Resolved:
    """settings.ts resolveEditSettings without overrides: Regenerate runs all T steps at the pack's cfg."""
    if method == "regenerate":
        return Resolved(method, kind, T, shift, T, 1, cfg, cfg)
    p = PRESETS[method][kind]
    return Resolved(method, kind, T, shift, steps_for_start_time(p["t_start"], T, shift), p["n_avg"],
                    p["s_src"], p["s_tgt"], p.get("lam", 0.0), p.get("variant", "paper"))


def guidance_applies(t: float, scale: float, interval) -> bool:
    if scale == 1:
        return False
    return interval is None or interval[0] <= t <= interval[1]


class GuidedFlow:
    """v for a list of (x (n, C, R, R, R), cond name, scale) at one t, from one batched forward call."""

    def __init__(self, flow, conds: dict, interval, autocast_dtype=None):
        self.flow = flow
        self.conds = conds  # name → (1, L, D)
        self.uncond = torch.zeros_like(next(iter(conds.values())))
        self.interval = interval
        self.autocast_dtype = autocast_dtype
        self.calls = 0
        self.batch_sizes: list = []

    def __call__(self, t: float, queries: list) -> list:
        xs, cs, layout = [], [], []
        for x, cond, scale in queries:
            n = x.shape[0]
            xs.append(x)
            cs.append(self.conds[cond].expand(n, -1, -1))
            layout.append(n)
        guided = [guidance_applies(t, s, self.interval) for _, _, s in queries]
        for (x, _, _), g in zip(queries, guided):
            if g:
                xs.append(x)
                cs.append(self.uncond.expand(x.shape[0], -1, -1))
        x = torch.cat(xs)
        cond = torch.cat(cs)
        tt = torch.full((x.shape[0],), t, device=x.device, dtype=torch.float32)
        with self._autocast(x.device):
            v = self.flow(x, tt, cond)
        v = v.float()
        self.calls += 1
        self.batch_sizes.append(int(x.shape[0]))
        out, at, uat = [], 0, sum(layout)
        for (_, _, s), n, g in zip(queries, layout, guided):
            vc = v[at:at + n]
            at += n
            if g:
                vu = v[uat:uat + n]
                uat += n
                vc = vu + s * (vc - vu)
            out.append(vc)
        return out

    def _autocast(self, device):
        if self.autocast_dtype is None:
            return torch.autocast(device.type, enabled=False)
        return torch.autocast(device.type, dtype=self.autocast_dtype)


def paired_edit(v: GuidedFlow, x_src, r: Resolved, gen, on_step=None):
    """edit-loop.ts with n_min = 0: FlowEdit (direction v_q − v_p) or AnchorFlow 'paper'
    ((2−t)·(ε̂_q − ε̂_p), ε̂ = x + (1−t)·v)."""
    ts = timesteps(r.T, r.shift)
    z = x_src.clone()
    n = r.n_avg
    for k in range(r.n_max, 0, -1):
        t, t_next = ts[k], ts[k - 1]
        eps = torch.randn((n, *x_src.shape[1:]), generator=gen, device=x_src.device)
        p = (1 - t) * x_src + t * eps
        q = p + (z - x_src)
        vq, vp = v(t, [(q, "tgt", r.s_tgt), (p, "src", r.s_src)])
        if r.method == "flowedit":
            acc = (vq - vp).mean(0, keepdim=True)
        elif r.variant == "paper":
            acc = ((2 - t) * ((q + (1 - t) * vq) - (p + (1 - t) * vp))).mean(0, keepdim=True)
        else:
            raise ValueError(f"AnchorFlow variant {r.variant!r} is not mirrored here")
        z = z + (t_next - t) * acc
        if on_step:
            on_step(k)
    return z


def stm(v: GuidedFlow, x_src, r: Resolved, gen, on_step=None):
    """stm.ts with G_stc (fresh forward noise per grid time) and the identity mapper."""
    ts = timesteps(r.T, r.shift)
    lam = r.lam

    def generate(k):
        if k == 0:
            return x_src.clone()
        eps = torch.randn(x_src.shape, generator=gen, device=x_src.device)
        return (1 - ts[k]) * x_src + ts[k] * eps

    xs = generate(r.n_max)
    xt = xs.clone()
    for k in range(r.n_max, 0, -1):
        t, t_next = ts[k], ts[k - 1]
        h = t_next - t
        xs_next = generate(k - 1)
        vt, vs = v(t, [(xt, "tgt", r.s_tgt), (xs, "src", r.s_src)])
        f_src = vs + lam * (xs + (1 - t) * vs)
        f_tgt = vt + lam * (xt + (1 - t) * vt)
        w = (xs_next - xs) - h * f_src
        xt = xt + h * f_tgt + w
        xs = xs_next
        if on_step:
            on_step(k)
    return xt


def regenerate(v: GuidedFlow, shape, device, r: Resolved, gen, on_step=None):
    """sample.ts with λ = 0: Euler on the flow ODE from fresh noise, conditioned on the target view."""
    ts = timesteps(r.T, r.shift)
    x = torch.randn(shape, generator=gen, device=device)
    for k in range(r.T, 0, -1):
        t, t_next = ts[k], ts[k - 1]
        (vc,) = v(t, [(x, "tgt", r.s_tgt)])
        x = x + (t_next - t) * vc
        if on_step:
            on_step(k)
    return x


def run_method(v: GuidedFlow, x_src, r: Resolved, gen, on_step=None):
    if r.method in ("flowedit", "anchorflow"):
        return paired_edit(v, x_src, r, gen, on_step)
    if r.method == "stm":
        return stm(v, x_src, r, gen, on_step)
    if r.method == "regenerate":
        return regenerate(v, x_src.shape, x_src.device, r, gen, on_step)
    raise ValueError(f"unknown method {r.method!r}")
