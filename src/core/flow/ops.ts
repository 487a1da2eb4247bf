/**
 * The small tensor interface the sampling loops are written against (DESIGN §2: "flow math over a
 * small tensor interface"). A loop never touches elements itself; it asks a `FlowOps` to do each
 * step's arithmetic, draw noise and evaluate the model. Two executors implement it:
 *   - CpuOps (cpu-ops.ts): Float32Arrays, vec.ts, any `VelocityModel` (Node, wasm, tests);
 *   - the WebGPU executor (src/gpu/flow-ops.ts): GPU buffers, the WGSL twins of vec.ts and noise.ts,
 *     and a GPU-resident ORT session, so a whole edit runs with no per-step readback.
 * One loop, two executors: the GPU path cannot drift from the tested CPU algorithm.
 *
 * Every arithmetic method mirrors the vec.ts function of the same name (same argument order; outputs
 * may alias inputs element-wise).
 */

import type { ConditionRef } from './model';
import type { NoiseStream } from './noise';

export interface VecBatch<V> {
  /** The time shared by every item (t = 1 noise, t = 0 data). */
  readonly t: number;
  readonly x: readonly V[];
  /** cond[i] conditions x[i]. */
  readonly cond: readonly ConditionRef[];
}

export interface FlowOps<V> {
  /** Elements in one latent. */
  readonly size: number;

  /** A zeroed vector that lives until `dispose`. */
  alloc(): V;
  /** A scratch vector that lives until the next `endStep`. */
  temp(): V;
  /**
   * Takes a caller's latent into the executor (outside the loop: a source latent, given noise, a
   * recorded trajectory). Checks its length and that it is all finite; `name` goes in the error.
   * The result may share memory with `values`; loops never write to it.
   */
  upload(name: string, values: Float32Array): V;
  /** Copies a vector out to the caller (the result, or a preview the caller asked for). */
  download(x: V): Promise<Float32Array>;

  copy(out: V, x: V): void;
  fill(out: V, value: number): void;
  /** Seeded standard normals of `stream` (noise.ts's layout), written into out. */
  normals(seed: number, stream: NoiseStream, out: V): void;

  axpy(y: V, a: number, x: V): void;
  addScaled(out: V, x: V, a: number, y: V): void;
  sub(out: V, a: V, b: V): void;
  shiftBy(out: V, p: V, z: V, x: V): void;
  noiseTo(out: V, x0: V, eps: V, t: number): void;
  guide(out: V, vu: V, vc: V, s: number): void;
  cleanEstimate(out: V, x: V, v: V, t: number): void;
  noiseEstimate(out: V, x: V, v: V, t: number): void;
  accumulateDiff(acc: V, w: number, a: V, b: V): void;
  accumulateAnchorPaper(acc: V, w: number, q: V, vq: V, p: V, vp: V, t: number): void;
  accumulateAnchorCode(acc: V, w: number, q: V, vq: V, p: V, vp: V, t: number): void;
  sdeDrift(out: V, x: V, v: V, t: number, lambda: number): void;
  diffusionIncrement(out: V, next: V, x: V, h: number, drift: V): void;
  /** out ← a·x */
  scale(out: V, x: V, a: number): void;

  /**
   * One model evaluation for every item of the batch. The results are scratch (valid until the next
   * `endStep`) and may be overwritten by the caller.
   */
  velocity(batch: VecBatch<V>, signal?: AbortSignal): Promise<V[]>;

  /**
   * NaN/Inf check. An executor that can look at once throws NonFiniteValueError(where(), count, step);
   * one that cannot without a readback records the check and throws from `finish` instead, naming the
   * first check that failed.
   */
  checkFinite(x: V, where: () => string, step: number): void;

  /** The step is over: scratch vectors may be reused. */
  endStep(): void;
  /** Waits for outstanding work and throws any recorded failure. Call once, after the loop. */
  finish(): Promise<void>;
  /** Frees everything the executor allocated (also after a failure or cancellation). */
  dispose(): void;
}

/** Runs `body` on `ops`, finishes it, and always disposes it. */
export async function runOn<V, R>(ops: FlowOps<V>, body: (ops: FlowOps<V>) => Promise<R>): Promise<R> {
  try {
    const result = await body(ops);
    await ops.finish();
    return result;
  } finally {
    ops.dispose();
  }
}
