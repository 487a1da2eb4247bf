/**
 * `npm run bench -- studio [--steps 25] [--backend wasm|webgpu] [--methods a,b] [--out file]`: the
 * time from "Run" to the merged result and to the GLB, per method, with the default pack, in the built
 * studio in system Chromium — and, side by side as the baseline, the same edit through the same
 * pipeline in Node on onnxruntime-node. The target is the same painted view in both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { nodePackSource } from '../src/cli/cli-pack';
import type { EditMethodName } from '../src/core/edit/settings';
import { renderView } from '../src/core/render';
import { InProcessEngine } from '../src/engine/in-process-engine';
import { decodeImageNode } from '../src/io/decode-image-node';
import { gridGlb } from '../src/io/export/bundle';
import { chromiumLaunch } from '../tests/chromium';

const root = join(import.meta.dirname, '..');
const VIEW = 1;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** The person's edit: a red block added at the upper right of view 1. */
function paintTarget(view: { width: number; height: number; data: Uint8Array }) {
  const data = view.data.slice();
  for (let y = 30; y < 60; y++)
    for (let x = 84; x < 104; x++) data.set([204, 34, 34, 255], 4 * (y * 128 + x));
  return { width: view.width, height: view.height, data };
}

async function nodeTimes(methods: EditMethodName[], steps: number) {
  const engine = new InProcessEngine({
    decodeImage: decodeImageNode,
    pack: nodePackSource(join(root, 'public/models/default')),
  });
  const bytes = readFileSync(join(root, 'public/samples/chair.glb'));
  const { grid } = await engine.loadSource([
    { name: 'chair.glb', bytes: bytes.buffer.slice(0) as ArrayBuffer },
  ]);
  await engine.openPack();
  const target = paintTarget(renderView(grid, VIEW));
  const times: Record<string, { runMs: number; glbMs: number }> = {};
  for (const method of methods) {
    const started = performance.now();
    const result = await engine.runEdit(
      {
        source: grid,
        view: VIEW,
        target,
        settings: { method, kind: 'replace', seed: 0, steps },
        merge: { tau: 100, rule: 'fixed' },
      },
      { previewEvery: 5 },
    );
    const runMs = performance.now() - started;
    gridGlb(result.result, 'edit');
    times[method] = { runMs, glbMs: performance.now() - started };
  }
  return times;
}

async function serve(port: number): Promise<ChildProcess> {
  const server = spawn('node', ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the studio did not start in 180 s')), 180_000);
    server.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return server;
}

async function browserTimes(methods: EditMethodName[], steps: number, backend: string, port: number) {
  const server = await serve(port);
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/?ort=${backend}`);
    await page.getByTestId('samples-menu').click();
    await page.getByTestId('sample-chair').click();
    await page.getByTestId('view-thumb-1').click({ timeout: 120_000 });
    // The same target pixels as the Node run, set through the session (the UI's paint produces the same thing).
    await page.evaluate((view) => {
      interface Page {
        views: { data: Uint8Array }[];
        actions: { setTarget(image: { width: number; height: number; data: Uint8Array }): void };
      }
      const { store } = (window as unknown as { flowsmith: { store: { getState(): Page } } }).flowsmith;
      const state = store.getState();
      const src = state.views[view];
      const data = new Uint8Array(src.data);
      for (let y = 30; y < 60; y++)
        for (let x = 84; x < 104; x++) data.set([204, 34, 34, 255], 4 * (y * 128 + x));
      state.actions.setTarget({ width: 128, height: 128, data });
    }, VIEW);
    const times: Record<string, { runMs: number; glbMs: number }> = {};
    for (const method of methods) {
      await page.getByTestId('method-select').selectOption(method);
      await page.getByTestId('param-steps').fill(String(steps));
      await page.getByTestId('run-edit').waitFor({ state: 'visible' });
      try {
        await page.waitForFunction(
          () => !(document.querySelector('[data-testid="run-edit"]') as HTMLButtonElement).disabled,
          null,
          { timeout: 300_000 },
        );
      } catch (error) {
        const why = await page.getByTestId('run-edit').getAttribute('title');
        const problem = await page
          .getByTestId('error-panel')
          .textContent({ timeout: 1000 })
          .catch(() => null);
        throw new Error(`${method}: Run stayed disabled (${why}); error panel: ${problem}`, { cause: error });
      }
      const started = Date.now();
      await page.getByTestId('run-edit').click();
      await page.getByTestId('edit-progress').waitFor({ state: 'visible' });
      await page.getByTestId('edit-progress').waitFor({ state: 'hidden', timeout: 1_800_000 });
      const runMs = Date.now() - started;
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-glb').click(),
      ]);
      await download.path();
      times[method] = { runMs, glbMs: Date.now() - started };
    }
    return times;
  } finally {
    await browser.close();
    server.kill();
  }
}

export default async function studio(args: string[]): Promise<void> {
  const steps = Number(option(args, 'steps', '25'));
  const backend = option(args, 'backend', 'wasm');
  const methods = option(args, 'methods', 'flowedit,anchorflow,stm,regenerate').split(
    ',',
  ) as EditMethodName[];
  const port = Number(option(args, 'port', '4297'));
  const browser = await browserTimes(methods, steps, backend, port);
  const node = await nodeTimes(methods, steps);
  const rows = methods.map((m) => ({
    method: m,
    browserRunMs: browser[m].runMs,
    browserGlbMs: browser[m].glbMs,
    nodeRunMs: node[m].runMs,
    nodeGlbMs: node[m].glbMs,
    ratio: browser[m].runMs / node[m].runMs,
  }));
  process.stdout.write(
    `studio edit, default pack, ${steps} steps, chair view ${VIEW}; browser ${backend} vs Node (onnxruntime-node)\n`,
  );
  process.stdout.write(
    '| method | browser run→merged | browser run→GLB | Node run→merged | Node run→GLB | browser/Node |\n|---|---|---|---|---|---|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.method} | ${(r.browserRunMs / 1000).toFixed(1)} s | ${(r.browserGlbMs / 1000).toFixed(1)} s | ${(r.nodeRunMs / 1000).toFixed(1)} s | ${(r.nodeGlbMs / 1000).toFixed(1)} s | ${r.ratio.toFixed(2)}× |\n`,
    );
  }
  const out = option(args, 'out', '');
  if (out)
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), steps, backend, rows }, null, 2)}\n`,
    );
}
