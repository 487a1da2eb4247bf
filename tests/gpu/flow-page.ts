/**
 * Opens the GPU harness for the flow specs with onnxruntime-web already loaded. The first import of
 * onnxruntime-web makes Vite's dev server pre-bundle it and reload the page, which would destroy a
 * running page.evaluate; this absorbs that reload once, before any test body runs.
 */
import type { Page } from '@playwright/test';

export async function openFlowHarness(page: Page): Promise<void> {
  await page.goto('/tests/gpu/harness.html');
  for (let attempt = 0; attempt < 4; attempt++) {
    const reloaded = page.waitForEvent('load', { timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    const imported = await page
      .evaluate(async () => {
        const path = '/src/model/backends/ort-web.ts';
        await import(/* @vite-ignore */ path);
        return true;
      })
      .catch(() => false);
    if (!(await reloaded) && imported) return;
    await page.goto('/tests/gpu/harness.html');
  }
  throw new Error('onnxruntime-web did not load in the harness page');
}
