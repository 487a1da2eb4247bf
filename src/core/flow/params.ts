/**
 * Parameter checks shared by the editors. Each error names the parameter, the value given and the
 * allowed range, because these numbers come straight from a person's slider or a CLI flag.
 */

import { InvalidArgumentError } from '../errors';
import { checkSeed } from './noise';
import { checkShift, checkSteps, DEFAULT_SHIFT } from './schedule';
import { countNonFinite } from './vec';

export function checkEditRange(T: number, nMax: number, nMin: number): void {
  checkSteps(T);
  if (!Number.isInteger(nMax) || nMax < 0 || nMax > T) {
    throw new InvalidArgumentError(
      `n_max = ${nMax} is out of range: it must be an integer from 0 to T = ${T}.`,
      'n_max is the step the edit starts from; larger values edit more strongly. Keep it at most T.',
    );
  }
  if (!Number.isInteger(nMin) || nMin < 0 || nMin > nMax) {
    throw new InvalidArgumentError(
      `n_min = ${nMin} is out of range: it must be an integer from 0 to n_max = ${nMax}.`,
      'n_min is the number of final plain target steps; use 0 unless the pack needs a clean-up tail.',
    );
  }
}

export function checkAverages(nAvg: number): void {
  if (!Number.isInteger(nAvg) || nAvg < 1 || nAvg > 64) {
    throw new InvalidArgumentError(
      `n_avg = ${nAvg} is out of range: it must be an integer from 1 to 64.`,
      'n_avg is the number of noise draws averaged per step (FlowEdit uses 1; Nano3D uses 5).',
    );
  }
}

export function checkLambda(lambda: number): void {
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new InvalidArgumentError(
      `λ = ${lambda} is out of range: the stochasticity λ must be a finite number ≥ 0.`,
      'Use 0 for the deterministic flow ODE and about 0.6 (CAST3D) for STM.',
    );
  }
}

export function checkScheduleParams(T: number, shift: number | undefined, seed: number): void {
  checkSteps(T);
  checkShift(shift ?? DEFAULT_SHIFT);
  checkSeed(seed);
}

/** A source latent with a NaN in it would poison every step; refuse it up front. */
export function checkFiniteInput(name: string, x: Float32Array): void {
  const bad = countNonFinite(x);
  if (bad > 0) {
    throw new InvalidArgumentError(
      `${name} contains ${bad} NaN or infinite value${bad === 1 ? '' : 's'}.`,
      'Re-encode the source; a latent must be all finite numbers.',
    );
  }
}
