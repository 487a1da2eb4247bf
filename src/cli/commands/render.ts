import { countOccupied, type VoxelGrid } from '../../core/grid';
import { normalizeMesh } from '../../core/normalize';
import { renderView, VIEW_SPEC } from '../../core/render';
import { voxelize } from '../../core/voxelize';
import { decodeImageNode } from '../../io/decode-image-node';
import { encodePng } from '../../io/export/png-encoder';
import { importMeshFiles } from '../../io/import';
import { readGrid, writeAtomically } from '../cli-files';
import { type CliCommand, type CliIO, parseArgs, UsageError } from '../cli-io';
import { readMeshFiles } from '../mesh-files';

const usage =
  'flowsmith render <mesh|grid.npy> [side files...] --view <0-7> [--flat] [--colors <colors.npy>] -o <view.png>';

function parseView(text: string | undefined): number {
  if (text === undefined) return 0;
  const view = Number(text);
  if (text.trim() === '' || !Number.isInteger(view) || view < 0 || view >= VIEW_SPEC.views) {
    throw new UsageError(
      `--view must be a whole number from 0 to ${VIEW_SPEC.views - 1}; got “${text}”.`,
      usage,
    );
  }
  return view;
}

async function gridFromMesh(meshPath: string, sidePaths: string[], io: CliIO): Promise<VoxelGrid> {
  const files = await readMeshFiles(meshPath, sidePaths);
  const { mesh, fileName, warnings } = await importMeshFiles(files, { decodeImage: decodeImageNode });
  for (const warning of warnings) io.err(`flowsmith: warning: ${warning}\n`);
  return voxelize(normalizeMesh(mesh, fileName).mesh, { resolution: VIEW_SPEC.gridResolution });
}

export const renderCommand: CliCommand = {
  name: 'render',
  summary:
    'Render one canonical view (the model’s contract: orthographic, 20° elevation, azimuth k·45°, 128×128) ' +
    'of a mesh (imported, normalized, voxelized) or a grid .npy, shaded or --flat, as PNG.',
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      { values: ['view', 'o', 'output', 'colors'], flags: ['flat'], aliases: { '--colours': '--colors' } },
      usage,
    );
    if (positionals.length === 0) throw new UsageError('render needs a mesh file or a grid .npy.', usage);
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('render needs an output path: -o <view.png>.', usage);
    const view = parseView(values.get('view'));
    const flat = flags.has('flat');
    const [inputPath, ...sidePaths] = positionals;
    const isGrid = inputPath.toLowerCase().endsWith('.npy');
    const colorsPath = values.get('colors');
    if (!isGrid && colorsPath !== undefined) {
      throw new UsageError('--colors goes with a grid .npy; a mesh brings its own colours.', usage);
    }
    if (isGrid && sidePaths.length > 0) {
      throw new UsageError(`render takes one grid; got ${positionals.length} paths.`, usage);
    }

    const grid = isGrid
      ? await readGrid(inputPath, colorsPath)
      : await gridFromMesh(inputPath, sidePaths, io);
    const image = renderView(grid, view, { flat });
    await writeAtomically(output, await encodePng(image));
    io.out(
      `${inputPath}: ${countOccupied(grid.occupancy).toLocaleString('en-US')} voxels of ${grid.resolution}³ → ` +
        `view ${view} (${flat ? 'flat' : 'shaded'}), ${image.width}×${image.height}\nwrote ${output}\n`,
    );
    return 0;
  },
};
