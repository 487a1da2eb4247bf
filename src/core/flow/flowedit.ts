/**
 * FlowEdit (Kulikov et al., ICCV 2025; Nano3D stage 1): integrate the difference of the target and
 * source velocities along coupled noisy copies of the source, without inverting it. See edit-loop.ts
 * for the loop; here the per-pair direction is v_tgt(q) − v_src(p), so
 *   z ← z + h · mean_j [v(q_j, t, c_tgt; s_tgt) − v(p_j, t, c_src; s_src)].
 * With c_tgt = c_src and s_tgt = s_src every q_j equals p_j bit for bit, the difference is exactly 0
 * and the result is x_src unchanged.
 */

import { type PairedEditParams, pairedEdit } from './edit-loop';
import type { VelocityModel } from './model';
import type { RunOptions } from './run';
import { accumulateDiff } from './vec';

export type FlowEditParams = PairedEditParams;

export async function flowEdit(
  model: VelocityModel,
  xSrc: Float32Array,
  params: FlowEditParams,
  options: RunOptions = {},
): Promise<Float32Array> {
  return pairedEdit(
    'FlowEdit',
    (acc, w, _q, vq, _p, vp) => accumulateDiff(acc, w, vq, vp),
    model,
    xSrc,
    params,
    options,
  );
}
