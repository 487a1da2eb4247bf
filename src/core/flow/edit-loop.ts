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

import { CpuOps } from './cpu-ops';
import {
  type ConditionRef,
  checkInterval,
  checkScale,
  type GuidanceInterval,
  type GuidedQuery,
  guidedVelocitiesOn,
  type VelocityModel,
} from './model';
import { type FlowOps, runOn } from './ops';
import { checkAverages, checkEditRange, checkScheduleParams } from './params';
import { previewOf, type RunOptions, type SamplerName, StepGuard } from './run';
import { timesteps } from './schedule';

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

/**
 * What one (q, p) pair contributes, acc ← acc + w·direction(q, v_q, p, v_p, t) with w = 1/n_avg:
 * 'flowedit' v_q − v_p; 'anchor-paper' and 'anchor-code' as in anchorflow.ts. Each is one executor
 * method (one kernel on the GPU).
 */
export type PairDirection = 'flowedit' | 'anchor-paper' | 'anchor-code';

export function checkPairedEdit(params: PairedEditParams): void {
  checkScheduleParams(params.T, params.shift, params.seed);
  checkEditRange(params.T, params.nMax, params.nMin ?? 0);
  checkAverages(params.nAvg ?? 1);
  checkScale('s_src', params.sSrc);
  checkScale('s_tgt', params.sTgt);
  checkInterval(params.guidanceInterval);
}

function accumulate<V>(
  ops: FlowOps<V>,
  direction: PairDirection,
  acc: V,
  w: number,
  q: V,
  vq: V,
  p: V,
  vp: V,
  t: number,
): void {
  if (direction === 'flowedit') ops.accumulateDiff(acc, w, vq, vp);
  else if (direction === 'anchor-paper') ops.accumulateAnchorPaper(acc, w, q, vq, p, vp, t);
  else ops.accumulateAnchorCode(acc, w, q, vq, p, vp, t);
}

/** The paired edit on any executor; `xSrc` must come from `ops.upload`. The result is `ops`'s. */
export async function pairedEditOn<V>(
  method: SamplerName,
  direction: PairDirection,
  ops: FlowOps<V>,
  xSrc: V,
  params: PairedEditParams,
  options: RunOptions,
): Promise<V> {
  checkPairedEdit(params);
  const { nMax, seed } = params;
  const nMin = params.nMin ?? 0;
  const nAvg = params.nAvg ?? 1;
  const ts = timesteps(params.T, params.shift);
  const guard = new StepGuard(method, nMax, options);

  const z = ops.alloc();
  ops.copy(z, xSrc);
  const eps = Array.from({ length: nAvg }, () => ops.alloc());
  const p = Array.from({ length: nAvg }, () => ops.alloc());
  const q = Array.from({ length: nAvg }, () => ops.alloc());
  const acc = ops.alloc();
  for (let k = nMax; k > nMin; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const queries: GuidedQuery<V>[] = [];
    for (let j = 0; j < nAvg; j++) {
      ops.normals(seed, { purpose: 'forward', step: k, lane: j }, eps[j]);
      ops.noiseTo(p[j], xSrc, eps[j], t);
      ops.shiftBy(q[j], p[j], z, xSrc);
      queries.push({ x: q[j], cond: params.condTgt, scale: params.sTgt });
      queries.push({ x: p[j], cond: params.condSrc, scale: params.sSrc });
    }
    const v = await guidedVelocitiesOn(ops, t, queries, guard, params.guidanceInterval, options.signal);
    ops.fill(acc, 0);
    for (let j = 0; j < nAvg; j++)
      accumulate(ops, direction, acc, 1 / nAvg, q[j], v[2 * j], p[j], v[2 * j + 1], t);
    ops.axpy(z, tNext - t, acc);
    guard.check(ops, 'the edited latent', z, tNext);
    // q_0 is overwritten next step, so the preview keeps its own copy when it may be used.
    const preview = previewOf(ops, q[0], v[0], t, options.onStep !== undefined);
    await guard.end({ t, tNext, preview });
    ops.endStep();
  }
  if (nMin === 0) return z;

  const tMin = ts[nMin];
  const x = ops.alloc();
  ops.normals(seed, { purpose: 'renoise', step: nMin, lane: 0 }, eps[0]);
  ops.noiseTo(p[0], xSrc, eps[0], tMin);
  ops.shiftBy(x, p[0], z, xSrc);
  for (let k = nMin; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const [v] = await guidedVelocitiesOn(
      ops,
      t,
      [{ x, cond: params.condTgt, scale: params.sTgt }],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    const preview = previewOf(ops, x, v, t, options.onStep !== undefined);
    ops.axpy(x, tNext - t, v);
    guard.check(ops, 'the target latent', x, tNext);
    await guard.end({ t, tNext, preview });
    ops.endStep();
  }
  return x;
}

/** `pairedEditOn` on the CPU. */
export async function pairedEdit(
  method: SamplerName,
  direction: PairDirection,
  model: VelocityModel,
  xSrc: Float32Array,
  params: PairedEditParams,
  options: RunOptions,
): Promise<Float32Array> {
  checkPairedEdit(params);
  return runOn(new CpuOps(model), (ops) =>
    pairedEditOn(method, direction, ops, ops.upload('x_src', xSrc), params, options),
  );
}
