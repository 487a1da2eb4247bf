/**
 * The installed studio: cross-origin isolated, installable, and fully usable with the network off
 * once its service worker has precached the app, the default model pack and the samples. Every
 * request of every test here is recorded, and none may leave the studio's own origin.
 */
import { expect, type Page, test } from '@playwright/test';
import { forbidForeignRequests } from './fixtures';

test.use({ serviceWorkers: 'allow' });

forbidForeignRequests(test, { expectSome: true });

async function waitUntilOfflineReady(page: Page) {
  // pwa.ts sets this once a worker is active, i.e. after its install event precached everything.
  await expect(page.locator('html')).toHaveAttribute('data-pwa', 'offline-ready', { timeout: 90_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('the studio is cross-origin isolated and installable (manifest and icons)', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), href ?? '');
  expect(manifest).toMatchObject({ name: 'Flowsmith', short_name: 'Flowsmith', display: 'standalone' });
  expect(manifest.start_url).toBe('/');
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const icons = manifest.icons as { src: string; sizes: string; purpose: string }[];
  const wanted = ['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable'];
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(wanted.sort());
  // Each icon is a PNG of the size the manifest claims (IHDR width and height).
  const sizes = await page.evaluate(
    async (srcs) => {
      return Promise.all(
        srcs.map(async (src) => {
          const view = new DataView(await (await fetch(`/${src}`)).arrayBuffer());
          return `${view.getUint32(16)}x${view.getUint32(20)}`;
        }),
      );
    },
    icons.map((i) => i.src),
  );
  expect(sizes).toEqual(icons.map((i) => i.sizes));
  await waitUntilOfflineReady(page);
});

test('once installed, the studio loads, voxelizes a sample and reads the model pack offline', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await waitUntilOfflineReady(page);

  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  // The service worker rebuilds what it serves with the isolation headers.
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'empty');

  await page.getByTestId('samples-menu').click();
  await page.getByTestId('sample-lamp').click();
  await expect(page.getByTestId('source-stats')).toContainText('lamp.gltf', { timeout: 60_000 });
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('error-panel')).toBeHidden();
  const voxels = Number((await page.getByTestId('voxel-count').textContent())?.replace(/,/g, ''));
  expect(voxels).toBeGreaterThan(100);

  // The default pack: its manifest and every graph it lists, byte for byte the size it declares.
  const pack = await page.evaluate(async () => {
    const response = await fetch('/models/default/manifest.json');
    const manifest = (await response.json()) as { graphs: Record<string, { file: string; bytes: number }> };
    const graphs = await Promise.all(
      Object.values(manifest.graphs).map(async (g) => {
        const r = await fetch(`/models/default/${g.file}`);
        return {
          file: g.file,
          expected: g.bytes,
          got: r.ok ? (await r.arrayBuffer()).byteLength : -r.status,
        };
      }),
    );
    return { ok: response.ok, coep: response.headers.get('cross-origin-embedder-policy'), graphs };
  });
  expect(pack.ok).toBe(true);
  expect(pack.coep).toBe('require-corp');
  expect(pack.graphs.length).toBeGreaterThanOrEqual(4);
  for (const g of pack.graphs) expect(g.got, g.file).toBe(g.expected);

  // Deep links start the app from the precached shell too.
  const deep = await page.goto('/some/deep/link');
  expect(deep?.status()).toBe(200);
  await expect(page.getByTestId('source-view')).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('with the network off, a whole edit still runs on the precached pack', async ({ page, context }) => {
  test.setTimeout(600_000);
  await page.goto('/?ort=wasm');
  await waitUntilOfflineReady(page);
  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  await page.getByTestId('samples-menu').click();
  await page.getByTestId('sample-chair').click();
  await expect(page.getByTestId('view-thumb-1')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('view-thumb-1').click();
  await expect(page.getByTestId('view-thumb-1')).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(200);
  await page.getByTestId('paint-tool-rect').click();
  const box = await page.getByTestId('paint-canvas').boundingBox();
  if (!box) throw new Error('no paint canvas');
  await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.45, { steps: 4 });
  await page.mouse.up();
  await page.getByTestId('method-select').selectOption('flowedit');
  await page.getByTestId('param-steps').fill('3');
  await expect(page.getByTestId('run-edit')).toBeEnabled({ timeout: 300_000 });
  await page.getByTestId('run-edit').click();
  await expect(page.getByTestId('export-glb')).toBeEnabled({ timeout: 240_000 });
  await expect(page.getByTestId('error-panel')).toBeHidden();
  await expect(page.getByTestId('target-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
});
