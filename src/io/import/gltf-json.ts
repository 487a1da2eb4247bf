/**
 * What the importer reads from a glTF document before three.js sees it: the GLB container, the
 * triangle count (so a huge file fails before any geometry is built), and which images are
 * base-colour textures (the only ones worth decoding for voxel colours).
 */
import { CorruptFileError, UnsupportedFormatError } from '../../core/errors';

export interface GltfAccessor {
  count: number;
}
export interface GltfPrimitive {
  attributes?: Record<string, number>;
  indices?: number;
  mode?: number;
}
export interface GltfNode {
  mesh?: number;
  children?: number[];
  extensions?: { EXT_mesh_gpu_instancing?: { attributes?: Record<string, number> } };
}
export interface GltfTextureInfo {
  index: number;
  texCoord?: number;
}
export interface GltfDocument {
  asset?: { version?: string };
  scene?: number;
  scenes?: { nodes?: number[] }[];
  nodes?: GltfNode[];
  meshes?: { primitives?: GltfPrimitive[] }[];
  accessors?: GltfAccessor[];
  buffers?: { uri?: string; byteLength?: number }[];
  images?: { uri?: string; bufferView?: number; mimeType?: string }[];
  textures?: { source?: number; extensions?: Record<string, { source?: number }> }[];
  materials?: { pbrMetallicRoughness?: { baseColorTexture?: GltfTextureInfo } }[];
  extensionsRequired?: string[];
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a;

/** Checks the GLB container and returns its JSON chunk; three.js re-reads the same bytes later. */
export function readGlbJson(bytes: ArrayBuffer, fileName: string): string {
  if (bytes.byteLength < 20) throw new CorruptFileError(fileName, 'it is shorter than a GLB header');
  const view = new DataView(bytes);
  if (view.getUint32(0, true) !== GLB_MAGIC)
    throw new CorruptFileError(fileName, 'it does not start with “glTF”');
  const version = view.getUint32(4, true);
  if (version !== 2)
    throw new UnsupportedFormatError(fileName, `GLB version ${version}; only glTF 2.0 is supported`);
  const length = view.getUint32(8, true);
  if (length > bytes.byteLength) {
    throw new CorruptFileError(
      fileName,
      `it is truncated (the header says ${length} bytes, the file has ${bytes.byteLength})`,
    );
  }
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== CHUNK_JSON || 20 + jsonLength > length) {
    throw new CorruptFileError(fileName, 'its JSON chunk is missing or runs past the end of the file');
  }
  return new TextDecoder().decode(new Uint8Array(bytes, 20, jsonLength));
}

export function parseGltfJson(text: string, fileName: string): GltfDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptFileError(fileName, 'its JSON does not parse', { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CorruptFileError(fileName, 'its JSON is not a glTF document');
  }
  const doc = json as GltfDocument;
  const version = doc.asset?.version;
  if (typeof version !== 'string') throw new CorruptFileError(fileName, 'it has no asset.version');
  if (Number.parseFloat(version) < 2) {
    throw new UnsupportedFormatError(fileName, `glTF ${version}; only glTF 2.0 is supported`);
  }
  const unsupported = (doc.extensionsRequired ?? []).filter((e) => UNSUPPORTED_REQUIRED[e]);
  if (unsupported.length > 0) {
    throw new UnsupportedFormatError(
      fileName,
      `${UNSUPPORTED_REQUIRED[unsupported[0]]}; export it without it`,
    );
  }
  return doc;
}

const UNSUPPORTED_REQUIRED: Record<string, string> = {
  KHR_draco_mesh_compression: 'it uses Draco mesh compression',
  EXT_meshopt_compression: 'it uses meshopt compression',
  KHR_meshopt_compression: 'it uses meshopt compression',
  KHR_texture_basisu: 'it uses KTX2/Basis textures',
};

/** Triangles the default scene draws (or every mesh once, where the file has no scene). */
export function countGltfTriangles(doc: GltfDocument): number {
  const meshTriangles = (meshIndex: number): number => {
    let total = 0;
    for (const primitive of doc.meshes?.[meshIndex]?.primitives ?? []) {
      const accessor = primitive.indices ?? primitive.attributes?.POSITION;
      const count = accessor === undefined ? 0 : (doc.accessors?.[accessor]?.count ?? 0);
      const mode = primitive.mode ?? 4;
      if (mode === 4) total += Math.floor(count / 3);
      else if (mode === 5 || mode === 6) total += Math.max(0, count - 2);
    }
    return total;
  };
  const scene = doc.scenes?.[doc.scene ?? 0];
  if (!scene) return (doc.meshes ?? []).reduce((sum, _m, i) => sum + meshTriangles(i), 0);
  let total = 0;
  const seen = new Set<number>();
  const stack = [...(scene.nodes ?? [])];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (seen.has(index)) continue; // a malformed file may loop; count each node once
    seen.add(index);
    const node = doc.nodes?.[index];
    if (!node) continue;
    if (node.mesh !== undefined) {
      const instancing = node.extensions?.EXT_mesh_gpu_instancing?.attributes;
      const first = instancing ? Object.values(instancing)[0] : undefined;
      const instances = first === undefined ? 1 : (doc.accessors?.[first]?.count ?? 1);
      total += meshTriangles(node.mesh) * instances;
    }
    stack.push(...(node.children ?? []));
  }
  return total;
}

/** Image indices used as a base-colour texture, through any texture extension (WebP, AVIF). */
export function baseColorImages(doc: GltfDocument): Set<number> {
  const images = new Set<number>();
  for (const material of doc.materials ?? []) {
    const info = material.pbrMetallicRoughness?.baseColorTexture;
    const texture = info === undefined ? undefined : doc.textures?.[info.index];
    if (!texture) continue;
    if (texture.source !== undefined) images.add(texture.source);
    for (const extension of Object.values(texture.extensions ?? {})) {
      if (typeof extension?.source === 'number') images.add(extension.source);
    }
  }
  return images;
}
