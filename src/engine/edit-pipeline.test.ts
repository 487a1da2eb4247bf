/**
 * The whole edit on the shipped default pack, in Node (onnxruntime-node): few steps keep it quick,
 * and the properties checked do not depend on the step count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodePackSource } from '../cli/cli-pack';
import { CancelledError } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import { componentsInFootprint, voxelMerge } from '../core/merge';
import { renderView } from '../core/render';
import { decodeImageNode } from '../io/decode-image-node';
import type { EditProgress, ImageRGBA } from './engine-api';
import { InProcessEngine } from './in-process-engine';

const root = join(import.meta.dirname, '../..');
const engine = new InProcessEngine({
  decodeImage: decodeImageNode,
  pack: nodePackSource(join(root, 'public/models/default')),
});
let source: VoxelGrid;
const VIEW = 1;

/** The chosen view with a rectangle painted over it: white removes, a colour adds. */
function painted(
  grid: VoxelGrid,
  rect: [number, number, number, number],
  rgb: [number, number, number],
): ImageRGBA {
  const view = renderView(grid, VIEW);
  const data = view.data.slice();
  const [x0, y0, x1, y1] = rect;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) data.set([...rgb, 255], 4 * (y * view.width + x));
  return { width: view.width, height: view.height, data };
}

beforeAll(async () => {
  const bytes = readFileSync(join(root, 'public/samples/chair.glb'));
  const loaded = await engine.loadSource([
    { name: 'chair.glb', bytes: bytes.buffer.slice(0) as ArrayBuffer },
  ]);
  source = loaded.grid;
  await engine.openPack();
}, 120_000);

afterAll(async () => {
  // Nothing to release explicitly: the engine's pipeline lives as long as the process.
});

describe('the edit pipeline on the default pack', () => {
  it('leaves the source voxels untouched for an identity edit (target = the unchanged view)', async () => {
    const target = renderView(source, VIEW);
    const result = await engine.runEdit(
      {
        source,
        view: VIEW,
        target,
        settings: { method: 'flowedit', kind: 'replace', seed: 3, steps: 6, sSrc: 3, sTgt: 3 },
        merge: { tau: 8, rule: 'fixed' },
      },
      { previewEvery: 0 },
    );
    expect(result.merge.voxelsChanged).toBe(0);
    expect(Buffer.compare(result.result.occupancy, source.occupancy)).toBe(0);
    expect(Buffer.compare(result.result.colors, source.colors)).toBe(0);
  }, 120_000);

  it('runs every method, reports steps with an ETA and previews, and keeps every voxel outside the kept components', async () => {
    const target = painted(source, [20, 20, 60, 60], [200, 40, 40]);
    for (const method of ['flowedit', 'anchorflow', 'stm', 'regenerate'] as const) {
      const progress: EditProgress[] = [];
      const result = await engine.runEdit(
        {
          source,
          view: VIEW,
          target,
          settings: { method, kind: 'add', seed: 1, steps: 4, nAvg: 1 },
          merge: { tau: 20, rule: 'fixed' },
        },
        { previewEvery: 1, onProgress: (p) => progress.push(p) },
      );
      const steps = progress.filter((p) => p.stage === 'edit' && p.step > 0);
      expect(steps.length, method).toBe(result.resolved.method === 'regenerate' ? 4 : result.resolved.nMax);
      expect(steps.map((p) => p.step)).toEqual(steps.map((_, i) => i + 1));
      expect(steps.at(-1)?.etaMs, method).not.toBeNull();
      expect(
        steps.some((p) => p.preview instanceof Uint8Array && p.preview.length === 64 ** 3),
        method,
      ).toBe(true);
      const fractions = progress.map((p) => p.fraction);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      // Voxel-Merge's promise: outside the mask, the result is the source exactly.
      const { mask } = result.merge;
      let outside = 0;
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] === 0 && result.result.occupancy[i] !== source.occupancy[i]) outside++;
      }
      expect(outside, method).toBe(0);
      for (let i = 0; i < mask.length; i++) {
        if (result.result.occupancy[i] && source.occupancy[i]) {
          expect(result.result.colors.subarray(3 * i, 3 * i + 3)).toEqual(
            source.colors.subarray(3 * i, 3 * i + 3),
          );
          break;
        }
      }
      expect(result.timings.stepsMs.length).toBe(steps.length);
      expect(result.resolved.method).toBe(method);
    }
  }, 300_000);

  it('with the view gate, keeps only changed components behind changed pixels; without it, τ alone', async () => {
    // Regenerate changes the shape all over, so components far from the paint exist to be dropped.
    const target = painted(source, [20, 20, 60, 60], [200, 40, 40]);
    const request = (viewGate: boolean) => ({
      source,
      view: VIEW,
      target,
      settings: { method: 'regenerate' as const, kind: 'add' as const, seed: 2, steps: 4 },
      merge: { tau: 4, rule: 'fixed' as const, viewGate },
    });
    const gated = await engine.runEdit(request(true), { previewEvery: 0 });
    const plain = await engine.runEdit(request(false), { previewEvery: 0 });
    expect(plain.footprint).toBeNull();
    const footprint = gated.footprint;
    if (!footprint) throw new Error('the gated edit has no footprint');
    const inFootprint = footprint.reduce((n, v) => n + v, 0);
    expect(inFootprint).toBeGreaterThan(0);
    expect(inFootprint).toBeLessThan(footprint.length / 4);
    // Same seed, same diff: both merges label the same components.
    expect(Buffer.compare(gated.edited.occupancy, plain.edited.occupancy)).toBe(0);
    const labelling = voxelMerge(gated.reference, gated.edited.occupancy, 64, { tau: 4, rule: 'fixed' });
    const allowed = componentsInFootprint(
      labelling.foreground,
      labelling.componentOf,
      labelling.components.count,
      footprint,
    );
    expect(plain.merge.kept).toEqual(labelling.kept);
    expect(gated.merge.kept).toEqual(labelling.kept.filter((c) => allowed[c] === 1));
    expect(gated.merge.kept.length).toBeLessThan(plain.merge.kept.length);
    for (let i = 0; i < footprint.length; i++) {
      if (gated.result.occupancy[i] !== source.occupancy[i]) expect(gated.merge.mask[i]).toBe(1);
    }
  }, 300_000);

  it('stops a cancelled edit with CancelledError and runs the next one normally', async () => {
    const target = painted(source, [40, 60, 90, 128], [255, 255, 255]);
    const request = {
      source,
      view: VIEW,
      target,
      settings: { method: 'regenerate' as const, kind: 'remove' as const, seed: 0, steps: 6 },
      merge: { tau: 20, rule: 'fixed' as const },
    };
    const run = engine.runEdit(request, {
      jobId: 'edit-1',
      previewEvery: 0,
      onProgress: (p) => {
        if (p.stage === 'edit' && p.step === 2) void engine.cancel('edit-1');
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    const after = await engine.runEdit(
      { ...request, settings: { ...request.settings, steps: 2 } },
      { previewEvery: 0 },
    );
    expect(after.timings.stepsMs.length).toBe(2);
  }, 120_000);
});
