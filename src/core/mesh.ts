/**
 * The one mesh type every stage shares: flat typed arrays, no three.js objects, so it can be
 * transferred to and from the worker without copying and used unchanged in Node.
 */

/** RGBA8 pixels, row 0 at the top (as images are stored). */
export interface TextureImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface MeshMaterial {
  /** Base colour as sRGB bytes-in-floats in [0, 1] (already display-encoded, not linear). */
  color: [number, number, number];
  /** Base-colour texture, multiplied with `color`. UVs with v = 0 at the image's bottom row (glTF flips). */
  texture?: TextureImage;
  /** True when uv (0,0) addresses the image's top-left pixel (glTF); false for OBJ/MTL (bottom-left). */
  textureOriginTopLeft?: boolean;
}

export interface TriangleMesh {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
  /** Optional rgb per vertex in [0, 1], sRGB-encoded. */
  colors?: Float32Array;
  /** Optional uv per vertex. */
  uvs?: Float32Array;
  /** Material index per triangle; absent means material 0 for every triangle. */
  materialIds?: Uint16Array;
  /** At least one material. */
  materials: MeshMaterial[];
}

export interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
}

export function triangleCount(mesh: TriangleMesh): number {
  return mesh.indices.length / 3;
}

export function vertexCount(mesh: TriangleMesh): number {
  return mesh.positions.length / 3;
}

export function computeBounds(positions: Float32Array): Bounds {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  return { min, max };
}

/** Every typed array of the mesh, for transfer lists. */
export function meshTransferables(mesh: TriangleMesh): ArrayBuffer[] {
  const buffers: ArrayBufferLike[] = [mesh.positions.buffer, mesh.indices.buffer];
  if (mesh.colors) buffers.push(mesh.colors.buffer);
  if (mesh.uvs) buffers.push(mesh.uvs.buffer);
  if (mesh.materialIds) buffers.push(mesh.materialIds.buffer);
  for (const m of mesh.materials) if (m.texture) buffers.push(m.texture.data.buffer);
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
