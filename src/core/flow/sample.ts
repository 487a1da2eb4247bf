/**
 * Sampling from noise: the "regenerate from the target view" baseline, and the recorder of source
 * trajectories for STM's G_trj.
 *
 * λ = 0 is the flow ODE with Euler steps, x ← x + h·v (h = t_{k−1} − t_k < 0). λ > 0 solves the
 * reverse SDE with the same marginals (CAST3D eq. 2–3): drift f = v + λ·ε̂, diffusion g(t) = √(2λt),
 * Euler–Maruyama x ← x + h·f + g(t_k)·√|h|·ξ, with ξ from the (diffusion, k, lane) noise stream.
 */

import {
  type ConditionRef,
  checkInterval,
  checkLatent,
  checkScale,
  type GuidanceInterval,
  guidedVelocities,
  type VelocityModel,
} from './model';
import { normals } from './noise';
import { checkFiniteInput, checkLambda, checkScheduleParams } from './params';
import { previewOf, type RunOptions, StepGuard } from './run';
import { timesteps } from './schedule';
import { axpy, sdeDrift } from './vec';

export interface SampleParams {
  readonly T: number;
  /** Schedule shift r (default 3). */
  readonly shift?: number;
  readonly cond: ConditionRef;
  /** Guidance scale s (1 = none). */
  readonly scale: number;
  readonly guidanceInterval?: GuidanceInterval;
  readonly seed: number;
  /** SDE stochasticity λ ≥ 0; 0 (default) is the deterministic ODE. */
  readonly lambda?: number;
  /** Which sample of this seed (lane of the initial and diffusion noise streams); default 0. */
  readonly lane?: number;
  /** Start from this x_1 instead of the seeded (initial, T, lane) noise. */
  readonly noise?: Float32Array;
  /** Keep x at every grid time, for STM's G_trj. */
  readonly record?: boolean;
}

export interface SampleResult {
  /** The sample at t = 0. */
  readonly x: Float32Array;
  /** With `record`: trajectory[k] is x at t_k, k = 0..T (trajectory[0] === x's values). */
  readonly trajectory?: Float32Array[];
}

export async function sample(
  model: VelocityModel,
  params: SampleParams,
  options: RunOptions = {},
): Promise<SampleResult> {
  const { T, seed, cond, scale } = params;
  const lambda = params.lambda ?? 0;
  const lane = params.lane ?? 0;
  checkScheduleParams(T, params.shift, seed);
  checkScale('scale', scale);
  checkInterval(params.guidanceInterval);
  checkLambda(lambda);

  let x: Float32Array;
  if (params.noise) {
    checkLatent('noise', params.noise, model);
    checkFiniteInput('noise', params.noise);
    x = params.noise.slice();
  } else {
    x = normals(seed, { purpose: 'initial', step: T, lane }, model.size);
  }
  const ts = timesteps(T, params.shift);
  const trajectory: Float32Array[] | undefined = params.record ? new Array(T + 1) : undefined;
  if (trajectory) trajectory[T] = x.slice();

  const guard = new StepGuard('Sampling', T, options);
  const drift = new Float32Array(model.size);
  const xi = new Float32Array(model.size);
  for (let k = T; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const h = tNext - t;
    const [v] = await guidedVelocities(
      model,
      t,
      [{ x, cond, scale }],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    // The preview needs x_t after x has moved on; copy only when someone will look.
    const preview = previewOf(options.onStep ? x.slice() : x, v, t);
    if (lambda > 0) {
      sdeDrift(drift, x, v, t, lambda);
      axpy(x, h, drift);
      normals(seed, { purpose: 'diffusion', step: k, lane }, model.size, xi);
      axpy(x, Math.sqrt(2 * lambda * t) * Math.sqrt(-h), xi);
    } else {
      axpy(x, h, v);
    }
    guard.finite('the new sample', x, tNext);
    if (trajectory) trajectory[k - 1] = x.slice();
    await guard.end({ t, tNext, preview });
  }
  return trajectory ? { x, trajectory } : { x };
}
