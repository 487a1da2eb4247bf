/**
 * Voxelizer parity with training: the committed corpus meshes (tests/fixtures/corpus/*.ply, raw and
 * unnormalized, written by training/scripts/make_fixtures.py) go through the studio's own path — PLY
 * import, normalize, voxelize — and must give exactly the grids training/corpus/voxelize_torch.py
 * computed from the same shapes: every voxel's occupancy and colour. This is the one core test that
 * imports from io: the claim is about the whole file-to-grid path the studio runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_FIXTURES, loadSparseGrid } from '../../tests/support/golden-fixtures';
import { decodeImageNode } from '../io/decode-image-node';
import { importMeshFiles } from '../io/import';
import { countOccupied } from './grid';
import { normalizeMesh } from './normalize';
import { voxelize } from './voxelize';

const meshes = readdirSync(CORPUS_FIXTURES)
  .filter((f) => f.endsWith('.ply'))
  .sort();

describe('corpus voxelization: TypeScript (import → normalize → voxelize) vs training (PyTorch)', () => {
  it('has fixtures', () => {
    expect(meshes.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of meshes) {
    const name = file.replace(/\.ply$/, '');
    it(`${name}: identical occupancy and colours`, async () => {
      const bytes = readFileSync(join(CORPUS_FIXTURES, file));
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { mesh } = await importMeshFiles([{ name: file, bytes: buffer }], {
        decodeImage: decodeImageNode,
      });
      const grid = await voxelize(normalizeMesh(mesh, file).mesh);
      const expected = loadSparseGrid(name);

      let occupancyDiffers = 0;
      let colourDiffers = 0;
      for (let i = 0; i < grid.occupancy.length; i++) {
        if (grid.occupancy[i] !== expected.occupancy[i]) occupancyDiffers++;
        else if (
          grid.colors[3 * i] !== expected.colors[3 * i] ||
          grid.colors[3 * i + 1] !== expected.colors[3 * i + 1] ||
          grid.colors[3 * i + 2] !== expected.colors[3 * i + 2]
        )
          colourDiffers++;
      }
      expect(countOccupied(expected.occupancy)).toBeGreaterThan(1000);
      expect({ occupancyDiffers, colourDiffers }).toEqual({ occupancyDiffers: 0, colourDiffers: 0 });
    });
  }
});
