/**
 * `flowsmith render`: one canonical view (the model's contract, training/RENDERER.md) of a mesh or a
 * grid, as a 128×128 PNG. A mesh is imported, normalized and voxelized exactly as the studio does, so
 * the image is the one the model would be conditioned on; a grid .npy is rendered as it is.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, InvalidGridError } from '../../core/errors';
import { countOccupied, createGrid, type VoxelGrid } from '../../core/grid';
import { normalizeMesh } from '../../core/normalize';
import { decodeNpy } from '../../core/npy';
import { renderView, VIEW_SPEC } from '../../core/render';
import { voxelize } from '../../core/voxelize';
import { decodeImageNode } from '../../io/decode-image-node';
import { encodePng } from '../../io/export/png-encoder';
import { importMeshFiles } from '../../io/import';
import { type CliCommand, type CliIO, parseArgs, UsageError } from '../cli-io';
import { readMeshFiles } from '../mesh-files';

const usage =
  'flowsmith render <mesh|grid.npy> [side files...] --view <0-7> [--flat] [--colors <colors.npy>] -o <view.png>';

/** Colour of every voxel of a grid given without --colors: a light neutral grey. */
const DEFAULT_GREY = 200;

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

async function readNpy(path: string, what: string) {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new InvalidArgumentError(`Cannot read “${path}”: ${reason}.`, `Check the path to the ${what}.`);
  }
  return decodeNpy(bytes, `“${path}”`);
}

/** Occupancy (any non-zero value is occupied) and optional colours, both uint8, indexed [z][y][x]. */
async function readGrid(path: string, colorsPath: string | undefined): Promise<VoxelGrid> {
  const occupancy = await readNpy(path, 'grid');
  const { shape } = occupancy;
  if (occupancy.dtype !== 'uint8' || shape.length !== 3 || shape[0] !== shape[1] || shape[1] !== shape[2]) {
    throw new InvalidGridError(
      `“${path}” is ${occupancy.dtype} of shape (${shape.join(', ')}); a grid must be uint8 of shape (R, R, R).`,
      'Save the occupancy as numpy.save(path, grid.astype(numpy.uint8)), indexed [z][y][x].',
    );
  }
  const resolution = shape[0];
  const grid = createGrid(resolution);
  const data = occupancy.data as Uint8Array;
  for (let i = 0; i < data.length; i++) grid.occupancy[i] = data[i] !== 0 ? 1 : 0;
  if (colorsPath === undefined) {
    grid.colors.fill(DEFAULT_GREY);
    return grid;
  }
  const colors = await readNpy(colorsPath, 'colours');
  const expected = [resolution, resolution, resolution, 3];
  if (colors.dtype !== 'uint8' || colors.shape.join() !== expected.join()) {
    throw new InvalidGridError(
      `“${colorsPath}” is ${colors.dtype} of shape (${colors.shape.join(', ')}); the colours of a ` +
        `${resolution}³ grid must be uint8 of shape (${expected.join(', ')}).`,
      'Write them with `flowsmith voxelize --colors`, or numpy.save(path, colors.astype(numpy.uint8)).',
    );
  }
  grid.colors.set(colors.data as Uint8Array);
  return grid;
}

async function gridFromMesh(meshPath: string, sidePaths: string[], io: CliIO): Promise<VoxelGrid> {
  const files = await readMeshFiles(meshPath, sidePaths);
  const { mesh, fileName, warnings } = await importMeshFiles(files, { decodeImage: decodeImageNode });
  for (const warning of warnings) io.err(`flowsmith: warning: ${warning}\n`);
  return voxelize(normalizeMesh(mesh, fileName).mesh, { resolution: VIEW_SPEC.gridResolution });
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : String(error);
    throw new InvalidArgumentError(`Cannot write “${path}”: ${reason}.`, 'Choose a writable output path.');
  }
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
