/**
 * File input and output shared by the commands: .npy reading with errors that name the file,
 * grids with optional colours, and atomic writes (a temporary name, then a rename) so a failing
 * command never leaves a half-written or stale-looking output behind.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, InvalidGridError } from '../core/errors';
import { createGrid, type VoxelGrid } from '../core/grid';
import { decodeNpy, type NpyArray } from '../core/npy';

/** Colour of every voxel of a grid given without colours: a light neutral grey. */
export const DEFAULT_GREY = 200;

export async function readNpy(path: string, what: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new InvalidArgumentError(`Cannot read “${path}”: ${reason}.`, `Check the path to the ${what}.`);
  }
  return decodeNpy(bytes, `“${path}”`);
}

/**
 * Occupancy (any non-zero value is occupied) and optional colours, both uint8, indexed [z][y][x].
 * `purpose` names what refuses grids above `maxResolution`, e.g. "surface extraction".
 */
export async function readGrid(
  path: string,
  colorsPath: string | undefined,
  limit?: { maxResolution: number; purpose: string },
): Promise<VoxelGrid> {
  const occupancy = await readNpy(path, 'grid');
  const { shape } = occupancy;
  if (occupancy.dtype !== 'uint8' || shape.length !== 3 || shape[0] !== shape[1] || shape[1] !== shape[2]) {
    throw new InvalidGridError(
      `“${path}” is ${occupancy.dtype} of shape (${shape.join(', ')}); a grid must be uint8 of shape (R, R, R).`,
      'Save the occupancy as numpy.save(path, grid.astype(numpy.uint8)), indexed [z][y][x].',
    );
  }
  const resolution = shape[0];
  if (limit && (resolution < 1 || resolution > limit.maxResolution)) {
    throw new InvalidGridError(
      `“${path}” is ${resolution}³; ${limit.purpose} takes grids from 1³ to ${limit.maxResolution}³.`,
      `Downsample the grid to ${limit.maxResolution}³ or less.`,
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

export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
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
