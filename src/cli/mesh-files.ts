/**
 * Reads a mesh and its side files from disk for the CLI: the files named on the command line, plus
 * every file the mesh (or its .mtl) references that sits beside it. What cannot be found is left
 * to the importer to report (a missing .bin is an error, a missing texture a warning).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from '../core/errors';
import type { InputFile } from '../engine/engine-api';
import { listReferences } from '../io/import/references';

async function readInput(path: string): Promise<InputFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(error);
    throw new InvalidArgumentError(`Cannot read “${path}”: ${reason}.`, 'Check the path to the mesh file.');
  }
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return { name: basename(path), bytes: buffer };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function readMeshFiles(meshPath: string, sidePaths: string[] = []): Promise<InputFile[]> {
  const files = [await readInput(meshPath)];
  for (const path of sidePaths) files.push(await readInput(path));
  const have = new Set(files.map((f) => f.name.toLowerCase()));
  const folder = dirname(resolve(meshPath));
  // Breadth-first, so the .mtl an .obj names is read and then the textures that .mtl names.
  for (let i = 0; i < files.length; i++) {
    for (const reference of listReferences(files[i])) {
      const name = basename(reference.replace(/\\/g, '/'));
      if (!name || have.has(name.toLowerCase())) continue;
      const candidates = [
        isAbsolute(reference) ? reference : resolve(folder, reference.replace(/\\/g, '/')),
        resolve(folder, name),
      ];
      for (const candidate of candidates) {
        if (await isFile(candidate)) {
          files.push(await readInput(candidate));
          have.add(name.toLowerCase());
          break;
        }
      }
    }
  }
  return files;
}
