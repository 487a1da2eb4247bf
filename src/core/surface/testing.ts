/** Generated shell grids for the surface tests and benchmark. */
import { createGrid, type VoxelGrid } from '../grid';

export type Rgb8 = [number, number, number];

/**
 * The shell of a sphere as TRELLIS-style voxelization makes it: every voxel whose closed box the
 * sphere's surface meets (the nearest point of the box is inside the radius, the farthest outside).
 */
export function sphereShell(
  resolution: number,
  radius: number,
  color: (x: number, y: number, z: number) => Rgb8 = () => [200, 120, 40],
  center: [number, number, number] = [0, 0, 0],
): VoxelGrid {
  const grid = createGrid(resolution);
  const h = 1 / resolution;
  for (let z = 0; z < resolution; z++) {
    for (let y = 0; y < resolution; y++) {
      for (let x = 0; x < resolution; x++) {
        let near = 0;
        let far = 0;
        const lower = [-0.5 + x * h, -0.5 + y * h, -0.5 + z * h];
        for (let k = 0; k < 3; k++) {
          const lo = lower[k] - center[k];
          const hi = lo + h;
          const n = lo > 0 ? lo : hi < 0 ? -hi : 0;
          const f = Math.max(Math.abs(lo), Math.abs(hi));
          near += n * n;
          far += f * f;
        }
        if (near <= radius * radius && far >= radius * radius) {
          setVoxel(grid, x, y, z, color(x, y, z));
        }
      }
    }
  }
  return grid;
}

export function setVoxel(grid: VoxelGrid, x: number, y: number, z: number, color: Rgb8): void {
  const R = grid.resolution;
  const i = x + R * (y + R * z);
  grid.occupancy[i] = 1;
  grid.colors.set(color, 3 * i);
}

/** Fills the box [x0, x1] × [y0, y1] × [z0, z1] (inclusive voxel coordinates). */
export function fillBox(
  grid: VoxelGrid,
  min: [number, number, number],
  max: [number, number, number],
  color: Rgb8,
): VoxelGrid {
  for (let z = min[2]; z <= max[2]; z++) {
    for (let y = min[1]; y <= max[1]; y++) {
      for (let x = min[0]; x <= max[0]; x++) setVoxel(grid, x, y, z, color);
    }
  }
  return grid;
}

/** mulberry32: a tiny seeded generator so noisy grids are the same on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Independent random voxels with the given density and random colours: the adversarial case. */
export function noiseGrid(resolution: number, density: number, seed: number): VoxelGrid {
  const grid = createGrid(resolution);
  const random = seededRandom(seed);
  for (let i = 0; i < grid.occupancy.length; i++) {
    if (random() < density) {
      grid.occupancy[i] = 1;
      grid.colors.set([(random() * 256) | 0, (random() * 256) | 0, (random() * 256) | 0], 3 * i);
    }
  }
  return grid;
}
