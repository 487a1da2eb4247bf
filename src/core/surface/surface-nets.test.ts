import { describe, expect, it } from 'vitest';
import { InvalidGridError } from '../errors';
import { createGrid, type VoxelGrid } from '../grid';
import type { TriangleMesh } from '../mesh';
import { extractBlocky } from './blocky';
import { edgeReport, minTriangleArea, signedVolume } from './mesh-metrics';
import { ADDED, buildSolid, SHELL } from './solid';
import { extractSurface, extractSurfaceWithStats } from './surface-nets';
import { fillBox, noiseGrid, type Rgb8, setVoxel, sphereShell } from './testing';

const RED: Rgb8 = [230, 20, 10];
const BLUE: Rgb8 = [10, 40, 220];

function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** Closed, consistently wound 2-manifold with no zero-area triangle, enclosing positive volume. */
function expectClosedOutward(mesh: TriangleMesh): void {
  expect(mesh.indices.length).toBeGreaterThan(0);
  expect(edgeReport(mesh)).toMatchObject({ boundary: 0, nonManifold: 0, misoriented: 0 });
  expect(signedVolume(mesh)).toBeGreaterThan(0);
  expect(minTriangleArea(mesh)).toBeGreaterThan(0);
  expect(maxOf(mesh.indices)).toBeLessThan(mesh.positions.length / 3);
}

/**
 * For each vertex, the distance (in voxels) to the nearest centre of a voxel accepted by `keep`
 * (padded state or occupancy), searched within 3 voxels.
 */
function distancesToVoxels(
  mesh: TriangleMesh,
  R: number,
  keep: (x: number, y: number, z: number) => boolean,
) {
  const out: number[] = [];
  for (let v = 0; v < mesh.positions.length / 3; v++) {
    const p = [0, 1, 2].map((k) => (mesh.positions[3 * v + k] + 0.5) * R - 0.5);
    const c = p.map(Math.round);
    let best = Infinity;
    for (let z = c[2] - 3; z <= c[2] + 3; z++) {
      for (let y = c[1] - 3; y <= c[1] + 3; y++) {
        for (let x = c[0] - 3; x <= c[0] + 3; x++) {
          if (keep(x, y, z)) best = Math.min(best, Math.hypot(p[0] - x, p[1] - y, p[2] - z));
        }
      }
    }
    out.push(best);
  }
  return out;
}

function occupied(grid: VoxelGrid) {
  const R = grid.resolution;
  return (x: number, y: number, z: number) =>
    x >= 0 && y >= 0 && z >= 0 && x < R && y < R && z < R && grid.occupancy[x + R * (y + R * z)] !== 0;
}

/** √3·(1 − margin) voxels: a vertex never leaves the box around its cell's solid face (see surface-nets.ts). */
const CELL_BOUND = Math.sqrt(3) * 0.95 + 1e-4;

describe('extractSurface on a voxelized sphere shell (64³)', () => {
  const r = 0.4;
  const grid = sphereShell(64, r, (x) => (x < 32 ? RED : BLUE));
  const { mesh, stats } = extractSurfaceWithStats(grid);

  it('is closed, outward, and encloses the sphere volume within 3 %', () => {
    expectClosedOutward(mesh);
    // The shell is hollow; filling it is what makes one closed surface rather than two walls.
    expect(stats.interior).toBeGreaterThan(0);
    expect(stats.added).toBe(0);
    const exact = (4 / 3) * Math.PI * r ** 3;
    expect(Math.abs(signedVolume(mesh) / exact - 1)).toBeLessThan(0.03);
  });

  it('stays on the shell: every vertex within √3 voxels of an occupied voxel centre, and within ½ voxel of the sphere', () => {
    const d = distancesToVoxels(mesh, 64, occupied(grid));
    expect(maxOf(d)).toBeLessThan(CELL_BOUND);
    let worst = 0;
    for (let v = 0; v < mesh.positions.length / 3; v++) {
      const radius = Math.hypot(mesh.positions[3 * v], mesh.positions[3 * v + 1], mesh.positions[3 * v + 2]);
      worst = Math.max(worst, Math.abs(radius - r) * 64);
    }
    expect(worst).toBeLessThan(0.5);
  });

  it('takes colours from nearby voxels: two colour regions, blends only at the seam', () => {
    const colors = mesh.colors!;
    let red = 0;
    let blue = 0;
    let offSegment = 0;
    let wrongSide = 0;
    for (let v = 0; v < colors.length / 3; v++) {
      const c = [0, 1, 2].map((k) => colors[3 * v + k] * 255);
      const x = mesh.positions[3 * v];
      // Every colour lies on the segment between the two voxel colours.
      const t = (c[0] - RED[0]) / (BLUE[0] - RED[0]);
      for (let k = 0; k < 3; k++)
        offSegment = Math.max(offSegment, Math.abs(c[k] - (RED[k] + t * (BLUE[k] - RED[k]))));
      // Away from the seam at x = 0 (voxel 32's lower face), a vertex has its side's colour exactly.
      if (x < -2 / 64) {
        wrongSide = Math.max(wrongSide, Math.abs(t));
        red++;
      } else if (x > 2 / 64) {
        wrongSide = Math.max(wrongSide, Math.abs(1 - t));
        blue++;
      }
    }
    expect(offSegment).toBeLessThan(1e-3);
    expect(wrongSide).toBeLessThan(1e-6);
    expect(red).toBeGreaterThan(0.4 * (colors.length / 3));
    expect(blue).toBeGreaterThan(0.4 * (colors.length / 3));
  });

  it('is lighter than the blocky mesh of the same grid (which meshes both walls of the shell)', () => {
    const blocky = extractBlocky(grid);
    expect(mesh.positions.length).toBeLessThan(blocky.positions.length / 4);
    expect(mesh.indices.length).toBeLessThan(blocky.indices.length);
  });

  it('is deterministic', () => {
    const again = extractSurface(grid);
    expect(Buffer.from(again.positions.buffer).equals(Buffer.from(mesh.positions.buffer))).toBe(true);
    expect(Buffer.from(again.indices.buffer).equals(Buffer.from(mesh.indices.buffer))).toBe(true);
    expect(Buffer.from(again.colors!.buffer).equals(Buffer.from(mesh.colors!.buffer))).toBe(true);
  });
});

describe('extractSurface edge cases', () => {
  it('returns an empty mesh (no vertices, no triangles, one material) for an empty grid', () => {
    const mesh = extractSurface(createGrid(16));
    expect(mesh.positions.length).toBe(0);
    expect(mesh.indices.length).toBe(0);
    expect(mesh.materials.length).toBe(1);
  });

  it('meshes a full grid as a closed box inside the unit cube', () => {
    const R = 16;
    const grid = fillBox(createGrid(R), [0, 0, 0], [R - 1, R - 1, R - 1], RED);
    const mesh = extractSurface(grid);
    expectClosedOutward(mesh);
    const volume = signedVolume(mesh);
    // A solid block of shell voxels: the surface runs inside its outer voxel layer.
    expect(volume).toBeGreaterThan(((R - 3) / R) ** 3);
    expect(volume).toBeLessThan(1);
    expect(maxOf(mesh.positions.map(Math.abs))).toBeLessThanOrEqual(0.5);
    const rgb = new Set<string>();
    for (let v = 0; v < mesh.colors!.length; v += 3) {
      rgb.add(Array.from(mesh.colors!.subarray(v, v + 3), (c) => Math.round(c * 255)).join());
    }
    expect([...rgb]).toEqual([RED.join()]);
  });

  it('meshes a single voxel as a small closed blob inside that voxel', () => {
    for (const [x, y, z] of [
      [3, 4, 5],
      [0, 0, 0],
      [7, 7, 7],
    ]) {
      const R = 8;
      const grid = createGrid(R);
      setVoxel(grid, x, y, z, BLUE);
      const mesh = extractSurface(grid);
      expectClosedOutward(mesh);
      expect(mesh.positions.length / 3).toBe(8);
      expect(mesh.indices.length / 3).toBe(12);
      for (let v = 0; v < 8; v++) {
        const p = [0, 1, 2].map((k) => (mesh.positions[3 * v + k] + 0.5) * R);
        [x, y, z].forEach((c, k) => {
          expect(p[k]).toBeGreaterThan(c);
          expect(p[k]).toBeLessThan(c + 1);
        });
      }
      expect(Array.from(mesh.colors!.subarray(0, 3), (c) => Math.round(c * 255))).toEqual(BLUE);
    }
  });

  it('keeps a one-voxel-thick plate as a thin closed slab (axis-aligned and tilted)', () => {
    const R = 32;
    const flat = fillBox(createGrid(R), [4, 4, 10], [27, 27, 10], RED);
    const mesh = extractSurface(flat);
    expectClosedOutward(mesh);
    const zs = [];
    for (let v = 0; v < mesh.positions.length / 3; v++) zs.push((mesh.positions[3 * v + 2] + 0.5) * R - 10.5);
    // The two faces sit on either side of the plate's mid-plane, apart, within the plate's voxels.
    expect(-maxOf(zs.map((z) => -z))).toBeGreaterThanOrEqual(-0.5);
    expect(maxOf(zs)).toBeLessThanOrEqual(0.5);
    expect(zs.filter((z) => z > 0.1).length).toBeGreaterThan(100);
    expect(zs.filter((z) => z < -0.1).length).toBeGreaterThan(100);
    const area = (24 / R) ** 2;
    const thickness = signedVolume(mesh) / area;
    expect(thickness * R).toBeGreaterThan(0.2);
    expect(thickness * R).toBeLessThan(1);

    // A 1-voxel staircase plane x + y = 31 (6-connected steps), the worst case for thin shells.
    const tilted = createGrid(R);
    for (let z = 4; z < 28; z++) {
      for (let x = 4; x < 28; x++) {
        setVoxel(tilted, x, 31 - x, z, BLUE);
        setVoxel(tilted, x, 32 - x, z, BLUE);
      }
    }
    const slab = extractSurface(tilted);
    expectClosedOutward(slab);
    expect(maxOf(distancesToVoxels(slab, R, occupied(tilted)))).toBeLessThan(CELL_BOUND);
  });

  it('closes objects that touch the grid border and keeps them inside the unit cube', () => {
    const R = 24;
    const grid = sphereShell(R, 0.3, () => RED, [0.3, 0, 0]);
    fillBox(grid, [0, 0, 0], [R - 1, R - 1, 0], BLUE); // a wall on the z = 0 face
    const mesh = extractSurface(grid);
    expectClosedOutward(mesh);
    expect(maxOf(mesh.positions.map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it('without filling, meshes both walls of a closed shell', () => {
    const R = 32;
    const grid = sphereShell(R, 0.35);
    const filled = extractSurface(grid);
    const hollow = extractSurface(grid, { fillInterior: false });
    expectClosedOutward(hollow);
    expect(hollow.indices.length).toBeGreaterThan(1.5 * filled.indices.length);
    expect(signedVolume(hollow)).toBeLessThan(0.5 * signedVolume(filled));
  });

  it('refuses arrays that do not match the resolution', () => {
    const grid = createGrid(8);
    expect(() => extractSurface({ ...grid, occupancy: new Uint8Array(10) })).toThrow(InvalidGridError);
    expect(() => extractSurface({ ...grid, resolution: 0 })).toThrow(InvalidGridError);
  });
});

describe('extractSurface on adversarial noise', () => {
  it('is a closed, outward 2-manifold at every density, deterministic, near the solid', () => {
    const R = 16;
    for (const density of [0.04, 0.3, 0.8]) {
      const grid = noiseGrid(R, density, Math.round(density * 1000));
      const { mesh, stats } = extractSurfaceWithStats(grid);
      expectClosedOutward(mesh);
      expect(extractSurface(grid).positions).toEqual(mesh.positions);
      expect(-maxOf(mesh.colors!.map((c) => -c))).toBeGreaterThanOrEqual(0);
      expect(maxOf(mesh.colors!)).toBeLessThanOrEqual(1);
      // The proven bound is to a voxel of the solid's boundary, which is a shell voxel or one that
      // well-composedness repair added next to the shell.
      const { state, side: P } = buildSolid(grid.occupancy, R);
      const boundary = (x: number, y: number, z: number) => {
        if (x < 0 || y < 0 || z < 0 || x >= R || y >= R || z >= R) return false;
        const s = state[x + 1 + P * (y + 1 + P * (z + 1))];
        return s === SHELL || s === ADDED;
      };
      expect(maxOf(distancesToVoxels(mesh, R, boundary))).toBeLessThan(CELL_BOUND);
      // Repairs move the surface by at most a voxel or two from the occupied voxels.
      expect(maxOf(distancesToVoxels(mesh, R, occupied(grid)))).toBeLessThan(2.5);
      if (density < 0.5) expect(stats.added).toBeGreaterThan(0);
    }
  });
});

describe('extractBlocky', () => {
  it('gives one outward quad per exposed face, flat-coloured', () => {
    const grid = createGrid(4);
    setVoxel(grid, 1, 1, 1, RED);
    setVoxel(grid, 2, 1, 1, BLUE);
    const mesh = extractBlocky(grid);
    expect(mesh.indices.length / 6).toBe(10);
    expect(edgeReport(mesh).boundary).toBeGreaterThan(0); // faces are not welded
    expect(signedVolume(mesh)).toBeCloseTo(2 / 64, 6);
    expect(extractBlocky(createGrid(4)).indices.length).toBe(0);
  });
});
