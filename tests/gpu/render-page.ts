/**
 * Page side of tests/gpu/render.spec.ts: grids described in Node and built in the harness page,
 * rendered there by the GPU renderer and the CPU twin, and the agreement counts both sides use.
 */
import type { Page } from '@playwright/test';
import { createGrid, type VoxelGrid, voxelIndex } from '../../src/core/grid';

export type DeviceModule = typeof import('../../src/gpu/device');
export type KernelModule = typeof import('../../src/gpu/render-kernels');
export type RenderModule = typeof import('../../src/core/render');
export type GridModule = typeof import('../../src/core/grid');
export type TestingModule = typeof import('../../src/core/merge/testing');

export const SIZE = 128;
export const CONTRACT = 0.995;

/** A grid as plain numbers for page.evaluate: occupied voxel indices and their colours. */
export interface SparseGrid {
  resolution: number;
  index: number[];
  rgb: number[];
}

export interface Agreement {
  pixels: number;
  /** Pixels whose channels all differ by at most 1/255, and those identical. */
  withinOne: number;
  exact: number;
  maxDiff: number;
}

export function sparse(grid: VoxelGrid): SparseGrid {
  const index: number[] = [];
  const rgb: number[] = [];
  grid.occupancy.forEach((v, i) => {
    if (v === 0) return;
    index.push(i);
    rgb.push(grid.colors[3 * i], grid.colors[3 * i + 1], grid.colors[3 * i + 2]);
  });
  return { resolution: grid.resolution, index, rgb };
}

/** checker_grid() of training/scripts/make_fixtures.py (as in render-view.test.ts). */
export function checkerGrid(): VoxelGrid {
  const grid = createGrid(64);
  const c = 63 / 2;
  for (let z = 0; z < 64; z++)
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        if ((x + y + z) % 2 !== 0 || (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 > 28 ** 2) continue;
        const i = voxelIndex(64, x, y, z);
        grid.occupancy[i] = 1;
        grid.colors.set([4 * x, 4 * y, 4 * z], 3 * i);
      }
  return grid;
}

export function compare(a: Uint8Array, b: Uint8Array): Agreement {
  const out: Agreement = { pixels: a.length / 4, withinOne: 0, exact: 0, maxDiff: 0 };
  for (let i = 0; i < a.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[i + c] - b[i + c]));
    if (d <= 1) out.withinOne++;
    if (d === 0) out.exact++;
    out.maxDiff = Math.max(out.maxDiff, d);
  }
  return out;
}

export function add(total: Agreement, part: Agreement): void {
  total.pixels += part.pixels;
  total.withinOne += part.withinOne;
  total.exact += part.exact;
  total.maxDiff = Math.max(total.maxDiff, part.maxDiff);
}

export const rates = (a: Agreement) => ({
  withinOne: `${((100 * a.withinOne) / a.pixels).toFixed(4)}%`,
  exact: `${((100 * a.exact) / a.pixels).toFixed(4)}%`,
  maxDiff: a.maxDiff,
  pixels: a.pixels,
});

/** Grids built inside the page (no transfer of dense arrays): fixtures or generated ones. */
export type Recipe =
  | { kind: 'sparse'; grid: SparseGrid }
  | { kind: 'empty' | 'full' | 'parity'; resolution: number; seed: number }
  | { kind: 'random'; resolution: number; density: number; seed: number }
  | { kind: 'single'; resolution: number; at: [number, number, number]; seed: number }
  | { kind: 'shell'; resolution: number; seed: number };

export interface Job {
  name: string;
  recipe: Recipe;
  requests: { view: number; flat: boolean }[];
}

export interface JobResult {
  name: string;
  /** GPU images, base64 RGBA8, in request order (only when asked for). */
  images: string[];
  /** GPU vs the CPU twin, per request. */
  twin: Agreement[];
  /** Non-background pixels per GPU image. */
  covered: number[];
}

/**
 * Builds each job's grid in the page, renders its views on the GPU (one upload, one submission per
 * job, one renderer for all jobs so resolution changes and buffer growth are exercised) and with
 * the CPU twin, and measures their agreement there.
 */
export function renderJobs(
  page: Page,
  jobs: Job[],
  division: 'exact' | 'native',
  returnImages: boolean,
): Promise<JobResult[]> {
  return page.evaluate(
    async ({ jobs, division, returnImages }) => {
      const paths = [
        '/src/gpu/device.ts',
        '/src/gpu/render-kernels.ts',
        '/src/core/render/index.ts',
        '/src/core/grid.ts',
        '/src/core/merge/testing.ts',
      ];
      const { acquireGpu } = (await import(/* @vite-ignore */ paths[0])) as DeviceModule;
      const { GpuViewRenderer } = (await import(/* @vite-ignore */ paths[1])) as KernelModule;
      const { renderView } = (await import(/* @vite-ignore */ paths[2])) as RenderModule;
      const { createGrid, voxelIndex } = (await import(/* @vite-ignore */ paths[3])) as GridModule;
      const { seededRandom } = (await import(/* @vite-ignore */ paths[4])) as TestingModule;

      const build = (recipe: Recipe) => {
        if (recipe.kind === 'sparse') {
          const grid = createGrid(recipe.grid.resolution);
          recipe.grid.index.forEach((i, n) => {
            grid.occupancy[i] = 1;
            grid.colors.set(recipe.grid.rgb.slice(3 * n, 3 * n + 3), 3 * i);
          });
          return grid;
        }
        const r = recipe.resolution;
        const grid = createGrid(r);
        const random = seededRandom(recipe.seed);
        const c = (r - 1) / 2;
        for (let z = 0; z < r; z++)
          for (let y = 0; y < r; y++)
            for (let x = 0; x < r; x++) {
              const i = voxelIndex(r, x, y, z);
              const d2 = (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2;
              const on =
                recipe.kind === 'full' ||
                (recipe.kind === 'parity' && (x + y + z) % 2 === 0) ||
                (recipe.kind === 'random' && random() < recipe.density) ||
                (recipe.kind === 'single' &&
                  x === recipe.at[0] &&
                  y === recipe.at[1] &&
                  z === recipe.at[2]) ||
                (recipe.kind === 'shell' && d2 <= (0.45 * r) ** 2 && d2 > (0.45 * r - 1.5) ** 2);
              if (!on) continue;
              // Occupancy values other than 1 count as occupied, as in the twin.
              grid.occupancy[i] = recipe.kind === 'random' ? 1 + Math.floor(random() * 255) : 1;
              for (let k = 0; k < 3; k++) grid.colors[3 * i + k] = Math.floor(random() * 256);
            }
        return grid;
      };

      const { device } = await acquireGpu();
      const renderer = await GpuViewRenderer.create(device, { division });
      const results: JobResult[] = [];
      for (const job of jobs) {
        const grid = build(job.recipe);
        renderer.upload(grid);
        const gpu = await renderer.renderViews(job.requests);
        const twin = job.requests.map(({ view, flat }, k) => {
          const cpu = renderView(grid, view, { flat }).data;
          const a = gpu[k].data;
          const out = { pixels: a.length / 4, withinOne: 0, exact: 0, maxDiff: 0 };
          for (let i = 0; i < a.length; i += 4) {
            let d = 0;
            for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[i + c] - cpu[i + c]));
            if (d <= 1) out.withinOne++;
            if (d === 0) out.exact++;
            out.maxDiff = Math.max(out.maxDiff, d);
          }
          return out;
        });
        const covered = gpu.map(({ data }) => {
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] !== 765) n++;
          return n;
        });
        const images = returnImages
          ? gpu.map(({ data }) => {
              let text = '';
              for (let i = 0; i < data.length; i += 0x8000) {
                text += String.fromCharCode(...data.subarray(i, i + 0x8000));
              }
              return btoa(text);
            })
          : [];
        results.push({ name: job.name, images, twin, covered });
      }
      renderer.destroy();
      return results;
    },
    { jobs, division, returnImages },
  );
}

export const newTally = (): Agreement => ({ pixels: 0, withinOne: 0, exact: 0, maxDiff: 0 });
export const allViews = [false, true].flatMap((flat) =>
  Array.from({ length: 8 }, (_, view) => ({ view, flat })),
);
