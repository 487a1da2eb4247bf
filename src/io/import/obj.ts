/**
 * Wavefront OBJ (+ MTL + textures) through three.js' OBJLoader and MTLLoader. OBJLoader never
 * fails: it warns about lines it does not know and returns an empty group, so we read the text
 * first to tell garbage (CorruptFileError) from a file without faces (EmptyMeshError), count its
 * triangles (MeshTooLargeError before parsing) and find its mtllib names. A missing .mtl is not an
 * error: the mesh imports with a white default material and a warning. MTL texture maps go through
 * a LoadingManager handler that hands the image bytes to the injected decoder.
 */
import { DataTexture, Loader, LoadingManager, type Texture } from 'three';
import {
  CorruptFileError,
  EmptyMeshError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  throwIfAborted,
} from '../../core/errors';
import type { TriangleMesh } from '../../core/mesh';
import { type ImageDecoder, mimeTypeFromName } from '../image-decoder';
import { withRawColors } from './color';
import { extensionOf, type FileSet, looksLikeText } from './files';
import { objectToMesh } from './to-mesh';

const STATEMENTS = new Set(
  'v vn vt vp f l p o g s usemtl mtllib cstype deg bmat step curv curv2 surf parm trim hole scrv sp end con mg bevel c_interp d_interp lod shadow_obj trace_obj ctech stech maplib usemap'.split(
    ' ',
  ),
);

export interface ObjScan {
  vertices: number;
  triangles: number;
  materialLibraries: string[];
  unknownLines: number;
  knownLines: number;
  /** The first face corner that names a vertex that does not exist (1-based line number). */
  badReference?: { line: number; index: number; vertices: number };
}

export function scanObj(text: string): ObjScan {
  const scan: ObjScan = { vertices: 0, triangles: 0, materialLibraries: [], unknownLines: 0, knownLines: 0 };
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    lineNumber++;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#') || line === '\0') continue;
    const keyword = line.split(/\s/, 1)[0];
    if (!STATEMENTS.has(keyword)) {
      scan.unknownLines++;
      continue;
    }
    scan.knownLines++;
    if (keyword === 'v') scan.vertices++;
    else if (keyword === 'f') {
      const corners = line.split(/\s+/);
      scan.triangles += Math.max(0, corners.length - 3);
      // OBJLoader turns a reference past the vertex list into NaN positions; catch it here instead.
      for (let c = 1; c < corners.length && !scan.badReference; c++) {
        const index = Number.parseInt(corners[c], 10);
        const resolved = index < 0 ? scan.vertices + index + 1 : index;
        if (!(resolved >= 1 && resolved <= scan.vertices)) {
          scan.badReference = { line: lineNumber, index, vertices: scan.vertices };
        }
      }
    } else if (keyword === 'mtllib') scan.materialLibraries.push(line.slice(6).trim());
  }
  return scan;
}

export async function importObj(
  fileName: string,
  bytes: ArrayBuffer,
  files: FileSet,
  decodeImage: ImageDecoder,
  warnings: string[],
  signal?: AbortSignal,
): Promise<TriangleMesh> {
  const raw = new Uint8Array(bytes);
  if (!looksLikeText(raw)) throw new CorruptFileError(fileName, 'it is binary data, not OBJ text');
  const text = new TextDecoder().decode(raw);
  const scan = scanObj(text);
  if (scan.unknownLines > scan.knownLines) {
    throw new CorruptFileError(fileName, `${scan.unknownLines} of its lines are not OBJ statements`);
  }
  if (scan.triangles > MAX_TRIANGLES) throw new MeshTooLargeError(fileName, scan.triangles);
  if (scan.triangles === 0 || scan.vertices === 0) throw new EmptyMeshError(fileName);
  if (scan.badReference) {
    const { line, index, vertices } = scan.badReference;
    throw new CorruptFileError(
      fileName,
      `the face on line ${line} uses vertex ${index}, but only ${vertices} are defined before it`,
    );
  }

  const [{ OBJLoader }, { MTLLoader }] = await Promise.all([
    import('three/examples/jsm/loaders/OBJLoader.js'),
    import('three/examples/jsm/loaders/MTLLoader.js'),
  ]);
  throwIfAborted(signal, 'Import');

  const mtlText = materialLibraryText(fileName, scan.materialLibraries, files, warnings);
  const textures = new DecodingTextureLoader(files, decodeImage, warnings);
  const manager = new LoadingManager();
  manager.addHandler(/./, textures);
  const loader = new OBJLoader();
  const group = withRawColors(() => {
    if (mtlText !== undefined) {
      const creator = new MTLLoader(manager).parse(mtlText, '');
      loader.setMaterials(creator);
    }
    return loader.parse(text);
  });
  await textures.settled();
  throwIfAborted(signal, 'Import');
  return objectToMesh(group, { fileName, colorSpace: 'srgb', textureOriginTopLeft: false, signal });
}

/** The referenced .mtl files' text, joined; with no mtllib line, any .mtl that was dropped along. */
function materialLibraryText(
  fileName: string,
  libraries: string[],
  files: FileSet,
  warnings: string[],
): string | undefined {
  const texts: string[] = [];
  if (libraries.length === 0) {
    for (const file of files.withExtension('mtl')) texts.push(new TextDecoder().decode(file.bytes));
  }
  for (const library of libraries) {
    // "mtllib a.mtl b.mtl" names several; a single name may also contain spaces.
    const names = files.find(library)
      ? [library]
      : library.split(/\s+/).filter((n) => extensionOf(n) === 'mtl');
    for (const name of names.length > 0 ? names : [library]) {
      const file = files.find(name);
      if (file) texts.push(new TextDecoder().decode(file.bytes));
      else
        warnings.push(`“${fileName}” refers to “${name}”, which was not given; default materials are used.`);
    }
  }
  if (texts.length === 0) return undefined;
  // Only the diffuse map colours voxels; dropping the other maps saves decoding them (and warning
  // about bump or specular images nobody sent).
  return texts
    .join('\n')
    .split('\n')
    .filter((line) => !/^\s*(map_(?!kd\b)\w+|bump|disp|decal|norm|refl)\b/i.test(line))
    .join('\n');
}

/** A three.js texture loader that never touches the DOM: bytes from the file set, pixels from the decoder. */
class DecodingTextureLoader extends Loader<Texture> {
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly files: FileSet,
    private readonly decodeImage: ImageDecoder,
    private readonly warnings: string[],
  ) {
    super();
  }

  override load(url: string): Texture {
    const texture = new DataTexture();
    const file = this.files.find(url);
    if (!file) {
      this.warnings.push(`Texture “${url}” was not given; the mesh is imported without it.`);
      return texture;
    }
    this.pending.push(
      this.decodeImage(new Uint8Array(file.bytes), mimeTypeFromName(file.name) ?? 'image/png').then(
        (image) => {
          texture.image = image;
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.warnings.push(`Texture “${url}” could not be decoded (${reason}); it is left out.`);
        },
      ),
    );
    return texture;
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}
