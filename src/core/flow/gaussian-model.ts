/**
 * An exact velocity model for Gaussian data, the analytic oracle of the sampler tests (and a
 * zero-cost model for benches). Each condition c has data x0 ~ N(μ_c, σ_c²·I).
 *
 * With x_t = (1−t)·x0 + t·ε and ε ~ N(0, I) independent, x_t is Gaussian with mean (1−t)·μ and
 * variance D = (1−t)²σ² + t², and Cov(ε, x_t) = t, Cov(x0, x_t) = (1−t)·σ². Conditional means of
 * jointly Gaussian variables are affine, so
 *   E[ε | x_t]  = (t / D)·(x_t − (1−t)·μ)
 *   E[x0 | x_t] = μ + ((1−t)·σ² / D)·(x_t − (1−t)·μ)
 *   v(x_t, t)   = E[ε − x0 | x_t] = ((t − (1−t)·σ²) / D)·(x_t − (1−t)·μ) − μ.
 * This is the exact rectified-flow velocity: its ODE carries N(0, I) at t = 1 onto N(μ, σ²I) at t = 0.
 */

import { InvalidArgumentError } from '../errors';
import type { ConditionRef, VelocityBatch, VelocityModel } from './model';

export interface GaussianCondition {
  /** μ: one number for every element, or one per element. */
  readonly mean: number | Float32Array;
  /** σ > 0. */
  readonly std: number;
}

/** Exact velocity of N(μ, σ²I) data at (x, t), element by element, computed in f64. */
export function gaussianVelocity(
  out: Float32Array,
  x: Float32Array,
  t: number,
  mean: number | Float32Array,
  std: number,
): void {
  const s2 = std * std;
  const D = (1 - t) * (1 - t) * s2 + t * t;
  const a = (t - (1 - t) * s2) / D;
  for (let i = 0; i < out.length; i++) {
    const mu = typeof mean === 'number' ? mean : mean[i];
    out[i] = a * (x[i] - (1 - t) * mu) - mu;
  }
}

export interface RecordedCall {
  readonly t: number;
  readonly cond: readonly ConditionRef[];
}

export class GaussianVelocityModel implements VelocityModel {
  /** Every call's time and conditions, in order: the spy the guidance tests read. */
  readonly calls: RecordedCall[] = [];

  constructor(
    readonly size: number,
    private readonly conditions: Readonly<Record<ConditionRef, GaussianCondition>>,
  ) {
    for (const [name, c] of Object.entries(conditions)) {
      if (!(c.std > 0) || (typeof c.mean !== 'number' && c.mean.length !== size)) {
        throw new InvalidArgumentError(
          `Gaussian condition "${name}" needs std > 0 and a mean of 1 or ${size} values.`,
          'Fix the test model definition.',
        );
      }
    }
  }

  async velocity(batch: VelocityBatch): Promise<Float32Array[]> {
    this.calls.push({ t: batch.t, cond: [...batch.cond] });
    return batch.x.map((x, i) => {
      const c = this.conditions[batch.cond[i]];
      if (c === undefined) {
        throw new InvalidArgumentError(`Unknown condition "${batch.cond[i]}".`, 'Register it in the model.');
      }
      const out = new Float32Array(this.size);
      gaussianVelocity(out, x, batch.t, c.mean, c.std);
      return out;
    });
  }
}
