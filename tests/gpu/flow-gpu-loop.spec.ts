/**
 * The GPU-resident loop against the CPU one, through onnxruntime-web in Chromium: one seed gives the
 * same result on wasm and webgpu for every method (and the same bits run after run), no CPU↔GPU
 * transfer inside the loop, cancellation between steps, and NaN/Inf named by step.
 */
import { expect, test } from '@playwright/test';
import { openFlowHarness } from './flow-page';

type Scenarios = typeof import('./flow-scenarios');
type Flow = typeof import('../../src/core/flow');
type FlowTesting = typeof import('../../src/core/flow/testing');

const N = 8192;

test.beforeEach(async ({ page }) => {
  await openFlowHarness(page);
});

test('one seed gives the same result on wasm and webgpu for every method, and the same bits run after run', async ({
  page,
}) => {
  const r = await page.evaluate(
    async ({ N }) => {
      const paths = ['/tests/gpu/flow-scenarios.ts', '/src/core/flow/testing.ts'];
      const s = (await import(/* @vite-ignore */ paths[0])) as Scenarios;
      const t = (await import(/* @vite-ignore */ paths[1])) as FlowTesting;
      const wasm = await s.toyModelOn('wasm', 'cpu', N);
      const gpu = await s.toyModelOn('webgpu', 'gpu', N);
      const xSrc = t.toySource(N);
      const out: { method: string; maxDiff: number; repeatable: boolean; runs: number }[] = [];
      // Short schedules keep SwiftShader's time down; guidance is on for t ≥ 0.5 only, as in TRELLIS.
      const settings = { T: 10, nMax: 6 };
      for (const method of s.METHODS) {
        const a = await s.runMethod(wasm, 'cpu', method, xSrc, settings);
        const runs = gpu.stats.runs;
        const b = await s.runMethod(gpu, 'gpu', method, xSrc, settings);
        const gpuRuns = gpu.stats.runs - runs;
        const c = await s.runMethod(gpu, 'gpu', method, xSrc, settings);
        out.push({
          method,
          maxDiff: t.maxAbsDiff(a, b),
          repeatable: new Uint32Array(b.buffer).every((v, i) => v === new Uint32Array(c.buffer)[i]),
          runs: gpuRuns,
        });
      }
      await wasm.release();
      await gpu.release();
      return out;
    },
    { N },
  );
  for (const m of r) {
    test
      .info()
      .annotations.push({ type: `${m.method} max |wasm − webgpu|`, description: m.maxDiff.toExponential(2) });
    expect(m.maxDiff, m.method).toBeLessThan(1e-4);
    expect(m.repeatable, m.method).toBe(true);
    // One batched run per step: sampling runs all T = 10 steps, the editors n_max = 6.
    expect(m.runs, m.method).toBe(m.method === 'sample' || m.method === 'sde' ? 10 : 6);
  }
});

test('the GPU loop makes no CPU↔GPU transfer of a latent and no readback inside the loop', async ({
  page,
}) => {
  const r = await page.evaluate(
    async ({ N }) => {
      const paths = ['/tests/gpu/flow-scenarios.ts', '/src/core/flow/testing.ts'];
      const s = (await import(/* @vite-ignore */ paths[0])) as Scenarios;
      const t = (await import(/* @vite-ignore */ paths[1])) as FlowTesting;
      const gpu = await s.toyModelOn('webgpu', 'gpu', N);
      const counted = await s.countTransfers(gpu, 'flowedit', t.toySource(N), { nAvg: 2, T: 12, nMax: 8 });
      await gpu.release();
      return { perStep: counted.perStep, total: counted.total };
    },
    { N },
  );
  expect(r.perStep.length).toBe(7);
  for (const step of r.perStep) {
    expect(step.readbacks).toBe(0);
    expect(step.largeWrites).toBe(0);
    expect(step.mappedUploads).toBe(0);
  }
  const perStepBytes = Math.max(...r.perStep.map((c) => c.writeBytes));
  test.info().annotations.push(
    {
      type: 'writes per step',
      description: `${r.perStep[0].writes} writeBuffer calls, ≤ ${perStepBytes} bytes`,
    },
    { type: 'whole run', description: JSON.stringify(r.total) },
  );
  // Only the final result (and the 4-byte-per-check NaN counters) comes back.
  expect(r.total.readbacks).toBe(2);
});

test('cancelling the GPU loop between steps stops it with CancelledError and frees its buffers', async ({
  page,
}) => {
  const r = await page.evaluate(
    async ({ N }) => {
      const paths = ['/tests/gpu/flow-scenarios.ts', '/src/core/flow/testing.ts'];
      const s = (await import(/* @vite-ignore */ paths[0])) as Scenarios;
      const t = (await import(/* @vite-ignore */ paths[1])) as FlowTesting;
      const gpu = await s.toyModelOn('webgpu', 'gpu', N);
      const controller = new AbortController();
      const seen: number[] = [];
      const destroyed: string[] = [];
      const destroy = GPUBuffer.prototype.destroy;
      GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
        destroyed.push(this.label);
        destroy.call(this);
      };
      let error = '';
      try {
        await s.runMethod(
          gpu,
          'gpu',
          'flowedit',
          t.toySource(N),
          { T: 10, nMax: 6 },
          {
            signal: controller.signal,
            onStep: (info) => {
              seen.push(info.step);
              if (info.step === 2) controller.abort();
            },
          },
        );
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      } finally {
        GPUBuffer.prototype.destroy = destroy;
      }
      await gpu.release();
      return {
        seen,
        error,
        destroyed: destroyed.filter((l) => l.startsWith('flow') || l === 'x_src').length,
      };
    },
    { N },
  );
  expect(r.seen).toEqual([1, 2]);
  expect(r.error).toBe('CancelledError: FlowEdit was cancelled.');
  // z, ε, p, q, acc, x_src, scratch and the NaN counters of the run.
  expect(r.destroyed).toBeGreaterThanOrEqual(7);
});

test('a NaN inside the GPU loop fails the run with the step and quantity named', async ({ page }) => {
  const messages = await page.evaluate(async () => {
    const paths = [
      '/src/model/onnx/graph.ts',
      '/src/model/ort-velocity-model.ts',
      '/src/gpu/flow-runner.ts',
      '/src/core/flow/index.ts',
    ];
    const { GraphBuilder } = (await import(
      /* @vite-ignore */ paths[0]
    )) as typeof import('../../src/model/onnx/graph');
    const { OrtVelocityModel } = (await import(
      /* @vite-ignore */ paths[1]
    )) as typeof import('../../src/model/ort-velocity-model');
    const { runFlowOnGpu } = (await import(
      /* @vite-ignore */ paths[2]
    )) as typeof import('../../src/gpu/flow-runner');
    const flow = (await import(/* @vite-ignore */ paths[3])) as Flow;
    // v = x / (t − 0.5): infinite at t = 0.5, which a linear 4-step grid hits at step 3.
    const g = new GraphBuilder();
    const x = g.input('x_t', 'float32', ['b', 64]);
    const t = g.input('t', 'float32', ['b']);
    g.input('cond', 'float32', ['b', 1, 1]);
    const dt = g.node('Unsqueeze', [g.node('Sub', [t, g.scalar(0.5)]), g.int64([1])]);
    g.output(g.node('Div', [x, dt]), 'v', 'float32', ['b', 64]);
    const out: string[] = [];
    for (const backend of ['wasm', 'webgpu'] as const) {
      const model = await OrtVelocityModel.create(g.build(), { backend, gpuResident: backend === 'webgpu' });
      model.setCondition('c', new Float32Array(1));
      const params = { T: 4, shift: 1, cond: 'c', scale: 1, seed: 1 };
      try {
        if (backend === 'wasm') await flow.sample(model, params);
        else await runFlowOnGpu(model, async (ops) => (await flow.sampleOn(ops, params)).x);
        out.push('no error');
      } catch (e) {
        const err = e as { name: string; message: string; step?: number };
        out.push(`${err.name} step=${err.step}: ${err.message}`);
      }
      await model.release();
    }
    return out;
  });
  for (const m of messages) {
    expect(m).toMatch(/^NonFiniteValueError step=3: Sampling step 3 of 4 \(t = 0\.5000\), the velocity of c/);
  }
});
