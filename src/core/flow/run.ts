/**
 * What every sampling loop shares: progress callbacks with an x̂0 preview, cancellation between steps,
 * and the rule that a NaN or Inf stops the run with the step named instead of flowing on into a
 * garbage latent.
 */

import { throwIfAborted } from '../errors';
import type { FlowOps } from './ops';

export type SamplerName = 'Sampling' | 'FlowEdit' | 'AnchorFlow' | 'STM';

export interface StepInfo {
  readonly method: SamplerName;
  /** Steps done so far, 1..total. */
  readonly step: number;
  readonly total: number;
  /** The step went from t to tNext < t. */
  readonly t: number;
  readonly tNext: number;
  /**
   * x̂0 = x_t − t·v of the (target) trajectory at the start of this step: what the result would look
   * like if the model were exact. Computed on demand (a pass over the latent, and on a GPU executor
   * a readback); resolves to a fresh array; call it only during the callback.
   */
  preview(): Promise<Float32Array>;
  /** STM only: the unit noise ε_src extracted from the source trajectory this step (null when g = 0). */
  extractedNoise?(): Promise<Float32Array | null>;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Awaited after each step, so a worker can post progress and let a cancel message in. */
  readonly onStep?: (info: StepInfo) => void | Promise<void>;
}

/**
 * Builds the preview thunk of a step from the trajectory state x_t and its velocity. Call it before x
 * moves on: when someone will look (`keep`), x is copied into step scratch first.
 */
export function previewOf<V>(
  ops: FlowOps<V>,
  x: V,
  v: V,
  t: number,
  keep: boolean,
): () => Promise<Float32Array> {
  let state = x;
  if (keep) {
    state = ops.temp();
    ops.copy(state, x);
  }
  return () => {
    const out = ops.temp();
    ops.cleanEstimate(out, state, v, t);
    return ops.download(out);
  };
}

/** Tracks one run: which step it is on, and the checks made at each step. */
export class StepGuard {
  private current = 0;

  constructor(
    readonly method: SamplerName,
    readonly total: number,
    private readonly options: RunOptions,
  ) {}

  /** Call before the work of each step: throws CancelledError if the run was aborted. */
  begin(): void {
    throwIfAborted(this.options.signal, this.method);
    this.current++;
  }

  get step(): number {
    return this.current;
  }

  /** Has `ops` check x for NaN/Inf, naming the step, time and quantity if it fails. */
  check<V>(ops: FlowOps<V>, what: string, x: V, t: number): void {
    const step = this.current;
    ops.checkFinite(
      x,
      () => `${this.method} step ${step} of ${this.total} (t = ${t.toFixed(4)}), ${what},`,
      step,
    );
  }

  async end(info: Omit<StepInfo, 'method' | 'step' | 'total'>): Promise<void> {
    if (this.options.onStep) {
      await this.options.onStep({ method: this.method, step: this.current, total: this.total, ...info });
    }
  }
}
