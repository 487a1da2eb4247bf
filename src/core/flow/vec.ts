/**
 * The per-element arithmetic of every sampler step, one small function per kernel entry point: this
 * module is the CPU twin of the WGSL step kernels (DESIGN §6), so keep each function a plain
 * element-wise loop that a shader can copy.
 *
 * Every scalar coefficient and every intermediate is rounded to f32 (`Math.fround`), so the results
 * match an unfused f32 implementation; a GPU that contracts a·x + y into an FMA differs in the last
 * bit, which is why backends are compared within tolerance. Outputs may alias inputs element-wise.
 */

const f = Math.fround;

/** y ← y + a·x */
export function axpy(y: Float32Array, a: number, x: Float32Array): void {
  const a32 = f(a);
  for (let i = 0; i < y.length; i++) y[i] = y[i] + f(a32 * x[i]);
}

/** out ← x + a·y */
export function addScaled(out: Float32Array, x: Float32Array, a: number, y: Float32Array): void {
  const a32 = f(a);
  for (let i = 0; i < out.length; i++) out[i] = x[i] + f(a32 * y[i]);
}

/** out ← a·x */
export function scale(out: Float32Array, x: Float32Array, a: number): void {
  const a32 = f(a);
  for (let i = 0; i < out.length; i++) out[i] = f(a32 * x[i]);
}

/** out ← a − b */
export function sub(out: Float32Array, a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] - b[i];
}

/**
 * out ← p + (z − x): FlowEdit's q_t. Grouped so that z = x gives q = p bit for bit, which is what
 * makes an edit with c_tgt = c_src an exact no-op.
 */
export function shiftBy(out: Float32Array, p: Float32Array, z: Float32Array, x: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = p[i] + f(z[i] - x[i]);
}

/** out ← (1 − t)·x0 + t·ε: the forward interpolation x_t (t = 0 returns x0 exactly). */
export function noiseTo(out: Float32Array, x0: Float32Array, eps: Float32Array, t: number): void {
  const t32 = f(t);
  const c = f(1 - t32);
  for (let i = 0; i < out.length; i++) out[i] = f(c * x0[i]) + f(t32 * eps[i]);
}

/** out ← v_u + s·(v_c − v_u): classifier-free guidance, diffusers' form (DESIGN §3). */
export function guide(out: Float32Array, vu: Float32Array, vc: Float32Array, s: number): void {
  const s32 = f(s);
  for (let i = 0; i < out.length; i++) out[i] = vu[i] + f(s32 * f(vc[i] - vu[i]));
}

/** out ← x − t·v: the clean estimate x̂0. */
export function cleanEstimate(out: Float32Array, x: Float32Array, v: Float32Array, t: number): void {
  const t32 = f(t);
  for (let i = 0; i < out.length; i++) out[i] = x[i] - f(t32 * v[i]);
}

/** out ← x + (1 − t)·v: the noise estimate ε̂ (AnchorFlow's one-step inversion F in our convention). */
export function noiseEstimate(out: Float32Array, x: Float32Array, v: Float32Array, t: number): void {
  const c = f(1 - f(t));
  for (let i = 0; i < out.length; i++) out[i] = x[i] + f(c * v[i]);
}

/** acc ← acc + w·(a − b): one term of FlowEdit's n_avg mean of v_tgt − v_src. */
export function accumulateDiff(acc: Float32Array, w: number, a: Float32Array, b: Float32Array): void {
  const w32 = f(w);
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i] + f(w32 * f(a[i] - b[i]));
}

/**
 * acc ← acc + w·(2 − t)·(ε̂(q, v_q) − ε̂(p, v_p)): AnchorFlow's Jacobian-free gradient of
 * ½‖F(q) − F(p)‖² in our convention, with F = ε̂ = x + (1 − t)·v (see anchorflow.ts).
 */
export function accumulateAnchorPaper(
  acc: Float32Array,
  w: number,
  q: Float32Array,
  vq: Float32Array,
  p: Float32Array,
  vp: Float32Array,
  t: number,
): void {
  const c = f(1 - f(t));
  const g = f(f(w) * f(2 - f(t)));
  for (let i = 0; i < acc.length; i++) {
    const fq = q[i] + f(c * vq[i]);
    const fp = p[i] + f(c * vp[i]);
    acc[i] = acc[i] + f(g * f(f(fq) - f(fp)));
  }
}

/**
 * acc ← acc + w·(2·(v_q − v_p) − t·(x̂0(q, v_q) − x̂0(p, v_p))): the public code's direction mapped
 * into our convention (see anchorflow.ts for the derivation).
 */
export function accumulateAnchorCode(
  acc: Float32Array,
  w: number,
  q: Float32Array,
  vq: Float32Array,
  p: Float32Array,
  vp: Float32Array,
  t: number,
): void {
  const w32 = f(w);
  const t32 = f(t);
  for (let i = 0; i < acc.length; i++) {
    const cq = f(q[i] - f(t32 * vq[i]));
    const cp = f(p[i] - f(t32 * vp[i]));
    const dir = f(f(2 * f(vq[i] - vp[i])) - f(t32 * f(cq - cp)));
    acc[i] = acc[i] + f(w32 * dir);
  }
}

/** out ← v + λ·(x + (1 − t)·v): the reverse-SDE drift f = v − ½g²∇log p_t with g² = 2λt and ∇log p_t = −ε̂/t. */
export function sdeDrift(
  out: Float32Array,
  x: Float32Array,
  v: Float32Array,
  t: number,
  lambda: number,
): void {
  const c = f(1 - f(t));
  const l32 = f(lambda);
  for (let i = 0; i < out.length; i++) {
    const eps = f(x[i] + f(c * v[i]));
    out[i] = v[i] + f(l32 * eps);
  }
}

/** out ← next − x − h·drift: the diffusion increment g·√|h|·ε that took x to next (STM noise extraction). */
export function diffusionIncrement(
  out: Float32Array,
  next: Float32Array,
  x: Float32Array,
  h: number,
  drift: Float32Array,
): void {
  const h32 = f(h);
  for (let i = 0; i < out.length; i++) out[i] = f(next[i] - x[i]) - f(h32 * drift[i]);
}

/** Number of NaN or ±Infinity entries. */
export function countNonFinite(x: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) bad++;
  return bad;
}
