import { expect, test } from '@playwright/test';
import { boxStl } from '../../e2e/fixtures';

type WorkerEngineModule = typeof import('../../src/engine/worker-engine');

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
});

test('the worker engine transfers inputs, reports progress and returns the exact shell', async ({ page }) => {
  const stl = [...boxStl([2, 2, 2])];
  const result = await page.evaluate(async (bytes) => {
    const path = '/src/engine/worker-engine.ts';
    const { WorkerEngine } = (await import(/* @vite-ignore */ path)) as WorkerEngineModule;
    const engine = WorkerEngine.create();
    const input = new Uint8Array(bytes).buffer;
    const stages: string[] = [];
    const pending = engine.loadSource([{ name: 'cube.stl', bytes: input }], {
      onProgress: (p) => stages.push(p.stage),
    });
    // Transferred, not copied: the page's buffer is detached as soon as the call is made.
    const detachedAtCall = input.byteLength === 0;
    const loaded = await pending;
    let occupied = 0;
    for (const v of loaded.grid.occupancy) occupied += v;
    const info = await engine.info();
    engine.terminate();
    return {
      detachedAtCall,
      occupied,
      reported: loaded.voxelStats.occupied,
      triangles: loaded.stats.triangles,
      stages: [...new Set(stages)],
      backend: info.backend,
    };
  }, stl);
  expect(result.detachedAtCall).toBe(true);
  expect(result.occupied).toBe(64 ** 3 - 62 ** 3);
  expect(result.reported).toBe(result.occupied);
  expect(result.triangles).toBe(12);
  expect(result.stages).toEqual(['read', 'parse', 'normalize', 'voxelize']);
  expect(result.backend).toBe('worker');
});

test('worker errors arrive as the same typed errors, and cancel stops a job', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const path = '/src/engine/worker-engine.ts';
    const { WorkerEngine } = (await import(/* @vite-ignore */ path)) as WorkerEngineModule;
    const engine = WorkerEngine.create();
    const describe = (e: unknown) => {
      const err = e as { name: string; code: string; hint: string };
      return { name: err.name, code: err.code, hasHint: err.hint.length > 0, isError: e instanceof Error };
    };
    let corrupt: ReturnType<typeof describe> | null = null;
    try {
      await engine.loadSource([{ name: 'x.glb', bytes: new Uint8Array([1, 2, 3, 4]).buffer }]);
    } catch (e) {
      corrupt = describe(e);
    }
    // A dense sphere keeps the worker busy long enough to cancel it mid-job.
    const rings = 600;
    const tris = rings * rings * 2;
    const buffer = new ArrayBuffer(84 + 50 * tris);
    const view = new DataView(buffer);
    view.setUint32(80, tris, true);
    let at = 84;
    const p = (r: number, s: number) => {
      const th = (Math.PI * r) / rings;
      const ph = (2 * Math.PI * s) / rings;
      return [Math.sin(th) * Math.cos(ph), Math.cos(th), Math.sin(th) * Math.sin(ph)];
    };
    for (let r = 0; r < rings; r++) {
      for (let s = 0; s < rings; s++) {
        for (const tri of [
          [p(r, s), p(r + 1, s), p(r + 1, s + 1)],
          [p(r, s), p(r + 1, s + 1), p(r, s + 1)],
        ]) {
          at += 12;
          for (const v of tri) {
            for (const c of v) {
              view.setFloat32(at, c, true);
              at += 4;
            }
          }
          at += 2;
        }
      }
    }
    const job = engine.loadSource([{ name: 'dense.stl', bytes: buffer }], { jobId: 'dense' });
    await engine.cancel('dense');
    let cancelled: ReturnType<typeof describe> | null = null;
    try {
      await job;
    } catch (e) {
      cancelled = describe(e);
    }
    engine.terminate();
    return { corrupt, cancelled };
  });
  expect(result.corrupt).toEqual({
    name: 'CorruptFileError',
    code: 'corrupt-file',
    hasHint: true,
    isError: true,
  });
  expect(result.cancelled).toEqual({
    name: 'CancelledError',
    code: 'cancelled',
    hasHint: true,
    isError: true,
  });
});
