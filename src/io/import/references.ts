/**
 * The side files a mesh file names (glTF buffers and images, OBJ mtllib, MTL map_Kd, PLY
 * TextureFile), without parsing geometry. The CLI uses it to pick those files from the mesh's
 * folder; a browser drop has them already. Unreadable input yields no references: the importer,
 * not this list, reports what is wrong with the file.
 */
import type { InputFile } from '../../engine/engine-api';
import { extensionOf, isDataUri } from './files';
import { type GltfDocument, readGlbJson } from './gltf-json';
import { scanObj } from './obj';

export function listReferences(file: InputFile): string[] {
  try {
    switch (extensionOf(file.name)) {
      case 'gltf':
      case 'glb':
        return gltfReferences(file);
      case 'obj':
        return scanObj(new TextDecoder().decode(file.bytes)).materialLibraries.flatMap((l) => [
          l,
          ...l.split(/\s+/),
        ]);
      case 'mtl':
        return mtlTextures(new TextDecoder().decode(file.bytes));
      case 'ply':
        return plyTextures(new TextDecoder('latin1').decode(file.bytes.slice(0, 1 << 16)));
      default:
        return [];
    }
  } catch {
    return [];
  }
}

function gltfReferences(file: InputFile): string[] {
  const binary = file.bytes.byteLength >= 4 && new DataView(file.bytes).getUint32(0, true) === 0x46546c67;
  const text = binary ? readGlbJson(file.bytes, file.name) : new TextDecoder().decode(file.bytes);
  const doc = JSON.parse(text) as GltfDocument;
  return [...(doc.buffers ?? []), ...(doc.images ?? [])]
    .map((entry) => entry.uri)
    .filter((uri): uri is string => typeof uri === 'string' && !isDataUri(uri))
    .map((uri) => {
      try {
        return decodeURIComponent(uri);
      } catch {
        return uri;
      }
    });
}

function mtlTextures(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*map_kd\s+(.+)$/i.exec(line);
    if (!match) continue;
    // Options (-s 1 1 1, -o ..., -bm 0.5 ...) come first; the file name is what follows them.
    const words = match[1].trim().split(/\s+/);
    let i = 0;
    while (i < words.length && words[i].startsWith('-')) {
      i++;
      while (i < words.length - 1 && /^[-+]?[\d.]+$/.test(words[i])) i++;
    }
    names.push(words.slice(i).join(' '));
  }
  return names;
}

function plyTextures(head: string): string[] {
  const end = head.indexOf('end_header');
  const header = end >= 0 ? head.slice(0, end) : head;
  return [...header.matchAll(/^comment\s+texturefile\s+(.+?)\s*$/gim)].map((m) => m[1]);
}
