/**
 * A picture of the quality report: one row per edit pair, the images a person would compare —
 * c_src | c_tgt (the true target at the view) | the merged result at the view | the result and the
 * true target from the opposite side (where a single view says nothing) | the diff against the source
 * (added green, removed red), at the view.
 */
import type { VoxelGrid } from '../../src/core/grid';
import { renderView, VIEW_SPEC } from '../../src/core/render';

export interface SheetRow {
  view: number;
  source: VoxelGrid;
  target: VoxelGrid;
  result: VoxelGrid;
}

export const SHEET_COLUMNS = [
  'c_src',
  'c_tgt (true target)',
  'result',
  'result, opposite view',
  'true target, opposite view',
  'change vs source (green added, red removed)',
] as const;

/** The diff as a grid: added voxels green, removed red, the rest of the result light grey. */
function diffGrid(source: VoxelGrid, result: VoxelGrid): VoxelGrid {
  const n = source.occupancy.length;
  const occupancy = new Uint8Array(n);
  const colors = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const s = source.occupancy[i];
    const r = result.occupancy[i];
    if (!s && !r) continue;
    occupancy[i] = 1;
    colors.set(s && r ? [215, 215, 215] : r ? [40, 170, 60] : [210, 50, 50], 3 * i);
  }
  return { resolution: source.resolution, occupancy, colors };
}

/** RGBA8 image of the rows, each cell a canonical view (128²) with a 4-pixel gutter. */
export function contactSheet(rows: SheetRow[]): { width: number; height: number; data: Uint8Array } {
  const cell = VIEW_SPEC.imageSize;
  const gap = 4;
  const cols = SHEET_COLUMNS.length;
  const width = cols * cell + (cols + 1) * gap;
  const height = rows.length * cell + (rows.length + 1) * gap;
  const data = new Uint8Array(width * height * 4).fill(255);
  rows.forEach((row, r) => {
    const opposite = (row.view + 4) % 8;
    const images = [
      renderView(row.source, row.view),
      renderView(row.target, row.view),
      renderView(row.result, row.view),
      renderView(row.result, opposite),
      renderView(row.target, opposite),
      renderView(diffGrid(row.source, row.result), row.view),
    ];
    images.forEach((image, c) => {
      const x0 = gap + c * (cell + gap);
      const y0 = gap + r * (cell + gap);
      for (let y = 0; y < cell; y++) {
        const from = y * cell * 4;
        data.set(image.data.subarray(from, from + cell * 4), ((y0 + y) * width + x0) * 4);
      }
    });
  });
  return { width, height, data };
}
