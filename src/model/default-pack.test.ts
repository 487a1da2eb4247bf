/**
 * Whatever pack ships in public/models/default (issue 5; trained by training/): its manifest passes the
 * validator, every graph's size and sha256 match, the graphs fit one another (encoder latent = flow
 * latent = decoder input, image-encoder tokens = flow condition, view spec = image input), and the
 * graphs run on onnxruntime-node: a committed corpus grid round-trips through the VAE, its canonical
 * view (the TS renderer) conditions the flow, and the flow keeps DESIGN §3's sign convention
 * (v = ε − x0: at t = 1 the velocity points along the noise it is given).
 * Skipped when no pack is there.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSparseGrid } from '../../tests/support/golden-fixtures';
import { UNCOND } from '../core/flow';
import { renderView } from '../core/render/render-view';
import { loadRuntime } from './backends/onnx';
import { GRAPH_NAMES, type GraphName, MANIFEST_FILE, openPack, type TensorSpec } from './manifest';
import { flowModelFromPack } from './pack';
import { nodePackReader } from './pack-node';

const DIR = join(import.meta.dirname, '../../public/models/default');
const present = existsSync(join(DIR, MANIFEST_FILE));

const dims = (t: TensorSpec | undefined) => t?.shape.slice(1);

/** Deterministic values in [-1, 1) (a small LCG: tests need repeatable, not random, numbers). */
function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe.skipIf(!present)('the default pack (public/models/default)', async () => {
  const names = GRAPH_NAMES.filter((g) =>
    ['ss_flow', 'ss_encoder', 'ss_decoder', 'image_encoder'].includes(g),
  ) as GraphName[];
  const pack = present ? await openPack(nodePackReader(DIR), 'default', names) : undefined;

  it('validates, and its graphs fit one another and the view spec', () => {
    if (!pack) return;
    const { graphs, view } = pack.manifest;
    const latent = dims(graphs.ss_flow?.inputs.find((t) => t.name === 'x_t'));
    expect(latent).toEqual([8, 16, 16, 16]);
    expect(dims(graphs.ss_encoder?.outputs[0])).toEqual(latent);
    expect(dims(graphs.ss_decoder?.inputs[0])).toEqual(latent);
    expect(dims(graphs.image_encoder?.outputs[0])).toEqual(
      dims(graphs.ss_flow?.inputs.find((t) => t.name === 'cond')),
    );
    const image = graphs.image_encoder?.inputs.find((t) => t.name === 'image');
    expect(dims(image)).toEqual([3, view?.resolution, view?.resolution]);
    expect(dims(graphs.image_encoder?.inputs.find((t) => t.name === 'view'))).toEqual([
      view?.azimuths.length,
    ]);
    let total = 0;
    for (const g of names) total += graphs[g]?.bytes ?? 0;
    expect(total).toBeLessThanOrEqual(50e6); // issue 5's budget for the whole pack
  });

  it('round-trips a grid through the VAE and conditions the flow on its rendered view', async () => {
    if (!pack) return;
    const runtime = await loadRuntime('node');
    const { Tensor } = runtime.ort;
    const session = (g: GraphName) => runtime.createSession(pack.graphs[g] as Uint8Array);
    const grid = loadSparseGrid('chair-3');
    const R = grid.resolution;

    // Grid memory order x + R·(y + R·z) is the graphs' [z][y][x] layout.
    const occupancy = Float32Array.from(grid.occupancy);
    const encoder = await session('ss_encoder');
    const z = (await encoder.run({ occupancy: new Tensor('float32', occupancy, [1, 1, R, R, R]) })).z;
    const decoder = await session('ss_decoder');
    const logits = (await decoder.run({ z })).logits.data as Float32Array;
    let inter = 0;
    let union = 0;
    for (let i = 0; i < logits.length; i++) {
      const a = logits[i] > 0;
      const b = occupancy[i] > 0;
      inter += Number(a && b);
      union += Number(a || b);
    }
    expect(inter / union).toBeGreaterThan(0.8);

    const view = 1;
    const rendered = renderView(grid, view);
    const W = rendered.width;
    const image = new Float32Array(3 * W * W);
    for (let p = 0; p < W * W; p++) {
      for (let c = 0; c < 3; c++) image[c * W * W + p] = rendered.data[4 * p + c] / 255;
    }
    const oneHot = new Float32Array(8);
    oneHot[view] = 1;
    const imageEncoder = await session('image_encoder');
    const cond = (
      await imageEncoder.run({
        image: new Tensor('float32', image, [1, 3, W, W]),
        view: new Tensor('float32', oneHot, [1, 8]),
      })
    ).cond.data as Float32Array;

    const flow = await flowModelFromPack(pack, 'default', { backend: 'node' });
    expect(flow.shape).toEqual({ latent: [8, 16, 16, 16], condTokens: 64, condDim: 256 });
    flow.setCondition('chair', cond);
    const noise = pseudoRandom(flow.size, 7);
    const [vCond, vUncond] = await flow.velocity({ t: 1, x: [noise, noise], cond: ['chair', UNCOND] });
    for (const v of [vCond, vUncond]) expect(v.every(Number.isFinite)).toBe(true);
    // v = ε − x0 and x_1 = ε: at t = 1 the velocity is the noise minus a data estimate near the
    // (normalized, zero-mean) latent mean, so it points along the noise.
    expect(cosine(vUncond, noise)).toBeGreaterThan(0.5);
    // The condition matters.
    let diff = 0;
    let norm = 0;
    for (let i = 0; i < vCond.length; i++) {
      diff += (vCond[i] - vUncond[i]) ** 2;
      norm += vUncond[i] ** 2;
    }
    expect(Math.sqrt(diff / norm)).toBeGreaterThan(1e-3);
    await flow.release();
    for (const s of [encoder, decoder, imageEncoder]) await s.release();
  });
});
