/**
 * `flowsmith surface`: a grid .npy (and optionally its colours) in, the extracted surface out as a
 * validated-format GLB (DESIGN §1: "s_tgt + z ──surface extraction──▶ edited mesh"). Everything is
 * read, checked and computed before the output is written, through a temporary name, so an error
 * (an empty grid among them: there is nothing to export) leaves no file behind.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, InvalidGridError } from '../../core/errors';
import { createGrid, type VoxelGrid } from '../../core/grid';
import { decodeNpy } from '../../core/npy';
import { extractBlocky, extractSurfaceWithStats, MAX_SURFACE_RESOLUTION } from '../../core/surface';
import { exportGlb } from '../../io/export/glb-writer';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';

const usage =
  'flowsmith surface <grid.npy> [--colors <colors.npy>] [--smoothing <n>] [--blocky] -o <out.glb> [--json]';

/** Colour of every voxel of a grid given without --colors: a light neutral grey (as `render`). */
const DEFAULT_GREY = 200;

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
  if (resolution < 1 || resolution > MAX_SURFACE_RESOLUTION) {
    throw new InvalidGridError(
      `“${path}” is ${resolution}³; surface extraction takes grids from 1³ to ${MAX_SURFACE_RESOLUTION}³.`,
      `Downsample the grid to ${MAX_SURFACE_RESOLUTION}³ or less.`,
    );
  }
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

function parseSmoothing(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new UsageError(`--smoothing must be a whole number from 0 to 100; got “${text}”.`, usage);
  }
  return value;
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

export const surfaceCommand: CliCommand = {
  name: 'surface',
  summary:
    'Extract a smooth, closed, vertex-coloured surface from a grid .npy (interior filled, Surface Nets, ' +
    'smoothed) and write it as GLB; --blocky writes one quad per exposed voxel face instead.',
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      {
        values: ['o', 'output', 'colors', 'smoothing'],
        flags: ['blocky', 'json'],
        aliases: { '--colours': '--colors' },
      },
      usage,
    );
    if (positionals.length !== 1) {
      throw new UsageError(`surface takes one grid .npy; got ${positionals.length}.`, usage);
    }
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('surface needs an output path: -o <out.glb>.', usage);
    const smoothing = parseSmoothing(values.get('smoothing'));
    const blocky = flags.has('blocky');
    if (blocky && smoothing !== undefined) {
      throw new UsageError('--smoothing applies to the smooth surface, not to --blocky.', usage);
    }

    const grid = await readGrid(positionals[0], values.get('colors'));
    const start = performance.now();
    const mesh = blocky ? extractBlocky(grid) : extractSurfaceWithStats(grid, { smoothing }).mesh;
    const extractMs = performance.now() - start;
    const glb = exportGlb(mesh);
    await writeAtomically(output, glb);

    const vertices = mesh.positions.length / 3;
    const triangles = mesh.indices.length / 3;
    if (flags.has('json')) {
      const report = { resolution: grid.resolution, vertices, triangles, bytes: glb.byteLength, extractMs };
      io.out(`${JSON.stringify(report)}\n`);
    } else {
      io.out(
        `${grid.resolution}³ grid → ${blocky ? 'blocky' : 'smooth'} surface: ${vertices.toLocaleString('en-US')} vertices, ` +
          `${triangles.toLocaleString('en-US')} triangles (${extractMs.toFixed(0)} ms) → ${output}\n`,
      );
    }
    return 0;
  },
};
