/**
 * Input checks for Voxel-Merge and Slat-Merge: every bad grid becomes a typed error that says what
 * is wrong, before any work (or any file write) happens.
 */
import { InvalidArgumentError, InvalidGridError } from '../errors';
import type { NpyArray } from '../npy';

/** Largest grid side the merge accepts (labels and indices must fit the GPU's u32 buffers). */
export const MAX_MERGE_RESOLUTION = 256;

export function checkResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > MAX_MERGE_RESOLUTION) {
    throw new InvalidGridError(
      `Grid resolution must be an integer from 1 to ${MAX_MERGE_RESOLUTION}; got ${String(resolution)}.`,
      `Voxel-Merge works on cubic grids of at most ${MAX_MERGE_RESOLUTION}³ voxels.`,
    );
  }
}

/** Checks length R³ and that every value is 0 or 1; `name` says which grid in the message. */
export function checkBinaryGrid(grid: Uint8Array, resolution: number, name: string): void {
  checkResolution(resolution);
  const expected = resolution ** 3;
  if (!(grid instanceof Uint8Array)) {
    throw new InvalidGridError(
      `The ${name} grid is not a Uint8Array.`,
      'Pass occupancy as one byte per voxel.',
    );
  }
  if (grid.length !== expected) {
    throw new InvalidGridError(
      `The ${name} grid has ${grid.length} voxels but a ${resolution}³ grid has ${expected}.`,
      'Both grids must be cubic and of the same resolution.',
    );
  }
  if (isBinary(grid)) return;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < expected; i++) {
    if (grid[i] > 1) {
      if (first < 0) first = i;
      bad++;
    }
  }
  const x = first % resolution;
  const y = Math.floor(first / resolution) % resolution;
  const z = Math.floor(first / (resolution * resolution));
  throw new InvalidGridError(
    `The ${name} grid is not binary: ${bad} voxel${bad === 1 ? ' has' : 's have'} values other than 0 or 1 (first at x=${x}, y=${y}, z=${z}, value ${grid[first]}).`,
    'Threshold it first, e.g. (grid > 0).astype(numpy.uint8).',
  );
}

/**
 * OR-reduces the bytes, four at a time where the buffer allows, so that checking a valid grid
 * stays a small part of the merge (byte by byte it cost a quarter of a sparse 128³ merge).
 */
function isBinary(grid: Uint8Array): boolean {
  let any = 0;
  let start = 0;
  if (grid.byteOffset % 4 === 0) {
    const words = new Uint32Array(grid.buffer, grid.byteOffset, grid.length >> 2);
    for (let w = 0; w < words.length; w++) any |= words[w];
    start = words.length << 2;
  }
  for (let i = start; i < grid.length; i++) any |= grid[i];
  return (any & 0xfefefefe) === 0;
}

/** Two grids that are to be compared voxel by voxel: same resolution, both binary. */
export function checkGridPair(src: Uint8Array, edited: Uint8Array, resolution: number): void {
  checkResolution(resolution);
  if (src.length !== edited.length) {
    throw new InvalidGridError(
      `The source grid has ${src.length} voxels and the edited grid ${edited.length}; they must match.`,
      `Give two ${resolution}³ grids of the same object space.`,
    );
  }
  checkBinaryGrid(src, resolution, 'source');
  checkBinaryGrid(edited, resolution, 'edited');
}

/** A .npy occupancy grid as (resolution, bytes): uint8 (or bool), shape (R, R, R), R ≤ 256. */
export function gridFromNpy(array: NpyArray, name: string): { resolution: number; data: Uint8Array } {
  if (array.dtype !== 'uint8') {
    throw new InvalidGridError(
      `${name} has dtype ${array.dtype}; an occupancy grid must be uint8 (or bool).`,
      'Convert it first, e.g. numpy.save(path, (grid > 0).astype(numpy.uint8)).',
    );
  }
  const shape = array.shape;
  if (shape.length !== 3 || shape[0] !== shape[1] || shape[1] !== shape[2]) {
    throw new InvalidGridError(
      `${name} has shape (${shape.join(', ')}); an occupancy grid must be cubic, shape (R, R, R).`,
      'Save the grid as a 3-D array indexed [z][y][x].',
    );
  }
  const resolution = shape[0];
  if (resolution < 1 || resolution > MAX_MERGE_RESOLUTION) {
    throw new InvalidGridError(
      `${name} is ${resolution}³; Voxel-Merge accepts grids from 1³ to ${MAX_MERGE_RESOLUTION}³.`,
      `Downsample the grid to ${MAX_MERGE_RESOLUTION}³ or less.`,
    );
  }
  const data = array.data as Uint8Array;
  checkBinaryGrid(data, resolution, name);
  return { resolution, data };
}

/** Feature grids for Slat-Merge: C float channels per voxel, channel-last. */
export function checkFeatures(features: Float32Array, voxels: number, channels: number, name: string): void {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new InvalidArgumentError(
      `The channel count must be a positive integer; got ${String(channels)}.`,
      'Pass the number of float features stored per voxel.',
    );
  }
  if (!(features instanceof Float32Array) || features.length !== voxels * channels) {
    const got = features instanceof Float32Array ? `${features.length} floats` : 'not a Float32Array';
    throw new InvalidGridError(
      `The ${name} features are ${got}; ${voxels} voxels × ${channels} channels need ${voxels * channels}.`,
      'Features are stored channel-last: feature[i·C + c] for voxel i and channel c.',
    );
  }
}
