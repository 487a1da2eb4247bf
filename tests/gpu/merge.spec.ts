/**
 * GPU Voxel-Merge / Slat-Merge parity (issue 3): every output of shaders/merge.wgsl, through
 * src/gpu/merge-kernels.ts, equals the CPU twin (src/core/merge) bit for bit — labels, diff, the
 * component table in id order, kept ids, τ_eff, mask, merged grid, histogram — on random diffs of
 * several densities and on the adversarial grids, at 64³, 128³ and 256³ (and ragged sizes whose
 * rows straddle workgroup chunks), for both τ rules, plus re-merge and Slat-Merge.
 * Runs on Chromium's WebGPU (SwiftShader here); the grids are built and compared inside the page.
 */
import { expect, type Page, test } from '@playwright/test';

type DeviceModule = typeof import('../../src/gpu/device');
type KernelModule = typeof import('../../src/gpu/merge-kernels');
type MergeModule = typeof import('../../src/core/merge');
type TestingModule = typeof import('../../src/core/merge/testing');

type Pattern = 'random' | 'empty' | 'full' | 'checkerboard' | 'snake' | 'shells' | 'faces' | 'shellEdit';

interface Case {
  resolution: number;
  pattern: Pattern;
  /** Density of the diff for 'random'. */
  density?: number;
  seed: number;
  /**
   * τ values and rules to merge and re-merge with, first one for the labelling merge; `gate` passes
   * the case's view-gate footprint (a sparse random voxel set).
   */
  runs: { tau: number; rule: 'fixed' | 'adaptive'; gate?: boolean }[];
  skipUnionPasses?: number;
}

interface Outcome {
  name: string;
  components: number;
  diffVoxels: number;
  largest: number;
  passes: number;
  /** Wall-clock ms of the GPU merge and of the CPU twin's, in the page (SwiftShader: not a benchmark). */
  gpuMs: number;
  cpuMs: number;
  mismatches: string[];
}

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
});

/** Builds each case's grids in the page, merges on GPU and CPU, and lists every field that differs. */
function runCases(page: Page, cases: Case[]): Promise<Outcome[]> {
  return page.evaluate(async (cases: Case[]) => {
    const paths = [
      '/src/gpu/device.ts',
      '/src/gpu/merge-kernels.ts',
      '/src/core/merge/index.ts',
      '/src/core/merge/testing.ts',
    ];
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[0])) as DeviceModule;
    const { GpuVoxelMerge } = (await import(/* @vite-ignore */ paths[1])) as KernelModule;
    const core = (await import(/* @vite-ignore */ paths[2])) as MergeModule;
    const fx = (await import(/* @vite-ignore */ paths[3])) as TestingModule;
    const { device } = await acquireGpu();

    type Numeric = ArrayLike<number>;
    const firstDifference = (a: Numeric, b: Numeric): string | null => {
      if (a.length !== b.length) return `length ${a.length} ≠ ${b.length}`;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `at ${i}: ${a[i]} ≠ ${b[i]}`;
      return null;
    };

    const pattern = (c: Case, random: () => number): Uint8Array => {
      const r = c.resolution;
      switch (c.pattern) {
        case 'random':
          return fx.randomGrid(r, c.density ?? 0.3, random);
        case 'empty':
          return new Uint8Array(r ** 3);
        case 'full':
          return new Uint8Array(r ** 3).fill(1);
        case 'checkerboard':
          return fx.checkerboard(r);
        case 'snake':
          return fx.snake(r);
        case 'shells':
          return fx.nestedShells(r);
        case 'faces':
          return fx.faceSlabs(r);
        case 'shellEdit': {
          // What an edit's diff looks like: a box-shaped shell (the added part) plus sparse noise.
          const lo = Math.round(0.55 * r);
          const hi = Math.round(0.8 * r);
          const inBox = (a: number) => a >= lo && a <= hi;
          const box = fx.gridFrom(
            r,
            (x, y, z) =>
              inBox(x) &&
              inBox(y) &&
              inBox(z) &&
              (x === lo || x === hi || y === lo || y === hi || z === lo || z === hi),
          );
          return fx.perturb(box, 0.001, random);
        }
      }
    };

    const mergers = new Map<number, Awaited<ReturnType<typeof GpuVoxelMerge.create>>>();
    const outcomes: Outcome[] = [];
    for (const c of cases) {
      const r = c.resolution;
      const random = fx.seededRandom(c.seed);
      const src = fx.randomGrid(r, 0.4, random);
      const diff = pattern(c, random);
      const edited = src.map((v, i) => v ^ diff[i]);
      const footprint = fx.randomGrid(r, 0.002, random);
      const options = (run: Case['runs'][number]) => ({
        tau: run.tau,
        rule: run.rule,
        footprint: run.gate ? footprint : undefined,
      });
      let merger = mergers.get(r);
      if (!merger) {
        merger = await GpuVoxelMerge.create(device, r);
        mergers.set(r, merger);
      }
      const mismatches: string[] = [];
      const check = (what: string, a: Numeric, b: Numeric) => {
        const d = firstDifference(a, b);
        if (d) mismatches.push(`${what} ${d}`);
      };
      const same = (what: string, a: unknown, b: unknown) => {
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          mismatches.push(`${what}: ${JSON.stringify(a).slice(0, 200)} ≠ ${JSON.stringify(b).slice(0, 200)}`);
        }
      };
      const [first, ...later] = c.runs;
      const t0 = performance.now();
      const gpu = await merger.merge(src, edited, {
        ...options(first),
        readLabels: true,
        readDiff: true,
        skipUnionPasses: c.skipUnionPasses,
      });
      const t1 = performance.now();
      const cpu = core.voxelMerge(src, edited, r, options(first));
      const t2 = performance.now();
      check('diff', gpu.diff ?? [], cpu.diff);
      check('labels', gpu.labels ?? [], cpu.labels);
      const g = gpu.components;
      const k = cpu.components;
      same('count', g.count, k.count);
      check('table.label', g.label, k.label);
      check('table.size', g.size, k.size);
      check('table.added', g.added, k.added);
      check('table.removed', g.removed, k.removed);
      check('table.bbox', g.bbox, k.bbox);
      same('histogram', gpu.histogram, cpu.histogram);
      const compare = (
        what: string,
        a: { mask: Uint8Array; merged: Uint8Array; kept: number[]; tau: number; voxelsChanged: number },
        b: typeof a,
      ) => {
        check(`${what} mask`, a.mask, b.mask);
        check(`${what} merged`, a.merged, b.merged);
        check(`${what} kept`, a.kept, b.kept);
        same(`${what} tau`, a.tau, b.tau);
        same(`${what} voxelsChanged`, a.voxelsChanged, b.voxelsChanged);
      };
      const gated = (run: Case['runs'][number]) => (run.gate ? ' gated' : '');
      compare(`merge(${first.rule} ${first.tau}${gated(first)})`, gpu, cpu);
      for (const run of later) {
        compare(
          `remerge(${run.rule} ${run.tau}${gated(run)})`,
          await merger.remerge(options(run)),
          core.remerge(cpu, src, options(run)),
        );
      }
      let largest = 0;
      for (let id = 0; id < k.count; id++) largest = Math.max(largest, k.size[id]);
      outcomes.push({
        name: `${r}³ ${c.pattern}${c.density === undefined ? '' : ` ${c.density}`}`,
        components: k.count,
        diffVoxels: diff.reduce((s, v) => s + v, 0),
        largest,
        passes: gpu.passes,
        gpuMs: Math.round(t1 - t0),
        cpuMs: Math.round(t2 - t1),
        mismatches,
      });
    }
    for (const m of mergers.values()) m.destroy();
    return outcomes;
  }, cases);
}

const bothRules: Case['runs'] = [
  { tau: 100, rule: 'fixed' },
  { tau: 250, rule: 'adaptive' },
  { tau: 1, rule: 'fixed' },
  { tau: 7.5, rule: 'fixed' },
  { tau: 3, rule: 'adaptive' },
  { tau: 1e9, rule: 'adaptive' },
];
const adaptiveFirst: Case['runs'] = [
  { tau: 250, rule: 'adaptive' },
  { tau: 100, rule: 'fixed' },
];

function expectExact(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    const { name, components, diffVoxels, passes, gpuMs, cpuMs } = o;
    console.log(JSON.stringify({ name, components, diffVoxels, passes, gpuMs, cpuMs }));
  }
  for (const o of outcomes) {
    expect(o.mismatches, `${o.name}: ${o.mismatches.join('; ')}`).toEqual([]);
    expect(o.passes, `${o.name} needed extra union passes`).toBe(1);
  }
}

test('64³: random diffs of densities 0.05–0.6, both τ rules, re-merges', async ({ page }) => {
  const cases: Case[] = [0.05, 0.15, 0.3, 0.45, 0.6].flatMap((density, k) => [
    { resolution: 64, pattern: 'random' as const, density, seed: 10 + k, runs: bothRules },
    { resolution: 64, pattern: 'random' as const, density, seed: 20 + k, runs: adaptiveFirst },
  ]);
  const outcomes = await runCases(page, cases);
  expectExact(outcomes);
  expect(outcomes.some((o) => o.components > 10_000)).toBe(true);
});

test('64³: the view gate (a footprint), merged and re-merged, on and off, both rules', async ({ page }) => {
  const gateRuns: Case['runs'] = [
    { tau: 20, rule: 'fixed', gate: true },
    { tau: 1, rule: 'fixed', gate: true },
    { tau: 250, rule: 'adaptive', gate: true },
    { tau: 20, rule: 'fixed' },
    { tau: 100, rule: 'adaptive', gate: true },
  ];
  const laterGate: Case['runs'] = [
    { tau: 5, rule: 'fixed' },
    { tau: 5, rule: 'fixed', gate: true },
  ];
  const outcomes = await runCases(page, [
    { resolution: 64, pattern: 'random', density: 0.05, seed: 91, runs: gateRuns },
    { resolution: 64, pattern: 'shellEdit', seed: 92, runs: gateRuns },
    { resolution: 64, pattern: 'random', density: 0.3, seed: 93, runs: laterGate },
  ]);
  expectExact(outcomes);
});

test('64³: adversarial grids (empty, full, checkerboard, snake, nested shells, face slabs, an edit)', async ({
  page,
}) => {
  const patterns: Pattern[] = ['empty', 'full', 'checkerboard', 'snake', 'shells', 'faces', 'shellEdit'];
  const outcomes = await runCases(
    page,
    patterns.map((pattern, k) => ({ resolution: 64, pattern, seed: 40 + k, runs: bothRules })),
  );
  expectExact(outcomes);
  const byName = Object.fromEntries(outcomes.map((o) => [o.name, o]));
  expect(byName['64³ empty'].components).toBe(0);
  expect(byName['64³ full'].components).toBe(1);
  expect(byName['64³ checkerboard'].components).toBe(64 ** 3 / 2);
  expect(byName['64³ snake'].components).toBe(1);
  expect(byName['64³ faces'].components).toBe(7);
});

test('ragged sizes: rows that straddle workgroup chunks, grids not a multiple of 4 voxels', async ({
  page,
}) => {
  const cases: Case[] = [1, 2, 3, 5, 17, 33, 63, 100].flatMap((resolution, k) => [
    { resolution, pattern: 'random' as const, density: 0.5, seed: 60 + k, runs: bothRules },
    { resolution, pattern: 'snake' as const, seed: 70 + k, runs: adaptiveFirst },
    { resolution, pattern: 'full' as const, seed: 80 + k, runs: adaptiveFirst },
  ]);
  expectExact(await runCases(page, cases));
});

test('128³: random, a ≥100k-voxel snake, checkerboard, nested shells', async ({ page }) => {
  const outcomes = await runCases(page, [
    { resolution: 128, pattern: 'random', density: 0.3, seed: 90, runs: bothRules },
    { resolution: 128, pattern: 'random', density: 0.6, seed: 91, runs: adaptiveFirst },
    { resolution: 128, pattern: 'snake', seed: 92, runs: bothRules },
    { resolution: 128, pattern: 'checkerboard', seed: 93, runs: adaptiveFirst },
    { resolution: 128, pattern: 'shells', seed: 94, runs: adaptiveFirst },
    { resolution: 128, pattern: 'faces', seed: 95, runs: adaptiveFirst },
  ]);
  expectExact(outcomes);
  const snake = outcomes.find((o) => o.name === '128³ snake');
  expect(snake?.components).toBe(1);
  expect(snake?.largest).toBeGreaterThanOrEqual(100_000);
});

// SwiftShader takes 10–20 s per 256³ merge: a few cases here; bench/gpu/merge-gpu.ts checks more on a GPU.
test('256³: random diff, full grid, snake', async ({ page }) => {
  test.setTimeout(600_000);
  const outcomes = await runCases(page, [
    { resolution: 256, pattern: 'random', density: 0.3, seed: 100, runs: bothRules.slice(0, 3) },
    { resolution: 256, pattern: 'full', seed: 101, runs: adaptiveFirst },
    { resolution: 256, pattern: 'snake', seed: 102, runs: adaptiveFirst },
  ]);
  expectExact(outcomes);
});

test('256³ checkerboard: 8M one-voxel components', async ({ page }) => {
  test.setTimeout(600_000);
  const outcomes = await runCases(page, [
    { resolution: 256, pattern: 'checkerboard', seed: 110, runs: adaptiveFirst },
  ]);
  expectExact(outcomes);
  expect(outcomes[0].components).toBe(256 ** 3 / 2);
});

test('the host loops union passes until the verify kernel finds no disagreement', async ({ page }) => {
  // With the union left out of the first pass, only x-runs are joined: verify must flag it and the
  // loop must run the union again, ending at the same labels.
  const outcomes = await runCases(page, [
    { resolution: 64, pattern: 'random', density: 0.3, seed: 120, runs: bothRules, skipUnionPasses: 1 },
    { resolution: 64, pattern: 'snake', seed: 121, runs: adaptiveFirst, skipUnionPasses: 2 },
  ]);
  for (const o of outcomes) expect(o.mismatches, o.name).toEqual([]);
  expect(outcomes.map((o) => o.passes)).toEqual([2, 3]);
});

test('Slat-Merge: features bit-exact against the CPU twin, after a merge and after a re-merge', async ({
  page,
}) => {
  const result = await page.evaluate(async () => {
    const paths = [
      '/src/gpu/device.ts',
      '/src/gpu/merge-kernels.ts',
      '/src/core/merge/index.ts',
      '/src/core/merge/testing.ts',
    ];
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[0])) as DeviceModule;
    const { GpuVoxelMerge } = (await import(/* @vite-ignore */ paths[1])) as KernelModule;
    const core = (await import(/* @vite-ignore */ paths[2])) as MergeModule;
    const fx = (await import(/* @vite-ignore */ paths[3])) as TestingModule;
    const { device } = await acquireGpu();
    const failures: string[] = [];
    for (const [r, channels] of [
      [64, 8],
      [33, 3],
      [128, 1],
    ] as const) {
      const random = fx.seededRandom(200 + r);
      const src = fx.randomGrid(r, 0.4, random);
      const edited = fx.perturb(src, 0.2, random);
      const n = r ** 3;
      const featSrc = new Float32Array(n * channels).map(() => random() * 2 - 1);
      const featTgt = new Float32Array(n * channels).map(() => random() * 2 - 1);
      // Special values must be copied as bits, not as numbers.
      featSrc[0] = Number.NaN;
      featTgt[1] = -0;
      featSrc[2] = Number.POSITIVE_INFINITY;
      const merger = await GpuVoxelMerge.create(device, r);
      const options = { tau: 5, rule: 'fixed' as const };
      const gpuMerge = await merger.merge(src, edited, options);
      const cpuMerge = core.voxelMerge(src, edited, r, options);
      const masks = [
        async () => ({ what: 'merge', gpu: gpuMerge.mask, cpu: cpuMerge.mask }),
        async () => {
          const next = { tau: 40, rule: 'adaptive' as const };
          return {
            what: 'remerge',
            gpu: (await merger.remerge(next)).mask,
            cpu: core.remerge(cpuMerge, src, next).mask,
          };
        },
      ];
      for (const current of masks) {
        const { what, gpu: gpuMask, cpu: mask } = await current();
        const gpu = await merger.slatMerge(featSrc, featTgt, channels);
        const cpu = core.slatMerge(src, mask, featSrc, featTgt, channels, r);
        const a = new Uint32Array(gpu.buffer, gpu.byteOffset, gpu.length);
        const b = new Uint32Array(cpu.buffer, cpu.byteOffset, cpu.length);
        let bad = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) bad++;
        let maskBad = 0;
        for (let i = 0; i < n; i++) if (gpuMask[i] !== mask[i]) maskBad++;
        if (bad || maskBad)
          failures.push(`${r}³ C=${channels} ${what}: ${bad} floats, ${maskBad} mask voxels differ`);
      }
      merger.destroy();
    }
    return failures;
  });
  expect(result).toEqual([]);
});

test('bad input gives typed errors and leaves the last merge usable', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const paths = ['/src/gpu/device.ts', '/src/gpu/merge-kernels.ts'];
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[0])) as DeviceModule;
    const { GpuVoxelMerge } = (await import(/* @vite-ignore */ paths[1])) as KernelModule;
    const { device } = await acquireGpu();
    const codes: Record<string, string> = {};
    const attempt = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        codes[name] = 'no error';
      } catch (e) {
        codes[name] = (e as { code?: string }).code ?? String(e);
      }
    };
    await attempt('resolution 0', () => GpuVoxelMerge.create(device, 0));
    await attempt('resolution 257', () => GpuVoxelMerge.create(device, 257));
    const merger = await GpuVoxelMerge.create(device, 8);
    const grid = new Uint8Array(512);
    await attempt('remerge first', () => merger.remerge({ tau: 1, rule: 'fixed' }));
    await attempt('wrong length', () => merger.merge(grid, new Uint8Array(511), { tau: 1, rule: 'fixed' }));
    await attempt('not binary', () =>
      merger.merge(grid, new Uint8Array(512).fill(2), { tau: 1, rule: 'fixed' }),
    );
    await attempt('tau 0', () => merger.merge(grid, grid, { tau: 0, rule: 'fixed' }));
    await attempt('bad rule', () => merger.merge(grid, grid, { tau: 1, rule: 'median' as 'fixed' }));
    const edited = grid.slice();
    edited[9] = 1;
    const ok = await merger.merge(grid, edited, { tau: 1, rule: 'fixed' });
    await attempt('slat channels', () => merger.slatMerge(new Float32Array(512), new Float32Array(512), 0));
    await attempt('slat length', () => merger.slatMerge(new Float32Array(512), new Float32Array(511), 1));
    await attempt('keep length', () => merger.applyKeep(new Uint8Array(2)));
    const again = await merger.remerge({ tau: 1, rule: 'fixed' });
    merger.destroy();
    await attempt('destroyed', () => merger.remerge({ tau: 1, rule: 'fixed' }));
    return { codes, changed: ok.voxelsChanged, again: again.merged[9] };
  });
  expect(result.codes).toEqual({
    'resolution 0': 'invalid-grid',
    'resolution 257': 'invalid-grid',
    'remerge first': 'invalid-argument',
    'wrong length': 'invalid-grid',
    'not binary': 'invalid-grid',
    'tau 0': 'invalid-argument',
    'bad rule': 'invalid-argument',
    'slat channels': 'invalid-argument',
    'slat length': 'invalid-grid',
    'keep length': 'invalid-argument',
    destroyed: 'invalid-argument',
  });
  expect(result.changed).toBe(1);
  expect(result.again).toBe(1);
});
