/**
 * `npm run bench -- surface [--quick]`: surface extraction at 64³ (DESIGN §8: tens of milliseconds)
 * on a sphere shell, the bundled samples voxelized, a solid block and random noise (the adversarial
 * case: every voxel a component, thousands of well-composedness repairs).
 *
 * Baseline, measured in the same run on the same grids, alternating with the smooth path: the naive
 * cube-faces mesher (extractBlocky: one quad per exposed voxel face, nothing filled, nothing shared),
 * which is what a plain voxel display draws. The ratio column is smooth time / blocky time: the price
 * of a closed, smooth, shared-vertex surface over drawing the voxels. GLB export of the smooth mesh
 * is timed too (grid → GLB is extraction + export). Results also go to bench/out/surface.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countOccupied, createGrid, type VoxelGrid } from '../src/core/grid';
import { normalizeMesh } from '../src/core/normalize';
import { extractBlocky, extractSurfaceWithStats, signedVolume } from '../src/core/surface';
import { buildSolid } from '../src/core/surface/solid';
import { fillBox, noiseGrid, sphereShell } from '../src/core/surface/testing';
import { voxelize } from '../src/core/voxelize';
import { decodeImageNode } from '../src/io/decode-image-node';
import { exportGlb } from '../src/io/export/glb-writer';
import { importMeshFiles } from '../src/io/import';

const here = dirname(fileURLToPath(import.meta.url));
const R = 64;

async function sampleGrid(name: string): Promise<VoxelGrid> {
  const dir = join(here, '../public/samples');
  const meshFile = /\.(glb|gltf|obj|ply|stl)$/i;
  // The mesh plus every non-mesh file of the folder (its .bin, .mtl, textures).
  const files = [name, ...readdirSync(dir).filter((f) => !meshFile.test(f) && f !== 'index.json')].map(
    (f) => {
      const bytes = readFileSync(join(dir, f));
      const buffer = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(buffer).set(bytes);
      return { name: f, bytes: buffer };
    },
  );
  const { mesh } = await importMeshFiles(files, { decodeImage: decodeImageNode });
  return voxelize(normalizeMesh(mesh, name).mesh, { resolution: R });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function min(values: number[]): number {
  return Math.min(...values);
}

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

export default async function bench(args: string[]): Promise<void> {
  const repeats = args.includes('--quick') ? 3 : 9;
  const sphereRadius = 0.4;
  const cases: { name: string; grid: VoxelGrid }[] = [
    { name: `sphere shell r=${sphereRadius}`, grid: sphereShell(R, sphereRadius) },
    ...(await Promise.all(
      ['chair.glb', 'duck.ply', 'mug.obj', 'lamp.gltf'].map(async (f) => ({
        name: `sample ${f}`,
        grid: await sampleGrid(f),
      })),
    )),
    { name: 'full block', grid: fillBox(createGrid(R), [0, 0, 0], [R - 1, R - 1, R - 1], [128, 128, 128]) },
    { name: 'noise 5%', grid: noiseGrid(R, 0.05, 1) },
    { name: 'noise 20%', grid: noiseGrid(R, 0.2, 2) },
  ];
  // Warm the JIT on both paths so the first row is not a compile-time measurement.
  for (let i = 0; i < 3; i++) {
    for (const { grid } of cases.slice(0, 2)) {
      extractSurfaceWithStats(grid);
      extractBlocky(grid);
    }
  }

  process.stdout.write(
    `surface extraction at ${R}³, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} — baseline: extractBlocky (one quad per exposed voxel face), same run, same grids.\n` +
      `Times: median (and min, the least disturbed run on a shared machine) of ${repeats} alternating runs. ` +
      '"fill+repair" is the solid stage alone\n(flood fill, well-composedness repair); "ratio" = smooth ms / blocky ms ' +
      '(medians). Sphere: enclosed volume vs 4/3·π·r³.\n\n',
  );
  const header = [
    'grid',
    'occupied',
    'smooth ms',
    'min',
    'fill+repair ms',
    'verts',
    'tris',
    'repairs',
    'GLB ms',
    'GLB KB',
    'blocky ms',
    'min',
    'blocky verts',
    'blocky tris',
    'ratio',
  ];
  const rows: string[][] = [header];
  const results: Record<string, number | string>[] = [];
  for (const { name, grid } of cases) {
    const smooth: number[] = [];
    const blocky: number[] = [];
    const solid: number[] = [];
    for (let rep = 0; rep < repeats; rep++) {
      smooth.push(time(() => extractSurfaceWithStats(grid)));
      blocky.push(time(() => extractBlocky(grid)));
      solid.push(time(() => buildSolid(grid.occupancy, R)));
    }
    const { mesh, stats } = extractSurfaceWithStats(grid);
    const blockyMesh = extractBlocky(grid);
    let glb: Uint8Array = new Uint8Array(0);
    const glbMs = median(
      Array.from({ length: Math.min(repeats, 5) }, () =>
        time(() => {
          glb = exportGlb(mesh);
        }),
      ),
    );
    const row = {
      name,
      occupied: countOccupied(grid.occupancy),
      smoothMs: median(smooth),
      smoothMinMs: min(smooth),
      solidMs: median(solid),
      vertices: mesh.positions.length / 3,
      triangles: mesh.indices.length / 3,
      repairs: stats.added,
      glbMs,
      glbKB: glb.byteLength / 1024,
      blockyMs: median(blocky),
      blockyMinMs: min(blocky),
      blockyVertices: blockyMesh.positions.length / 3,
      blockyTriangles: blockyMesh.indices.length / 3,
      ratio: median(smooth) / median(blocky),
      ...(name.startsWith('sphere')
        ? { volumeError: signedVolume(mesh) / ((4 / 3) * Math.PI * sphereRadius ** 3) - 1 }
        : {}),
    };
    results.push(row);
    const n = (x: number) => x.toLocaleString('en-US');
    rows.push([
      name,
      n(row.occupied),
      row.smoothMs.toFixed(1),
      row.smoothMinMs.toFixed(1),
      row.solidMs.toFixed(1),
      n(row.vertices),
      n(row.triangles),
      n(row.repairs),
      row.glbMs.toFixed(1),
      row.glbKB.toFixed(0),
      row.blockyMs.toFixed(1),
      row.blockyMinMs.toFixed(1),
      n(row.blockyVertices),
      n(row.blockyTriangles),
      `${row.ratio.toFixed(2)}×`,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`,
    );
  }
  const sphere = results[0];
  process.stdout.write(`\nsphere volume error: ${(Number(sphere.volumeError) * 100).toFixed(2)} %\n`);

  const outDir = join(here, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'surface.json'),
    `${JSON.stringify({ baseline: 'extractBlocky', resolution: R, node: process.version, loadavg: loadavg(), results }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${join(outDir, 'surface.json')}\n`);
}
