/**
 * PLY (ASCII and binary) through three.js' PLYLoader. We read the header ourselves first: it says
 * how many faces follow (a huge file fails before parsing; a points-only scan is an EmptyMeshError
 * rather than being mistaken for a triangle soup, since PLYLoader returns points without an index),
 * and for binary files how many bytes at least the body must have (a truncated file is corrupt).
 * MeshLab's "comment TextureFile name.png" is honoured when that image is among the files.
 */
import { DataTexture, Mesh, MeshBasicMaterial } from 'three';
import {
  CorruptFileError,
  EmptyMeshError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  throwIfAborted,
} from '../../core/errors';
import type { TriangleMesh } from '../../core/mesh';
import { type ImageDecoder, mimeTypeFromName } from '../image-decoder';
import { withExactFaceColors, withRawColors } from './color';
import type { FileSet } from './files';
import { objectToMesh } from './to-mesh';

interface PlyHeader {
  format: string;
  bodyOffset: number;
  elements: { name: string; count: number; minBytes: number; properties: string[] }[];
  textureFile?: string;
}

const TYPE_BYTES: Record<string, number> = {
  char: 1,
  uchar: 1,
  int8: 1,
  uint8: 1,
  short: 2,
  ushort: 2,
  int16: 2,
  uint16: 2,
  int: 4,
  uint: 4,
  int32: 4,
  uint32: 4,
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
};

export function readPlyHeader(bytes: Uint8Array, fileName: string): PlyHeader {
  const limit = Math.min(bytes.length, 1 << 20);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, limit));
  if (!/^ply\r?\n/.test(head)) throw new CorruptFileError(fileName, 'it does not start with “ply”');
  const end = /end_header(\r\n|\r|\n)/.exec(head);
  if (!end) throw new CorruptFileError(fileName, 'its header has no “end_header”');
  const header: PlyHeader = { format: '', bodyOffset: end.index + end[0].length, elements: [] };
  for (const line of head.slice(0, end.index).split(/\r\n|\r|\n/)) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'format') header.format = words[1] ?? '';
    else if (words[0] === 'comment' && /^texturefile$/i.test(words[1] ?? '')) {
      header.textureFile = words.slice(2).join(' ');
    } else if (words[0] === 'element') {
      const count = Number(words[2]);
      if (!Number.isInteger(count) || count < 0)
        throw new CorruptFileError(fileName, `bad element line “${line}”`);
      header.elements.push({ name: words[1] ?? '', count, minBytes: 0, properties: [] });
    } else if (words[0] === 'property') {
      const element = header.elements[header.elements.length - 1];
      if (!element) throw new CorruptFileError(fileName, 'a property comes before any element');
      element.properties.push(words[words.length - 1] ?? '');
      // A list costs at least its count field (and a face list at least three indices).
      if (words[1] === 'list') {
        element.minBytes +=
          (TYPE_BYTES[words[2]] ?? 1) + (element.name === 'face' ? 3 * (TYPE_BYTES[words[3]] ?? 1) : 0);
      } else element.minBytes += TYPE_BYTES[words[1]] ?? 1;
    }
  }
  if (!['ascii', 'binary_little_endian', 'binary_big_endian'].includes(header.format)) {
    throw new CorruptFileError(fileName, `its format “${header.format}” is not ascii or binary`);
  }
  return header;
}

export async function importPly(
  fileName: string,
  bytes: ArrayBuffer,
  files: FileSet,
  decodeImage: ImageDecoder,
  warnings: string[],
  signal?: AbortSignal,
): Promise<TriangleMesh> {
  const header = readPlyHeader(new Uint8Array(bytes), fileName);
  const faceElement = header.elements.find((e) => e.name === 'face');
  const faces = faceElement?.count ?? 0;
  if (faces === 0) throw new EmptyMeshError(fileName);
  if (faces > MAX_TRIANGLES) throw new MeshTooLargeError(fileName, faces);
  if (header.format === 'ascii') {
    // PLYLoader stops quietly where a text file ends; every exporter writes one element per line,
    // so fewer lines than elements means the file was cut short.
    const needed = header.elements.reduce((sum, e) => sum + e.count, 0);
    const lines = countLines(new Uint8Array(bytes, header.bodyOffset), needed);
    if (lines < needed) {
      throw new CorruptFileError(
        fileName,
        `it is truncated (${needed} elements declared, ${lines} lines found)`,
      );
    }
  } else {
    const needed = header.elements.reduce((sum, e) => sum + e.count * e.minBytes, header.bodyOffset);
    if (needed > bytes.byteLength) {
      throw new CorruptFileError(
        fileName,
        `it is truncated (its elements need at least ${needed} bytes, it has ${bytes.byteLength})`,
      );
    }
  }

  const { PLYLoader } = await import('three/examples/jsm/loaders/PLYLoader.js');
  throwIfAborted(signal, 'Import');
  const material = new MeshBasicMaterial();
  let mesh: Mesh;
  try {
    const geometry = withRawColors(() => withExactFaceColors(() => new PLYLoader().parse(bytes)));
    // PLYLoader drops the index only to split per-face colours or uvs; without those, no index
    // means the face list was never read (a text file cut short), not a triangle soup.
    const perFace = faceElement?.properties.some((p) => /^(red|green|blue|texcoord)$/.test(p)) ?? false;
    if (!geometry.index && !perFace) throw new CorruptFileError(fileName, 'its face list could not be read');
    mesh = new Mesh(geometry, material);
  } catch (error) {
    if (error instanceof CorruptFileError) throw error;
    throw new CorruptFileError(fileName, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  if (header.textureFile) {
    const file = files.find(header.textureFile);
    if (!file)
      warnings.push(`Texture “${header.textureFile}” was not given; the mesh is imported without it.`);
    else {
      try {
        const image = await decodeImage(
          new Uint8Array(file.bytes),
          mimeTypeFromName(file.name) ?? 'image/png',
        );
        material.map = new DataTexture(image.data, image.width, image.height);
      } catch (error) {
        warnings.push(
          `Texture “${header.textureFile}” could not be decoded (${error instanceof Error ? error.message : error}).`,
        );
      }
    }
  }
  return objectToMesh(mesh, { fileName, colorSpace: 'srgb', textureOriginTopLeft: false, signal });
}

/** Non-empty lines in the bytes, counting no further than `enough`. */
function countLines(bytes: Uint8Array, enough: number): number {
  let lines = 0;
  let inLine = false;
  for (let i = 0; i < bytes.length && lines < enough; i++) {
    const b = bytes[i];
    if (b === 10 || b === 13) {
      if (inLine) lines++;
      inLine = false;
    } else if (b !== 32 && b !== 9) inLine = true;
  }
  return inLine ? lines + 1 : lines;
}
