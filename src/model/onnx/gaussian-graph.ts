/**
 * The analytic Gaussian velocity (core/flow/gaussian-model.ts) as an ONNX graph, so the samplers can
 * be tested against an exact answer through a real ORT session on every backend.
 *
 * Condition k of K is selected by a one-hot token: cond = [B, 1, K]. Weights w = cond[:, 0, :] mix the
 * per-condition mean and variance, and whatever weight is missing (1 − Σw) goes to the unconditional
 * Gaussian, so the all-zero token (the default unconditional input, as in TRELLIS) selects it:
 *   μ = w·M + (1 − Σw)·μ_u,  σ² = w·S + (1 − Σw)·σ_u²
 *   D = (1−t)²σ² + t²,  a = (t − (1−t)σ²) / D,  v = a·(x − (1−t)·μ) − μ.
 * Mixing σ² linearly is only meaningful for one-hot or zero tokens, which is all the tests use.
 */

import type { GaussianCondition } from '../../core/flow';
import {
  FLOW_INPUT_COND,
  FLOW_INPUT_T,
  FLOW_INPUT_X,
  FLOW_OUTPUT_V,
  type FlowGraphShape,
} from '../flow-contract';
import { GraphBuilder } from './graph';

export interface GaussianGraphSpec {
  /** Elements per latent; the graph's latent shape is [size]. */
  readonly size: number;
  /** Condition k is selected by one-hot token k. */
  readonly conditions: readonly GaussianCondition[];
  /** Selected by the all-zero token. */
  readonly uncond: GaussianCondition;
}

function meanRow(c: GaussianCondition, size: number): Float32Array {
  return typeof c.mean === 'number' ? new Float32Array(size).fill(c.mean) : Float32Array.from(c.mean);
}

export function gaussianGraphShape(spec: GaussianGraphSpec): FlowGraphShape {
  return { latent: [spec.size], condTokens: 1, condDim: spec.conditions.length };
}

/** One-hot condition token k for a Gaussian graph with K conditions. */
export function oneHot(k: number, K: number): Float32Array {
  const token = new Float32Array(K);
  token[k] = 1;
  return token;
}

export function gaussianFlowGraph(spec: GaussianGraphSpec): Uint8Array {
  const { size } = spec;
  const K = spec.conditions.length;
  const g = new GraphBuilder('gaussian_velocity');
  const x = g.input(FLOW_INPUT_X, 'float32', ['batch', size]);
  const t = g.input(FLOW_INPUT_T, 'float32', ['batch']);
  const cond = g.input(FLOW_INPUT_COND, 'float32', ['batch', 1, K]);

  const means = new Float32Array(K * size);
  for (const [k, c] of spec.conditions.entries()) means.set(meanRow(c, size), k * size);
  const M = g.tensor(means, [K, size], 'means');
  const S = g.tensor(
    Float32Array.from(spec.conditions, (c) => c.std * c.std),
    [K, 1],
    'variances',
  );
  const muU = g.tensor(meanRow(spec.uncond, size), [1, size], 'uncond_mean');
  const s2U = g.scalar(spec.uncond.std * spec.uncond.std);
  const one = g.scalar(1);

  const w = g.node('Reshape', [cond, g.int64([-1, K])]);
  const wU = g.node('Sub', [one, g.node('ReduceSum', [w, g.int64([1])], { keepdims: 1 })]);
  const mu = g.node('Add', [g.node('MatMul', [w, M]), g.node('Mul', [wU, muU])]);
  const s2 = g.node('Add', [g.node('MatMul', [w, S]), g.node('Mul', [wU, s2U])]);

  const tt = g.node('Unsqueeze', [t, g.int64([1])]);
  const omt = g.node('Sub', [one, tt]);
  const D = g.node('Add', [g.node('Mul', [g.node('Mul', [omt, omt]), s2]), g.node('Mul', [tt, tt])]);
  const a = g.node('Div', [g.node('Sub', [tt, g.node('Mul', [omt, s2])]), D]);
  const centred = g.node('Sub', [x, g.node('Mul', [omt, mu])]);
  const v = g.node('Sub', [g.node('Mul', [a, centred]), mu]);
  g.output(v, FLOW_OUTPUT_V, 'float32', ['batch', size]);
  return g.build({
    docString: 'Exact rectified-flow velocity of per-condition Gaussian data (flowsmith tests).',
  });
}
