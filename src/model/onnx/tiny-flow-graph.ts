/**
 * A "tiny generated pack" velocity graph: random weights, real structure. It is a small DiT of the
 * shape TRELLIS' sparse-structure flow has (DESIGN §4): latent tokens in, a sinusoidal timestep
 * embedding through an MLP, and per block adaLN-modulated self-attention → cross-attention to the
 * condition tokens → MLP, each residual; then a final norm and projection back to latent channels.
 * It obeys the flow contract (flow-contract.ts): x_t [B, N, C], t [B], cond [B, M, D_c] → v [B, N, C].
 *
 * It exists for tests (tiny dims, fast) and for the flow benchmark (≈5M and ≈40M parameters at 512
 * tokens), where the point is realistic op mix and memory traffic, not meaningful velocities.
 */

import {
  FLOW_INPUT_COND,
  FLOW_INPUT_T,
  FLOW_INPUT_X,
  FLOW_OUTPUT_V,
  type FlowGraphShape,
} from '../flow-contract';
import { float, GraphBuilder } from './graph';

export interface TinyFlowSpec {
  /** N: latent tokens (static). */
  readonly tokens: number;
  /** C: channels per latent token. */
  readonly channels: number;
  /** d: model width. */
  readonly width: number;
  readonly heads: number;
  readonly layers: number;
  /** M: condition tokens. */
  readonly condTokens: number;
  /** D_c: condition token width. */
  readonly condDim: number;
  /** MLP hidden width = mlpRatio·d (default 4). */
  readonly mlpRatio?: number;
  /** Seeds the weights; the same spec and seed give the same bytes. */
  readonly seed?: number;
  /** Store weights as float16 and cast in-graph (halves the file). */
  readonly half?: boolean;
}

export interface TinyFlowGraph {
  readonly bytes: Uint8Array;
  readonly parameters: number;
  readonly shape: FlowGraphShape;
}

/** Benchmark sizes (issue 4): ≈5M and ≈40M parameters at 512 tokens. */
export const TINY_FLOW_PRESETS = {
  /** For unit tests: a few thousand parameters. */
  test: { tokens: 16, channels: 4, width: 16, heads: 2, layers: 1, condTokens: 4, condDim: 8 },
  /** 4.6M parameters. */
  small: { tokens: 512, channels: 8, width: 256, heads: 4, layers: 3, condTokens: 64, condDim: 256 },
  /** 41.1M parameters. */
  medium: { tokens: 512, channels: 8, width: 512, heads: 8, layers: 7, condTokens: 64, condDim: 512 },
} as const satisfies Record<string, TinyFlowSpec>;

/** Deterministic weights: xorshift128 → uniform with unit variance, scaled. Fast for 40M values. */
class WeightSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    this.s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.s1 = 0x243f6a88;
    this.s2 = 0xb7e15162;
    this.s3 = 0x85a308d3;
    for (let i = 0; i < 16; i++) this.next();
  }

  private next(): number {
    let t = this.s3;
    const s = this.s0;
    this.s3 = this.s2;
    this.s2 = this.s1;
    this.s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.s0 = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.s0;
  }

  /** n values with mean 0 and standard deviation `std`. */
  take(n: number, std: number): Float32Array {
    const out = new Float32Array(n);
    const k = std * Math.sqrt(3) * 2 ** -31;
    for (let i = 0; i < n; i++) out[i] = (this.next() - 2 ** 31) * k;
    return out;
  }
}

export function tinyFlowGraph(spec: TinyFlowSpec): TinyFlowGraph {
  const { tokens: N, channels: C, width: d, heads: H, layers, condTokens: M, condDim: Dc } = spec;
  if (d % H !== 0) throw new Error(`tinyFlowGraph: width ${d} is not divisible by ${H} heads.`);
  const dh = d / H;
  const hidden = (spec.mlpRatio ?? 4) * d;
  const rng = new WeightSource(spec.seed ?? 1);
  const g = new GraphBuilder('tiny_flow');
  const W = (rows: number, cols: number, std = 1 / Math.sqrt(rows)) =>
    spec.half
      ? g.weightHalf(rng.take(rows * cols, std), [rows, cols])
      : g.weight(rng.take(rows * cols, std), [rows, cols]);
  const bias = (n: number) => g.weight(new Float32Array(n), [n], 'b');
  const linear = (x: string, rows: number, cols: number, std?: number) =>
    g.node('Add', [g.node('MatMul', [x, W(rows, cols, std)]), bias(cols)]);
  const silu = (x: string) => g.node('Mul', [x, g.node('Sigmoid', [x])]);
  const ones = g.tensor(new Float32Array(d).fill(1), [d], 'ones');
  const zeros = g.tensor(new Float32Array(d), [d], 'zeros');
  const norm = (x: string) =>
    g.node('LayerNormalization', [x, ones, zeros], { axis: -1, epsilon: float(1e-6) });
  const one = g.scalar(1);

  const x = g.input(FLOW_INPUT_X, 'float32', ['batch', N, C]);
  const t = g.input(FLOW_INPUT_T, 'float32', ['batch']);
  const cond = g.input(FLOW_INPUT_COND, 'float32', ['batch', M, Dc]);

  // Timestep: sinusoidal features of 1000·t (the scale TRELLIS trains with), then an MLP.
  const F = Math.min(256, d);
  const freqs = Float32Array.from(
    { length: F / 2 },
    (_, i) => 1000 * Math.exp((-Math.log(10000) * i) / (F / 2)),
  );
  const tArg = g.node('Mul', [g.node('Unsqueeze', [t, g.int64([1])]), g.tensor(freqs, [1, F / 2], 'freqs')]);
  const tFeat = g.node('Concat', [g.node('Sin', [tArg]), g.node('Cos', [tArg])], { axis: 1 });
  const temb = silu(linear(silu(linear(tFeat, F, d)), d, d));
  const tembTokens = g.node('Unsqueeze', [temb, g.int64([1])]); // [B, 1, d]

  let h = g.node('Add', [linear(x, C, d), g.weight(rng.take(N * d, 0.02), [N, d], 'pos')]);

  const split = (x: string, n: number) =>
    g.nodeOutputs('Split', [x, g.int64(Array(n).fill(d))], n, { axis: -1 });
  const heads = (x: string, len: number, perm: number[]) =>
    g.node('Transpose', [g.node('Reshape', [x, g.int64([0, len, H, dh])])], { perm });
  const attention = (q: string, k: string, v: string, kvLen: number) => {
    const qh = heads(q, N, [0, 2, 1, 3]);
    const kh = heads(k, kvLen, [0, 2, 3, 1]);
    const vh = heads(v, kvLen, [0, 2, 1, 3]);
    const scores = g.node('Mul', [g.node('MatMul', [qh, kh]), g.scalar(1 / Math.sqrt(dh))]);
    const mixed = g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), vh]);
    const merged = g.node('Reshape', [
      g.node('Transpose', [mixed], { perm: [0, 2, 1, 3] }),
      g.int64([0, N, d]),
    ]);
    return linear(merged, d, d);
  };
  const modulate = (x: string, shift: string, scale: string) =>
    g.node('Add', [g.node('Mul', [norm(x), g.node('Add', [one, scale])]), shift]);

  for (let layer = 0; layer < layers; layer++) {
    // adaLN: shift/scale of each of the three norms from the timestep embedding, zero-initialized
    // in DiT; small here so the random network stays well-conditioned.
    const [sh1, sc1, sh2, sc2, sh3, sc3] = split(linear(silu(tembTokens), d, 6 * d, 0.02), 6);
    const a = modulate(h, sh1, sc1);
    h = g.node('Add', [h, attention(linear(a, d, d), linear(a, d, d), linear(a, d, d), N)]);
    const c = modulate(h, sh2, sc2);
    h = g.node('Add', [h, attention(linear(c, d, d), linear(cond, Dc, d), linear(cond, Dc, d), M)]);
    const m = modulate(h, sh3, sc3);
    h = g.node('Add', [h, linear(silu(linear(m, d, hidden)), hidden, d)]);
  }
  const v = linear(norm(h), d, C, 0.5 / Math.sqrt(d));
  g.output(v, FLOW_OUTPUT_V, 'float32', ['batch', N, C]);
  const bytes = g.build({
    docString: 'Random-weight DiT-shaped velocity graph (flowsmith tiny generated pack).',
    metadata: { spec: JSON.stringify(spec) },
  });
  return { bytes, parameters: g.parameterCount, shape: { latent: [N, C], condTokens: M, condDim: Dc } };
}
