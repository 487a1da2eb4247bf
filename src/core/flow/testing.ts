/** Helpers for the flow tests: sample statistics and the exact moments of a discretized sampler. */

import { GaussianVelocityModel } from './gaussian-model';
import { normals } from './noise';
import { timesteps } from './schedule';

export function mean(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

export function variance(x: Float32Array): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / x.length;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Mean and variance after T Euler(–Maruyama) steps with the exact Gaussian velocity, from x_1 ~ N(0, 1).
 * Every step is affine in x (v = a·x + c, f = v + λ·(x + (1−t)·v)), so the moments follow exactly:
 * m ← (1 + hα)·m + hβ, V ← (1 + hα)²·V + 2λt·|h|. This separates discretization error (moments vs
 * target) from sampling error (samples vs moments).
 */
export function eulerMoments(
  T: number,
  shift: number,
  lambda: number,
  mu: number,
  std: number,
): { mean: number; variance: number } {
  const ts = timesteps(T, shift);
  let m = 0;
  let V = 1;
  for (let k = T; k >= 1; k--) {
    const t = ts[k];
    const h = ts[k - 1] - t;
    const s2 = std * std;
    const D = (1 - t) ** 2 * s2 + t * t;
    const a = (t - (1 - t) * s2) / D;
    const c = -a * (1 - t) * mu - mu;
    const alpha = a + lambda * (1 + (1 - t) * a);
    const beta = c + lambda * (1 - t) * c;
    m = (1 + h * alpha) * m + h * beta;
    V = (1 + h * alpha) ** 2 * V + 2 * lambda * t * -h;
  }
  return { mean: m, variance: V };
}

export const SRC = 'src';
export const TGT = 'tgt';

/** Source N(0, 1), target N(2, 1), unconditional N(1, 1.5²): the editing toy. */
export function toyModel(size: number, target = { mean: 2, std: 1 }): GaussianVelocityModel {
  return new GaussianVelocityModel(size, {
    [SRC]: { mean: 0, std: 1 },
    [TGT]: target,
    uncond: { mean: 1, std: 1.5 },
  });
}

/** A source latent drawn from the source condition (x_src ~ N(0, 1)), independent of every sampler stream. */
export function toySource(size: number, seed = 7): Float32Array {
  return normals(seed, { purpose: 'initial', step: 0, lane: 999 }, size);
}
