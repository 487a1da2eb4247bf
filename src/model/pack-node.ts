/** Node-only: reading a pack folder from disk (CLI, benches, tests). The browser reads packs by fetch. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackReader } from './manifest';

export function nodePackReader(dir: string): PackReader {
  return {
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(dir, path)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
