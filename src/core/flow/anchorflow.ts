/**
 * AnchorFlow (Zhou et al., CVPR 2026): FlowEdit's loop (edit-loop.ts) with the velocity difference
 * replaced by the gradient of an anchor-alignment loss.
 *
 * ── The paper's rule, in our convention (t = 1 noise, t = 0 data, v = ε − x0) ──────────────────────
 * Anchors are one-step inversions to noise, F(x, t, c) = x + (1−t)·v(x, t, c). In our convention that
 * is exactly the noise estimate ε̂, matching the paper's "maps back to the noise space". With
 * p = (1−t)·x_src + t·ε and q = z + p − x_src (d = z − x_src):
 *   L = ½‖F(q, t, c_tgt) − F(p, t, c_src)‖²,   F_tgt − F_src = d + (1−t)·ΔV,  ΔV = v_tgt(q) − v_src(p)
 *   ∇_z L = (I + (1−t)·J)ᵀ(F_tgt − F_src) ≈ (2−t)·(F_tgt − F_src)      (Jacobian-free: J ≈ I)
 *   z ← z − δ·∇_z L  with δ = t_k − t_{k−1} > 0,  i.e.  z ← z + h·(2−t)·(ε̂_tgt − ε̂_src),  h = −δ.
 * This descent is an editing drive: ΔV enters with FlowEdit's sign (FlowEdit is z ← z + h·ΔV), and for
 * equal-variance Gaussians the loss vanishes at d = (1−t)·(μ_tgt − μ_src), which reaches the full edit
 * at t = 0. The −δ(2−t)·d part pulls z back toward x_src: the "anchoring".
 *
 * ── The public code's form (variant 'code') ──────────────────────────────────────────────────────
 * ZhenglinZhou/AnchorFlow src/anchorflow.py runs in Hunyuan3D 2.1's convention: σ = 0 noise → 1 data,
 * v_σ = x0 − ε. Map: σ = 1 − t, v_σ = −v, and their F = x + (1−σ)·v_σ = x − t·v = x̂0 (the CLEAN
 * estimate: the same expression changes meaning). Their update, z ← z + (σ_next − σ)·D with
 *   D = 2·(v_σ,tgt − v_σ,src) + (1−σ)·(F_tgt − F_src),
 * becomes in ours, with σ_next − σ = −h:
 *   z ← z + h·[2·ΔV − t·(x̂0(q, v_tgt) − x̂0(p, v_src))] = z + h·[(2 + t²)·ΔV − t·d].
 * Adding the clean-estimate gap is gradient *ascent* on ½‖x̂0_tgt − x̂0_src‖² (pushing the target's clean
 * prediction away from the source's), which is also an editing drive, but its −t·d term amplifies the
 * edit already made instead of anchoring it, and ΔV is doubled.
 *
 * ── Readings that are not editing drives (pinned by tests) ───────────────────────────────────────
 * Descent with F read as x̂0, or ascent with F read as ε̂, flips ΔV against FlowEdit's sign: the mean
 * moves away from μ_tgt. So the sign of the update and the meaning of F must be ported together.
 *
 * ── What the Gaussian toy shows (anchorflow.test.ts) ────────────────────────────────────────────
 * μ_src = 0 → μ_tgt = 2, σ = 1, s = 1, T = 25, r = 3, n_max = 15: FlowEdit ends at mean ≈ 1.6,
 * 'paper' ≈ 0.6 (moves toward the target, less than FlowEdit: the anchoring term lags the moving
 * fixed point), 'code' ≈ 5.4 (overshoots). The paper's claim "edits further than FlowEdit" holds for
 * the code's form, not for its own rule, on this toy; real 3D priors may differ.
 *
 * Also noted, not copied: that code noises the source with Hunyuan's `scale_noise`, σ·ε + (1−σ)·x_src,
 * which uses diffusers' σ = 1-is-noise convention while its model runs σ = 0-is-noise; its p has
 * noise level σ while the model is told 1 − σ. We noise consistently: p = (1−t)·x_src + t·ε.
 */

import { InvalidArgumentError } from '../errors';
import type { PairDirection, PairedEditParams } from './edit-loop';
import { pairedEdit, pairedEditOn } from './edit-loop';
import type { VelocityModel } from './model';
import type { FlowOps } from './ops';
import type { RunOptions } from './run';

export type AnchorFlowVariant = 'paper' | 'code';

export interface AnchorFlowParams extends PairedEditParams {
  /** 'paper' (default): z ← z + h·(2−t)·(ε̂_tgt − ε̂_src). 'code': z ← z + h·[2ΔV − t·(x̂0_tgt − x̂0_src)]. */
  readonly variant?: AnchorFlowVariant;
}

function directionOf(params: AnchorFlowParams): PairDirection {
  const variant = params.variant ?? 'paper';
  if (variant !== 'paper' && variant !== 'code') {
    throw new InvalidArgumentError(
      `variant = ${String(variant)} is not one of paper, code.`,
      'Use "paper" (the published rule) or "code" (the public implementation’s form).',
    );
  }
  return variant === 'paper' ? 'anchor-paper' : 'anchor-code';
}

export async function anchorFlow(
  model: VelocityModel,
  xSrc: Float32Array,
  params: AnchorFlowParams,
  options: RunOptions = {},
): Promise<Float32Array> {
  return pairedEdit('AnchorFlow', directionOf(params), model, xSrc, params, options);
}

/** AnchorFlow on any executor; `xSrc` must come from `ops.upload`. */
export async function anchorFlowOn<V>(
  ops: FlowOps<V>,
  xSrc: V,
  params: AnchorFlowParams,
  options: RunOptions = {},
): Promise<V> {
  return pairedEditOn('AnchorFlow', directionOf(params), ops, xSrc, params, options);
}
