/**
 * The checks every imported mesh passes before any stage touches it, so that later stages can index
 * arrays without bounds checks and divide by the mesh's extent without guarding against zero.
 * Each failure is one typed error with a message a person can act on (DESIGN §9, web-llm style).
 */
import {
  CorruptFileError,
  DegenerateMeshError,
  EmptyMeshError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  NonFiniteVerticesError,
} from './errors';
import type { TriangleMesh } from './mesh';

/**
 * Throws the first problem found, in this order: corrupt index data, no triangles, too many
 * triangles, inconsistent per-vertex / per-triangle arrays, out-of-range indices, non-finite
 * coordinates, all triangles of zero area.
 *
 * Non-finite coordinates are counted over ALL vertices, referenced or not: later stages
 * (bounds, normalization, renderers, export) read the whole positions array, so an unused NaN
 * vertex is as harmful there as a used one.
 */
export function validateMesh(mesh: TriangleMesh, fileName: string): void {
  const { positions, indices } = mesh;
  if (indices.length % 3 !== 0) {
    throw new CorruptFileError(fileName, `the index list has ${indices.length} entries, not a multiple of 3`);
  }
  const triangles = indices.length / 3;
  if (triangles === 0) throw new EmptyMeshError(fileName);
  if (triangles > MAX_TRIANGLES) throw new MeshTooLargeError(fileName, triangles);
  if (positions.length % 3 !== 0) {
    throw new CorruptFileError(
      fileName,
      `the position list has ${positions.length} numbers, not a multiple of 3`,
    );
  }
  const vertices = positions.length / 3;
  checkAttributes(mesh, fileName, vertices, triangles);

  let badIndices = 0;
  let firstBad = -1;
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] >= vertices) {
      if (badIndices === 0) firstBad = i;
      badIndices++;
    }
  }
  if (badIndices > 0) {
    throw new CorruptFileError(
      fileName,
      `${badIndices} triangle ${badIndices === 1 ? 'index refers' : 'indices refer'} to vertices that do not exist ` +
        `(the first is ${indices[firstBad]} at position ${firstBad}; the mesh has ${vertices} vertices)`,
    );
  }

  let nonFinite = 0;
  for (let i = 0; i < positions.length; i++) if (!Number.isFinite(positions[i])) nonFinite++;
  if (nonFinite > 0) throw new NonFiniteVerticesError(fileName, nonFinite);

  if (!hasPositiveArea(positions, indices)) {
    throw new DegenerateMeshError(
      fileName,
      `all ${triangles} triangle${triangles === 1 ? ' has' : 's have'} zero area (their corners coincide or lie on one line)`,
    );
  }
}

function checkAttributes(mesh: TriangleMesh, fileName: string, vertices: number, triangles: number): void {
  if (mesh.colors && mesh.colors.length !== 3 * vertices) {
    throw new CorruptFileError(
      fileName,
      `it has ${mesh.colors.length} vertex colour values for ${vertices} vertices (expected ${3 * vertices})`,
    );
  }
  if (mesh.uvs && mesh.uvs.length !== 2 * vertices) {
    throw new CorruptFileError(
      fileName,
      `it has ${mesh.uvs.length} texture coordinate values for ${vertices} vertices (expected ${2 * vertices})`,
    );
  }
  if (mesh.materials.length === 0) throw new CorruptFileError(fileName, 'the mesh has no material');
  const ids = mesh.materialIds;
  if (ids) {
    if (ids.length !== triangles) {
      throw new CorruptFileError(
        fileName,
        `it has ${ids.length} material assignments for ${triangles} triangles`,
      );
    }
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] >= mesh.materials.length) {
        throw new CorruptFileError(
          fileName,
          `triangle ${i} uses material ${ids[i]}, but only ${mesh.materials.length} are defined`,
        );
      }
    }
  }
}

/**
 * True when at least one triangle has a non-zero cross product. Computed in float64: the float32
 * differences are exact there, so a tiny but real triangle is never mistaken for a degenerate one.
 */
function hasPositiveArea(positions: Float32Array, indices: Uint32Array): boolean {
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t];
    const b = 3 * indices[t + 1];
    const c = 3 * indices[t + 2];
    const ux = positions[b] - positions[a];
    const uy = positions[b + 1] - positions[a + 1];
    const uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a];
    const vy = positions[c + 1] - positions[a + 1];
    const vz = positions[c + 2] - positions[a + 2];
    if (uy * vz - uz * vy !== 0 || uz * vx - ux * vz !== 0 || ux * vy - uy * vx !== 0) return true;
  }
  return false;
}
