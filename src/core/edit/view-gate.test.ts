import { describe, expect, it } from 'vitest';
import { InvalidGridError } from '../errors';
import { createGrid, voxelIndex } from '../grid';
import { remerge, voxelMerge } from '../merge';
import { gridFrom, randomGrid, seededRandom } from '../merge/testing';
import { renderView, VIEW_SPEC } from '../render';
import { changedPixels, dilatePixels, viewFootprint } from './view-gate';
import { projectVoxel, voxelPixels } from './voxel-pixels';

const R = VIEW_SPEC.gridResolution;
const SIZE = VIEW_SPEC.imageSize;

function gridWith(voxels: [number, number, number][]) {
  const grid = createGrid(R);
  for (const [x, y, z] of voxels) {
    const i = voxelIndex(R, x, y, z);
    grid.occupancy[i] = 1;
    grid.colors.set([200, 40, 40], 3 * i);
  }
  return grid;
}

describe('changedPixels and dilatePixels', () => {
  it('marks pixels whose channels differ by more than the threshold', () => {
    const a = { width: 2, height: 1, data: new Uint8Array([10, 10, 10, 255, 10, 10, 10, 255]) };
    const b = { width: 2, height: 1, data: new Uint8Array([18, 10, 10, 255, 10, 10, 19, 255]) };
    expect([...changedPixels(a, b, 8)]).toEqual([0, 1]);
    expect([...changedPixels(a, b, 7)]).toEqual([1, 1]);
    expect(() => changedPixels(a, { width: 1, height: 2, data: b.data }, 8)).toThrow(RangeError);
  });

  it('dilates by a Chebyshev radius, equal to a brute-force square dilation', () => {
    const random = seededRandom(5);
    const w = 37;
    const h = 23;
    const mask = new Uint8Array(w * h).map(() => (random() < 0.03 ? 1 : 0));
    for (const radius of [0, 1, 3]) {
      const expected = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let dy = -radius; dy <= radius; dy++) {
            for (let dx = -radius; dx <= radius; dx++) {
              const xx = x + dx;
              const yy = y + dy;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[yy * w + xx]) expected[y * w + x] = 1;
            }
          }
        }
      }
      expect(dilatePixels(mask, w, h, radius)).toEqual(expected);
    }
  });
});

describe('viewFootprint', () => {
  it('is empty when the target view equals the source view', () => {
    const grid = gridWith([[30, 30, 30]]);
    const view = renderView(grid, 2);
    const footprint = viewFootprint(R, 2, view, { ...view, data: view.data.slice() });
    expect(footprint.reduce((s, v) => s + v, 0)).toBe(0);
  });

  it('holds every voxel whose appearance changed the view, in all 8 views', () => {
    // Adding a voxel to an empty grid changes exactly the pixels it covers; the voxel must be in the
    // footprint even without dilation (the renderer and the projection agree on where it lands).
    const random = seededRandom(11);
    const empty = renderView(createGrid(R), 0);
    for (let view = 0; view < 8; view++) {
      for (let k = 0; k < 12; k++) {
        const v: [number, number, number] = [0, 1, 2].map(() => Math.floor(random() * R)) as [
          number,
          number,
          number,
        ];
        const target = renderView(gridWith([v]), view);
        const footprint = viewFootprint(R, view, { ...empty }, target, { dilate: 1 });
        expect(footprint[voxelIndex(R, ...v)], `view ${view}, voxel ${v}`).toBe(1);
        // It is a cylinder along the ray, not the whole grid.
        expect(footprint.reduce((s, x) => s + x, 0)).toBeLessThan(R ** 3 / 50);
      }
    }
  });

  it('uses the same projection as the paint colouring (voxelPixels = projectVoxel)', () => {
    const random = seededRandom(17);
    for (const view of [0, 3, 6]) {
      const pixels = voxelPixels(R, view);
      for (let k = 0; k < 200; k++) {
        const [x, y, z] = [0, 1, 2].map(() => Math.floor(random() * R));
        const p = projectVoxel(R, view, x, y, z);
        expect(pixels[voxelIndex(R, x, y, z)]).toBe(p ? p[1] * SIZE + p[0] : -1);
      }
    }
  });

  it('refuses views that are not canonical-size', () => {
    const small = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) };
    expect(() => viewFootprint(R, 0, small, small)).toThrow(RangeError);
    expect(SIZE).toBe(128);
  });
});

describe('Voxel-Merge with the view gate', () => {
  // Two added blocks: one where the person painted (x < 20), one far away (x > 40).
  const src = new Uint8Array(R ** 3);
  const inBlock = (x: number, y: number, z: number, x0: number) =>
    x >= x0 && x < x0 + 6 && y >= 20 && y < 26 && z >= 20 && z < 26;
  const edited = gridFrom(R, (x, y, z) => inBlock(x, y, z, 10) || inBlock(x, y, z, 45));
  const footprint = gridFrom(R, (x) => x < 20);

  it('keeps only components that touch the footprint, for both rules, and re-merges the same', () => {
    for (const rule of ['fixed', 'adaptive'] as const) {
      const ungated = voxelMerge(src, edited, R, { tau: 10, rule });
      expect(ungated.kept.length).toBe(2);
      const gated = voxelMerge(src, edited, R, { tau: 10, rule, footprint });
      expect(gated.kept.length).toBe(1);
      expect(gated.voxelsChanged).toBe(216);
      for (let i = 0; i < R ** 3; i++) if (gated.mask[i]) expect(edited[i]).toBe(1);
      expect(gated.merged[voxelIndex(R, 12, 22, 22)]).toBe(1);
      expect(gated.merged[voxelIndex(R, 47, 22, 22)]).toBe(0);
      const again = remerge(ungated, src, { tau: 10, rule, footprint });
      expect(again.mask).toEqual(gated.mask);
      expect(again.kept).toEqual(gated.kept);
    }
  });

  it('the adaptive rule halves τ until the largest ALLOWED component survives', () => {
    // The far block is larger; with the gate the near one must still survive.
    const big = gridFrom(
      R,
      (x, y, z) => inBlock(x, y, z, 10) || (x >= 40 && x < 60 && y >= 20 && y < 40 && z >= 20 && z < 26),
    );
    const gated = voxelMerge(src, big, R, { tau: 4000, rule: 'adaptive', footprint });
    expect(gated.kept.length).toBe(1);
    expect(gated.voxelsChanged).toBe(216);
  });

  it('an empty footprint keeps nothing; a wrong-sized one is a typed error', () => {
    const none = voxelMerge(src, edited, R, { tau: 1, rule: 'fixed', footprint: new Uint8Array(R ** 3) });
    expect(none.kept).toEqual([]);
    expect(none.merged).toEqual(src);
    expect(() => voxelMerge(src, edited, R, { tau: 1, rule: 'fixed', footprint: new Uint8Array(8) })).toThrow(
      InvalidGridError,
    );
  });

  it('gating never changes a voxel outside the footprint’s components on random diffs', () => {
    const random = seededRandom(3);
    const a = randomGrid(R, 0.3, random);
    const b = a.map((v) => (random() < 0.04 ? 1 - v : v));
    const fp = randomGrid(R, 0.01, random);
    const gated = voxelMerge(a, b, R, { tau: 2, rule: 'fixed', footprint: fp });
    const ungated = voxelMerge(a, b, R, { tau: 2, rule: 'fixed' });
    expect(gated.kept.length).toBeGreaterThan(0);
    expect(gated.kept.length).toBeLessThan(ungated.kept.length);
    // Every kept component has a footprint voxel; every dropped one of size ≥ 2 has none.
    const touches = new Uint8Array(ungated.components.count);
    ungated.foreground.forEach((i, k) => {
      if (fp[i]) touches[ungated.componentOf[k]] = 1;
    });
    const kept = new Set(gated.kept);
    for (let c = 0; c < ungated.components.count; c++) {
      expect(kept.has(c)).toBe(touches[c] === 1 && ungated.components.size[c] >= 2);
    }
  });
});
