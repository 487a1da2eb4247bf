import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anchorFlow,
  flowEdit,
  gaussianVelocity,
  normals,
  sample,
  stm,
  UNCOND,
  type VelocityModel,
} from '../core/flow';
import { eulerMoments, mean, toyModel, toySource, variance } from '../core/flow/testing';
import { InvalidFlowGraphError } from './errors';
import { gaussianFlowGraph, oneHot } from './onnx/gaussian-graph';
import { GraphBuilder } from './onnx/graph';
import { TINY_FLOW_PRESETS, tinyFlowGraph } from './onnx/tiny-flow-graph';
import { OrtVelocityModel } from './ort-velocity-model';
import { SRC, TGT, toyOrtModel } from './testing';

const N = 1 << 14;
let model: OrtVelocityModel;

beforeAll(async () => {
  model = await toyOrtModel(N, { backend: 'node' });
});
afterAll(async () => {
  await model.release();
});

/** A graph with the given inputs and an output v = x_t, or [x_t, x_t] when `doubled` (for contract checks). */
function contractGraph(inputs: { name: string; dims: (number | string)[] }[], doubled = false): Uint8Array {
  const g = new GraphBuilder();
  for (const i of inputs) g.input(i.name, 'float32', i.dims);
  const x = inputs[0].name;
  if (doubled) g.output(g.node('Concat', [x, x], { axis: 1 }), 'v', 'float32', ['b', 8]);
  else g.output(x, 'v', 'float32', inputs[0].dims);
  return g.build();
}

describe('OrtVelocityModel on onnxruntime-node', () => {
  it('reads the contract shapes from the graph', () => {
    expect(model.shape).toEqual({ latent: [N], condTokens: 1, condDim: 2 });
    expect(model.size).toBe(N);
  });

  it('matches the closed-form Gaussian velocity, every item of a mixed batch in one run', async () => {
    const x = [0, 1, 2].map((lane) => normals(1, { purpose: 'initial', step: 0, lane }, N));
    const runs = model.stats.runs;
    const v = await model.velocity({ t: 0.37, x, cond: [SRC, TGT, UNCOND] });
    expect(model.stats.runs).toBe(runs + 1);
    const params = [
      [0, 1],
      [2, 1],
      [1, 1.5],
    ];
    const ref = new Float32Array(N);
    for (let i = 0; i < 3; i++) {
      gaussianVelocity(ref, x[i], 0.37, params[i][0], params[i][1]);
      let worst = 0;
      for (let j = 0; j < N; j++) worst = Math.max(worst, Math.abs(v[i][j] - ref[j]));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('serializes concurrent calls (ORT fails on overlapping runs) and keeps their order', async () => {
    const x = normals(2, { purpose: 'initial', step: 0, lane: 0 }, N);
    const calls = [0.1, 0.3, 0.5, 0.7, 0.9].map((t) => model.velocity({ t, x: [x], cond: [SRC] }));
    const results = await Promise.all(calls);
    const ref = new Float32Array(N);
    results.forEach(([v], i) => {
      gaussianVelocity(ref, x, [0.1, 0.3, 0.5, 0.7, 0.9][i], 0, 1);
      expect(Math.abs(v[5] - ref[5])).toBeLessThan(1e-5);
    });
  });

  it('plain sampling reproduces the target mean and variance', async () => {
    const { x } = await sample(model, { T: 50, cond: TGT, scale: 1, seed: 11 });
    const exact = eulerMoments(50, 3, 0, 2, 1);
    expect(Math.abs(mean(x) - exact.mean)).toBeLessThan(5 * Math.sqrt(exact.variance / N));
    expect(Math.abs(variance(x) - exact.variance)).toBeLessThan(5 * exact.variance * Math.sqrt(2 / N));
  });

  it('FlowEdit with c_tgt = c_src returns x_src exactly; n_max = 0 too', async () => {
    const xSrc = toySource(N);
    const base = { T: 25, nMax: 15, sSrc: 2, sTgt: 2, condSrc: SRC, condTgt: SRC, seed: 4 };
    expect(await flowEdit(model, xSrc, base)).toEqual(xSrc);
    expect(await flowEdit(model, xSrc, { ...base, condTgt: TGT, nMax: 0 })).toEqual(xSrc);
  });

  it('FlowEdit moves the mean from μ_src to μ_tgt, as on the exact CPU model', async () => {
    const xSrc = toySource(N);
    const params = { T: 25, nMax: 25, sSrc: 1, sTgt: 1, condSrc: SRC, condTgt: TGT, seed: 5 };
    const onOrt = await flowEdit(model, xSrc, params);
    const onCpu = await flowEdit(toyModel(N), xSrc, params);
    expect(mean(onOrt)).toBeGreaterThan(1.9);
    expect(mean(onOrt)).toBeLessThan(2.1);
    let worst = 0;
    for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(onOrt[i] - onCpu[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('AnchorFlow and STM run on it and agree with the exact CPU model', async () => {
    const xSrc = toySource(N);
    const cpu: VelocityModel = toyModel(N);
    const edit = { T: 25, nMax: 15, sSrc: 1.5, sTgt: 3, condSrc: SRC, condTgt: TGT, seed: 6 };
    const a = await anchorFlow(model, xSrc, edit);
    const b = await anchorFlow(cpu, xSrc, edit);
    const stmParams = { ...edit, lambda: 0.6, generator: { kind: 'stochastic' as const } };
    const c = await stm(model, xSrc, stmParams);
    const d = await stm(cpu, xSrc, stmParams);
    for (const [u, w] of [
      [a, b],
      [c, d],
    ]) {
      let worst = 0;
      for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(u[i] - w[i]));
      expect(worst).toBeLessThan(1e-3);
    }
  });
});

describe('flow graph contract checks', () => {
  const ok = [
    { name: 'x_t', dims: ['b', 4] },
    { name: 't', dims: ['b'] },
    { name: 'cond', dims: ['b', 2, 3] },
  ];
  const problem = async (graph: Uint8Array, expect?: { condTokens?: number; latent?: number[] }) => {
    try {
      const m = await OrtVelocityModel.create(graph, { backend: 'node', expect, name: 'bad' });
      await m.release();
      return 'accepted';
    } catch (error) {
      if (!(error instanceof InvalidFlowGraphError)) throw error;
      return `${error.problem}: ${error.message}`;
    }
  };

  it('accepts a conforming graph', async () => {
    expect(await problem(contractGraph(ok))).toBe('accepted');
  });

  it.each([
    ['missing x_t', [{ name: 'x', dims: ['b', 4] }, ok[1], ok[2]], /missing-input: .*no input 'x_t'.*'x'/],
    [
      'static batch',
      [{ name: 'x_t', dims: [2, 4] }, ok[1], ok[2]],
      /static-batch: .*'x_t' has a fixed batch of 2/,
    ],
    [
      'dynamic token dim',
      [ok[0], ok[1], { name: 'cond', dims: ['b', 'L', 3] }],
      /dynamic-dim: .*dim 1 of 'cond' \(shape \[b, L, 3\]\) is 'L'/,
    ],
    [
      'cond rank',
      [ok[0], ok[1], { name: 'cond', dims: ['b', 3] }],
      /wrong-rank: .*'cond' has shape \[b, 3\]/,
    ],
  ] as const)('refuses %s', async (_label, inputs, message) => {
    expect(await problem(contractGraph(inputs.map((i) => ({ ...i, dims: [...i.dims] }))))).toMatch(message);
  });

  it('refuses a v shaped unlike x_t, a wrong token count, and a wrong latent', async () => {
    expect(await problem(contractGraph(ok, true))).toMatch(/wrong-shape: .*'v' has shape \[b, 8\]/);
    expect(await problem(contractGraph(ok), { condTokens: 257 })).toMatch(
      /wrong-token-count: .*takes 2 condition tokens but 257 were expected/,
    );
    expect(await problem(contractGraph(ok), { latent: [8, 16, 16, 16] })).toMatch(/wrong-shape: .*\[B, 4\]/);
  });

  it('refuses bytes that are not a graph, and an unknown condition at run time', async () => {
    expect(await problem(new Uint8Array([1, 2, 3, 4]))).toMatch(/unreadable-graph/);
    const small = await OrtVelocityModel.create(
      gaussianFlowGraph({ size: 4, conditions: [{ mean: 0, std: 1 }], uncond: { mean: 0, std: 1 } }),
      { backend: 'node' },
    );
    small.setCondition('a', oneHot(0, 1));
    await expect(small.velocity({ t: 0.5, x: [new Float32Array(4)], cond: ['b'] })).rejects.toThrow(
      /condition “b”, which was never set/,
    );
    expect(() => small.setCondition('c', new Float32Array(3))).toThrow(/takes 1 tokens × 1 = 1/);
    await small.release();
  });
});

describe('tiny generated pack', () => {
  it('is deterministic from its seed, obeys the contract and gives finite velocities', async () => {
    const spec = TINY_FLOW_PRESETS.test;
    const a = tinyFlowGraph(spec);
    expect(tinyFlowGraph(spec).bytes).toEqual(a.bytes);
    const m = await OrtVelocityModel.create(a.bytes, { backend: 'node', expect: a.shape });
    expect(m.shape).toEqual({ latent: [16, 4], condTokens: 4, condDim: 8 });
    m.setCondition('c', normals(1, { purpose: 'initial', step: 0, lane: 0 }, 32));
    const x = [0, 1, 2].map((lane) => normals(2, { purpose: 'initial', step: 0, lane }, 64));
    const v = await m.velocity({ t: 0.8, x, cond: ['c', UNCOND, 'c'] });
    expect(v.length).toBe(3);
    for (const vi of v) expect(vi.every(Number.isFinite)).toBe(true);
    // Same input and condition at two batch positions: the same velocity.
    const again = await m.velocity({ t: 0.8, x: [x[2], x[0]], cond: ['c', 'c'] });
    for (let j = 0; j < 64; j++) expect(again[1][j]).toBeCloseTo(v[0][j], 5);
    await m.release();
  });

  it('stores half-precision weights at half the bytes', () => {
    const full = tinyFlowGraph(TINY_FLOW_PRESETS.test);
    const half = tinyFlowGraph({ ...TINY_FLOW_PRESETS.test, half: true });
    expect(half.parameters).toBe(full.parameters);
    expect(half.bytes.length).toBeLessThan(0.6 * full.bytes.length + 4096);
  });
});
