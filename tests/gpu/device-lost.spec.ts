import { expect, test } from '@playwright/test';

type EngineModule = typeof import('../../src/engine/in-process-engine');
type MergeModule = typeof import('../../src/core/merge');
type MergeTestingModule = typeof import('../../src/core/merge/testing');
type DecodeModule = typeof import('../../src/io/decode-image-browser');

test('after a lost device the engine takes a new one and merges on the GPU again, same result', async ({
  page,
}) => {
  await page.goto('/tests/gpu/harness.html');
  const result = await page.evaluate(async () => {
    const paths = [
      '/src/engine/in-process-engine.ts',
      '/src/core/merge/index.ts',
      '/src/core/merge/testing.ts',
      '/src/io/decode-image-browser.ts',
    ];
    const { InProcessEngine } = (await import(/* @vite-ignore */ paths[0])) as EngineModule;
    const { voxelMerge } = (await import(/* @vite-ignore */ paths[1])) as MergeModule;
    const { randomGrid, perturb, seededRandom } = (await import(
      /* @vite-ignore */ paths[2]
    )) as MergeTestingModule;
    const { decodeImageBrowser } = (await import(/* @vite-ignore */ paths[3])) as DecodeModule;

    const devices: GPUDevice[] = [];
    let current: Promise<GPUDevice | null> | null = null;
    const engine: InstanceType<typeof InProcessEngine> = new InProcessEngine({
      decodeImage: decodeImageBrowser,
      // As the worker does, but a destroy() counts as a loss here: it is the only loss a test can cause.
      gpuDevice: () => {
        current ??= (async () => {
          const adapter = await navigator.gpu.requestAdapter();
          const device = (await adapter?.requestDevice()) ?? null;
          if (device) {
            devices.push(device);
            device.lost.then(() => {
              current = null;
              engine.gpuLost();
            });
          }
          return device;
        })();
        return current;
      },
    });
    const random = seededRandom(11);
    const source = randomGrid(64, 0.1, random);
    const edited = perturb(source, 0.02, random);
    const request = { source, edited, resolution: 64, tau: 3, rule: 'fixed' as const };
    const before = await engine.voxelMerge(request);
    devices[0].destroy();
    await devices[0].lost;
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The lost device's labelling is gone: re-merging now must say so, not hang or return garbage.
    const remergeAfterLoss = await engine.remerge({ tau: 5, rule: 'fixed' }).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'error',
    );
    const after = await engine.voxelMerge(request);
    const cpu = voxelMerge(source, edited, 64, { tau: 3, rule: 'fixed' });
    const equal = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
    return {
      before: before.backend,
      after: after.backend,
      devices: devices.length,
      remergeAfterLoss,
      equal: equal(after.merged, cpu.merged) && equal(before.merged, cpu.merged),
    };
  });
  expect(result).toEqual({
    before: 'webgpu',
    after: 'webgpu',
    devices: 2,
    remergeAfterLoss: 'invalid-argument',
    equal: true,
  });
});
