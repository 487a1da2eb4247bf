/**
 * Flattens what a three.js loader produced (a scene graph, possibly instanced, multi-material and
 * mixed indexed / non-indexed) into one TriangleMesh in world space. Points and lines are ignored;
 * a file that has nothing else is an EmptyMeshError.
 */
import {
  type BufferAttribute,
  type BufferGeometry,
  Color,
  type InstancedMesh,
  type InterleavedBufferAttribute,
  type Material,
  Matrix4,
  type Mesh,
  type Object3D,
  type Texture,
} from 'three';
import {
  CorruptFileError,
  EmptyMeshError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  throwIfAborted,
} from '../../core/errors';
import type { MeshMaterial, TextureImage, TriangleMesh } from '../../core/mesh';
import { isTextureImage } from '../image-decoder';
import { type LoaderColorSpace, toSrgb } from './color';
import { weldVertices } from './weld';

export interface ConvertOptions {
  fileName: string;
  /** The space the loader left vertex and material colours in (see color.ts). */
  colorSpace: LoaderColorSpace;
  /** glTF addresses textures from the top-left, OBJ/MTL and PLY from the bottom-left. */
  textureOriginTopLeft: boolean;
  signal?: AbortSignal;
}

type Attribute = BufferAttribute | InterleavedBufferAttribute;

interface Part {
  geometry: BufferGeometry;
  materials: Material[];
  /** One world matrix per drawn instance. */
  matrices: Matrix4[];
  uvName: string;
}

interface LocalGeometry {
  positions: Float32Array;
  colors?: Float32Array;
  uvs?: Float32Array;
  index: Uint32Array;
  triangles: number;
}

export function objectToMesh(root: Object3D, options: ConvertOptions): TriangleMesh {
  const { fileName, signal } = options;
  root.updateMatrixWorld(true);
  const parts = collectParts(root);

  // Count before building anything big, so a huge file fails fast and without the memory spike.
  let triangles = 0;
  for (const part of parts) triangles += rawTriangleCount(part.geometry) * part.matrices.length;
  if (triangles > MAX_TRIANGLES) throw new MeshTooLargeError(fileName, triangles);
  if (triangles === 0) throw new EmptyMeshError(fileName);

  const locals = new Map<string, LocalGeometry>();
  const geometryIds = new Map<BufferGeometry, number>();
  const localOf = (part: Part): LocalGeometry => {
    if (!geometryIds.has(part.geometry)) geometryIds.set(part.geometry, geometryIds.size);
    const key = `${geometryIds.get(part.geometry)}:${part.uvName}`;
    let local = locals.get(key);
    if (!local) {
      throwIfAborted(signal, 'Import');
      local = readGeometry(part.geometry, part.uvName, options);
      locals.set(key, local);
    }
    return local;
  };

  let vertexTotal = 0;
  let triangleTotal = 0;
  let anyColors = false;
  let anyUvs = false;
  for (const part of parts) {
    const local = localOf(part);
    vertexTotal += (local.positions.length / 3) * part.matrices.length;
    triangleTotal += local.triangles * part.matrices.length;
    anyColors ||= local.colors !== undefined;
    anyUvs ||= local.uvs !== undefined;
  }

  const positions = new Float32Array(vertexTotal * 3);
  const indices = new Uint32Array(triangleTotal * 3);
  const colors = anyColors ? new Float32Array(vertexTotal * 3).fill(1) : undefined;
  const uvs = anyUvs ? new Float32Array(vertexTotal * 2) : undefined;
  const materialIds = new Uint16Array(triangleTotal);
  const materials: MeshMaterial[] = [];
  const materialIndex = new Map<Material, number>();
  const indexOfMaterial = (material: Material): number => {
    let id = materialIndex.get(material);
    if (id === undefined) {
      // Ids are Uint16: past 65,536 materials (never seen in practice) the rest share the last one.
      id = Math.min(materials.length, 0xffff);
      if (materials.length <= 0xffff) materials.push(convertMaterial(material, options));
      materialIndex.set(material, id);
    }
    return id;
  };

  let defaultId: number | undefined;
  const defaultMaterial = (): number => {
    if (defaultId === undefined) {
      defaultId = materials.length;
      materials.push({ color: [1, 1, 1] });
    }
    return defaultId;
  };

  let vertexBase = 0;
  let triangleBase = 0;
  for (const part of parts) {
    throwIfAborted(signal, 'Import');
    const local = localOf(part);
    const slotIds = triangleMaterialSlots(part, local.triangles);
    const slotMaterials =
      part.materials.length > 0 ? part.materials.map(indexOfMaterial) : [defaultMaterial()];
    const localVertices = local.positions.length / 3;
    for (const matrix of part.matrices) {
      const e = matrix.elements;
      const p = local.positions;
      for (let v = 0; v < localVertices; v++) {
        const x = p[3 * v];
        const y = p[3 * v + 1];
        const z = p[3 * v + 2];
        const o = 3 * (vertexBase + v);
        positions[o] = e[0] * x + e[4] * y + e[8] * z + e[12];
        positions[o + 1] = e[1] * x + e[5] * y + e[9] * z + e[13];
        positions[o + 2] = e[2] * x + e[6] * y + e[10] * z + e[14];
      }
      if (colors && local.colors) colors.set(local.colors, 3 * vertexBase);
      if (uvs && local.uvs) uvs.set(local.uvs, 2 * vertexBase);
      // A mirroring transform turns the triangles inside out; swap two corners to keep them facing out.
      const flip = matrix.determinant() < 0;
      const index = local.index;
      for (let t = 0; t < local.triangles; t++) {
        const o = 3 * (triangleBase + t);
        indices[o] = vertexBase + index[3 * t];
        indices[o + 1] = vertexBase + index[3 * t + (flip ? 2 : 1)];
        indices[o + 2] = vertexBase + index[3 * t + (flip ? 1 : 2)];
        materialIds[triangleBase + t] = slotMaterials[slotIds[t]] ?? slotMaterials[0];
      }
      vertexBase += localVertices;
      triangleBase += local.triangles;
    }
  }

  const mesh: TriangleMesh = { positions, indices, materials };
  if (colors) mesh.colors = colors;
  if (uvs) mesh.uvs = uvs;
  if (materials.length > 1) mesh.materialIds = materialIds;
  return mesh;
}

function collectParts(root: Object3D): Part[] {
  const parts: Part[] = [];
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh || !mesh.geometry?.getAttribute('position')) return;
    const materials = (Array.isArray(mesh.material) ? mesh.material : [mesh.material]).filter(Boolean);
    let matrices = [mesh.matrixWorld.clone()];
    const instanced = object as InstancedMesh;
    if (instanced.isInstancedMesh) {
      matrices = [];
      const local = new Matrix4();
      for (let i = 0; i < instanced.count; i++) {
        instanced.getMatrixAt(i, local);
        matrices.push(mesh.matrixWorld.clone().multiply(local));
      }
    }
    // A base-colour map may read a second uv set (glTF texCoord 1); carry the set it reads.
    const channel = materials.map((m) => mapOf(m)?.channel ?? 0).find((c) => c > 0) ?? 0;
    parts.push({ geometry: mesh.geometry, materials, matrices, uvName: channel > 0 ? `uv${channel}` : 'uv' });
  });
  return parts;
}

function rawTriangleCount(geometry: BufferGeometry): number {
  const count = geometry.index ? geometry.index.count : geometry.getAttribute('position').count;
  return Math.floor(count / 3);
}

function readGeometry(geometry: BufferGeometry, uvName: string, options: ConvertOptions): LocalGeometry {
  const position = geometry.getAttribute('position') as Attribute;
  const color = geometry.getAttribute('color') as Attribute | undefined;
  const uv = geometry.getAttribute(uvName) as Attribute | undefined;
  const streams = {
    positions: readComponents(position, 3),
    colors: color ? readColors(color, options.colorSpace) : undefined,
    uvs: uv ? readComponents(uv, 2) : undefined,
  };
  if (!geometry.index) {
    const welded = weldVertices(streams);
    return { ...welded, triangles: Math.floor(welded.index.length / 3) };
  }
  const source = geometry.index.array;
  const triangles = Math.floor(geometry.index.count / 3);
  const index = source instanceof Uint32Array ? source : Uint32Array.from(source);
  const vertexCount = position.count;
  for (let i = 0; i < triangles * 3; i++) {
    if (index[i] >= vertexCount) {
      throw new CorruptFileError(
        options.fileName,
        `a triangle uses vertex ${index[i]} of only ${vertexCount}`,
      );
    }
  }
  return { ...streams, index, triangles };
}

/** Plain float components, denormalized, whatever the attribute's storage (interleaved, int8 ...). */
function readComponents(attribute: Attribute, size: number): Float32Array {
  const n = attribute.count;
  if (
    !('isInterleavedBufferAttribute' in attribute) &&
    attribute.array instanceof Float32Array &&
    attribute.itemSize === size &&
    !attribute.normalized
  ) {
    return attribute.array.length === n * size ? attribute.array : attribute.array.subarray(0, n * size);
  }
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < size; k++)
      out[i * size + k] = k < attribute.itemSize ? attribute.getComponent(i, k) : 0;
  }
  return out;
}

function readColors(attribute: Attribute, space: LoaderColorSpace): Float32Array {
  const n = attribute.count;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++)
      out[i * 3 + k] = toSrgb(attribute.getComponent(i, Math.min(k, attribute.itemSize - 1)), space);
  }
  return out;
}

/** Slot (index into part.materials) of each triangle, from the geometry's groups. */
function triangleMaterialSlots(part: Part, triangles: number): Uint16Array {
  const slots = new Uint16Array(triangles);
  if (part.materials.length <= 1) return slots;
  // Group ranges count indices (or vertices, for soup); welding kept triangle order, so /3 is exact.
  for (const group of part.geometry.groups) {
    const first = Math.floor(group.start / 3);
    const last = Math.min(triangles, Math.floor((group.start + group.count) / 3));
    const slot = Math.min(group.materialIndex ?? 0, part.materials.length - 1);
    for (let t = first; t < last; t++) slots[t] = slot;
  }
  return slots;
}

function mapOf(material: Material): Texture | null {
  const map = (material as Material & { map?: Texture | null }).map;
  return map ?? null;
}

function convertMaterial(material: Material, options: ConvertOptions): MeshMaterial {
  const color = (material as Material & { color?: unknown }).color;
  const rgb: [number, number, number] =
    color instanceof Color
      ? [
          toSrgb(color.r, options.colorSpace),
          toSrgb(color.g, options.colorSpace),
          toSrgb(color.b, options.colorSpace),
        ]
      : [1, 1, 1];
  const result: MeshMaterial = { color: rgb };
  const texture = textureImageOf(mapOf(material));
  if (texture) {
    result.texture = texture;
    result.textureOriginTopLeft = options.textureOriginTopLeft;
  }
  return result;
}

/** Textures the importer decoded carry their pixels as a DataTexture image ({data, width, height}). */
function textureImageOf(texture: Texture | null): TextureImage | undefined {
  const image: unknown = texture?.image;
  return isTextureImage(image) ? image : undefined;
}
