/**
 * Sampling from noise: the "regenerate from the target view" baseline, and the recorder of source
 * trajectories for STM's G_trj.
 *
 * λ = 0 is the flow ODE with Euler steps, x ← x + h·v (h = t_{k−1} − t_k < 0). λ > 0 solves the
 * reverse SDE with the same marginals (CAST3D eq. 2–3): drift f = v + λ·ε̂, diffusion g(t) = √(2λt),
 * Euler–Maruyama x ← x + h·f + g(t_k)·√|h|·ξ, with ξ from the (diffusion, k, lane) noise stream.
 */

import { CpuOps } from './cpu-ops';
import {
  type ConditionRef,
  checkInterval,
  checkScale,
  type GuidanceInterval,
  guidedVelocitiesOn,
  type VelocityModel,
} from './model';
import { type FlowOps, runOn } from './ops';
import { checkLambda, checkScheduleParams } from './params';
import { previewOf, type RunOptions, StepGuard } from './run';
import { timesteps } from './schedule';

export interface SampleParams<V = Float32Array> {
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
  readonly noise?: V;
  /** Keep x at every grid time, for STM's G_trj. */
  readonly record?: boolean;
}

export interface SampleResult<V = Float32Array> {
  /** The sample at t = 0. */
  readonly x: V;
  /** With `record`: trajectory[k] is x at t_k, k = 0..T (trajectory[0] has x's values). */
  readonly trajectory?: V[];
}

function checkSample(params: SampleParams<unknown>): void {
  checkScheduleParams(params.T, params.shift, params.seed);
  checkScale('scale', params.scale);
  checkInterval(params.guidanceInterval);
  checkLambda(params.lambda ?? 0);
}

/** Sampling on any executor; `params.noise` must come from `ops.upload`. The results are `ops`'s. */
export async function sampleOn<V>(
  ops: FlowOps<V>,
  params: SampleParams<V>,
  options: RunOptions = {},
): Promise<SampleResult<V>> {
  checkSample(params);
  const { T, seed, cond, scale } = params;
  const lambda = params.lambda ?? 0;
  const lane = params.lane ?? 0;
  const x = ops.alloc();
  if (params.noise) ops.copy(x, params.noise);
  else ops.normals(seed, { purpose: 'initial', step: T, lane }, x);
  const ts = timesteps(T, params.shift);
  const trajectory: V[] | undefined = params.record ? new Array(T + 1) : undefined;
  const keep = (state: V) => {
    const copy = ops.alloc();
    ops.copy(copy, state);
    return copy;
  };
  if (trajectory) trajectory[T] = keep(x);

  const guard = new StepGuard('Sampling', T, options);
  for (let k = T; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const h = tNext - t;
    const [v] = await guidedVelocitiesOn(
      ops,
      t,
      [{ x, cond, scale }],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    const preview = previewOf(ops, x, v, t, options.onStep !== undefined);
    if (lambda > 0) {
      const drift = ops.temp();
      ops.sdeDrift(drift, x, v, t, lambda);
      ops.axpy(x, h, drift);
      const xi = ops.temp();
      ops.normals(seed, { purpose: 'diffusion', step: k, lane }, xi);
      ops.axpy(x, Math.sqrt(2 * lambda * t) * Math.sqrt(-h), xi);
    } else {
      ops.axpy(x, h, v);
    }
    guard.check(ops, 'the new sample', x, tNext);
    if (trajectory) trajectory[k - 1] = keep(x);
    await guard.end({ t, tNext, preview });
    ops.endStep();
  }
  return trajectory ? { x, trajectory } : { x };
}

export async function sample(
  model: VelocityModel,
  params: SampleParams,
  options: RunOptions = {},
): Promise<SampleResult> {
  checkSample(params);
  return runOn(new CpuOps(model), (ops) =>
    sampleOn(ops, { ...params, noise: params.noise && ops.upload('noise', params.noise) }, options),
  );
}
