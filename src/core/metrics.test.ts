import { describe, expect, it } from 'vitest';
import {
  chamferDistance,
  dilate,
  editRegion,
  pixelsDiffering,
  type RgbaImage,
  silhouette,
  silhouetteIoU,
  squaredDistanceTransform,
  voxelIoU,
  voxelsDiffering,
} from './metrics';

const R = 8;
const at = (x: number, y: number, z: number) => x + R * (y + R * z);

function grid(...voxels: [number, number, number][]): Uint8Array {
  const g = new Uint8Array(R ** 3);
  for (const [x, y, z] of voxels) g[at(x, y, z)] = 1;
  return g;
}

function count(a: Uint8Array): number {
  return a.reduce((s, v) => s + v, 0);
}

describe('voxelIoU', () => {
  it('is 1 for equal sets, 0 for disjoint ones and 1 for two empty ones', () => {
    const a = grid([1, 1, 1], [2, 1, 1]);
    expect(voxelIoU(a, a)).toBe(1);
    expect(voxelIoU(a, grid([5, 5, 5]))).toBe(0);
    expect(voxelIoU(grid(), grid())).toBe(1);
  });

  it('counts intersection over union', () => {
    const a = grid([0, 0, 0], [1, 0, 0], [2, 0, 0]);
    const b = grid([1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0]);
    expect(voxelIoU(a, b)).toBeCloseTo(2 / 5, 12);
  });

  it('looks only inside or only outside a region', () => {
    const a = grid([0, 0, 0], [7, 7, 7]);
    const b = grid([0, 0, 0], [6, 7, 7]);
    const mask = grid([7, 7, 7], [6, 7, 7]);
    expect(voxelIoU(a, b, { mask, inside: false })).toBe(1);
    expect(voxelIoU(a, b, { mask, inside: true })).toBe(0);
    expect(voxelsDiffering(a, b, { mask, inside: true })).toBe(2);
    expect(voxelsDiffering(a, b, { mask, inside: false })).toBe(0);
  });

  it('refuses grids of different sizes', () => {
    expect(() => voxelIoU(new Uint8Array(8), new Uint8Array(27))).toThrow(RangeError);
  });
});

describe('dilate and editRegion', () => {
  it('grows one voxel to a 3³ cube (26-neighbourhood), clipped at the border', () => {
    expect(count(dilate(grid([3, 3, 3]), R, 1))).toBe(27);
    expect(count(dilate(grid([3, 3, 3]), R, 2))).toBe(125);
    expect(count(dilate(grid([0, 0, 0]), R, 1))).toBe(8);
    expect(dilate(grid([3, 3, 3]), R, 1)[at(4, 4, 4)]).toBe(1);
    expect(dilate(grid([3, 3, 3]), R, 1)[at(5, 3, 3)]).toBe(0);
    expect(dilate(grid([3, 3, 3]), R, 0)).toEqual(grid([3, 3, 3]));
  });

  it('is the symmetric difference of source and target, dilated', () => {
    const source = grid([1, 1, 1], [2, 1, 1]);
    const target = grid([1, 1, 1], [2, 1, 1], [5, 5, 5]);
    const region = editRegion(source, target, R, 1);
    expect(count(region)).toBe(27);
    expect(region[at(5, 5, 5)]).toBe(1);
    expect(region[at(1, 1, 1)]).toBe(0);
    expect(count(editRegion(source, target, R, 0))).toBe(1);
    expect(count(editRegion(source, source, R, 2))).toBe(0);
  });
});

describe('squaredDistanceTransform', () => {
  it('matches brute force on a scattered set', () => {
    const points: [number, number, number][] = [
      [0, 0, 0],
      [7, 3, 2],
      [4, 4, 4],
      [1, 6, 7],
      [6, 0, 5],
    ];
    const dist = squaredDistanceTransform(grid(...points), R);
    for (let z = 0; z < R; z++)
      for (let y = 0; y < R; y++)
        for (let x = 0; x < R; x++) {
          const brute = Math.min(...points.map(([a, b, c]) => (x - a) ** 2 + (y - b) ** 2 + (z - c) ** 2));
          expect(dist[at(x, y, z)]).toBe(brute);
        }
  });

  it('is Infinity everywhere for an empty set', () => {
    expect(squaredDistanceTransform(grid(), R).every((d) => d === Infinity)).toBe(true);
  });
});

describe('chamferDistance (voxel units)', () => {
  it('is 0 for equal sets and the gap for two single voxels', () => {
    const a = grid([1, 2, 3], [4, 4, 4]);
    expect(chamferDistance(a, a, R)).toBe(0);
    expect(chamferDistance(grid([1, 1, 1]), grid([4, 1, 1]), R)).toBe(3);
    expect(chamferDistance(grid([0, 0, 0]), grid([3, 4, 0]), R)).toBe(5);
  });

  it('averages each direction, then the two directions', () => {
    // A → B: 0. B → A: (0 + 4) / 2 = 2. Symmetric: (0 + 2) / 2 = 1.
    expect(chamferDistance(grid([1, 1, 1]), grid([1, 1, 1], [5, 1, 1]), R)).toBe(1);
  });

  it('matches brute force on random sets', () => {
    let state = 12345;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const cells = (g: Uint8Array) => [...g.keys()].filter((i) => g[i] !== 0);
    const xyz = (i: number) => [i % R, Math.floor(i / R) % R, Math.floor(i / R / R)];
    const nearest = (i: number, to: number[]) =>
      Math.min(...to.map((j) => Math.hypot(...xyz(i).map((c, k) => c - xyz(j)[k]))));
    for (let trial = 0; trial < 4; trial++) {
      const a = Uint8Array.from({ length: R ** 3 }, () => (random() < 0.08 ? 1 : 0));
      const b = Uint8Array.from({ length: R ** 3 }, () => (random() < 0.03 ? 1 : 0));
      const [ca, cb] = [cells(a), cells(b)];
      const mean = (from: number[], to: number[]) =>
        from.reduce((s, i) => s + nearest(i, to), 0) / from.length;
      expect(chamferDistance(a, b, R)).toBeCloseTo(0.5 * (mean(ca, cb) + mean(cb, ca)), 10);
    }
  });

  it('restricts both sets to the region; empty against non-empty is Infinity', () => {
    const a = grid([1, 1, 1], [6, 6, 6]);
    const b = grid([1, 1, 1]);
    const mask = grid([6, 6, 6]);
    expect(chamferDistance(a, b, R, { mask, inside: false })).toBe(0);
    expect(chamferDistance(a, b, R, { mask, inside: true })).toBe(Infinity);
    expect(chamferDistance(grid(), grid(), R)).toBe(0);
  });
});

describe('silhouettes', () => {
  const image = (pixels: [number, number, number][]): RgbaImage => ({
    width: 2,
    height: 2,
    data: Uint8Array.from(pixels.flatMap(([r, g, b]) => [r, g, b, 255])),
  });
  const W: [number, number, number] = [255, 255, 255];

  it('marks non-background pixels and compares them by IoU', () => {
    const a = image([[10, 20, 30], W, [255, 255, 254], W]);
    const b = image([[99, 99, 99], [1, 1, 1], W, W]);
    expect(Array.from(silhouette(a, W))).toEqual([1, 0, 1, 0]);
    expect(silhouetteIoU(a, b)).toBeCloseTo(1 / 3, 12);
    expect(silhouetteIoU(image([W, W, W, W]), image([W, W, W, W]))).toBe(1);
    expect(pixelsDiffering(a, b)).toBe(3);
  });
});
