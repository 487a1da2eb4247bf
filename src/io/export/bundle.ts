/**
 * The edit-pair bundle (issue 6): everything that reproduces and shows one edit — both objects as GLB
 * and as 64³ grids, the mask, both condition views and the parameters — as named files. The CLI writes
 * them into a folder; the studio downloads them as one zip.
 */
import { zipSync } from 'fflate';
import type { VoxelGrid } from '../../core/grid';
import { encodeNpy } from '../../core/npy';
import { extractSurface } from '../../core/surface';
import { exportGlb } from './glb-writer';
import { encodePng } from './png-encoder';

export interface BundleInput {
  source: VoxelGrid;
  result: VoxelGrid;
  mask: Uint8Array;
  sourceView: { width: number; height: number; data: Uint8Array };
  targetView: { width: number; height: number; data: Uint8Array };
  params: Record<string, unknown>;
}

export const BUNDLE_FILES = [
  'source.glb',
  'target.glb',
  'source.npy',
  'target.npy',
  'mask.npy',
  'c_src.png',
  'c_tgt.png',
  'params.json',
] as const;

export type BundleFiles = Record<(typeof BUNDLE_FILES)[number], Uint8Array>;

function gridNpy(data: Uint8Array, resolution: number): Uint8Array {
  return encodeNpy({ dtype: 'uint8', shape: [resolution, resolution, resolution], data });
}

/** A grid as a GLB of its smooth surface (EmptyExportError when the grid is empty). */
export function gridGlb(grid: VoxelGrid, name: string): Uint8Array {
  return exportGlb(extractSurface(grid), { name });
}

export async function buildBundle(input: BundleInput): Promise<BundleFiles> {
  const R = input.source.resolution;
  return {
    'source.glb': gridGlb(input.source, 'source'),
    'target.glb': gridGlb(input.result, 'target'),
    'source.npy': gridNpy(input.source.occupancy, R),
    'target.npy': gridNpy(input.result.occupancy, R),
    'mask.npy': gridNpy(input.mask, R),
    'c_src.png': await encodePng(input.sourceView),
    'c_tgt.png': await encodePng(input.targetView),
    'params.json': new TextEncoder().encode(`${JSON.stringify(input.params, null, 2)}\n`),
  };
}

/** The bundle as one zip, every file under `folder/` (stored: GLB and PNG are compressed already). */
export function zipBundle(files: BundleFiles, folder = 'flowsmith-edit'): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(files)) entries[`${folder}/${name}`] = bytes;
  return zipSync(entries, { level: 6 });
}
