import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { boxStl, truncatedGlb } from './fixtures';

/** Drops files onto the page the way a person's drag-and-drop does (a DataTransfer on a drop event). */
async function dropFiles(page: Page, files: { name: string; data: Buffer }[]) {
  const payload = files.map((f) => ({ name: f.name, bytes: [...f.data] }));
  await page.evaluate((items) => {
    const transfer = new DataTransfer();
    for (const item of items) transfer.items.add(new File([new Uint8Array(item.bytes)], item.name));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, payload);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('shows both viewports, the target empty until an edit exists', async ({ page }) => {
  await expect(page.getByTestId('source-view')).toBeVisible();
  await expect(page.getByTestId('target-view')).toBeVisible();
  await expect(page.getByTestId('target-view')).toContainText('No edit yet');
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'empty');
});

test('a dropped mesh is imported and voxelized exactly; a corrupt drop shows an error and keeps it', async ({
  page,
}) => {
  await dropFiles(page, [{ name: 'box.stl', data: boxStl([3, 3, 3]) }]);
  await expect(page.getByTestId('voxel-count')).toHaveText('23,816', { timeout: 60_000 });
  await expect(page.getByTestId('triangle-count')).toHaveText('12');
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'ready');

  await dropFiles(page, [{ name: 'broken.glb', data: truncatedGlb() }]);
  const error = page.getByTestId('error-panel');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'corrupt-file');
  await expect(error).toContainText('broken.glb');
  await expect(page.getByTestId('voxel-count')).toHaveText('23,816');
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'ready');
  await error.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(error).toBeHidden();
});

test('the file picker imports, the voxel toggle shows the grid, and undo restores the empty session', async ({
  page,
}) => {
  await page.getByTestId('mesh-input').setInputFiles({
    name: 'slab.stl',
    mimeType: 'model/stl',
    buffer: boxStl([4, 1, 2]),
  });
  await expect(page.getByTestId('voxel-count')).not.toHaveText('', { timeout: 60_000 });
  await page.getByTestId('display-voxels').click();
  await expect(page.getByTestId('display-voxels')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'empty');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'ready');
});

test('an unsupported file gets a typed error, never an alert', async ({ page }) => {
  page.on('dialog', () => {
    throw new Error('the studio must not use alert()');
  });
  await dropFiles(page, [{ name: 'notes.txt', data: Buffer.from('hello') }]);
  await expect(page.getByTestId('error-panel')).toHaveAttribute('data-code', 'unsupported-format');
  await expect(page.getByTestId('error-panel')).toContainText('.glb');
});

test('every sample loads from the Samples menu', async ({ page }) => {
  await page.getByTestId('samples-menu').click();
  const items = page.locator('[data-testid^="sample-"]');
  await expect(items.first()).toBeVisible();
  const names = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  expect(names.length).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Escape');
  await expect(items.first()).toBeHidden();
  for (const name of names) {
    await page.getByTestId('samples-menu').click();
    await page.getByTestId(name).click();
    await expect(page.getByTestId('source-stats')).toContainText(name.replace('sample-', ''), {
      timeout: 60_000,
    });
    await expect(page.getByTestId('error-panel')).toBeHidden();
  }
});

test('orbiting the source camera moves the target camera too', async ({ page }) => {
  await dropFiles(page, [{ name: 'box.stl', data: boxStl() }]);
  await expect(page.getByTestId('voxel-count')).toHaveText('23,816', { timeout: 60_000 });
  const target = page.getByTestId('target-view').locator('canvas');
  const before = await target.screenshot();
  const box = await page.getByTestId('source-view').locator('canvas').boundingBox();
  if (!box) throw new Error('no source canvas');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await target.screenshot()).equals(before)).toBe(false);
});

test('a 2-million-triangle load runs in the worker, the page stays responsive, and cancel keeps the session', async ({
  page,
}) => {
  await dropFiles(page, [{ name: 'box.stl', data: boxStl() }]);
  await expect(page.getByTestId('voxel-count')).toHaveText('23,816', { timeout: 60_000 });

  // Build a 2M-triangle binary STL (a finely tessellated sphere) inside the page: ~100 MB, too big to ship.
  await page.evaluate(() => {
    const rings = 1000;
    const segments = 1000;
    const tris = rings * segments * 2;
    const buffer = new ArrayBuffer(84 + 50 * tris);
    const view = new DataView(buffer);
    view.setUint32(80, tris, true);
    const point = (r: number, s: number): [number, number, number] => {
      const theta = (Math.PI * r) / rings;
      const phi = (2 * Math.PI * s) / segments;
      return [Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi)];
    };
    let at = 84;
    const put = (p: [number, number, number][]) => {
      at += 12;
      for (const v of p) {
        for (const c of v) {
          view.setFloat32(at, c, true);
          at += 4;
        }
      }
      at += 2;
    };
    for (let r = 0; r < rings; r++) {
      for (let s = 0; s < segments; s++) {
        put([point(r, s), point(r + 1, s), point(r + 1, s + 1)]);
        put([point(r, s), point(r + 1, s + 1), point(r, s + 1)]);
      }
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([buffer], 'dense-sphere.stl'));
    // Measure the longest gap between animation frames while the worker is busy.
    const w = window as unknown as { maxFrameGap: number };
    w.maxFrameGap = 0;
    let last = performance.now();
    const tick = (now: number) => {
      w.maxFrameGap = Math.max(w.maxFrameGap, now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    // Cancel the moment the progress panel offers it: the worker is then still parsing or voxelizing.
    return new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        const cancel = document.querySelector<HTMLButtonElement>('[data-testid="cancel-job"]');
        if (!cancel) return;
        observer.disconnect();
        cancel.click();
        resolve();
      });
      observer.observe(document.body, { subtree: true, childList: true });
    });
  });

  await expect(page.getByTestId('progress-panel')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('notice')).toContainText('cancelled');
  await expect(page.getByTestId('error-panel')).toBeHidden();
  await expect(page.getByTestId('triangle-count')).toHaveText('12');
  await expect(page.getByTestId('voxel-count')).toHaveText('23,816');
  const gap = await page.evaluate(() => (window as unknown as { maxFrameGap: number }).maxFrameGap);
  // The page kept painting while 2M triangles were parsed and voxelized off the main thread.
  expect(gap).toBeLessThan(1000);
});

test('a .gltf dropped without its .bin names the missing file; dropped together they load', async ({
  page,
}) => {
  const samples = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'samples');
  const gltf = { name: 'lamp.gltf', data: readFileSync(join(samples, 'lamp.gltf')) };
  const bin = { name: 'lamp.bin', data: readFileSync(join(samples, 'lamp.bin')) };
  await dropFiles(page, [gltf]);
  const error = page.getByTestId('error-panel');
  await expect(error).toHaveAttribute('data-code', 'missing-resource');
  await expect(error).toContainText('lamp.bin');
  await expect(page.getByTestId('source-view')).toHaveAttribute('data-state', 'empty');
  await dropFiles(page, [gltf, bin]);
  await expect(page.getByTestId('source-stats')).toContainText('lamp.gltf', { timeout: 60_000 });
  await expect(error).toBeHidden();
});
