/**
 * Test helpers: the committed corpus grids (tests/fixtures/corpus, written by
 * training/scripts/make_fixtures.py) as VoxelGrids. Sparse on disk: `<name>.xyz.npy` holds the
 * (x, y, z) of each occupied voxel and `<name>.rgb.npy` their colours, both uint8 (N, 3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGrid, type VoxelGrid } from '../../src/core/grid';
import { decodeNpy } from '../../src/core/npy';

export const CORPUS_FIXTURES = join(import.meta.dirname, '../fixtures/corpus');
export const GOLDEN_RENDERS = join(import.meta.dirname, '../golden/render');

export function loadSparseGrid(name: string, resolution = 64): VoxelGrid {
  const read = (suffix: string) => {
    const path = join(CORPUS_FIXTURES, `${name}.${suffix}.npy`);
    const array = decodeNpy(new Uint8Array(readFileSync(path)), path);
    if (array.dtype !== 'uint8' || array.shape.length !== 2 || array.shape[1] !== 3) {
      throw new Error(`${path}: expected uint8 (N, 3), got ${array.dtype} (${array.shape.join(', ')})`);
    }
    return array.data as Uint8Array;
  };
  const xyz = read('xyz');
  const rgb = read('rgb');
  const grid = createGrid(resolution);
  for (let n = 0; n < xyz.length / 3; n++) {
    const index = xyz[3 * n] + resolution * (xyz[3 * n + 1] + resolution * xyz[3 * n + 2]);
    grid.occupancy[index] = 1;
    grid.colors.set(rgb.subarray(3 * n, 3 * n + 3), 3 * index);
  }
  return grid;
}
