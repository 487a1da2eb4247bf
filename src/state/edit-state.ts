/**
 * The editing half of the session: the chosen view and its target, the method and its parameters,
 * the last result with its merge, and what the Target viewport shows. Pure helpers live here; the
 * actions that call the engine are in edit-actions.ts.
 */
import type { EditSettings, ResolvedEdit } from '../core/edit/settings';
import type { VoxelGrid } from '../core/grid';
import type { ComponentTable, SizeHistogram, TauRule } from '../core/merge';
import { DEFAULT_TAU } from '../core/merge';
import type { RenderedView } from '../core/render';
import type { EditTimings, PackInfo } from '../engine/engine-api';

export interface MergeState {
  tau: number;
  rule: TauRule;
  /** Whether the view gate limited the merge to what the painted pixels explain. */
  viewGate: boolean;
  mask: Uint8Array;
  kept: number[];
  voxelsChanged: number;
  backend: 'webgpu' | 'cpu';
  ms: number;
}

/** One finished edit: what it was asked, what the editor made, and the merged result at the current τ. */
export interface EditOutcome {
  id: number;
  resolved: ResolvedEdit;
  view: number;
  sourceView: RenderedView;
  targetView: RenderedView;
  /** s_fe, the raw editor output. */
  edited: VoxelGrid;
  /** What s_fe was diffed against; kept so τ can be re-applied after a reload. */
  reference: Uint8Array;
  components: ComponentTable;
  histogram: SizeHistogram;
  merge: MergeState;
  /** s_tgt at the current τ. */
  result: VoxelGrid;
  timings: EditTimings;
  backend: string;
}

export type CompareMode = 'merged' | 'raw';

export interface EditData {
  views: RenderedView[] | null;
  viewIndex: number;
  /** The person's target for the chosen view; null until they paint or drop an image. */
  target: RenderedView | null;
  settings: EditSettings;
  tau: number;
  rule: TauRule;
  /** Keep only changes that the painted pixels explain (core/edit/view-gate.ts). */
  viewGate: boolean;
  pack: PackInfo | null;
  edit: EditOutcome | null;
  compare: CompareMode;
  /** Voxels added green, removed red, dropped components grey, over the result. */
  overlay: boolean;
  /** Decoded x̂0 of the running edit, shown live in the Target viewport. */
  preview: Uint8Array | null;
}

export const DEFAULT_SETTINGS: EditSettings = { method: 'flowedit', kind: 'replace', seed: 0 };

export function initialEditData(): EditData {
  return {
    views: null,
    viewIndex: 0,
    target: null,
    settings: DEFAULT_SETTINGS,
    tau: DEFAULT_TAU.fixed,
    rule: 'fixed',
    viewGate: true,
    pack: null,
    edit: null,
    compare: 'merged',
    overlay: false,
    preview: null,
  };
}

export function sameImage(a: RenderedView, b: RenderedView): boolean {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

const GREEN = [60, 200, 90] as const;
const RED = [225, 60, 60] as const;
const GREY = [130, 130, 140] as const;

/**
 * The diff overlay as a grid: the result with added voxels green, voxels the merge removed red (shown
 * where they were), and difference voxels whose component τ dropped grey.
 */
export function diffOverlay(source: VoxelGrid, edit: EditOutcome): VoxelGrid {
  const R = source.resolution;
  const n = R ** 3;
  const occupancy = new Uint8Array(n);
  const colors = new Uint8Array(3 * n);
  const { result, edited, reference } = edit;
  for (let i = 0; i < n; i++) {
    const was = source.occupancy[i];
    const now = result.occupancy[i];
    let rgb: readonly number[] | null = null;
    if (now && !was) rgb = GREEN;
    else if (was && !now) rgb = RED;
    else if (edit.merge.mask[i] === 0 && edited.occupancy[i] !== reference[i]) rgb = GREY;
    if (rgb) {
      occupancy[i] = 1;
      colors.set(rgb, 3 * i);
    } else if (now) {
      occupancy[i] = 1;
      // The untouched part dimmed, so the changes stand out.
      for (let c = 0; c < 3; c++) colors[3 * i + c] = Math.round(result.colors[3 * i + c] * 0.35 + 150);
    }
  }
  return { resolution: R, occupancy, colors };
}

export function countVoxels(occupancy: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < occupancy.length; i++) n += occupancy[i];
  return n;
}
