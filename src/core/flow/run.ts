/**
 * What every sampling loop shares: progress callbacks with an x̂0 preview, cancellation between steps,
 * and the rule that a NaN or Inf stops the run with the step named instead of flowing on into a
 * garbage latent.
 */

import { NonFiniteValueError, throwIfAborted } from '../errors';
import { cleanEstimate, countNonFinite } from './vec';

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
   * like if the model were exact. Computed on demand (it costs a pass over the latent); returns a
   * fresh array; call it only during the callback.
   */
  preview(): Float32Array;
  /** STM only: the unit noise ε_src extracted from the source trajectory this step (null when g = 0). */
  extractedNoise?(): Float32Array | null;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Awaited after each step, so a worker can post progress and let a cancel message in. */
  readonly onStep?: (info: StepInfo) => void | Promise<void>;
}

/** Builds a preview thunk over the trajectory state and velocity of the current step. */
export function previewOf(x: Float32Array, v: Float32Array, t: number): () => Float32Array {
  return () => {
    const out = new Float32Array(x.length);
    cleanEstimate(out, x, v, t);
    return out;
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

  /** Throws NonFiniteValueError naming the step, time and quantity if `x` holds a NaN or Inf. */
  finite(what: string, x: Float32Array, t: number): void {
    const bad = countNonFinite(x);
    if (bad > 0) {
      throw new NonFiniteValueError(
        `${this.method} step ${this.current} of ${this.total} (t = ${t.toFixed(4)}), ${what},`,
        bad,
        this.current,
      );
    }
  }

  async end(info: Omit<StepInfo, 'method' | 'step' | 'total'>): Promise<void> {
    if (this.options.onStep) {
      await this.options.onStep({ method: this.method, step: this.current, total: this.total, ...info });
    }
  }
}
