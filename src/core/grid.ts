/**
 * Voxel grids (DESIGN §3). Voxel (x, y, z) covers [-0.5 + x/R, -0.5 + (x+1)/R) on each axis of the
 * normalized cube; memory index = x + R·(y + R·z), x fastest. This matches NumPy's C order for an
 * array indexed [z][y][x], so a grid written as .npy loads in numpy without a transpose.
 */
export const GRID_RESOLUTION = 64;

export interface VoxelGrid {
  resolution: number;
  /** 1 where occupied, 0 elsewhere; length R³. */
  occupancy: Uint8Array;
  /** sRGB colour per voxel, 3 bytes each; length 3·R³; zero where unoccupied. */
  colors: Uint8Array;
}

export function voxelIndex(resolution: number, x: number, y: number, z: number): number {
  return x + resolution * (y + resolution * z);
}

export function createGrid(resolution = GRID_RESOLUTION): VoxelGrid {
  const n = resolution ** 3;
  return { resolution, occupancy: new Uint8Array(n), colors: new Uint8Array(3 * n) };
}

export function countOccupied(occupancy: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < occupancy.length; i++) count += occupancy[i] !== 0 ? 1 : 0;
  return count;
}

/** Lower corner of voxel coordinate `i` along one axis of the normalized cube. */
export function voxelLower(resolution: number, i: number): number {
  return -0.5 + i / resolution;
}
