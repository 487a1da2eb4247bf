/** The CLI's model pack: a folder on disk, run on onnxruntime-node. */

import type { PackSource } from '../engine/edit-service';
import { nodePackReader } from '../model/pack-node';

export function nodePackSource(dir: string, name = 'default'): PackSource {
  return {
    name,
    reader: nodePackReader(dir),
    async chooseBackend() {
      return { backend: 'node', notice: null };
    },
  };
}
