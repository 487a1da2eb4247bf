/**
 * The timestep grid (DESIGN §3): t_k = shift(k/T), k = 0..T, with t_T = 1 (noise) and t_0 = 0 (data);
 * step k takes t_k to t_{k−1}. shift(u) = r·u / (1 + (r − 1)·u) is TRELLIS' rescale_t (r = 3), which
 * spends more steps at high noise where the coarse structure is decided.
 */

import { InvalidArgumentError } from '../errors';

export const DEFAULT_SHIFT = 3;

export function checkSteps(T: number): void {
  if (!Number.isInteger(T) || T < 1 || T > 10_000) {
    throw new InvalidArgumentError(
      `T = ${T} is out of range: the step count must be an integer from 1 to 10000.`,
      'Use the pack’s default (25 for TRELLIS-like packs) or another whole number of steps.',
    );
  }
}

export function checkShift(r: number): void {
  if (!Number.isFinite(r) || r <= 0) {
    throw new InvalidArgumentError(
      `shift = ${r} is out of range: the schedule shift r must be a finite number > 0.`,
      'Use r = 3 (TRELLIS, CAST3D) or r = 1 for an unshifted, linear grid.',
    );
  }
}

export function shiftTime(u: number, r: number = DEFAULT_SHIFT): number {
  return (r * u) / (1 + (r - 1) * u);
}

/** Inverse of `shiftTime`: the fraction u = k/T at which the shifted grid reaches time t. */
export function unshiftTime(t: number, r: number = DEFAULT_SHIFT): number {
  return t / (r - (r - 1) * t);
}

/** t_0..t_T (index k holds t_k). Endpoints are set exactly so the last step lands on data. */
export function timesteps(T: number, r: number = DEFAULT_SHIFT): Float64Array {
  checkSteps(T);
  checkShift(r);
  const ts = new Float64Array(T + 1);
  for (let k = 1; k < T; k++) ts[k] = shiftTime(k / T, r);
  ts[0] = 0;
  ts[T] = 1;
  return ts;
}

/**
 * The n_max whose start time t_{n_max} on a (T, r) grid is closest to `tStart`. Edit strength is set
 * by where the edit starts in time, not by a step index, so numbers borrowed from a paper with another
 * grid are carried over through this (see presets.ts).
 */
export function stepsForStartTime(tStart: number, T: number, r: number = DEFAULT_SHIFT): number {
  checkSteps(T);
  checkShift(r);
  if (!(tStart >= 0 && tStart <= 1)) {
    throw new InvalidArgumentError(
      `tStart = ${tStart} is out of range: a start time must lie in [0, 1].`,
      'Use a time between 0 (data) and 1 (pure noise).',
    );
  }
  return Math.min(T, Math.max(0, Math.round(T * unshiftTime(tStart, r))));
}
