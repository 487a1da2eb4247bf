/**
 * STL (ASCII and binary) through three.js' STLLoader. Binary files announce their triangle count
 * in the header, so a huge or truncated one is refused before the loader allocates anything.
 * The binary/ASCII decision mirrors STLLoader's own (exact size match first, then a leading
 * "solid"), so our checks look at the same reading of the file the loader will make.
 */
import { Mesh, MeshBasicMaterial } from 'three';
import { CorruptFileError, MAX_TRIANGLES, MeshTooLargeError, throwIfAborted } from '../../core/errors';
import type { TriangleMesh } from '../../core/mesh';
import { withRawColors } from './color';
import { looksLikeText } from './files';
import { objectToMesh } from './to-mesh';

const HEADER_BYTES = 84;
const FACE_BYTES = 50;
const MAX_PLAUSIBLE_FACES = Math.floor((2 ** 32 - HEADER_BYTES) / FACE_BYTES);

export function stlLayout(bytes: ArrayBuffer): { binary: boolean; faces: number } {
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 10));
  const startsWithSolid = [0, 1, 2, 3, 4].some((offset) =>
    [115, 111, 108, 105, 100].every((c, i) => head[offset + i] === c),
  );
  if (bytes.byteLength < HEADER_BYTES) return { binary: !startsWithSolid, faces: 0 };
  const faces = new DataView(bytes).getUint32(80, true);
  if (HEADER_BYTES + faces * FACE_BYTES === bytes.byteLength) return { binary: true, faces };
  return { binary: !startsWithSolid, faces };
}

export async function importStl(
  fileName: string,
  bytes: ArrayBuffer,
  signal?: AbortSignal,
): Promise<TriangleMesh> {
  const { binary, faces } = stlLayout(bytes);
  if (binary) {
    if (bytes.byteLength < HEADER_BYTES) {
      throw new CorruptFileError(
        fileName,
        `it is ${bytes.byteLength} bytes, shorter than a binary STL header`,
      );
    }
    // A count no file under 4 GiB could hold is noise, not a big mesh: call that corrupt instead.
    if (faces > MAX_TRIANGLES && faces <= MAX_PLAUSIBLE_FACES) throw new MeshTooLargeError(fileName, faces);
    const needed = HEADER_BYTES + faces * FACE_BYTES;
    if (needed > bytes.byteLength) {
      throw new CorruptFileError(
        fileName,
        `its header announces ${faces} triangles (${needed} bytes) but the file has ${bytes.byteLength} bytes, so it is truncated or not an STL`,
      );
    }
  } else {
    const all = new Uint8Array(bytes);
    if (!looksLikeText(all)) throw new CorruptFileError(fileName, 'it is neither a binary nor a text STL');
    const text = new TextDecoder().decode(all);
    if (/\bfacet\b/.test(text) && !/\bendsolid\b/.test(text)) {
      throw new CorruptFileError(fileName, 'it is truncated (the text STL has no “endsolid”)');
    }
  }
  const { STLLoader } = await import('three/examples/jsm/loaders/STLLoader.js');
  throwIfAborted(signal, 'Import');
  let mesh: Mesh;
  try {
    const geometry = withRawColors(() => new STLLoader().parse(bytes));
    mesh = new Mesh(geometry, new MeshBasicMaterial());
  } catch (error) {
    throw new CorruptFileError(fileName, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  return objectToMesh(mesh, { fileName, colorSpace: 'srgb', textureOriginTopLeft: false, signal });
}
