/**
 * The dropped files as one set: which one is the mesh, and how a reference inside it (a glTF
 * buffer or image uri, an OBJ mtllib, an MTL map_Kd) finds its side file. References are matched
 * by base name, case-insensitively, because a drop or a CLI argument list has no folder structure
 * and exporters write paths from the author's disk ("C:\\models\\tex\\Wood.PNG").
 */
import { CorruptFileError, InvalidArgumentError, UnsupportedFormatError } from '../../core/errors';
import type { InputFile, MeshFormat } from '../../engine/engine-api';

export const MESH_EXTENSIONS: Record<string, MeshFormat> = {
  glb: 'glb',
  gltf: 'gltf',
  obj: 'obj',
  stl: 'stl',
  ply: 'ply',
};

export const SIDE_EXTENSIONS = new Set(['bin', 'mtl', 'png', 'jpg', 'jpeg', 'webp']);

export function extensionOf(name: string): string {
  return /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
}

export function baseName(path: string): string {
  const parts = path.split(/[/\\]/);
  return parts[parts.length - 1] ?? path;
}

/** Picks the mesh among the files; the rest are side files. */
export function pickMainFile(files: InputFile[]): { main: InputFile; format: MeshFormat } {
  if (files.length === 0) {
    throw new InvalidArgumentError(
      'No file was given.',
      'Drop a mesh file (.glb, .gltf, .obj, .stl or .ply).',
    );
  }
  const meshes = files.filter((f) => MESH_EXTENSIONS[extensionOf(f.name)] !== undefined);
  if (meshes.length === 0) {
    const first = files.find((f) => !SIDE_EXTENSIONS.has(extensionOf(f.name))) ?? files[0];
    throw new UnsupportedFormatError(
      first.name,
      files.length > 1 ? 'none of the files is a mesh' : undefined,
    );
  }
  if (meshes.length > 1) {
    throw new InvalidArgumentError(
      `${meshes.length} mesh files were given together (${meshes.map((m) => m.name).join(', ')}).`,
      'Open one mesh at a time, together with only its own side files.',
    );
  }
  const main = meshes[0];
  return { main, format: MESH_EXTENSIONS[extensionOf(main.name)] };
}

export class FileSet {
  private readonly byName = new Map<string, InputFile>();

  constructor(files: InputFile[]) {
    for (const file of files) this.byName.set(baseName(file.name).toLowerCase(), file);
  }

  /** The file a reference names, or undefined. Percent-escapes in uris are undone first. */
  find(reference: string): InputFile | undefined {
    let name = baseName(reference.trim());
    try {
      name = decodeURIComponent(name);
    } catch {
      // Not percent-encoded after all (a literal "%" in a file name): use it as written.
    }
    return this.byName.get(name.toLowerCase());
  }

  /** Files with one of these extensions, in the order given. */
  withExtension(...extensions: string[]): InputFile[] {
    return [...this.byName.values()].filter((f) => extensions.includes(extensionOf(f.name)));
  }
}

export function isDataUri(uri: string): boolean {
  return /^data:/i.test(uri);
}

/** Decodes a data: URI (base64 or percent-encoded) into its bytes and media type. */
export function decodeDataUri(uri: string, fileName: string): { bytes: Uint8Array; mimeType: string } {
  const match = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(uri);
  if (!match) throw new CorruptFileError(fileName, 'it holds a malformed data: URI');
  const mimeType = match[1] || 'application/octet-stream';
  try {
    if (match[2]) {
      const binary = atob(match[3].replace(/\s+/g, ''));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return { bytes, mimeType };
    }
    return { bytes: new TextEncoder().encode(decodeURIComponent(match[3])), mimeType };
  } catch (error) {
    throw new CorruptFileError(fileName, 'it holds a data: URI whose payload does not decode', {
      cause: error,
    });
  }
}

/** True when the bytes look like text (no NUL, few control characters) in their first kilobytes. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return false;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return control <= n * 0.01;
}
