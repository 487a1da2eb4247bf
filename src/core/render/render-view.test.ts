import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_RENDERS, loadSparseGrid } from '../../../tests/support/golden-fixtures';
import { createGrid, type VoxelGrid, voxelIndex } from '../grid';
import { renderView } from './render-view';
import { faceShades, VIEW_SPEC, viewCamera } from './view-spec';

const SIZE = VIEW_SPEC.imageSize;

function pixel(data: Uint8Array, x: number, y: number): number[] {
  const i = 4 * (y * SIZE + x);
  return [data[i], data[i + 1], data[i + 2], data[i + 3]];
}

function isBackground(data: Uint8Array, i: number): boolean {
  return data[4 * i] === 255 && data[4 * i + 1] === 255 && data[4 * i + 2] === 255;
}

describe('view spec', () => {
  it('puts view 0 on +z, turns counter-clockwise seen from above, and looks down at 20°', () => {
    const front = viewCamera(0);
    // Exactly along the z axis (−0 from −(cos e · sin 0)): rays never cross an x boundary.
    expect(front.forward[0] === 0).toBe(true);
    expect(front.forward[2]).toBeCloseTo(-Math.cos((20 * Math.PI) / 180), 6);
    expect(front.forward[1]).toBeCloseTo(-Math.sin((20 * Math.PI) / 180), 6);
    expect(front.right.map((v) => v + 0)).toEqual([1, 0, 0]);
    // k = 2 is a quarter turn counter-clockwise about +y: the camera on +x, looking toward −x.
    const side = viewCamera(2);
    expect(side.forward[0]).toBeCloseTo(-Math.cos((20 * Math.PI) / 180), 6);
    expect(side.forward[2]).toBeCloseTo(0, 12);
    expect(side.right[2]).toBe(-1);
    for (let k = 0; k < 8; k++) {
      const { forward: f, right: r, up: u } = viewCamera(k);
      const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
      expect(dot(f, f)).toBeCloseTo(1, 6);
      expect(dot(f, r)).toBeCloseTo(0, 6);
      expect(dot(u, r)).toBeCloseTo(0, 6);
      expect(u[1]).toBeGreaterThan(0.9);
    }
    expect(() => viewCamera(8)).toThrow(RangeError);
    expect(() => viewCamera(1.5)).toThrow(RangeError);
  });

  it('shades faces by the fixed light: the top brightest, faces turned away at the ambient level', () => {
    const s = faceShades();
    expect(Math.max(...s)).toBe(s[3]);
    expect(Math.min(...s)).toBeCloseTo(VIEW_SPEC.ambient, 6);
    for (const v of s) expect(v).toBeLessThanOrEqual(1);
  });
});

describe('renderView', () => {
  it('renders an empty grid as background', () => {
    const image = renderView(createGrid(), 3);
    expect(image.width).toBe(SIZE);
    expect(image.data.length).toBe(SIZE * SIZE * 4);
    for (let i = 0; i < SIZE * SIZE; i++) expect(isBackground(image.data, i)).toBe(true);
  });

  it('sees the top and the front of a full cube from view 0, each with its own shade', () => {
    const grid = createGrid();
    grid.occupancy.fill(1);
    grid.colors.fill(200);
    const shaded = renderView(grid, 0);
    const s = faceShades();
    // The centre ray enters the front face (+z); a ray near the top of the silhouette enters the top.
    expect(pixel(shaded.data, SIZE / 2, SIZE / 2 + 8)).toEqual([
      ...Array(3).fill(Math.floor(Math.fround(200 * s[5]) + 0.5)),
      255,
    ]);
    let top = 0;
    while (isBackground(shaded.data, top * SIZE + SIZE / 2)) top++;
    expect(pixel(shaded.data, SIZE / 2, top + 2)).toEqual([
      ...Array(3).fill(Math.floor(Math.fround(200 * s[3]) + 0.5)),
      255,
    ]);
    const flat = renderView(grid, 0, { flat: true });
    expect(pixel(flat.data, SIZE / 2, SIZE / 2)).toEqual([200, 200, 200, 255]);
    expect(pixel(flat.data, 0, 0)).toEqual([255, 255, 255, 255]);
  });

  it('puts the +x side on the right of the front view and at the front of view 2', () => {
    const grid = createGrid();
    // A column of voxels at the +x edge, halfway down the depth.
    for (let y = 20; y < 44; y++) grid.occupancy[voxelIndex(64, 63, y, 32)] = 1;
    const columns = (view: number) => {
      const image = renderView(grid, view);
      const hit: number[] = [];
      for (let i = 0; i < SIZE * SIZE; i++) if (!isBackground(image.data, i)) hit.push(i % SIZE);
      return hit;
    };
    const front = columns(0);
    expect(Math.min(...front)).toBeGreaterThan(SIZE / 2 + 20);
    // From +x the column is straight ahead, in the middle of the image.
    const side = columns(2);
    expect(Math.min(...side)).toBeGreaterThanOrEqual(SIZE / 2 - 1);
    expect(Math.max(...side)).toBeLessThanOrEqual(SIZE / 2);
    // From −x (view 6) it is behind the (empty) rest of the grid and still centred.
    expect(columns(6).length).toBe(side.length);
  });
});

/**
 * checker_grid() of training/scripts/make_fixtures.py: a 3D checkerboard inside a ball, so nearly
 * every ray ends within a voxel or two of a DDA tie; colour (4x, 4y, 4z).
 */
function checkerGrid(): VoxelGrid {
  const grid = createGrid(64);
  const c = 63 / 2;
  for (let z = 0; z < 64; z++)
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        if ((x + y + z) % 2 !== 0 || (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 > 28 ** 2) continue;
        const i = voxelIndex(64, x, y, z);
        grid.occupancy[i] = 1;
        grid.colors.set([4 * x, 4 * y, 4 * z], 3 * i);
      }
  return grid;
}

describe('golden images (training/render.py) vs the TypeScript renderer', () => {
  const files = readdirSync(GOLDEN_RENDERS).filter((f) => f.endsWith('.png'));

  it('has golden images to compare', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
  });

  let total = 0;
  let differing = 0;
  let beyondOne = 0;
  let maxDiff = 0;
  for (const file of files) {
    const match = /^(.+)-v(\d)-(shaded|flat)\.png$/.exec(file);
    if (!match) continue;
    const [, name, view, mode] = match;
    it(`${file}: within 1/255 on ≥ 99.5% of pixels`, () => {
      const golden = PNG.sync.read(readFileSync(join(GOLDEN_RENDERS, file)));
      expect([golden.width, golden.height]).toEqual([SIZE, SIZE]);
      const grid = name === 'checker' ? checkerGrid() : loadSparseGrid(name);
      const image = renderView(grid, Number(view), { flat: mode === 'flat' });
      let fileDiffering = 0;
      let fileBeyond = 0;
      for (let i = 0; i < SIZE * SIZE; i++) {
        let d = 0;
        for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(image.data[4 * i + c] - golden.data[4 * i + c]));
        if (d > 0) fileDiffering++;
        if (d > 1) fileBeyond++;
        maxDiff = Math.max(maxDiff, d);
      }
      total += SIZE * SIZE;
      differing += fileDiffering;
      beyondOne += fileBeyond;
      expect(fileBeyond / (SIZE * SIZE)).toBeLessThanOrEqual(0.005);
      // Measured: the twins agree bit for bit (float32 arithmetic mirrored op by op); keep it so.
      expect(fileDiffering).toBe(0);
    });
  }

  it('agrees overall (fraction of differing pixels and the largest channel difference)', () => {
    expect(total).toBe(files.length * SIZE * SIZE);
    expect({ differing: differing / total, beyondOne: beyondOne / total, maxDiff }).toEqual({
      differing: 0,
      beyondOne: 0,
      maxDiff: 0,
    });
  });
});
