/**
 * The inversion-free editing loop that FlowEdit and AnchorFlow share (DESIGN §4). They differ only in
 * the direction each (q, p) pair contributes, so that is a parameter (`PairDirection`).
 *
 * z = x_src. For k = n_max … n_min+1 (t = t_k, h = t_{k−1} − t_k < 0):
 *   for j < n_avg: ε_j from stream (forward, k, j); p_j = (1−t)·x_src + t·ε_j; q_j = p_j + (z − x_src)
 *   one model call: v_tgt(q_j) with s_tgt, v_src(p_j) with s_src, for every j
 *   z ← z + h · mean_j direction(q_j, v_tgt_j, p_j, v_src_j, t)
 * If n_min > 0: re-noise once at t_{n_min} with stream (renoise, n_min, 0), x = p + (z − x_src), and
 * finish with n_min plain guided target steps (FlowEdit's reference code does exactly this).
 */

import {
  type ConditionRef,
  checkInterval,
  checkLatent,
  checkScale,
  type GuidanceInterval,
  type GuidedQuery,
  guidedVelocities,
  type VelocityModel,
} from './model';
import { normals } from './noise';
import { checkAverages, checkEditRange, checkFiniteInput, checkScheduleParams } from './params';
import { previewOf, type RunOptions, type SamplerName, StepGuard } from './run';
import { timesteps } from './schedule';
import { axpy, noiseTo, shiftBy } from './vec';

export interface PairedEditParams {
  readonly T: number;
  /** Schedule shift r (default 3). */
  readonly shift?: number;
  /** First edited step: the edit starts at t_{n_max}. 0 returns x_src unchanged. */
  readonly nMax: number;
  /** Plain target steps at the end (default 0). */
  readonly nMin?: number;
  /** Noise draws averaged per step (default 1). */
  readonly nAvg?: number;
  readonly sSrc: number;
  readonly sTgt: number;
  readonly condSrc: ConditionRef;
  readonly condTgt: ConditionRef;
  readonly guidanceInterval?: GuidanceInterval;
  readonly seed: number;
}

/** acc ← acc + w·direction(q, v_q, p, v_p, t): one pair's contribution, weight w = 1/n_avg. */
export type PairDirection = (
  acc: Float32Array,
  w: number,
  q: Float32Array,
  vq: Float32Array,
  p: Float32Array,
  vp: Float32Array,
  t: number,
) => void;

export function checkPairedEdit(model: VelocityModel, xSrc: Float32Array, params: PairedEditParams): void {
  checkScheduleParams(params.T, params.shift, params.seed);
  checkEditRange(params.T, params.nMax, params.nMin ?? 0);
  checkAverages(params.nAvg ?? 1);
  checkScale('s_src', params.sSrc);
  checkScale('s_tgt', params.sTgt);
  checkInterval(params.guidanceInterval);
  checkLatent('x_src', xSrc, model);
  checkFiniteInput('x_src', xSrc);
}

export async function pairedEdit(
  method: SamplerName,
  direction: PairDirection,
  model: VelocityModel,
  xSrc: Float32Array,
  params: PairedEditParams,
  options: RunOptions,
): Promise<Float32Array> {
  checkPairedEdit(model, xSrc, params);
  const { nMax, seed } = params;
  const nMin = params.nMin ?? 0;
  const nAvg = params.nAvg ?? 1;
  const n = model.size;
  const ts = timesteps(params.T, params.shift);
  const guard = new StepGuard(method, nMax, options);

  const z = xSrc.slice();
  const eps = Array.from({ length: nAvg }, () => new Float32Array(n));
  const p = Array.from({ length: nAvg }, () => new Float32Array(n));
  const q = Array.from({ length: nAvg }, () => new Float32Array(n));
  const acc = new Float32Array(n);
  for (let k = nMax; k > nMin; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const queries: GuidedQuery[] = [];
    for (let j = 0; j < nAvg; j++) {
      normals(seed, { purpose: 'forward', step: k, lane: j }, n, eps[j]);
      noiseTo(p[j], xSrc, eps[j], t);
      shiftBy(q[j], p[j], z, xSrc);
      queries.push({ x: q[j], cond: params.condTgt, scale: params.sTgt });
      queries.push({ x: p[j], cond: params.condSrc, scale: params.sSrc });
    }
    const v = await guidedVelocities(model, t, queries, guard, params.guidanceInterval, options.signal);
    acc.fill(0);
    for (let j = 0; j < nAvg; j++) direction(acc, 1 / nAvg, q[j], v[2 * j], p[j], v[2 * j + 1], t);
    axpy(z, tNext - t, acc);
    guard.finite('the edited latent', z, tNext);
    // q_0 is overwritten next step, so the preview keeps its own copy when it may be used.
    const preview = previewOf(options.onStep ? q[0].slice() : q[0], v[0], t);
    await guard.end({ t, tNext, preview });
  }
  if (nMin === 0) return z;

  const tMin = ts[nMin];
  const x = new Float32Array(n);
  normals(seed, { purpose: 'renoise', step: nMin, lane: 0 }, n, eps[0]);
  noiseTo(p[0], xSrc, eps[0], tMin);
  shiftBy(x, p[0], z, xSrc);
  for (let k = nMin; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const [v] = await guidedVelocities(
      model,
      t,
      [{ x, cond: params.condTgt, scale: params.sTgt }],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    const preview = previewOf(options.onStep ? x.slice() : x, v, t);
    axpy(x, tNext - t, v);
    guard.finite('the target latent', x, tNext);
    await guard.end({ t, tNext, preview });
  }
  return x;
}
