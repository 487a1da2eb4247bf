/**
 * The one thing the samplers need from a model: velocities for a batch of latents at one time t.
 * A step of any editor is a single `velocity` call carrying every (trajectory × cond/uncond) pair, so
 * an ORT backend runs one batched graph per step (issue 4: "batched so that one call evaluates every
 * (trajectory × cond/uncond) pair of a step").
 */

import { InvalidArgumentError } from '../errors';
import { CpuOps } from './cpu-ops';
import type { FlowOps, VecBatch } from './ops';
import type { StepGuard } from './run';

/**
 * Names a condition the model already holds (encoded tokens of c_src, c_tgt, …). The reserved name
 * `UNCOND` is the null condition that classifier-free guidance contrasts against.
 */
export type ConditionRef = string;
export const UNCOND: ConditionRef = 'uncond';

/** One model call's inputs on the CPU: `x[i]` is a latent of `size` elements; do not modify. */
export type VelocityBatch = VecBatch<Float32Array>;

export interface VelocityModel {
  /** Elements in one latent (8·16³ for a TRELLIS-like sparse-structure flow). */
  readonly size: number;
  /**
   * v(x[i], t, cond[i]) = E[ε − x0 | x_t = x[i]] for every i, in order. The returned arrays become the
   * caller's (the samplers overwrite them), so return fresh ones.
   */
  velocity(batch: VelocityBatch, signal?: AbortSignal): Promise<Float32Array[]>;
}

/** t-interval [lo, hi] in which guidance is applied; outside it the sampler uses v_c alone (TRELLIS: [0.5, 1]). */
export type GuidanceInterval = readonly [number, number];

export interface GuidedQuery<V = Float32Array> {
  readonly x: V;
  readonly cond: ConditionRef;
  /** s of v = v_u + s·(v_c − v_u); s = 1 is plain conditional, s = 0 unconditional. */
  readonly scale: number;
}

/**
 * Whether step time t needs an unconditional pass. s = 1 never does (the formula reduces to v_c), which
 * saves a third of the work of an unguided source trajectory.
 */
export function guidanceApplies(t: number, scale: number, interval?: GuidanceInterval): boolean {
  if (scale === 1) return false;
  return interval === undefined || (t >= interval[0] && t <= interval[1]);
}

export function checkScale(name: string, s: number): void {
  if (!Number.isFinite(s) || s < 0) {
    throw new InvalidArgumentError(
      `${name} = ${s} is out of range: a guidance scale must be a finite number ≥ 0.`,
      'Use 1 for no guidance and values around 2–10 for classifier-free guidance (diffusers’ convention; TRELLIS’ w is s − 1).',
    );
  }
}

export function checkInterval(interval: GuidanceInterval | undefined): void {
  if (interval === undefined) return;
  const [lo, hi] = interval;
  if (!(lo >= 0 && hi <= 1 && lo <= hi)) {
    throw new InvalidArgumentError(
      `guidanceInterval = [${lo}, ${hi}] is out of range: it must satisfy 0 ≤ lo ≤ hi ≤ 1.`,
      'Use e.g. [0.5, 1] to guide only the noisier half of the trajectory, or leave it out to guide every step.',
    );
  }
}

export function checkLatent(name: string, x: Float32Array, model: { readonly size: number }): void {
  if (x.length !== model.size) {
    throw new InvalidArgumentError(
      `${name} has ${x.length} elements but the model's latents have ${model.size}.`,
      'Encode the source with the same model pack that runs the edit.',
    );
  }
}

/**
 * Guided velocities for all queries at time t, from a single model call. Results are checked for
 * NaN/Inf (the step is named in the error) and returned in query order; they are the executor's
 * scratch vectors (valid for this step).
 */
export async function guidedVelocitiesOn<V>(
  ops: FlowOps<V>,
  t: number,
  queries: readonly GuidedQuery<V>[],
  guard: StepGuard,
  interval?: GuidanceInterval,
  signal?: AbortSignal,
): Promise<V[]> {
  const x: V[] = [];
  const cond: ConditionRef[] = [];
  const uncondAt: number[] = [];
  for (const query of queries) {
    x.push(query.x);
    cond.push(query.cond);
    if (guidanceApplies(t, query.scale, interval)) {
      uncondAt.push(x.length);
      x.push(query.x);
      cond.push(UNCOND);
    } else {
      uncondAt.push(-1);
    }
  }
  const out = await ops.velocity({ t, x, cond }, signal);
  if (out.length !== x.length) {
    throw new InvalidArgumentError(
      `The model returned ${out.length} velocities for ${x.length} latents.`,
      'The model pack’s velocity graph does not match its manifest; re-export or re-download the pack.',
    );
  }
  const result: V[] = [];
  let next = 0;
  for (let i = 0; i < queries.length; i++) {
    const vc = out[next++];
    guard.check(ops, `the velocity of ${queries[i].cond}`, vc, t);
    if (uncondAt[i] >= 0) {
      const vu = out[next++];
      guard.check(ops, 'the unconditional velocity', vu, t);
      ops.guide(vc, vu, vc, queries[i].scale);
      guard.check(ops, `the guided velocity of ${queries[i].cond} (s = ${queries[i].scale})`, vc, t);
    }
    result.push(vc);
  }
  return result;
}

/** `guidedVelocitiesOn` for a CPU model. */
export async function guidedVelocities(
  model: VelocityModel,
  t: number,
  queries: readonly GuidedQuery[],
  guard: StepGuard,
  interval?: GuidanceInterval,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  return guidedVelocitiesOn(new CpuOps(model), t, queries, guard, interval, signal);
}
