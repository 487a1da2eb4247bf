/**
 * GPU time of the whole Voxel-Merge (xor + labels + ids + stats + τ + mask + merge: one compute pass)
 * through Node + Dawn (the `webgpu` npm package's dawn.node), measured with timestamp queries, beside
 * the CPU twin and scipy's ndimage.label path on the same machine and the same grids (DESIGN §7, §8).
 * It also checks the real GPU's outputs against the CPU twin bit for bit, adversarial grids included:
 * SwiftShader passing does not prove a real GPU's atomics and memory model give the same labels.
 *
 * `webgpu` is not a dependency of the project: point --webgpu at an unpacked copy of the package (see
 * bench/gpu/README.md; bench/gpu/stage.sh prepares one, bench/gpu/run-on-device.sh runs this on the
 * GPU machine). This file imports shaders with Vite's `?raw`, so it runs as the bundle that
 * bench/gpu/build.ts makes (.dawn/carry/merge-gpu.mjs), not through tsx.
 *
 *   node .dawn/carry/merge-gpu.mjs --webgpu DIR [--out FILE] [--device-name NAME] [--quick] [--no-scipy]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { voxelMerge } from '../../src/core/merge';
import {
  checkerboard,
  faceSlabs,
  nestedShells,
  randomGrid,
  seededRandom,
  snake,
} from '../../src/core/merge/testing';
import { encodeNpy } from '../../src/core/npy';
import { GpuVoxelMerge } from '../../src/gpu/merge-kernels';
import { noisy, shellEdit } from '../merge';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

interface Timing {
  median: number;
  min: number;
  reps: number;
}

interface Options {
  webgpu: string | undefined;
  out: string | undefined;
  deviceName: string | undefined;
  quick: boolean;
  scipy: boolean;
  python: string;
}

function parseArgs(args: string[]): Options {
  const value = (flag: string) => {
    const k = args.indexOf(flag);
    return k >= 0 ? args[k + 1] : undefined;
  };
  return {
    webgpu: value('--webgpu'),
    out: value('--out'),
    deviceName: value('--device-name'),
    quick: args.includes('--quick'),
    scipy: !args.includes('--no-scipy'),
    python: value('--python') ?? process.env.PYTHON ?? 'python3',
  };
}

async function loadDawn(dir: string | undefined): Promise<DawnModule> {
  if (dir) return (await import(pathToFileURL(join(resolve(dir), 'index.js')).href)) as DawnModule;
  const name = 'webgpu'; // a variable, so that neither tsc nor the bundler look for it here
  return (await import(/* @vite-ignore */ name)) as DawnModule;
}

function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], reps: sorted.length };
}

/** Start and end timestamps of one compute pass, in ms. */
class PassTimer {
  readonly writes: GPUComputePassTimestampWrites;
  private readonly resolveBuffer: GPUBuffer;
  private readonly readback: GPUBuffer;
  constructor(private readonly device: GPUDevice) {
    const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    this.writes = { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
    this.resolveBuffer = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.readback = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  async read(): Promise<number> {
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.writes.querySet, 0, 2, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readback, 0, 16);
    this.device.queue.submit([encoder.finish()]);
    await this.readback.mapAsync(GPUMapMode.READ);
    const [start, end] = new BigUint64Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    return Number(end - start) / 1e6;
  }
}

type Grids = { src: Uint8Array; edited: Uint8Array };

interface BenchCase {
  name: string;
  resolution: number;
  tau: number;
  rule: 'fixed' | 'adaptive';
  reps: number;
  make: (r: number, random: () => number) => Grids;
}

/** Every field the studio reads, GPU against the CPU twin; returns what differs. */
async function parity(merger: GpuVoxelMerge, grids: Grids, tau: number, rule: 'fixed' | 'adaptive') {
  const r = merger.resolution;
  const gpu = await merger.merge(grids.src, grids.edited, { tau, rule, readLabels: true, readDiff: true });
  const cpu = voxelMerge(grids.src, grids.edited, r, { tau, rule });
  const out: string[] = [];
  const check = (what: string, a: ArrayLike<number> | undefined, b: ArrayLike<number>) => {
    if (!a || a.length !== b.length) {
      out.push(`${what}: length`);
      return;
    }
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        out.push(`${what} at ${i}: ${a[i]} ≠ ${b[i]}`);
        return;
      }
    }
  };
  check('diff', gpu.diff, cpu.diff);
  check('labels', gpu.labels, cpu.labels);
  check('mask', gpu.mask, cpu.mask);
  check('merged', gpu.merged, cpu.merged);
  check('kept', gpu.kept, cpu.kept);
  for (const field of ['label', 'size', 'added', 'removed', 'bbox'] as const) {
    check(`table.${field}`, gpu.components[field], cpu.components[field]);
  }
  if (gpu.tau !== cpu.tau) out.push(`tau ${gpu.tau} ≠ ${cpu.tau}`);
  if (gpu.passes !== 1) out.push(`${gpu.passes} union passes`);
  return { mismatches: out, components: cpu.components.count, passes: gpu.passes };
}

function withPattern(pattern: (r: number) => Uint8Array) {
  return (r: number, random: () => number): Grids => {
    const src = randomGrid(r, 0.4, random);
    const diff = pattern(r);
    return { src, edited: src.map((v, i) => v ^ diff[i]) };
  };
}

/**
 * dawn.node's instance lives only while the object `create` returned is referenced; a local that is
 * dead after requestAdapter gets collected mid-run and takes the device down with it (seen as
 * segfaults and futex aborts). Held here until the end.
 */
let dawnInstance: GPU | null = null;

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dawn = await loadDawn(options.webgpu);
  Object.assign(globalThis, dawn.globals);
  // Dawn rounds timestamps to 100 µs unless told not to (a fingerprinting guard meant for browsers).
  dawnInstance = dawn.create(['disable-dawn-features=timestamp_quantization']);
  const adapter = await dawnInstance.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new Error('Dawn offered no GPU adapter (is libvulkan.so.1 and a Vulkan driver there?).');
  const info = adapter.info;
  const adapterInfo = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
  process.stderr.write(`adapter: ${JSON.stringify(adapterInfo)}\n`);
  if (!adapter.features.has('timestamp-query')) throw new Error('This adapter has no timestamp-query.');
  const device = await adapter.requestDevice({
    requiredFeatures: ['timestamp-query'],
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  device.onuncapturederror = (event) => process.stderr.write(`WebGPU error: ${event.error.message}\n`);
  const timer = new PassTimer(device);
  // Compile every resolution's kernels up front, so that no compile lands inside a measurement.
  const resolutions = options.quick ? [64] : [64, 128, 256];
  const mergers = new Map<number, GpuVoxelMerge>();
  for (const r of resolutions) mergers.set(r, await GpuVoxelMerge.create(device, r));
  const mergerFor = (r: number): GpuVoxelMerge => {
    const m = mergers.get(r);
    if (!m) throw new Error(`no merger compiled for ${r}³`);
    return m;
  };
  const random = seededRandom(0x6e9c);

  // Parity on the real GPU first: random diffs and the adversarial grids, both rules.
  const parityCases: { name: string; r: number; make: (r: number, random: () => number) => Grids }[] = [];
  for (const r of resolutions) {
    for (const density of [0.05, 0.3, 0.6]) {
      parityCases.push({
        name: `${r}³ random ${density}`,
        r,
        make: withPattern((n) => randomGrid(n, density, random)),
      });
    }
    parityCases.push({ name: `${r}³ full`, r, make: withPattern((n) => new Uint8Array(n ** 3).fill(1)) });
    parityCases.push({ name: `${r}³ checkerboard`, r, make: withPattern(checkerboard) });
    parityCases.push({ name: `${r}³ snake`, r, make: withPattern(snake) });
    parityCases.push({ name: `${r}³ nested shells`, r, make: withPattern(nestedShells) });
    parityCases.push({ name: `${r}³ face slabs`, r, make: withPattern(faceSlabs) });
    parityCases.push({ name: `${r}³ shell edit`, r, make: shellEdit });
  }
  const parityRows: { name: string; rule: string; ok: boolean; components: number; mismatches: string[] }[] =
    [];
  for (const c of parityCases) {
    const grids = c.make(c.r, random);
    const merger = mergerFor(c.r);
    for (const [tau, rule] of [
      [100, 'fixed'],
      [250, 'adaptive'],
    ] as const) {
      const p = await parity(merger, grids, tau, rule);
      parityRows.push({
        name: c.name,
        rule,
        ok: p.mismatches.length === 0,
        components: p.components,
        mismatches: p.mismatches,
      });
    }
    process.stderr.write(`parity ${c.name}: ${parityRows.at(-1)?.ok ? 'ok' : 'MISMATCH'}\n`);
  }

  // Timing: the cases of `npm run bench -- merge`.
  const cases: BenchCase[] = [];
  for (const [resolution, reps] of [
    [64, 200],
    [128, 50],
    [256, 20],
  ] as const) {
    if (options.quick && resolution > 64) continue;
    const at = { resolution, reps: options.quick ? 10 : reps };
    cases.push({ ...at, name: `${resolution}³ shell edit`, tau: 100, rule: 'fixed', make: shellEdit });
    cases.push({ ...at, name: `${resolution}³ noise 5%`, tau: 100, rule: 'fixed', make: noisy(0.3, 0.05) });
    cases.push({
      ...at,
      name: `${resolution}³ noise 30%`,
      tau: 250,
      rule: 'adaptive',
      make: noisy(0.5, 0.3),
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'flowsmith-gpu-merge-'));
  const manifest: { name: string; src: string; edited: string; tau: number; rule: string; reps: number }[] =
    [];
  const rows = [];
  try {
    for (const [k, c] of cases.entries()) {
      const r = c.resolution;
      const grids = c.make(r, random);
      const merger = mergerFor(r);
      const opts = { tau: c.tau, rule: c.rule };
      const check = await parity(merger, grids, c.tau, c.rule);
      for (let w = 0; w < 5; w++) await merger.merge(grids.src, grids.edited, opts);
      const gpuMs: number[] = [];
      const wallMs: number[] = [];
      for (let k2 = 0; k2 < c.reps; k2++) {
        const t0 = performance.now();
        await merger.merge(grids.src, grids.edited, { ...opts, timestampWrites: timer.writes });
        wallMs.push(performance.now() - t0);
        gpuMs.push(await timer.read());
      }
      const remergeGpu: number[] = [];
      const remergeWall: number[] = [];
      const next = { tau: c.tau * 2, rule: c.rule };
      for (let k2 = 0; k2 < c.reps; k2++) {
        const t0 = performance.now();
        await merger.remerge({ ...next, timestampWrites: timer.writes });
        remergeWall.push(performance.now() - t0);
        remergeGpu.push(await timer.read());
      }
      // The CPU sides take up to seconds a run at 256³: fewer repetitions, min reported.
      const cpuReps = r <= 64 ? 20 : r <= 128 ? 10 : 5;
      const cpuMs: number[] = [];
      for (let k2 = 0; k2 < cpuReps; k2++) {
        const t0 = performance.now();
        voxelMerge(grids.src, grids.edited, r, opts);
        cpuMs.push(performance.now() - t0);
      }
      const srcPath = join(dir, `case-${k}-src.npy`);
      const editedPath = join(dir, `case-${k}-edited.npy`);
      writeFileSync(srcPath, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: grids.src }));
      writeFileSync(editedPath, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: grids.edited }));
      manifest.push({
        name: c.name,
        src: srcPath,
        edited: editedPath,
        tau: c.tau,
        rule: c.rule,
        reps: cpuReps,
      });
      rows.push({
        name: c.name,
        resolution: r,
        tau: c.tau,
        rule: c.rule,
        components: check.components,
        parity: check.mismatches.length === 0,
        gpu: summarize(gpuMs),
        wall: summarize(wallMs),
        remergeGpu: summarize(remergeGpu),
        remergeWall: summarize(remergeWall),
        cpuTwin: summarize(cpuMs),
        scipy: null as null | { label: Timing; merge: Timing },
      });
      process.stderr.write(`timed ${c.name}\n`);
    }
    let scipyNote = 'not run (--no-scipy)';
    if (options.scipy) {
      try {
        const manifestPath = join(dir, 'manifest.json');
        writeFileSync(manifestPath, JSON.stringify(manifest));
        const script = resolve('bench/scipy_merge.py');
        const stdout = execFileSync(options.python, [script, 'bench', manifestPath], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        });
        const scipy = JSON.parse(stdout) as {
          name: string;
          label: Timing;
          merge: Timing;
          components: number;
        }[];
        for (const row of rows) {
          const s = scipy.find((x) => x.name === row.name);
          if (s && s.components !== row.components) {
            throw new Error(
              `${row.name}: scipy found ${s.components} components, the merge ${row.components}.`,
            );
          }
          row.scipy = s ? { label: s.label, merge: s.merge } : null;
        }
        scipyNote = `${options.python} ${execFileSync(options.python, ['-c', 'import scipy; print(scipy.__version__)'], { encoding: 'utf8' }).trim()}`;
      } catch (e) {
        scipyNote = `failed: ${(e as Error).message.split('\n')[0]}`;
      }
    }

    const header = [
      'case',
      'components',
      'GPU ms',
      'wall ms',
      'remerge GPU ms',
      'CPU twin ms',
      'scipy ms',
      'scipy/GPU',
      'parity',
    ];
    const lines = rows.map((row) => [
      `${row.name} (${row.rule} τ=${row.tau})`,
      String(row.components),
      fmt(row.gpu.median),
      fmt(row.wall.median),
      fmt(row.remergeGpu.median),
      fmt(row.cpuTwin.min),
      row.scipy ? fmt(row.scipy.merge.min) : '–',
      row.scipy ? `${(row.scipy.merge.min / row.gpu.median).toFixed(0)}×` : '–',
      row.parity ? 'exact' : 'MISMATCH',
    ]);
    const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
    const show = (cells: string[]) => `| ${cells.map((cell, k) => cell.padEnd(widths[k])).join(' | ')} |`;
    const table = [
      show(header),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...lines.map(show),
    ].join('\n');
    const parityOk = parityRows.filter((p) => p.ok).length;
    const bad = parityRows.filter((p) => !p.ok);
    const result = {
      date: new Date().toISOString(),
      device: options.deviceName ?? adapterInfo.description,
      adapter: adapterInfo,
      node: process.version,
      dawn: 'webgpu (dawn.node) npm package',
      scipy: scipyNote,
      method:
        'GPU ms: median of timestamp-query spans around the one compute pass of a merge (xor, labels, ids, stats, τ, mask, merge), ' +
        'uploads and readback excluded; wall ms: median of merge() calls including upload, readback and the host-side table; ' +
        'CPU twin: min of voxelMerge; scipy: min of bench/scipy_merge.py (label + bincount + filter + xor) on the same grids.',
      budget64: rows.filter((row) => row.resolution === 64).every((row) => row.gpu.median < 1),
      parity: { cases: parityRows.length, exact: parityOk, failures: bad },
      rows,
    };
    if (options.out) {
      mkdirSync(dirname(resolve(options.out)), { recursive: true });
      writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
    }
    process.stdout.write(
      `Voxel-Merge on ${result.device} through Node ${process.version} + Dawn; scipy: ${scipyNote}.\n` +
        `Parity against the CPU twin on this GPU: ${parityOk}/${parityRows.length} cases exact` +
        `${bad.length ? ` — FAILED: ${bad.map((b) => `${b.name} ${b.rule}: ${b.mismatches[0]}`).join('; ')}` : ''}.\n` +
        `Budget (64³ under 1 ms of GPU time): ${result.budget64 ? 'met' : 'MISSED'}.\n\n${table}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const m of mergers.values()) m.destroy();
    device.destroy();
    dawnInstance = null;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
