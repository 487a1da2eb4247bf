/**
 * Mesh import: dropped files in, one raw TriangleMesh out (world space, not yet normalized).
 * The mesh file is picked by extension; the others are side files it may reference. Each format's
 * three.js loader is imported only when a file of that format arrives.
 */
import { CorruptFileError, FlowsmithError, throwIfAborted } from '../../core/errors';
import type { TriangleMesh } from '../../core/mesh';
import type { InputFile, MeshFormat } from '../../engine/engine-api';
import type { ImageDecoder } from '../image-decoder';
import { FileSet, pickMainFile } from './files';

export type { ImageDecoder } from '../image-decoder';

export interface ImportOptions {
  decodeImage: ImageDecoder;
  signal?: AbortSignal;
}

export interface ImportResult {
  mesh: TriangleMesh;
  format: MeshFormat;
  fileName: string;
  /** Things that were left out but did not stop the import (a texture not given, an .mtl missing). */
  warnings: string[];
}

export async function importMeshFiles(files: InputFile[], options: ImportOptions): Promise<ImportResult> {
  const { decodeImage, signal } = options;
  throwIfAborted(signal, 'Import');
  const { main, format } = pickMainFile(files);
  const fileName = main.name.split(/[/\\]/).pop() ?? main.name;
  const fileSet = new FileSet(files);
  const warnings: string[] = [];
  const bytes = main.bytes;
  if (bytes.byteLength === 0) throw new CorruptFileError(fileName, 'it is empty (0 bytes)');

  let mesh: TriangleMesh;
  try {
    switch (format) {
      case 'glb':
      case 'gltf': {
        const { importGltf } = await import('./gltf');
        // A .gltf may really be binary and a .glb text; the magic bytes decide, not the name.
        const binary = new DataView(bytes).getUint32(0, true) === 0x46546c67;
        mesh = await importGltf({ fileName, bytes, binary, files: fileSet, decodeImage, warnings, signal });
        break;
      }
      case 'obj': {
        const { importObj } = await import('./obj');
        mesh = await importObj(fileName, bytes, fileSet, decodeImage, warnings, signal);
        break;
      }
      case 'stl': {
        const { importStl } = await import('./stl');
        mesh = await importStl(fileName, bytes, signal);
        break;
      }
      case 'ply': {
        const { importPly } = await import('./ply');
        mesh = await importPly(fileName, bytes, fileSet, decodeImage, warnings, signal);
        break;
      }
    }
  } catch (error) {
    if (error instanceof FlowsmithError) throw error;
    // Loaders throw plain Errors, TypeErrors and RangeErrors on malformed input: all mean the same to a person.
    const detail = error instanceof Error ? error.message : String(error);
    throw new CorruptFileError(fileName, detail, { cause: error });
  }
  return { mesh, format, fileName, warnings };
}
