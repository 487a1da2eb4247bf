/**
 * The naive voxel mesher: one quad per exposed voxel face (a face whose neighbour is empty or
 * outside the grid), four vertices per quad so each face carries its voxel's flat colour. It is the
 * "blocky" display mode and the benchmark's baseline for extractSurface. On a shell grid it meshes
 * both walls of the shell (nothing is filled), exactly as a person sees the voxels.
 */
import type { VoxelGrid } from '../grid';
import type { TriangleMesh } from '../mesh';

/** Per direction (−x, +x, −y, +y, −z, +z): the face's 4 corners (offsets in voxels), CCW from outside. */
const FACE_CORNERS: readonly (readonly number[])[] = [
  [0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0],
  [1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1],
  [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1],
  [0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0],
  [0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0],
  [0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1],
];

export function extractBlocky(grid: VoxelGrid): TriangleMesh {
  const R = grid.resolution;
  const occ = grid.occupancy;
  const R2 = R * R;
  const exposed = (x: number, y: number, z: number, i: number, dir: number): boolean => {
    switch (dir) {
      case 0:
        return x === 0 || occ[i - 1] === 0;
      case 1:
        return x === R - 1 || occ[i + 1] === 0;
      case 2:
        return y === 0 || occ[i - R] === 0;
      case 3:
        return y === R - 1 || occ[i + R] === 0;
      case 4:
        return z === 0 || occ[i - R2] === 0;
      default:
        return z === R - 1 || occ[i + R2] === 0;
    }
  };
  let faces = 0;
  for (let z = 0, i = 0; z < R; z++) {
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < R; x++, i++) {
        if (occ[i] === 0) continue;
        for (let dir = 0; dir < 6; dir++) if (exposed(x, y, z, i, dir)) faces++;
      }
    }
  }
  const positions = new Float32Array(12 * faces);
  const colors = new Float32Array(12 * faces);
  const indices = new Uint32Array(6 * faces);
  let f = 0;
  for (let z = 0, i = 0; z < R; z++) {
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < R; x++, i++) {
        if (occ[i] === 0) continue;
        for (let dir = 0; dir < 6; dir++) {
          if (!exposed(x, y, z, i, dir)) continue;
          const corners = FACE_CORNERS[dir];
          for (let c = 0; c < 4; c++) {
            const o = 12 * f + 3 * c;
            positions[o] = -0.5 + (x + corners[3 * c]) / R;
            positions[o + 1] = -0.5 + (y + corners[3 * c + 1]) / R;
            positions[o + 2] = -0.5 + (z + corners[3 * c + 2]) / R;
            colors[o] = grid.colors[3 * i] / 255;
            colors[o + 1] = grid.colors[3 * i + 1] / 255;
            colors[o + 2] = grid.colors[3 * i + 2] / 255;
          }
          const v = 4 * f;
          const t = 6 * f;
          indices[t] = v;
          indices[t + 1] = v + 1;
          indices[t + 2] = v + 2;
          indices[t + 3] = v;
          indices[t + 4] = v + 2;
          indices[t + 5] = v + 3;
          f++;
        }
      }
    }
  }
  return { positions, indices, colors, materials: [{ color: [1, 1, 1] }] };
}
