/**
 * Voxel-Merge (Nano3D, DESIGN §4): g = s_src ⊕ s_fe → 6-connected labels → component stats → keep
 * by τ → mask m → s_tgt = s_src ⊕ m. Runs the fast CPU passes (fast-label.ts, fused.ts; equal bit
 * for bit to the kernel-by-kernel twin) and keeps what the studio needs to move τ afterwards
 * without labelling again (`remerge`).
 */

import { InvalidGridError } from '../errors';
import { type ComponentTable, type SizeHistogram, sizeHistogram } from './components';
import { createLabelScratch, diffAndUnion, type LabelScratch } from './fast-label';
import { checkTau, componentsInFootprint, selectComponents, type TauRule } from './filter';
import { flattenAndMeasure, maskAndMerge } from './fused';
import { checkGridPair } from './validate';

export interface MergeOptions {
  /** Component-size threshold in voxels (> 0, finite). */
  tau: number;
  rule: TauRule;
  /**
   * The view gate (core/edit/view-gate.ts): R³, 1 where a voxel may change. A component is kept only
   * if it also has a voxel here. Absent: τ alone decides (Nano3D's merge).
   */
  footprint?: Uint8Array;
}

/** Buffers a caller may pass to reuse across merges of one resolution (worker, benchmarks). */
export interface MergeBuffers {
  diff: Uint8Array;
  labels: Int32Array;
  /** Room for the ascending list of differing voxels and their component ids (views in the result). */
  foreground: Int32Array;
  componentOf: Int32Array;
  mask: Uint8Array;
  merged: Uint8Array;
  /** Equivalence tables of the labeller; they grow to fit and stay grown for the next call. */
  scratch: LabelScratch;
}

export interface Remerged {
  /** 1 where the voxel belongs to a kept component (the region that takes the edit). */
  mask: Uint8Array;
  /** s_tgt = s_src ⊕ mask. */
  merged: Uint8Array;
  /** Ids of kept components, ascending. */
  kept: number[];
  /** The threshold applied: τ for the fixed rule, τ/2^k for the adaptive one. */
  tau: number;
  rule: TauRule;
  voxelsChanged: number;
}

/** What `remerge` needs from an earlier merge. */
export interface Labelling {
  resolution: number;
  /** Indices of the differing voxels, ascending. */
  foreground: Int32Array;
  /** Compact component id (ascending by label) of each voxel in `foreground`. */
  componentOf: Int32Array;
  /** Per-component size, added, removed, bbox; `listComponents` turns it into objects. */
  components: ComponentTable;
}

export interface MergeResult extends Remerged, Labelling {
  /** g = s_src ⊕ s_edited. */
  diff: Uint8Array;
  /** Canonical label per voxel: smallest voxel index of its component, -1 for background. */
  labels: Int32Array;
  histogram: SizeHistogram;
}

/**
 * Buffers for `voxelMerge`. `listCapacity` bounds how many voxels may differ (default: all of
 * them); the per-voxel arrays always hold R³.
 */
export function allocateMergeBuffers(resolution: number, listCapacity = resolution ** 3): MergeBuffers {
  const n = resolution ** 3;
  // One slot more than the differing voxels: pass 1 stores (and then drops) one past the last.
  const m = Math.min(n, Math.max(0, listCapacity) + 1);
  return {
    diff: new Uint8Array(n),
    labels: new Int32Array(n),
    foreground: new Int32Array(m),
    componentOf: new Int32Array(m),
    mask: new Uint8Array(n),
    merged: new Uint8Array(n),
    scratch: createLabelScratch(),
  };
}

/** Voxels where two binary grids differ, four bytes at a time where the buffers allow. */
function countDifferences(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  let start = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
    const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
    // Each byte of wa ^ wb is 0 or 1; the multiply sums the four bytes into the top one.
    for (let w = 0; w < wa.length; w++) count += Math.imul(wa[w] ^ wb[w], 0x01010101) >>> 24;
    start = wa.length << 2;
  }
  for (let i = start; i < a.length; i++) count += a[i] ^ b[i];
  return count;
}

export function voxelMerge(
  src: Uint8Array,
  edited: Uint8Array,
  resolution: number,
  options: MergeOptions,
  buffers?: MergeBuffers,
): MergeResult {
  checkGridPair(src, edited, resolution);
  checkTau(options.tau, options.rule);
  checkFootprint(options.footprint, src.length);
  const n = src.length;
  // Counting first lets a one-off merge allocate lists for the actual diff, not for R³ voxels
  // (at 256³ the page faults of unused room cost more than the merge).
  const differing = countDifferences(src, edited);
  const b = buffers ?? allocateMergeBuffers(resolution, differing);
  const perVoxel = [b.diff, b.labels, b.mask, b.merged].map((a) => a.length);
  const room = Math.min(b.foreground.length, b.componentOf.length);
  if (perVoxel.some((length) => length !== n) || room < Math.min(n, differing + 1)) {
    throw new RangeError(
      `voxelMerge: buffers hold ${perVoxel.join('/')} voxels and room for ${room} differences; ` +
        `this ${resolution}³ merge needs ${n} and ${Math.min(n, differing + 1)}.`,
    );
  }
  // Equal to xorDiff → labelByKernels → assignIds → componentStats (see fused.test.ts).
  const pass1 = diffAndUnion(src, edited, resolution, b.diff, b.labels, b.foreground, b.scratch);
  const foreground = b.foreground.subarray(0, pass1.voxels);
  const componentOf = b.componentOf.subarray(0, pass1.voxels);
  const components = flattenAndMeasure(b.labels, pass1, b.scratch, src, resolution, foreground, componentOf);
  const labelling: Labelling = { resolution, foreground, componentOf, components };
  const merged = remergeInto(labelling, src, options, b.mask, b.merged);
  return {
    ...merged,
    ...labelling,
    diff: b.diff,
    labels: b.labels,
    histogram: sizeHistogram(components, n),
  };
}

/**
 * Re-derives the mask and merged grid for a new τ or rule from stored components, without
 * labelling again: a memset, a memcpy and one visit per differing voxel (well under a frame at
 * 64³). Pass `out` to reuse buffers.
 */
export function remerge(
  labelling: Labelling,
  src: Uint8Array,
  options: MergeOptions,
  out?: { mask: Uint8Array; merged: Uint8Array },
): Remerged {
  const n = labelling.resolution ** 3;
  if (src.length !== n || (out && (out.mask.length !== n || out.merged.length !== n))) {
    throw new RangeError(`remerge: the source and output buffers must hold ${n} voxels like the labelling.`);
  }
  checkFootprint(options.footprint, n);
  return remergeInto(
    labelling,
    src,
    options,
    out?.mask ?? new Uint8Array(n),
    out?.merged ?? new Uint8Array(n),
  );
}

function remergeInto(
  labelling: Labelling,
  src: Uint8Array,
  options: MergeOptions,
  mask: Uint8Array,
  merged: Uint8Array,
): Remerged {
  const { components } = labelling;
  const allowed = options.footprint
    ? componentsInFootprint(labelling.foreground, labelling.componentOf, components.count, options.footprint)
    : undefined;
  const selection = selectComponents(components, options.tau, options.rule, undefined, allowed);
  maskAndMerge(labelling.foreground, labelling.componentOf, selection.keep, src, mask, merged);
  return {
    mask,
    merged,
    kept: selection.kept,
    tau: selection.tau,
    rule: options.rule,
    voxelsChanged: selection.voxelsChanged,
  };
}

function checkFootprint(footprint: Uint8Array | undefined, voxels: number): void {
  if (footprint && footprint.length !== voxels) {
    throw new InvalidGridError(
      `The view gate's footprint has ${footprint.length} voxels; the grids have ${voxels}.`,
      'Build the footprint at the grids’ resolution (viewFootprint), or merge without the gate.',
    );
  }
}
