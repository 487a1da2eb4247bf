/**
 * `npx tsx bench/run.ts voxelize [--quick] [--resolution N]`: voxelizes procedural meshes of ~10k,
 * 100k and 1M triangles (noisy tessellated spheres) and a few with large triangles, at 64³.
 *
 * Baseline, measured in the same run on the same meshes: the same voxelizer with
 * `candidates: 'bbox'`, i.e. SAT-test every voxel of each triangle's bounding box, with neither the
 * single-voxel shortcut nor the slab/row clipping. Same output (the tests assert it), so the ratio is
 * exactly what candidate selection buys. Results also go to bench/out/voxelize.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOccupied } from '../src/core/grid';
import type { TriangleMesh } from '../src/core/mesh';
import { normalizeMesh } from '../src/core/normalize';
import { type VoxelizeOptions, voxelize } from '../src/core/voxelize';

/** mulberry32: tiny seeded PRNG so every run voxelizes the same meshes. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A lumpy sphere (smooth radial bumps plus per-vertex jitter) with about `target` triangles. */
function noisySphere(target: number, seed: number): TriangleMesh {
  const rand = mulberry32(seed);
  const rings = Math.max(3, Math.round(Math.sqrt(target / 2)));
  const segments = Math.max(3, Math.round(target / 2 / rings));
  const positions = new Float32Array(3 * (rings + 1) * segments);
  for (let i = 0; i <= rings; i++) {
    const theta = (Math.PI * i) / rings;
    for (let j = 0; j < segments; j++) {
      const phi = (2 * Math.PI * j) / segments;
      const bump = 0.15 * Math.sin(3 * theta) * Math.cos(4 * phi) + 0.05 * Math.sin(7 * phi + 2 * theta);
      const r = 1 + bump + 0.002 * (rand() - 0.5);
      const o = 3 * (i * segments + j);
      positions[o] = r * Math.sin(theta) * Math.cos(phi);
      positions[o + 1] = r * Math.cos(theta) * 1.2;
      positions[o + 2] = r * Math.sin(theta) * Math.sin(phi) * 0.8;
    }
  }
  const indices = new Uint32Array(6 * rings * segments);
  let n = 0;
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < segments; j++) {
      const a = i * segments + j;
      const b = i * segments + ((j + 1) % segments);
      if (i > 0) {
        indices.set([a, b, a + segments], n);
        n += 3;
      }
      if (i < rings - 1) {
        indices.set([b, b + segments, a + segments], n);
        n += 3;
      }
    }
  }
  const mesh: TriangleMesh = {
    positions,
    indices: indices.slice(0, n),
    materials: [{ color: [0.8, 0.6, 0.4] }],
  };
  return normalizeMesh(mesh, `noisy-sphere-${target}`).mesh;
}

interface Run {
  ms: number;
  occupied: number;
  peakRssMB: number;
  peakHeapMB: number;
  peakArrayBuffersMB: number;
}

async function measure(mesh: TriangleMesh, options: VoxelizeOptions): Promise<Run> {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  let peakBuffers = base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
  };
  const start = performance.now();
  const grid = await voxelize(mesh, { ...options, onProgress: sample });
  const ms = performance.now() - start;
  sample();
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    ms,
    occupied: countOccupied(grid.occupancy),
    peakRssMB: mb(peakRss - base.rss),
    peakHeapMB: mb(peakHeap - base.heapUsed),
    peakArrayBuffersMB: mb(peakBuffers - base.arrayBuffers),
  };
}

const REPEATS = 5;

/** Median time; memory figures are the maximum over the runs. */
function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return {
    ...sorted[Math.floor(sorted.length / 2)],
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    peakHeapMB: Math.max(...runs.map((r) => r.peakHeapMB)),
    peakArrayBuffersMB: Math.max(...runs.map((r) => r.peakArrayBuffersMB)),
  };
}

export default async function bench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const resAt = args.indexOf('--resolution');
  const resolution = resAt >= 0 ? Number(args[resAt + 1]) : 64;
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  // Two coarse meshes first: their triangles span many voxels, which is where candidate selection matters.
  const cases: Array<{ name: string; mesh: TriangleMesh; reference?: boolean }> = [
    { name: 'noisy sphere, 12 tris target', mesh: noisySphere(12, 1) },
    { name: 'noisy sphere, 200 tris target', mesh: noisySphere(200, 2) },
    ...sizes.map((n, i) => ({
      name: `noisy sphere, ${n} tris target`,
      mesh: noisySphere(n, 10 + i),
      reference: i === 0,
    })),
  ];
  // Warm up the JIT on both paths so the first row is not a compile-time measurement.
  for (const { mesh } of cases.slice(0, 3)) {
    await voxelize(mesh, { resolution });
    await voxelize(mesh, { resolution, candidates: 'bbox' });
  }

  process.stdout.write(
    `voxelize at ${resolution}³ — baseline: same voxelizer with candidates 'bbox' (SAT on every voxel of each ` +
      `triangle's bounding box, no single-voxel shortcut, no slab/row clipping), same run, same meshes.\n` +
      `Times: median of ${REPEATS} alternating runs. Peak memory: max over runs of process.memoryUsage() sampled at each\n` +
      'progress callback (every ~30 ms) and at the end, minus the value just before the call; runs shorter than\n' +
      '30 ms are sampled only at the end. The working arrays are 28 bytes per voxel (owner, distance,\n' +
      `barycentrics, grid): ${((28 * resolution ** 3) / 2 ** 20).toFixed(1)} MB at ${resolution}³, whatever the triangle count; they live in ArrayBuffers,\n` +
      'not the JS heap. Last column: time per triangle relative to the ~10k mesh (1.00 = linear scaling).\n\n',
  );
  const header = [
    'triangles',
    'ms',
    'tris/s',
    'occupied',
    'ΔRSS MB',
    'Δheap MB',
    'ΔArrayBuf MB',
    'baseline ms',
    'speed-up',
    'ns/tri vs 10k',
  ];
  const rows: string[][] = [header];
  const results: Array<Record<string, number | string>> = [];
  let nsPerTri10k = 0;
  for (const { name, mesh, reference } of cases) {
    const triangles = mesh.indices.length / 3;
    // Alternate the two, several times, and keep medians: the machine is shared and timings are noisy.
    const fastRuns: Run[] = [];
    const baseRuns: Run[] = [];
    for (let rep = 0; rep < REPEATS; rep++) {
      fastRuns.push(await measure(mesh, { resolution }));
      baseRuns.push(await measure(mesh, { resolution, candidates: 'bbox' }));
    }
    const fast = median(fastRuns);
    const base = median(baseRuns);
    if (base.occupied !== fast.occupied)
      throw new Error(`${name}: baseline disagrees (${base.occupied} vs ${fast.occupied})`);
    const nsPerTri = (fast.ms * 1e6) / triangles;
    if (reference) nsPerTri10k = nsPerTri;
    const perTriRatio = nsPerTri10k > 0 && triangles >= 5_000 ? (nsPerTri / nsPerTri10k).toFixed(2) : '–';
    rows.push([
      triangles.toLocaleString('en-US'),
      fast.ms.toFixed(1),
      Math.round((triangles / fast.ms) * 1000).toLocaleString('en-US'),
      fast.occupied.toLocaleString('en-US'),
      fast.peakRssMB.toFixed(1),
      fast.peakHeapMB.toFixed(1),
      fast.peakArrayBuffersMB.toFixed(1),
      base.ms.toFixed(1),
      `${(base.ms / fast.ms).toFixed(2)}×`,
      perTriRatio,
    ]);
    results.push({
      name,
      triangles,
      resolution,
      ms: fast.ms,
      trianglesPerSecond: (triangles / fast.ms) * 1000,
      occupied: fast.occupied,
      peakRssDeltaMB: fast.peakRssMB,
      peakHeapDeltaMB: fast.peakHeapMB,
      peakArrayBuffersDeltaMB: fast.peakArrayBuffersMB,
      baselineMs: base.ms,
      speedup: base.ms / fast.ms,
    });
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows)
    process.stdout.write(`${row.map((cell, c) => cell.padStart(widths[c])).join('  ')}\n`);

  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'voxelize.json'),
    `${JSON.stringify({ baseline: "voxelize(..., { candidates: 'bbox' })", node: process.version, results }, null, 2)}\n`,
  );
  process.stdout.write(`\nwrote ${join(outDir, 'voxelize.json')}\n`);
}
