/**
 * Writes a TriangleMesh as glTF 2.0: one node, one mesh, one primitive per material used, all
 * sharing the vertex accessors. Colours follow the spec, not our in-memory convention: COLOR_0 and
 * baseColorFactor are linear, so the sRGB values of the mesh are decoded on the way out (the
 * importer encodes them back). Textures are embedded as PNG. Indices are uint16 when every vertex
 * index fits below 65535 (the spec reserves each type's maximum), uint32 otherwise.
 *
 * `buildGltf` returns the JSON and the binary buffer separately (for .gltf + .bin); `writeGlb`
 * packs them into one .glb; both compress textures with the platform's deflate, hence async.
 * `exportGlb` is the synchronous form the studio and CLI export with: it writes smooth vertex
 * normals by default, and stores textures uncompressed (extracted surfaces have none).
 * An empty mesh is refused with EmptyExportError: a GLB with nothing in it is useless to a person.
 */
import { FlowsmithError } from '../../core/errors';
import type { MeshMaterial, TextureImage, TriangleMesh } from '../../core/mesh';
import { vertexNormals } from '../../core/surface/mesh-metrics';
import { srgbToLinear } from '../color-space';
import { encodePng, encodePngStored } from './png-encoder';

const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;

export interface GltfJson {
  asset: { version: '2.0'; generator: string };
  scene: number;
  scenes: { nodes: number[] }[];
  nodes: { mesh: number; name?: string }[];
  meshes: { name?: string; primitives: GltfPrimitiveOut[] }[];
  materials: Record<string, unknown>[];
  textures?: { source: number; sampler: number }[];
  samplers?: Record<string, number>[];
  images?: { bufferView?: number; uri?: string; mimeType: string }[];
  accessors: Record<string, unknown>[];
  bufferViews: { buffer: number; byteOffset: number; byteLength: number; target?: number }[];
  buffers: { byteLength: number; uri?: string }[];
}

interface GltfPrimitiveOut {
  attributes: Record<string, number>;
  indices: number;
  material: number;
  mode: 4;
}

export interface GltfOptions {
  /** Name of the node and mesh. */
  name?: string;
  /** asset.generator; default "Flowsmith". */
  generator?: string;
  /**
   * Write area-weighted smooth vertex normals (NORMAL). Default false for buildGltf/writeGlb (a
   * viewer then shades flat, right for the faceted meshes they re-export) and true for exportGlb.
   */
  normals?: boolean;
}

export class EmptyExportError extends FlowsmithError {
  constructor() {
    super(
      'empty-mesh',
      'There is nothing to export: the mesh has no triangles.',
      'An empty grid gives an empty surface. Load a mesh or undo the edit that removed every voxel, then export again.',
    );
    this.name = 'EmptyExportError';
  }
}

class BinaryBuilder {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  readonly views: GltfJson['bufferViews'] = [];

  add(bytes: Uint8Array, target?: number): number {
    const padding = (4 - (this.length % 4)) % 4;
    if (padding) this.push(new Uint8Array(padding));
    this.views.push({
      buffer: 0,
      byteOffset: this.length,
      byteLength: bytes.byteLength,
      ...(target ? { target } : {}),
    });
    this.push(bytes);
    return this.views.length - 1;
  }

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.byteLength;
  }

  build(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.length / 4) * 4);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
}

function bytesOf(array: Float32Array | Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The textures of the mesh's materials, each once, in material order. */
function texturesOf(mesh: TriangleMesh): TextureImage[] {
  return [...new Set(mesh.materials.flatMap((m) => (m.texture ? [m.texture] : [])))];
}

/** The unit normal of every vertex; a vertex in no triangle of non-zero area points up. */
function unitNormals(mesh: TriangleMesh): Float32Array {
  const normals = vertexNormals(mesh);
  for (let v = 0; v < normals.length; v += 3) {
    if (normals[v] === 0 && normals[v + 1] === 0 && normals[v + 2] === 0) normals[v + 1] = 1;
  }
  return normals;
}

/** The glTF of `mesh`, with each texture's PNG taken from `pngs` (index-aligned with texturesOf). */
function assembleGltf(
  mesh: TriangleMesh,
  options: GltfOptions,
  pngs: Uint8Array[],
): { json: GltfJson; bin: Uint8Array } {
  const vertexCount = mesh.positions.length / 3;
  const triangles = mesh.indices.length / 3;
  if (vertexCount === 0 || triangles === 0) throw new EmptyExportError();
  const bin = new BinaryBuilder();
  const accessors: Record<string, unknown>[] = [];
  const addAccessor = (view: number, count: number, type: string, componentType: number, extra = {}) => {
    accessors.push({ bufferView: view, componentType, count, type, ...extra });
    return accessors.length - 1;
  };

  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < mesh.positions.length; i++) {
    const k = i % 3;
    min[k] = Math.min(min[k], mesh.positions[i]);
    max[k] = Math.max(max[k], mesh.positions[i]);
  }
  const attributes: Record<string, number> = {
    POSITION: addAccessor(bin.add(bytesOf(mesh.positions), ARRAY_BUFFER), vertexCount, 'VEC3', FLOAT, {
      min,
      max,
    }),
  };
  if (options.normals) {
    const normals = unitNormals(mesh);
    attributes.NORMAL = addAccessor(bin.add(bytesOf(normals), ARRAY_BUFFER), vertexCount, 'VEC3', FLOAT);
  }
  if (mesh.colors) {
    const linear = mesh.colors.map(srgbToLinear);
    attributes.COLOR_0 = addAccessor(bin.add(bytesOf(linear), ARRAY_BUFFER), vertexCount, 'VEC3', FLOAT);
  }
  if (mesh.uvs) {
    // glTF addresses images from the top-left; OBJ-style uvs (origin bottom-left) flip on the way out.
    const flip = mesh.materials.some((m) => m.texture && m.textureOriginTopLeft === false);
    const uvs = flip ? mesh.uvs.map((v, i) => (i % 2 === 1 ? 1 - v : v)) : mesh.uvs;
    attributes.TEXCOORD_0 = addAccessor(bin.add(bytesOf(uvs), ARRAY_BUFFER), vertexCount, 'VEC2', FLOAT);
  }

  const primitives: GltfPrimitiveOut[] = [];
  const materialCount = Math.max(1, mesh.materials.length);
  let perMaterial: ArrayLike<number>[];
  if (!mesh.materialIds || materialCount === 1) {
    perMaterial = [mesh.indices];
  } else {
    const lists: number[][] = Array.from({ length: materialCount }, () => []);
    for (let t = 0; t < triangles; t++) {
      const id = Math.min(mesh.materialIds[t], materialCount - 1);
      lists[id].push(mesh.indices[3 * t], mesh.indices[3 * t + 1], mesh.indices[3 * t + 2]);
    }
    perMaterial = lists;
  }
  const short = vertexCount < 65535;
  perMaterial.forEach((indices, material) => {
    if (indices.length === 0) return;
    const array = short ? Uint16Array.from(indices) : Uint32Array.from(indices);
    const view = bin.add(bytesOf(array), ELEMENT_ARRAY_BUFFER);
    // Texture coordinates only where a texture reads them; elsewhere they would be unused data.
    const textured = mesh.materials[material]?.texture !== undefined;
    const { TEXCOORD_0, ...untextured } = attributes;
    primitives.push({
      attributes: textured || TEXCOORD_0 === undefined ? attributes : untextured,
      indices: addAccessor(view, indices.length, 'SCALAR', short ? UNSIGNED_SHORT : UNSIGNED_INT),
      material,
      mode: 4,
    });
  });

  const images: NonNullable<GltfJson['images']> = [];
  const imageOf = new Map<TextureImage, number>();
  texturesOf(mesh).forEach((texture, i) => {
    images.push({ bufferView: bin.add(pngs[i]), mimeType: 'image/png' });
    imageOf.set(texture, i);
  });
  const materials: Record<string, unknown>[] = [];
  const fallback: MeshMaterial = { color: [1, 1, 1] };
  for (const material of mesh.materials.length > 0 ? mesh.materials : [fallback]) {
    const pbr: Record<string, unknown> = {
      baseColorFactor: [...material.color.map(srgbToLinear), 1],
      metallicFactor: 0,
      roughnessFactor: 1,
    };
    const image = material.texture ? imageOf.get(material.texture) : undefined;
    if (image !== undefined) pbr.baseColorTexture = { index: image };
    materials.push({ pbrMetallicRoughness: pbr, doubleSided: true });
  }

  const binBytes = bin.build();
  const json: GltfJson = {
    asset: { version: '2.0', generator: options.generator ?? 'Flowsmith' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, ...(options.name ? { name: options.name } : {}) }],
    meshes: [{ ...(options.name ? { name: options.name } : {}), primitives }],
    materials,
    accessors,
    bufferViews: bin.views,
    buffers: [{ byteLength: binBytes.byteLength }],
  };
  if (images.length > 0) {
    // One texture per image, index-aligned, so baseColorTexture.index above names the image too.
    json.images = images;
    json.samplers = [{ magFilter: 9729, minFilter: 9987, wrapS: 10497, wrapT: 10497 }];
    json.textures = images.map((_, source) => ({ source, sampler: 0 }));
  }
  return { json, bin: binBytes };
}

export async function buildGltf(
  mesh: TriangleMesh,
  options: GltfOptions = {},
): Promise<{ json: GltfJson; bin: Uint8Array }> {
  if (mesh.positions.length === 0 || mesh.indices.length === 0) throw new EmptyExportError();
  const pngs: Uint8Array[] = [];
  for (const texture of texturesOf(mesh)) pngs.push(await encodePng(texture));
  return assembleGltf(mesh, options, pngs);
}

/** Packs glTF JSON and its binary buffer into a GLB container (header, JSON chunk, BIN chunk). */
export function packGlb(json: object, bin: Uint8Array): Uint8Array {
  const jsonText = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = Math.ceil(jsonText.length / 4) * 4;
  const binLength = Math.ceil(bin.byteLength / 4) * 4;
  const total = 12 + 8 + jsonLength + (binLength > 0 ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(jsonText, 20);
  out.fill(0x20, 20 + jsonText.length, 20 + jsonLength); // JSON chunk pads with spaces
  if (binLength > 0) {
    const at = 20 + jsonLength;
    view.setUint32(at, binLength, true);
    view.setUint32(at + 4, 0x004e4942, true);
    out.set(bin, at + 8);
  }
  return out;
}

export async function writeGlb(mesh: TriangleMesh, options: GltfOptions = {}): Promise<Uint8Array> {
  const { json, bin } = await buildGltf(mesh, options);
  return packGlb(json, bin);
}

/** The mesh as a .glb, synchronously: smooth normals unless `normals: false`; see the file comment. */
export function exportGlb(mesh: TriangleMesh, options: GltfOptions = {}): Uint8Array {
  const withNormals = { ...options, normals: options.normals ?? true };
  const { json, bin } = assembleGltf(mesh, withNormals, texturesOf(mesh).map(encodePngStored));
  return packGlb(json, bin);
}
