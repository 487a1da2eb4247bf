/**
 * `flowsmith reconstruct`: the SS-VAE round trip of a model pack — voxelize a mesh (or read a grid
 * .npy), encode, decode — written as a uint8 .npy grid, with the IoU against the input. It is the
 * quickest check that a pack's VAE keeps the shapes it will edit.
 */
import { join } from 'node:path';
import { gridFromNpy } from '../../core/merge';
import { encodeNpy } from '../../core/npy';
import { InProcessEngine } from '../../engine/in-process-engine';
import { decodeImageNode } from '../../io/decode-image-node';
import { loadRuntime } from '../../model/backends/onnx';
import { openPack } from '../../model/manifest';
import { nodePackReader } from '../../model/pack-node';
import { openVae } from '../../model/vae';
import { readNpy, writeAtomically } from '../cli-files';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';
import { readMeshFiles } from '../mesh-files';

const usage = 'flowsmith reconstruct <mesh|grid.npy> [side files...] -o <grid.npy> [--pack <dir>] [--json]';
export const DEFAULT_PACK_DIR = join(import.meta.dirname, '../../../public/models/default');

async function inputGrid(
  path: string,
  sidePaths: string[],
): Promise<{ occupancy: Uint8Array; resolution: number }> {
  if (path.toLowerCase().endsWith('.npy')) {
    const { data, resolution } = gridFromNpy(await readNpy(path, 'grid'), path);
    return { occupancy: data, resolution };
  }
  const engine = new InProcessEngine({ decodeImage: decodeImageNode });
  const { grid } = await engine.loadSource(await readMeshFiles(path, sidePaths));
  return { occupancy: grid.occupancy, resolution: grid.resolution };
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union === 0 ? 1 : inter / union;
}

export const reconstructCommand: CliCommand = {
  name: 'reconstruct',
  summary: "Round-trip a mesh or grid through a pack's SS-VAE (encode, decode); write the decoded grid.",
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      { values: ['o', 'output', 'pack'], flags: ['json'] },
      usage,
    );
    if (positionals.length === 0) throw new UsageError('reconstruct needs a mesh or a grid .npy.', usage);
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('reconstruct needs an output path: -o <grid.npy>.', usage);
    const packDir = values.get('pack') ?? DEFAULT_PACK_DIR;

    const [path, ...sidePaths] = positionals;
    const input = await inputGrid(path, sidePaths);
    const pack = await openPack(nodePackReader(packDir), packDir, ['ss_encoder', 'ss_decoder']);
    const vae = await openVae(pack, pack.manifest.name, await loadRuntime('node'));
    try {
      const started = performance.now();
      const decoded = await vae.decode(await vae.encode(input.occupancy));
      const ms = performance.now() - started;
      const r = input.resolution;
      await writeAtomically(output, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: decoded }));
      const summary = {
        pack: pack.manifest.name,
        resolution: r,
        inputVoxels: input.occupancy.reduce((a, b) => a + b, 0),
        outputVoxels: decoded.reduce((a, b) => a + b, 0),
        iou: iou(input.occupancy, decoded),
        ms,
      };
      if (flags.has('json')) io.out(`${JSON.stringify(summary)}\n`);
      else {
        io.out(
          `${path} → ${output}: ${summary.inputVoxels} → ${summary.outputVoxels} voxels, IoU ${summary.iou.toFixed(4)} (${pack.manifest.name}, ${ms.toFixed(0)} ms)\n`,
        );
      }
      return 0;
    } finally {
      await vae.release();
    }
  },
};
