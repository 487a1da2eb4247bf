import { describe, expect, it } from 'vitest';
import { CancelledError } from '../core/errors';
import { countOccupied } from '../core/grid';
import { decodeImageNode } from '../io/decode-image-node';
import { writeGlb } from '../io/export/glb-writer';
import { inputFile } from '../io/testing/format-writers';
import { addBox, addSphere, MeshBuilder } from '../io/testing/mesh-builder';
import type { Progress } from './engine-api';
import { InProcessEngine } from './in-process-engine';

const engine = new InProcessEngine({ decodeImage: decodeImageNode });

describe('InProcessEngine', () => {
  it('reports itself as the in-process backend unless told otherwise', async () => {
    expect((await engine.info()).backend).toBe('in-process');
    expect(
      (await new InProcessEngine({ decodeImage: decodeImageNode, backend: 'worker' }).info()).backend,
    ).toBe('worker');
  });

  it('loads a generated glb: stats, normalization and the voxel shell', async () => {
    const builder = new MeshBuilder();
    // A 2 × 1 × 1 red box: normalized, its long side spans the cube and the others half of it.
    addBox(builder, [0, 0, 0], [2, 1, 1], { color: [1, 0, 0] });
    const glb = await writeGlb(builder.build());
    const progress: Progress[] = [];
    const result = await engine.loadSource([inputFile('brick.glb', glb)], {
      jobId: 'load-1',
      onProgress: (p) => progress.push(p),
    });
    expect(result.stats).toMatchObject({
      fileName: 'brick.glb',
      format: 'glb',
      triangles: 12,
      vertices: 24,
      hasVertexColors: true,
      hasTexture: false,
      scale: 0.5,
      offset: [-1, -0.5, -0.5],
      sourceBounds: { min: [0, 0, 0], max: [2, 1, 1] },
      bounds: { min: [-0.5, -0.25, -0.25], max: [0.5, 0.25, 0.25] },
    });
    expect(result.stats.importMs).toBeGreaterThanOrEqual(0);
    expect(result.voxelStats.resolution).toBe(64);
    expect(result.voxelStats.occupied).toBe(countOccupied(result.grid.occupancy));
    // ±0.25 lands on a voxel boundary (grid 16 and 48), so those faces fill two layers each (15-16,
    // 47-48); the long side's faces at ±0.5 fill one. Shell = 64 × 34 × 34 minus 62 × 30 × 30 inside.
    expect(result.voxelStats.occupied).toBe(64 * 34 * 34 - 62 * 30 * 30);
    const stages = new Set(progress.map((p) => p.stage));
    expect([...stages]).toEqual(['read', 'parse', 'normalize', 'voxelize']);
    expect(progress.at(-1)).toMatchObject({ stage: 'voxelize', fraction: 1 });
    // Every occupied voxel is red.
    const { occupancy, colors } = result.grid;
    for (let i = 0; i < occupancy.length; i++) {
      if (occupancy[i]) expect([colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]]).toEqual([255, 0, 0]);
    }
  });

  it('cancels a running voxelization by job id', async () => {
    const builder = new MeshBuilder();
    addSphere(builder, [0, 0, 0], 1, 600); // ~360k triangles: long enough to be caught mid-way
    const { mesh } = await engine.importMesh([inputFile('ball.glb', await writeGlb(builder.build()))]);
    let cancelledAt: number | undefined;
    const run = engine.voxelize(mesh, {
      jobId: 'voxelize-big',
      resolution: 128,
      onProgress: (p) => {
        if (p.stage === 'voxelize' && p.fraction > 0 && p.fraction < 1 && cancelledAt === undefined) {
          cancelledAt = p.fraction;
          void engine.cancel('voxelize-big');
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(cancelledAt).toBeLessThan(1);
  });

  it('cancelling an unknown job does nothing', async () => {
    await expect(engine.cancel('nobody')).resolves.toBeUndefined();
  });
});
