/**
 * `flowsmith merge`: Voxel-Merge of two .npy occupancy grids on the CPU twin (DESIGN §4). Every
 * input is read and checked, and the merge computed, before the first byte is written, so a bad
 * input leaves no half-written output behind.
 */
import { rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, InvalidGridError } from '../../core/errors';
import {
  DEFAULT_TAU,
  gridFromNpy,
  listComponents,
  TAU_RULES,
  type TauRule,
  voxelMerge,
} from '../../core/merge';
import { encodeNpy } from '../../core/npy';
import { readNpy } from '../cli-files';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';

const usage =
  'flowsmith merge <src.npy> <edited.npy> --tau <n> [--rule fixed|adaptive] -o <merged.npy> [--mask <mask.npy>] [--json]';

async function readGrid(path: string): Promise<{ resolution: number; data: Uint8Array }> {
  return gridFromNpy(await readNpy(path, '.npy grid'), `“${path}”`);
}

async function writeOutput(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : String(error);
    throw new InvalidArgumentError(`Cannot write “${path}”: ${reason}.`, 'Choose a writable output path.');
  }
}

function parseTau(text: string | undefined, rule: TauRule): number {
  if (text === undefined) return DEFAULT_TAU[rule];
  const tau = Number(text);
  if (text.trim() === '' || !Number.isFinite(tau) || tau <= 0) {
    throw new UsageError(`--tau must be a number greater than 0; got “${text}”.`, usage);
  }
  return tau;
}

export const mergeCommand: CliCommand = {
  name: 'merge',
  summary:
    'Voxel-Merge: keep the edit only in 6-connected diff components of at least τ voxels (fixed, default 100) ' +
    'or, adaptive, of more than τ voxels halving τ (default 250) until the largest survives.',
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      { values: ['tau', 'rule', 'o', 'output', 'mask'], flags: ['json'] },
      usage,
    );
    if (positionals.length !== 2) {
      throw new UsageError(`merge takes two grids (source and edited); got ${positionals.length}.`, usage);
    }
    const rule = values.get('rule') ?? 'fixed';
    if (!TAU_RULES.includes(rule as TauRule)) {
      throw new UsageError(`--rule must be fixed or adaptive; got “${rule}”.`, usage);
    }
    const tau = parseTau(values.get('tau'), rule as TauRule);
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('merge needs an output path: -o <merged.npy>.', usage);
    const maskPath = values.get('mask');

    const [srcPath, editedPath] = positionals;
    const src = await readGrid(srcPath);
    const edited = await readGrid(editedPath);
    if (src.resolution !== edited.resolution) {
      throw new InvalidGridError(
        `“${srcPath}” is ${src.resolution}³ but “${editedPath}” is ${edited.resolution}³.`,
        'Both grids must have the same resolution.',
      );
    }
    const r = src.resolution;
    const result = voxelMerge(src.data, edited.data, r, { tau, rule: rule as TauRule });

    const shape = [r, r, r];
    const mergedBytes = encodeNpy({ dtype: 'uint8', shape, data: result.merged });
    const maskBytes = maskPath ? encodeNpy({ dtype: 'uint8', shape, data: result.mask }) : undefined;
    await writeOutput(output, mergedBytes);
    if (maskPath && maskBytes) {
      try {
        await writeOutput(maskPath, maskBytes);
      } catch (error) {
        // Both files or neither: a merged grid without its mask would look like a finished run.
        await rm(output, { force: true });
        throw error;
      }
    }

    if (flags.has('json')) {
      const components = listComponents(result.components).map(({ size, added, removed, bbox }) => ({
        size,
        added,
        removed,
        bbox,
      }));
      const report = { components, kept: result.kept, tau: result.tau, voxelsChanged: result.voxelsChanged };
      io.out(`${JSON.stringify(report)}\n`);
    } else {
      io.out(
        `${result.components.count} component(s) differ; kept ${result.kept.length} (${rule}, τ = ${result.tau}); ` +
          `${result.voxelsChanged} voxel(s) changed → ${output}${maskPath ? `, mask → ${maskPath}` : ''}\n`,
      );
    }
    return 0;
  },
};
