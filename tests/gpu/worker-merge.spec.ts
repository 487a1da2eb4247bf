import { expect, test } from '@playwright/test';

type WorkerEngineModule = typeof import('../../src/engine/worker-engine');
type MergeModule = typeof import('../../src/core/merge');
type MergeTestingModule = typeof import('../../src/core/merge/testing');

test('the worker engine merges on WebGPU, equal to the CPU twin, and re-merges a new τ', async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
  const result = await page.evaluate(async () => {
    const paths = ['/src/engine/worker-engine.ts', '/src/core/merge/index.ts', '/src/core/merge/testing.ts'];
    const { WorkerEngine } = (await import(/* @vite-ignore */ paths[0])) as WorkerEngineModule;
    const { voxelMerge, remerge } = (await import(/* @vite-ignore */ paths[1])) as MergeModule;
    const { randomGrid, perturb, seededRandom } = (await import(
      /* @vite-ignore */ paths[2]
    )) as MergeTestingModule;
    const random = seededRandom(5);
    const source = randomGrid(64, 0.1, random);
    const edited = perturb(source, 0.02, random);
    const engine = WorkerEngine.create();
    const outcome = await engine.voxelMerge({ source, edited, resolution: 64, tau: 3, rule: 'fixed' });
    const cpu = voxelMerge(source, edited, 64, { tau: 3, rule: 'fixed' });
    const equal = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
    const again = await engine.remerge({ tau: 250, rule: 'adaptive' });
    const cpuAgain = remerge(cpu, source, { tau: 250, rule: 'adaptive' });
    engine.terminate();
    return {
      backend: outcome.backend,
      mergedEqual: equal(outcome.merged, cpu.merged),
      maskEqual: equal(outcome.mask, cpu.mask),
      keptEqual: equal(outcome.kept, cpu.kept),
      sizesEqual: equal(outcome.components.size, cpu.components.size),
      sourceKept: source.length === 64 ** 3,
      remergeBackend: again.backend,
      remergeEqual: equal(again.merged, cpuAgain.merged) && again.tau === cpuAgain.tau,
      components: outcome.components.count,
    };
  });
  expect(result).toMatchObject({
    backend: 'webgpu',
    mergedEqual: true,
    maskEqual: true,
    keptEqual: true,
    sizesEqual: true,
    sourceKept: true,
    remergeBackend: 'webgpu',
    remergeEqual: true,
  });
  expect(result.components).toBeGreaterThan(100);
});
