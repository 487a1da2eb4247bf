/**
 * The velocity graph's contract (DESIGN §3, §5): what a pack's ss_flow graph must look like for the
 * samplers to drive it.
 *
 *   inputs   x_t   float32 [B, ...latent]   the noisy latent; B dynamic, latent dims static
 *            t     float32 [B]              time in our convention: t = 1 noise, t = 0 data
 *            cond  float32 [B, L, D]        condition tokens (all zeros = the unconditional branch)
 *   output   v     float32 [B, ...latent]   velocity v = ε − x0
 *
 * Any rescaling a model was trained with (TRELLIS feeds 1000·t) is baked into the graph by the
 * exporter, so the samplers never need to know. The batch is dynamic because one call evaluates every
 * (trajectory × cond/uncond) pair of a step; the token dims are static so ORT can plan memory once.
 */

export const FLOW_INPUT_X = 'x_t';
export const FLOW_INPUT_T = 't';
export const FLOW_INPUT_COND = 'cond';
export const FLOW_OUTPUT_V = 'v';

export interface FlowGraphShape {
  /** Static latent dims after the batch dim, e.g. [8, 16, 16, 16] or [512, 8]. */
  readonly latent: readonly number[];
  /** L: condition tokens per item. */
  readonly condTokens: number;
  /** D: width of a condition token. */
  readonly condDim: number;
}

export function latentSize(shape: FlowGraphShape): number {
  return shape.latent.reduce((a, b) => a * b, 1);
}

export function condSize(shape: FlowGraphShape): number {
  return shape.condTokens * shape.condDim;
}
