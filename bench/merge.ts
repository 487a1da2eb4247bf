/**
 * `npm run bench -- merge [--quick]`: Voxel-Merge CPU twin against scipy's ndimage.label path (the one
 * the released Nano3D code uses: label + bincount + filter + xor), on the same grids, side by side.
 * Both sides time compute only: the grids are already in memory, no file or process start-up counts.
 * Writes bench/out/merge.json.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  allocateMergeBuffers,
  createLabelScratch,
  labelComponents,
  remerge,
  voxelMerge,
  xorDiff,
} from '../src/core/merge';
import { gridFrom, perturb, randomGrid, seededRandom } from '../src/core/merge/testing';
import { encodeNpy } from '../src/core/npy';

const here = dirname(fileURLToPath(import.meta.url));
const python = '/usr/bin/python3';

interface Timing {
  median: number;
  min: number;
  reps: number;
}

interface Case {
  name: string;
  resolution: number;
  tau: number;
  rule: 'fixed' | 'adaptive';
  reps: number;
  make: (resolution: number, random: () => number) => { src: Uint8Array; edited: Uint8Array };
}

/**
 * What an edit diff looks like: a sphere's surface shell gains a box-shaped shell (the edit) and
 * one voxel in a thousand flips anywhere (decoder noise). Sparse and structured.
 */
export function shellEdit(r: number, random: () => number): { src: Uint8Array; edited: Uint8Array } {
  const c = (r - 1) / 2;
  const radius = 0.35 * r;
  const onShell = (x: number, y: number, z: number) =>
    Math.abs(Math.hypot(x - c, y - c, z - c) - radius) < 0.87;
  const lo = Math.round(0.55 * r);
  const hi = Math.round(0.8 * r);
  const inBox = (a: number) => a >= lo && a <= hi;
  const onBox = (x: number, y: number, z: number) =>
    inBox(x) &&
    inBox(y) &&
    inBox(z) &&
    (x === lo || x === hi || y === lo || y === hi || z === lo || z === hi);
  const src = gridFrom(r, onShell);
  const edited = perturb(
    gridFrom(r, (x, y, z) => onShell(x, y, z) || onBox(x, y, z)),
    0.001,
    random,
  );
  return { src, edited };
}

export function noisy(density: number, flip: number) {
  return (r: number, random: () => number) => {
    const src = randomGrid(r, density, random);
    return { src, edited: perturb(src, flip, random) };
  };
}

function time(fn: () => void, reps: number): Timing {
  for (let k = 0; k < Math.min(3, reps); k++) fn(); // let the JIT settle before measuring
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], reps };
}

function hasScipy(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import scipy.ndimage'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const ratio = (baseline: number, ours: number) => `${(baseline / ours).toFixed(2)}×`;

interface GpuRun {
  date: string;
  device: string;
  parity: { cases: number; exact: number };
  rows: { name: string; rule: string; tau: number; gpu: Timing; scipy: { merge: Timing } | null }[];
}

/**
 * The GPU side cannot run here (no GPU; Node's Dawn finds no adapter on lavapipe), so the figures
 * measured on the GPU machine by bench/gpu/merge-gpu.ts and committed under bench/results/ are
 * printed beside this run's table, with their device and date, and scipy timed on that machine.
 */
function recordedGpuRuns(): string {
  const dir = join(here, 'results');
  if (!existsSync(dir)) return '';
  const files = readdirSync(dir).filter((f) => /^merge-gpu-.*\.json$/.test(f));
  return files
    .map((file) => {
      const run = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GpuRun;
      const lines = run.rows.map((row) => {
        const scipy = row.scipy ? row.scipy.merge.min : Number.NaN;
        const times = row.scipy
          ? `${fmt(scipy)} ms scipy = ${(scipy / row.gpu.median).toFixed(0)}×`
          : 'no scipy';
        return `  ${`${row.name} (${row.rule} τ=${row.tau})`.padEnd(34)} GPU ${fmt(row.gpu.median).padStart(6)} ms; ${times}`;
      });
      return (
        `\nRecorded GPU run (${file}): ${run.device}, ${run.date.slice(0, 10)}; whole merge, timestamp queries, ` +
        `median; parity with the CPU twin ${run.parity.exact}/${run.parity.cases} exact.\n${lines.join('\n')}\n`
      );
    })
    .join('');
}

export default async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  // The machine may be shared: the fastest repetition is the least disturbed one, so it is the
  // figure compared; --median compares medians instead (both are saved).
  const stat: 'min' | 'median' = args.includes('--median') ? 'median' : 'min';
  const cases: Case[] = [];
  for (const [resolution, reps] of [
    [64, 200],
    [128, 40],
    [256, 8],
  ] as const) {
    const n = quick ? Math.max(1, Math.floor(reps / 8)) : reps;
    const at = { resolution, reps: n };
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
  const scipyOk = hasScipy();
  const dir = mkdtempSync(join(tmpdir(), 'flowsmith-bench-merge-'));
  const random = seededRandom(0xbe7c);
  const manifest: { name: string; src: string; edited: string; tau: number; rule: string; reps: number }[] =
    [];
  const ours: Record<
    string,
    {
      label: Timing;
      merge: Timing;
      mergeFresh: Timing;
      remerge: Timing;
      components: number;
      voxelsChanged: number;
    }
  > = {};
  try {
    for (const [k, c] of cases.entries()) {
      const r = c.resolution;
      const { src, edited } = c.make(r, random);
      const shape = [r, r, r];
      const srcPath = join(dir, `case-${k}-src.npy`);
      const editedPath = join(dir, `case-${k}-edited.npy`);
      writeFileSync(srcPath, encodeNpy({ dtype: 'uint8', shape, data: src }));
      writeFileSync(editedPath, encodeNpy({ dtype: 'uint8', shape, data: edited }));
      manifest.push({
        name: c.name,
        src: srcPath,
        edited: editedPath,
        tau: c.tau,
        rule: c.rule,
        reps: c.reps,
      });

      const diff = xorDiff(src, edited);
      const labels = new Int32Array(diff.length);
      const listed = new Int32Array(diff.length);
      const scratch = createLabelScratch();
      const buffers = allocateMergeBuffers(r);
      const options = { tau: c.tau, rule: c.rule };
      const result = voxelMerge(src, edited, r, options, buffers);
      const out = { mask: new Uint8Array(src.length), merged: new Uint8Array(src.length) };
      ours[c.name] = {
        label: time(() => labelComponents(diff, r, labels, scratch, listed), c.reps),
        merge: time(() => voxelMerge(src, edited, r, options, buffers), c.reps),
        mergeFresh: time(() => voxelMerge(src, edited, r, options), c.reps),
        remerge: time(() => remerge(result, src, { tau: c.tau * 2, rule: c.rule }, out), c.reps),
        components: result.components.count,
        voxelsChanged: result.voxelsChanged,
      };
      process.stderr.write(`measured ${c.name}\n`);
    }

    type ScipyRow = { name: string; label: Timing; merge: Timing; components: number; voxelsChanged: number };
    let scipy: ScipyRow[] = [];
    if (scipyOk) {
      const manifestPath = join(dir, 'manifest.json');
      writeFileSync(manifestPath, JSON.stringify(manifest));
      const stdout = execFileSync(python, [join(here, 'scipy_merge.py'), 'bench', manifestPath], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      scipy = JSON.parse(stdout) as ScipyRow[];
    } else {
      process.stderr.write('scipy not found at /usr/bin/python3: only the CPU twin is measured.\n');
    }

    const rows = cases.map((c) => {
      const o = ours[c.name];
      const s = scipy.find((row) => row.name === c.name);
      if (s && (s.components !== o.components || s.voxelsChanged !== o.voxelsChanged)) {
        throw new Error(
          `${c.name}: scipy and the CPU twin disagree (${s.components}/${o.components} components).`,
        );
      }
      const { name, resolution, tau, rule, reps } = c;
      return {
        name,
        resolution,
        tau,
        rule,
        reps,
        ours: o,
        scipy: s ? { label: s.label, merge: s.merge } : null,
      };
    });

    const header = [
      'case',
      'components',
      'label TS ms',
      'label scipy ms',
      'scipy/TS',
      'merge TS ms',
      'merge scipy ms',
      'scipy/TS',
      'merge TS fresh ms',
      'remerge TS ms',
    ];
    const lines = rows.map((row) => [
      `${row.name} (${row.rule} τ=${row.tau})`,
      String(row.ours.components),
      fmt(row.ours.label[stat]),
      row.scipy ? fmt(row.scipy.label[stat]) : '–',
      row.scipy ? ratio(row.scipy.label[stat], row.ours.label[stat]) : '–',
      fmt(row.ours.merge[stat]),
      row.scipy ? fmt(row.scipy.merge[stat]) : '–',
      row.scipy ? ratio(row.scipy.merge[stat], row.ours.merge[stat]) : '–',
      fmt(row.ours.mergeFresh[stat]),
      fmt(row.ours.remerge[stat]),
    ]);
    const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
    const show = (cells: string[]) => `| ${cells.map((cell, k) => cell.padEnd(widths[k])).join(' | ')} |`;
    const table = [
      show(header),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...lines.map(show),
    ].join('\n');
    process.stdout.write(
      `Voxel-Merge, CPU twin (Node ${process.version}) vs scipy ndimage.label path; ${stat} of reps, compute only.\n` +
        `"merge" = xor + label + ids/stats + τ + mask + xor (TS with reused buffers; "fresh" allocates them).\n` +
        `"remerge" = a new τ from stored components, no relabelling.\n\n${table}\n`,
    );
    const outDir = join(here, 'out');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      join(outDir, 'merge.json'),
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, scipy: scipyOk, rows }, null, 2)}\n`,
    );
    process.stdout.write(recordedGpuRuns());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
