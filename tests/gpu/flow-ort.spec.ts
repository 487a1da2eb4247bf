/**
 * The samplers against the analytic Gaussian velocity graph through onnxruntime-web in Chromium: on
 * the wasm EP (CPU executor) and on the webgpu EP with the loop GPU-resident (GPU executor), the
 * answers the closed form predicts. Cross-backend equality and transfers: flow-gpu-loop.spec.ts.
 */
import { expect, test } from '@playwright/test';
import { openFlowHarness } from './flow-page';

type Scenarios = typeof import('./flow-scenarios');
type FlowTesting = typeof import('../../src/core/flow/testing');

const N = 8192;

test.beforeEach(async ({ page }) => {
  await openFlowHarness(page);
});

for (const [backend, executor] of [
  ['wasm', 'cpu'],
  ['webgpu', 'gpu'],
] as const) {
  test(`${backend} (${executor} loop): sampling hits the target moments; FlowEdit is exact at c_tgt = c_src and moves μ_src → μ_tgt`, async ({
    page,
  }) => {
    const r = await page.evaluate(
      async ({ backend, executor, N }) => {
        const paths = ['/tests/gpu/flow-scenarios.ts', '/src/core/flow/testing.ts'];
        const s = (await import(/* @vite-ignore */ paths[0])) as Scenarios;
        const t = (await import(/* @vite-ignore */ paths[1])) as FlowTesting;
        const model = await s.toyModelOn(backend, executor, N);
        const xSrc = t.toySource(N);
        const sampled = await s.runMethod(model, executor, 'sample', xSrc, { T: 25, sTgt: 1 });
        const exact = t.eulerMoments(25, 3, 0, 2, 1);
        const identity = await s.runMethod(model, executor, 'flowedit', xSrc, {
          T: 10,
          nMax: 6,
          condTgt: 'src',
          sTgt: 1.5,
        });
        const nMaxZero = await s.runMethod(model, executor, 'flowedit', xSrc, { nMax: 0 });
        const moved = await s.runMethod(model, executor, 'flowedit', xSrc, {
          T: 20,
          nMax: 20,
          sSrc: 1,
          sTgt: 1,
        });
        await model.release();
        return {
          mean: t.mean(sampled),
          variance: t.variance(sampled),
          exact,
          identityExact: identity.every((v, i) => v === xSrc[i]),
          nMaxZeroExact: nMaxZero.every((v, i) => v === xSrc[i]),
          srcMean: t.mean(xSrc),
          movedMean: t.mean(moved),
        };
      },
      { backend, executor, N },
    );
    expect(Math.abs(r.mean - r.exact.mean)).toBeLessThan(5 * Math.sqrt(r.exact.variance / N));
    expect(Math.abs(r.variance - r.exact.variance)).toBeLessThan(5 * r.exact.variance * Math.sqrt(2 / N));
    expect(r.identityExact).toBe(true);
    expect(r.nMaxZeroExact).toBe(true);
    expect(Math.abs(r.srcMean)).toBeLessThan(0.05);
    expect(r.movedMean).toBeGreaterThan(1.9);
    expect(r.movedMean).toBeLessThan(2.1);
  });
}
