/** Every bundled sample (public/samples/index.json) imports, normalizes and voxelizes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOccupied } from '../core/grid';
import { normalizeMesh } from '../core/normalize';
import { voxelize } from '../core/voxelize';
import type { InputFile } from '../engine/engine-api';
import { decodeImageNode } from './decode-image-node';
import { importMeshFiles } from './import/index';

interface SampleEntry {
  name: string;
  file: string;
  sideFiles: string[];
  format: string;
  triangles: number;
  description: string;
}

const folder = join(import.meta.dirname, '../../public/samples');
const entries = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8')) as SampleEntry[];

function load(name: string): InputFile {
  const bytes = readFileSync(join(folder, name));
  expect(bytes.byteLength).toBeLessThan(1024 * 1024);
  return {
    name,
    bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

describe('bundled samples', () => {
  it('lists at least three, with unique names', () => {
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s imports and voxelizes', async (_name, entry) => {
    const files = [entry.file, ...entry.sideFiles].map(load);
    const imported = await importMeshFiles(files, { decodeImage: decodeImageNode });
    expect(imported.format).toBe(entry.format);
    expect(imported.warnings).toEqual([]);
    expect(imported.mesh.indices.length / 3).toBe(entry.triangles);
    expect(entry.description.length).toBeGreaterThan(10);
    const { mesh } = normalizeMesh(imported.mesh, imported.fileName);
    const grid = await voxelize(mesh);
    const occupied = countOccupied(grid.occupancy);
    expect(occupied).toBeGreaterThan(500);
    // Samples are coloured: some occupied voxel is not plain white or grey.
    let coloured = 0;
    for (let i = 0; i < grid.occupancy.length; i++) {
      if (!grid.occupancy[i]) continue;
      const [r, g, b] = [grid.colors[3 * i], grid.colors[3 * i + 1], grid.colors[3 * i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
    }
    expect(coloured).toBeGreaterThan(occupied / 4);
  });
});
