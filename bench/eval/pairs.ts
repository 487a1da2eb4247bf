/**
 * Reader of the quality report's ground-truth edit pairs (bench/data/edit-pairs-{test,val}.bin.gz),
 * written by training/scripts/make_eval_pairs.py, whose docstring is the format's specification:
 * gzip of  "FSEPAIRS" · u32 JSON length · JSON header · per pair (source grid, target grid), each grid
 * as LEB128 gaps between ascending voxel indices followed by 3 colour bytes per voxel.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { VoxelGrid } from '../../src/core/grid';

export type PairKind = 'add' | 'remove' | 'replace';

export interface PairMeta {
  family: string;
  kind: PairKind;
  slot: string;
  sourceVariant: string;
  targetVariant: string;
  /** Held-out corpus seed (≡ 0 mod 10, training/corpus/split.py). */
  seed: number;
  /** The canonical view where source and target renders differ in the most pixels. */
  view: number;
  viewPixels: number;
  /** Voxels whose occupancy differs between source and target (not dilated). */
  regionVoxels: number;
  sourceVoxels: number;
  targetVoxels: number;
}

export interface EditPairData extends PairMeta {
  index: number;
  source: VoxelGrid;
  target: VoxelGrid;
}

export interface PairsFile {
  split: string;
  resolution: number;
  generator: string;
  pairs: EditPairData[];
}

interface Header {
  format: string;
  version: number;
  resolution: number;
  split: string;
  generator: string;
  pairs: PairMeta[];
}

const MAGIC = 'FSEPAIRS';

class Cursor {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  take(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) throw new Error('edit-pairs file: truncated');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.take(1)[0];
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
  }
}

function readGrid(cursor: Cursor, count: number, resolution: number): VoxelGrid {
  const n = resolution ** 3;
  const occupancy = new Uint8Array(n);
  const colors = new Uint8Array(3 * n);
  const indices = new Int32Array(count);
  let index = -1;
  for (let k = 0; k < count; k++) {
    index += cursor.varint();
    if (index >= n) throw new Error(`edit-pairs file: voxel index ${index} outside ${resolution}³`);
    indices[k] = index;
    occupancy[index] = 1;
  }
  const rgb = cursor.take(3 * count);
  for (let k = 0; k < count; k++) colors.set(rgb.subarray(3 * k, 3 * k + 3), 3 * indices[k]);
  return { resolution, occupancy, colors };
}

export function parsePairs(gzipped: Uint8Array): PairsFile {
  const bytes = new Uint8Array(gunzipSync(gzipped));
  const cursor = new Cursor(bytes);
  const magic = new TextDecoder().decode(cursor.take(MAGIC.length));
  if (magic !== MAGIC) throw new Error(`not an edit-pairs file (magic “${magic}”)`);
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(cursor.offset, true);
  cursor.take(4);
  const header = JSON.parse(new TextDecoder().decode(cursor.take(length))) as Header;
  if (header.format !== 'flowsmith-edit-pairs' || header.version !== 1) {
    throw new Error(`edit-pairs file: unsupported format ${header.format} v${header.version}`);
  }
  const pairs = header.pairs.map((meta, index) => {
    const source = readGrid(cursor, meta.sourceVoxels, header.resolution);
    const target = readGrid(cursor, meta.targetVoxels, header.resolution);
    return { ...meta, index, source, target };
  });
  if (cursor.offset !== bytes.length) throw new Error('edit-pairs file: trailing bytes');
  return { split: header.split, resolution: header.resolution, generator: header.generator, pairs };
}

export function readPairs(path: string): PairsFile {
  return parsePairs(new Uint8Array(readFileSync(path)));
}
