/**
 * Session persistence against Chromium's real IndexedDB (Node has none): the module is imported
 * into the harness page from the Vite dev server, so nothing of it is exposed by the app itself.
 */
import { expect, test } from '@playwright/test';

type PersistModule = typeof import('../../src/state/persist/index');
type PwaModule = typeof import('../../src/app/pwa');

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
});

test('a snapshot with a 64³ grid and float arrays round-trips through IndexedDB; a save replaces it all', async ({
  page,
}) => {
  const result = await page.evaluate(async () => {
    const path = '/src/state/persist/index.ts';
    const persist = (await import(/* @vite-ignore */ path)) as PersistModule;
    const grid = new Uint8Array(64 ** 3);
    for (let i = 0; i < grid.length; i++) grid[i] = (i * 2654435761) >>> 29; // 0..7, irregular
    // A view into a bigger buffer: only its own bytes may be stored.
    const latent = new Float32Array(4096 + 16).map((_, i) => Math.sin(i) * 1e3).subarray(16);
    latent[0] = Number.NaN;
    const image = new Uint8Array(new SharedArrayBuffer(518 * 518 * 4)).fill(200);
    const meta = { source: { name: 'chair.glb', triangles: 144 }, display: 'voxels', history: [1, 2, null] };
    const savedAt = new Date().toISOString();

    const before = await persist.loadSession();
    await persist.saveSession({ version: 2, savedAt, meta, arrays: { grid, latent, image } });
    const loaded = await persist.loadSession();
    if (!loaded) throw new Error('nothing loaded');

    const same = (a: ArrayBufferView, b: ArrayBufferView) => {
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      return x.length === y.length && x.every((v, i) => v === y[i]);
    };
    const first = {
      version: loaded.version,
      savedAt: loaded.savedAt === savedAt,
      meta: loaded.meta,
      names: Object.keys(loaded.arrays).sort(),
      gridType: loaded.arrays.grid.constructor.name,
      gridSame: same(loaded.arrays.grid, grid),
      latentType: loaded.arrays.latent.constructor.name,
      latentSame: same(loaded.arrays.latent, latent),
      latentBufferBytes: loaded.arrays.latent.buffer.byteLength,
      imageSame: same(loaded.arrays.image, image),
    };

    // A second save drops the arrays it no longer has.
    await persist.saveSession({ version: 3, savedAt, meta: { n: 1 }, arrays: { grid } });
    const second = await persist.loadSession();
    const afterReplace = second && { version: second.version, names: Object.keys(second.arrays) };

    // A fresh connection (as after a reload) reads the same thing.
    const fresh = persist.createSessionPersistence();
    const reread = await fresh.loadSession();
    fresh.close();

    await persist.clearSession();
    return {
      before,
      first,
      afterReplace,
      reread: reread && same(reread.arrays.grid, grid),
      cleared: await persist.loadSession(),
    };
  });
  expect(result.before).toBeNull();
  expect(result.first).toEqual({
    version: 2,
    savedAt: true,
    meta: { source: { name: 'chair.glb', triangles: 144 }, display: 'voxels', history: [1, 2, null] },
    names: ['grid', 'image', 'latent'],
    gridType: 'Uint8Array',
    gridSame: true,
    latentType: 'Float32Array',
    latentSame: true,
    latentBufferBytes: 4096 * 4,
    imageSame: true,
  });
  expect(result.afterReplace).toEqual({ version: 3, names: ['grid'] });
  expect(result.reread).toBe(true);
  expect(result.cleared).toBeNull();
});

test('a full disk becomes StorageQuotaError and the previous save survives whole', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const path = '/src/state/persist/index.ts';
    const persist = (await import(/* @vite-ignore */ path)) as PersistModule;
    const grid = new Uint8Array(64 ** 3).fill(1);
    await persist.saveSession({
      version: 1,
      savedAt: new Date().toISOString(),
      meta: { n: 1 },
      arrays: { grid },
    });

    // Simulate the browser refusing the write, as Chromium does when the origin's quota is used up.
    // The first array put succeeds and the second fails, so the transaction has something to undo.
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    const failWith = (name: string) => {
      calls = 0;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
        calls += 1;
        if (calls === 2) throw new DOMException('The quota has been exceeded.', name);
        return put.apply(this, args);
      };
    };
    const attempt = async (name: string) => {
      failWith(name);
      try {
        await persist.saveSession({
          version: 2,
          savedAt: new Date().toISOString(),
          meta: { n: 2 },
          arrays: { grid: new Uint8Array(64 ** 3).fill(2), other: new Float32Array(1024) },
        });
        return null;
      } catch (e) {
        const err = e as { name: string; code: string; message: string; hint: string; bytes?: number };
        return { name: err.name, code: err.code, message: err.message, hint: err.hint, bytes: err.bytes };
      } finally {
        IDBObjectStore.prototype.put = put;
      }
    };
    const quota = await attempt('QuotaExceededError');
    const other = await attempt('UnknownError');
    const kept = await persist.loadSession();
    return {
      quota,
      other,
      kept: kept && { meta: kept.meta, names: Object.keys(kept.arrays), first: kept.arrays.grid[0] },
    };
  });
  expect(result.quota).toMatchObject({ name: 'StorageQuotaError', code: 'storage-quota' });
  expect(result.quota?.message).toMatch(/storage for Flowsmith is full\. The previous save is kept/);
  expect(result.quota?.hint).toMatch(/Export your work first/);
  expect(result.quota?.bytes).toBe(64 ** 3 + 4096 + JSON.stringify({ n: 2 }).length);
  expect(result.other).toMatchObject({ name: 'StorageError', code: 'storage-failed' });
  expect(result.other?.message).toMatch(/^Saving the session failed: .*internal storage error/);
  // Nothing of the failed saves landed: the first save is still there, whole.
  expect(result.kept).toEqual({ meta: { n: 1 }, names: ['grid'], first: 1 });
});

test('the dev server never registers a service worker', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const path = '/src/app/pwa.ts';
    const pwa = (await import(/* @vite-ignore */ path)) as PwaModule;
    await pwa.registerServiceWorker();
    const registrations = await navigator.serviceWorker.getRegistrations();
    return {
      status: pwa.getPwaStatus(),
      registrations: registrations.length,
      attr: document.documentElement.dataset.pwa,
    };
  });
  expect(result).toEqual({ status: 'disabled', registrations: 0, attr: 'disabled' });
});
