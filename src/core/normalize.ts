/**
 * Import normalization (DESIGN §3): centre the bounding box at the origin and scale uniformly so the
 * longest side spans exactly [-0.5, 0.5]. The voxelizer's closed-box rule makes a vertex at exactly
 * ±0.5 touch the outermost voxel layer, so the extremes must land on ±0.5 exactly and nothing may
 * land outside: the mapping is computed in float64 and clamped before it is stored as float32.
 */
import { type Bounds, computeBounds, type TriangleMesh } from './mesh';
import { validateMesh } from './validate-mesh';

export interface NormalizedMesh {
  mesh: TriangleMesh;
  /** Uniform scale: normalized = (p + offset) · scale. */
  scale: number;
  offset: [number, number, number];
  /** Bounds of the input positions (all vertices). */
  sourceBounds: Bounds;
  /** Bounds of the output positions; the longest axis is exactly [-0.5, 0.5]. */
  bounds: Bounds;
}

/**
 * Validates (see `validateMesh`, which throws the typed import errors) and returns a new mesh with
 * new positions; indices, colours, uvs and materials are shared with the input.
 */
export function normalizeMesh(mesh: TriangleMesh, fileName: string): NormalizedMesh {
  validateMesh(mesh, fileName);
  const sourceBounds = computeBounds(mesh.positions);
  const { min, max } = sourceBounds;
  // The float32 inputs sum exactly in float64, so the centre is exact.
  const offset: [number, number, number] = [
    -(min[0] + max[0]) / 2,
    -(min[1] + max[1]) / 2,
    -(min[2] + max[2]) / 2,
  ];
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  // validateMesh guarantees a triangle of non-zero area, hence two distinct points and extent > 0.
  const scale = 1 / extent;

  const src = mesh.positions;
  const positions = new Float32Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = (src[i + k] + offset[k]) * scale;
      // ±0.5 are float32-representable, so clamping before the float32 store keeps the bound after it.
      positions[i + k] = Math.min(0.5, Math.max(-0.5, v));
    }
  }
  // Rounding of 1/extent could leave the longest side a few float64 ulps short of ±0.5; float32
  // storage absorbs that, but pin the extremes explicitly so the guarantee does not rest on it.
  const axis = longestAxis(min, max);
  for (let i = 0; i < src.length; i += 3) {
    if (src[i + axis] === min[axis]) positions[i + axis] = -0.5;
    else if (src[i + axis] === max[axis]) positions[i + axis] = 0.5;
  }
  return {
    mesh: { ...mesh, positions },
    scale,
    offset,
    sourceBounds,
    bounds: computeBounds(positions),
  };
}

function longestAxis(min: readonly number[], max: readonly number[]): number {
  let axis = 0;
  for (let k = 1; k < 3; k++) if (max[k] - min[k] > max[axis] - min[axis]) axis = k;
  return axis;
}
