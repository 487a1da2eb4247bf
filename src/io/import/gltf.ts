/**
 * glTF 2.0 (.glb, .gltf + side files) through three.js' own GLTFLoader. Its resource loading needs
 * fetch (buffers) and a DOM or blob: URLs (images), which a worker only half has and Node lacks, so
 * a plugin replaces exactly those two parser methods on each parse:
 *   - `loadBuffer` returns bytes we resolved ourselves: the GLB body, a data: URI, or a dropped file
 *     matched by name; a buffer that is not among the files is a MissingResourceError.
 *   - `loadImageSource` hands base-colour image bytes to the injected decoder and wraps the pixels in
 *     a DataTexture; other maps (normal, roughness ...) are skipped, voxels have no use for them.
 * A texture that is missing or fails to decode does not fail the import: the mesh loads with its
 * base colour and a warning, since geometry (what the editor works on) is intact.
 */
import { DataTexture, Group, type Object3D, Texture } from 'three';
import type { GLTFParser } from 'three/examples/jsm/loaders/GLTFLoader.js';
import {
  CorruptFileError,
  FlowsmithError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  MissingResourceError,
  throwIfAborted,
} from '../../core/errors';
import type { TextureImage, TriangleMesh } from '../../core/mesh';
import { type ImageDecoder, isTextureImage, mimeTypeFromName, sniffImageMimeType } from '../image-decoder';
import { decodeDataUri, type FileSet, isDataUri } from './files';
import {
  baseColorImages,
  countGltfTriangles,
  type GltfDocument,
  parseGltfJson,
  readGlbJson,
} from './gltf-json';
import { objectToMesh } from './to-mesh';

export interface GltfImportContext {
  fileName: string;
  bytes: ArrayBuffer;
  binary: boolean;
  files: FileSet;
  decodeImage: ImageDecoder;
  warnings: string[];
  signal?: AbortSignal;
}

export async function importGltf(context: GltfImportContext): Promise<TriangleMesh> {
  const { fileName, bytes, binary, signal } = context;
  if (!binary && !/^\s*\{/.test(new TextDecoder().decode(bytes.slice(0, 64)))) {
    throw new CorruptFileError(fileName, 'it is neither a binary glTF (no “glTF” magic) nor glTF JSON');
  }
  const text = binary ? readGlbJson(bytes, fileName) : new TextDecoder().decode(bytes);
  const doc = parseGltfJson(text, fileName);
  const triangles = countGltfTriangles(doc);
  if (triangles > MAX_TRIANGLES) throw new MeshTooLargeError(fileName, triangles);
  const buffers = resolveBuffers(doc, context);

  const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
  throwIfAborted(signal, 'Import');
  const loader = new GLTFLoader();
  loader.register((parser) => {
    installResourceLoaders(parser, doc, buffers, context);
    return { name: 'FLOWSMITH_resources' };
  });

  let root: Object3D;
  try {
    const gltf = await loader.parseAsync(bytes, '');
    if (gltf.scene) root = gltf.scene;
    else {
      // No scene at all: take every mesh once rather than declare a file with meshes empty.
      const meshes = (await gltf.parser.getDependencies('mesh')) as Object3D[];
      root = new Group();
      for (const mesh of meshes) root.add(mesh);
    }
  } catch (error) {
    if (error instanceof FlowsmithError) throw error;
    throw new CorruptFileError(fileName, describeLoaderError(error), { cause: error });
  }
  throwIfAborted(signal, 'Import');
  return objectToMesh(root, { fileName, colorSpace: 'linear', textureOriginTopLeft: true, signal });
}

/** Bytes for every buffer, resolved up front so a missing .bin is reported before parsing starts. */
function resolveBuffers(doc: GltfDocument, context: GltfImportContext): (ArrayBuffer | undefined)[] {
  return (doc.buffers ?? []).map((buffer, index) => {
    const uri = buffer.uri;
    if (uri === undefined) {
      // Only a GLB's first buffer may omit its uri: it is the binary chunk, which three.js reads.
      if (context.binary && index === 0) return undefined;
      throw new CorruptFileError(context.fileName, `buffer ${index} has neither a uri nor a GLB body`);
    }
    if (isDataUri(uri)) {
      const { bytes } = decodeDataUri(uri, context.fileName);
      return bytes.buffer as ArrayBuffer;
    }
    const file = context.files.find(uri);
    if (!file) throw new MissingResourceError(context.fileName, decodeSafely(uri));
    return file.bytes;
  });
}

function installResourceLoaders(
  parser: GLTFParser,
  doc: GltfDocument,
  buffers: (ArrayBuffer | undefined)[],
  context: GltfImportContext,
): void {
  const originalLoadBuffer = parser.loadBuffer.bind(parser);
  parser.loadBuffer = (index: number) => {
    const resolved = buffers[index];
    return resolved ? Promise.resolve(resolved) : originalLoadBuffer(index);
  };

  const wanted = baseColorImages(doc);
  const decoded = new Map<number, Promise<TextureImage | undefined>>();
  parser.loadImageSource = (sourceIndex: number) => {
    if (!wanted.has(sourceIndex)) return Promise.resolve(new Texture());
    let pending = decoded.get(sourceIndex);
    if (!pending) {
      pending = decodeImage(parser, doc, sourceIndex, context);
      decoded.set(sourceIndex, pending);
    }
    // Each texture gets its own object (three.js sets sampler state on it); the pixels are shared.
    return pending.then((image) =>
      image ? new DataTexture(image.data, image.width, image.height) : new Texture(),
    );
  };
}

async function decodeImage(
  parser: GLTFParser,
  doc: GltfDocument,
  sourceIndex: number,
  context: GltfImportContext,
): Promise<TextureImage | undefined> {
  const image = doc.images?.[sourceIndex];
  const label = image?.uri && !isDataUri(image.uri) ? decodeSafely(image.uri) : `image ${sourceIndex}`;
  try {
    let bytes: Uint8Array;
    let mimeType = image?.mimeType;
    if (image?.bufferView !== undefined) {
      bytes = new Uint8Array((await parser.getDependency('bufferView', image.bufferView)) as ArrayBuffer);
    } else if (image?.uri !== undefined && isDataUri(image.uri)) {
      const data = decodeDataUri(image.uri, context.fileName);
      bytes = data.bytes;
      mimeType ??= data.mimeType;
    } else if (image?.uri !== undefined) {
      const file = context.files.find(image.uri);
      if (!file) {
        context.warnings.push(
          `Texture “${label}” was not given; the mesh is imported with its base colour only.`,
        );
        return undefined;
      }
      bytes = new Uint8Array(file.bytes);
      mimeType ??= mimeTypeFromName(file.name);
    } else {
      throw new Error('the image has neither a uri nor a bufferView');
    }
    const pixels = await context.decodeImage(bytes, sniffImageMimeType(bytes) ?? mimeType ?? 'image/png');
    if (!isTextureImage(pixels)) throw new Error('the decoder returned no RGBA pixels');
    return pixels;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.warnings.push(`Texture “${label}” could not be decoded (${reason}); it is left out.`);
    return undefined;
  }
}

function decodeSafely(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function describeLoaderError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError) return `its data is shorter than its own tables say (${message})`;
  return message.replace(/^THREE\.GLTFLoader:\s*/, '') || 'the glTF loader rejected it';
}
