/**
 * `npm run bench -- flow [--quick] [--browser] [--no-node]`: per-step time of each sampler and the
 * share of it spent outside the model (overhead), on tiny generated packs of ≈5M and ≈40M parameters
 * (512 tokens, batch 4 = target and source × cond/uncond), built here and never written to the repo.
 *
 * Node: onnxruntime-node (CPU EP), the CPU executor; model time is the time inside `session.run`, in
 * the same run, so the overhead share is a ratio measured against its own baseline (DESIGN §7).
 * --browser: Chromium via Playwright and Vite: wasm (CPU loop) vs webgpu (loop GPU-resident, and the
 * CPU loop over a webgpu model for comparison). On a machine without a GPU, WebGPU is SwiftShader
 * (a CPU emulation, ~80× slower than wasm on the 5M graph), so the browser part runs the analytic
 * toy graph at the TRELLIS latent size (8·16³) for the loop overhead, and the 5M pack for 2 steps only.
 * Writes bench/out/flow.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  anchorFlow,
  flowEdit,
  normals,
  type SampleParams,
  sample,
  stm,
  type VelocityModel,
} from '../src/core/flow';
import { openPack, type PackReader } from '../src/model/manifest';
import { TINY_FLOW_PRESETS, type TinyFlowSpec } from '../src/model/onnx/tiny-flow-graph';
import type { OrtVelocityModel } from '../src/model/ort-velocity-model';
import { flowModelFromPack } from '../src/model/pack';
import { tinyPack } from '../src/model/tiny-pack';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

type Method = 'sample' | 'flowedit' | 'anchorflow' | 'stm';
const METHODS: readonly Method[] = ['sample', 'flowedit', 'anchorflow', 'stm'];

interface Row {
  place: string;
  pack: string;
  method: string;
  steps: number;
  batch: number;
  perStepMs: number;
  modelMs: number;
  overheadShare: number;
  readbacksPerStep?: number;
  largeWritesPerStep?: number;
}

async function runNodeMethod(
  model: VelocityModel,
  method: Method,
  xSrc: Float32Array,
  nMax: number,
  T: number,
) {
  const edit = { T, nMax, sSrc: 1.5, sTgt: 3, condSrc: 'src', condTgt: 'tgt', seed: 1 };
  const plain: SampleParams = { T: method === 'sample' ? nMax : T, cond: 'tgt', scale: 3, seed: 1 };
  switch (method) {
    case 'sample':
      return (await sample(model, plain)).x;
    case 'flowedit':
      return flowEdit(model, xSrc, edit);
    case 'anchorflow':
      return anchorFlow(model, xSrc, edit);
    case 'stm':
      return stm(model, xSrc, { ...edit, lambda: 0.6, generator: { kind: 'stochastic' } });
  }
}

async function nodePart(quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const packs: [string, TinyFlowSpec, number][] = [
    ['small', TINY_FLOW_PRESETS.small, quick ? 4 : 15],
    ['medium', TINY_FLOW_PRESETS.medium, quick ? 2 : 5],
  ];
  for (const [name, spec, nMax] of packs) {
    const t0 = performance.now();
    const files = await tinyPack(`tiny-${name}`, spec);
    const reader: PackReader = { read: async (p) => files.files.get(p) ?? null };
    const opened = await openPack(reader, `tiny-${name}`, ['ss_flow']);
    const model: OrtVelocityModel = await flowModelFromPack(opened, `tiny-${name}`, { backend: 'node' });
    const loadMs = performance.now() - t0;
    model.setCondition('src', normals(1, { purpose: 'initial', step: 0, lane: 1 }, model.condSize));
    model.setCondition('tgt', normals(1, { purpose: 'initial', step: 0, lane: 2 }, model.condSize));
    const xSrc = normals(2, { purpose: 'initial', step: 0, lane: 0 }, model.size);
    // Warm-up: ORT plans memory on the first run of a batch size.
    for (const B of [2, 4]) {
      await model.velocity({ t: 0.5, x: Array(B).fill(xSrc), cond: Array(B).fill('src') });
    }
    const label = `${name} (${(files.parameters / 1e6).toFixed(1)}M)`;
    process.stdout.write(`${label}: built, hashed and loaded in ${loadMs.toFixed(0)} ms\n`);
    for (const method of METHODS) {
      const { runs, items, runMs } = { ...model.stats };
      const start = performance.now();
      await runNodeMethod(model, method, xSrc, nMax, 25);
      const total = performance.now() - start;
      const steps = model.stats.runs - runs;
      const modelMs = (model.stats.runMs - runMs) / steps;
      const row: Row = {
        place: 'node cpu',
        pack: label,
        method,
        steps,
        batch: Math.round((model.stats.items - items) / steps),
        perStepMs: total / steps,
        modelMs,
        overheadShare: 1 - (modelMs * steps) / total,
      };
      rows.push(row);
      process.stdout.write(
        `  ${method}: ${row.perStepMs.toFixed(1)} ms/step, overhead ${(100 * row.overheadShare).toFixed(2)}%\n`,
      );
    }
    await model.release();
  }
  return rows;
}

type Scenarios = typeof import('../tests/gpu/flow-scenarios');

async function browserPart(): Promise<Row[]> {
  const { chromium } = await import('@playwright/test');
  const { createServer } = await import('vite');
  const { chromiumLaunch } = await import('../tests/chromium');
  const { openFlowHarness } = await import('../tests/gpu/flow-page');
  // Other engineers' dev servers come and go; take the first free port from here on.
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: Number(process.env.FLOW_BENCH_PORT ?? 4261), strictPort: false },
  });
  await server.listen();
  const baseURL = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
  const browser = await chromium.launch(chromiumLaunch);
  const rows: Row[] = [];
  const loopMs = new Map<string, number>();
  try {
    const page = await browser.newPage({ baseURL });
    await openFlowHarness(page);
    const adapter = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? `${a.info.vendor} ${a.info.architecture} ${a.info.description}`.trim() : 'none';
    });
    process.stdout.write(
      `chromium: WebGPU adapter ${adapter}, ${await page.evaluate(() => navigator.hardwareConcurrency)} threads\n`,
    );
    const scenarios = '/tests/gpu/flow-scenarios.ts';
    const log = (row: Row) => {
      rows.push(row);
      process.stdout.write(
        `  ${row.place} | ${row.pack} | ${row.method}: ${row.perStepMs.toFixed(1)} ms/step, model ${row.modelMs.toFixed(1)} ms, overhead ${(100 * row.overheadShare).toFixed(1)}%\n`,
      );
    };
    // Guidance at every step, so the editors run batch 4 throughout.
    const everyStep = { T: 25, nMax: 15, guidanceInterval: undefined };

    // 1. The loop's own cost per step, with a null model: CPU loop (JS in the page) vs GPU loop.
    for (const size of [512 * 8, 8 * 16 ** 3]) {
      for (const method of METHODS) {
        const ms = await page.evaluate(
          async ({ scenarios, method, size, everyStep }) => {
            const s = (await import(/* @vite-ignore */ scenarios)) as Scenarios;
            return {
              cpu: await s.loopOnlyMs('cpu', method, size, everyStep),
              gpu: await s.loopOnlyMs('gpu', method, size, everyStep),
            };
          },
          { scenarios, method, size, everyStep },
        );
        loopMs.set(`${size}/${method}/cpu`, ms.cpu);
        loopMs.set(`${size}/${method}/gpu`, ms.gpu);
        const pack = size === 4096 ? 'null model, 512×8 latent' : 'null model, 8·16³ latent';
        const batch = method === 'sample' ? 2 : 4;
        const base = {
          pack,
          method,
          steps: method === 'sample' ? 25 : 15,
          batch,
          modelMs: 0,
          overheadShare: 1,
        };
        log({ ...base, place: 'chromium, CPU loop (JS)', perStepMs: ms.cpu });
        log({ ...base, place: 'chromium, GPU loop (SwiftShader)', perStepMs: ms.gpu });
      }
    }

    // 2. Real graphs: the analytic velocity at TRELLIS' latent size and the 4.6M pack, end to end.
    const cases: {
      pack: 'toy' | 'small' | 'medium@8';
      backend: 'wasm' | 'webgpu';
      executor: 'cpu' | 'gpu';
      nMax: number;
      reps: number;
    }[] = [
      { pack: 'toy', backend: 'wasm', executor: 'cpu', nMax: 15, reps: 10 },
      { pack: 'toy', backend: 'webgpu', executor: 'cpu', nMax: 15, reps: 10 },
      { pack: 'toy', backend: 'webgpu', executor: 'gpu', nMax: 15, reps: 10 },
      { pack: 'small', backend: 'wasm', executor: 'cpu', nMax: 3, reps: 1 },
      { pack: 'small', backend: 'webgpu', executor: 'gpu', nMax: 2, reps: 1 },
      // 3. A 41M-parameter pack, 25-step FlowEdit (Nano3D's n_max = 13), on the GPU loop: its
      // transfers per step. 8 tokens instead of 512, or SwiftShader would take hours.
      { pack: 'medium@8', backend: 'webgpu', executor: 'gpu', nMax: 13, reps: 2 },
    ];
    for (const c of cases) {
      const r = await page.evaluate(
        async ({ scenarios, c, everyStep }) => {
          const s = (await import(/* @vite-ignore */ scenarios)) as Scenarios;
          const model =
            c.pack === 'toy'
              ? await s.toyModelOn(c.backend, c.executor, 8 * 16 ** 3)
              : c.pack === 'small'
                ? await s.tinyModelOn(c.backend, c.executor, 'small')
                : await s.tinyModelOn(c.backend, c.executor, 'medium', 8);
          const xSrc = new Float32Array(model.size).fill(0.25);
          await s.runMethod(model, c.executor, 'flowedit', xSrc, { ...everyStep, nMax: 1 }); // warm-up
          const result = await s.benchMethod(
            model,
            c.executor,
            'flowedit',
            xSrc,
            { ...everyStep, nMax: c.nMax },
            c.reps,
          );
          await model.release();
          return result;
        },
        { scenarios, c, everyStep },
      );
      const size = c.pack === 'toy' ? 8 * 16 ** 3 : c.pack === 'small' ? 4096 : 64;
      const loop = loopMs.get(`${size}/flowedit/${c.executor}`);
      log({
        place: `chromium ${c.backend}, ${c.executor === 'gpu' ? 'GPU loop' : 'CPU loop'}`,
        pack:
          c.pack === 'toy'
            ? 'analytic, 8·16³ latent'
            : c.pack === 'small'
              ? 'small (4.6M)'
              : '41M params, 8 tokens',
        method: 'flowedit',
        steps: r.steps,
        batch: r.batch,
        perStepMs: r.perStepMs,
        modelMs: r.modelMs,
        // GPU: the model and the loop overlap on the queue, so the loop's share comes from its null-model cost.
        overheadShare: c.executor === 'gpu' && loop !== undefined ? loop / r.perStepMs : r.overheadShare,
        readbacksPerStep: r.readbacksPerStep,
        largeWritesPerStep: r.largeWritesPerStep,
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

function table(rows: Row[]): string {
  const head =
    '| where | pack | method | steps | batch | ms/step | model ms/step | overhead | readbacks/step | latent uploads/step |\n' +
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n';
  return (
    head +
    rows
      .map(
        (r) =>
          `| ${r.place} | ${r.pack} | ${r.method} | ${r.steps} | ${r.batch} | ${r.perStepMs.toFixed(1)} | ${r.modelMs.toFixed(1)} | ${(100 * r.overheadShare).toFixed(2)}% | ${r.readbacksPerStep ?? '–'} | ${r.largeWritesPerStep ?? '–'} |`,
      )
      .join('\n')
  );
}

export default async function flowBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rows: Row[] = [];
  if (!args.includes('--no-node')) rows.push(...(await nodePart(quick)));
  if (args.includes('--browser')) rows.push(...(await browserPart()));
  const text = table(rows);
  process.stdout.write(`\n${text}\n`);
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(
    join(here, 'out', 'flow.json'),
    `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}
