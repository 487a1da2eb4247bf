/**
 * FlowEdit (Kulikov et al., ICCV 2025; Nano3D stage 1): integrate the difference of the target and
 * source velocities along coupled noisy copies of the source, without inverting it. See edit-loop.ts
 * for the loop; here the per-pair direction is v_tgt(q) − v_src(p), so
 *   z ← z + h · mean_j [v(q_j, t, c_tgt; s_tgt) − v(p_j, t, c_src; s_src)].
 * With c_tgt = c_src and s_tgt = s_src every q_j equals p_j bit for bit, the difference is exactly 0
 * and the result is x_src unchanged.
 */

import { type PairedEditParams, pairedEdit, pairedEditOn } from './edit-loop';
import type { VelocityModel } from './model';
import type { FlowOps } from './ops';
import type { RunOptions } from './run';

export type FlowEditParams = PairedEditParams;

export async function flowEdit(
  model: VelocityModel,
  xSrc: Float32Array,
  params: FlowEditParams,
  options: RunOptions = {},
): Promise<Float32Array> {
  return pairedEdit('FlowEdit', 'flowedit', model, xSrc, params, options);
}

/** FlowEdit on any executor; `xSrc` must come from `ops.upload`. */
export function flowEditOn<V>(
  ops: FlowOps<V>,
  xSrc: V,
  params: FlowEditParams,
  options: RunOptions = {},
): Promise<V> {
  return pairedEditOn('FlowEdit', 'flowedit', ops, xSrc, params, options);
}
