/**
 * Passes 2 and 3 of the CPU twin's fast merge (pass 1 is fast-label.ts' diffAndUnion). Together
 * they produce exactly what the kernel-by-kernel twin (the shape of the GPU kernels) produces:
 *
 *   pass 1 = xorDiff + labelInit + labelUnion
 *   pass 2 = labelFlatten + assignIds + componentStats
 *   pass 3 = buildMask + applyMerge
 *
 * Both visit only the differing voxels listed by pass 1, and keep the component id per listed
 * voxel (`componentOf[k]` for voxel foreground[k]) rather than assignIds' per-voxel array.
 * fused.test.ts checks every output against the kernel twin bit for bit.
 */
import type { ComponentTable } from './components';
import type { LabelScratch, Pass1 } from './fast-label';

/**
 * Pass 2: resolves provisional labels to canonical ones, numbers components in label order and
 * measures them, visiting only the differing voxels; `componentOf[k]` is the component id of
 * `foreground[k]`. The list ascends, so a row cursor gives each voxel's coordinates without
 * division, and max z is simply the latest z.
 */
export function flattenAndMeasure(
  labels: Int32Array,
  pass1: Pass1,
  scratch: LabelScratch,
  src: Uint8Array,
  resolution: number,
  foreground: Int32Array,
  componentOf: Int32Array,
): ComponentTable {
  const count = pass1.components;
  const r = resolution;
  const rr = r * r;
  // Per component, interleaved so one voxel touches one cache line: label, size, removed,
  // min x, min y, max x, max y, max z (min z is the label's z).
  const stats = new Int32Array(8 * count);
  // Flatten the table and number its roots (eq[p] ≤ p, so eq[eq[p]] is already final); a root's
  // first voxel seeds its box, so the voxel loop below needs no "is this the first?" branch.
  const { eq, first } = scratch;
  const idOf = new Int32Array(pass1.provisional);
  let next = 0;
  for (let p = 0; p < pass1.provisional; p++) {
    const e = eq[p];
    if (e === p) {
      idOf[p] = next;
      const i = first[p];
      // Truncated float division is exact here: indices are below 2^24.
      const z = (i / rr) | 0;
      const y = ((i - z * rr) / r) | 0;
      const x = i - z * rr - y * r;
      const s = 8 * next++;
      stats[s] = i;
      stats[s + 3] = x;
      stats[s + 4] = y;
      stats[s + 5] = x;
      stats[s + 6] = y;
    } else {
      const root = eq[e];
      eq[p] = root;
      idOf[p] = idOf[root];
    }
  }
  // The list is ascending, so the row of the current voxel only ever moves forward.
  let rowStart = 0;
  let y = 0;
  let z = 0;
  const n = foreground.length;
  for (let k = 0; k < n; k++) {
    const i = foreground[k];
    while (i >= rowStart + r) {
      rowStart += r;
      if (++y === r) {
        y = 0;
        z++;
      }
    }
    const x = i - rowStart;
    const c = idOf[labels[i]];
    const s = 8 * c;
    labels[i] = stats[s];
    componentOf[k] = c;
    stats[s + 1]++;
    stats[s + 2] += src[i];
    if (x < stats[s + 3]) stats[s + 3] = x;
    else if (x > stats[s + 5]) stats[s + 5] = x;
    if (y < stats[s + 4]) stats[s + 4] = y;
    else if (y > stats[s + 6]) stats[s + 6] = y;
    stats[s + 7] = z;
  }
  const label = new Int32Array(count);
  const size = new Int32Array(count);
  const added = new Int32Array(count);
  const removed = new Int32Array(count);
  const bbox = new Uint16Array(6 * count);
  for (let c = 0; c < count; c++) {
    const s = 8 * c;
    const b = 6 * c;
    label[c] = stats[s];
    size[c] = stats[s + 1];
    removed[c] = stats[s + 2];
    added[c] = stats[s + 1] - stats[s + 2];
    bbox[b] = stats[s + 3];
    bbox[b + 1] = stats[s + 4];
    bbox[b + 2] = (stats[s] / rr) | 0;
    bbox[b + 3] = stats[s + 5];
    bbox[b + 4] = stats[s + 6];
    bbox[b + 5] = stats[s + 7];
  }
  return { count, label, size, added, removed, bbox };
}

/**
 * Pass 3: mask and merged grid. Outside the differing voxels the mask is 0 and the merged grid is
 * the source, so those are a memset and a memcpy; only differing voxels are visited, without
 * branches (the keep flag is 0 or 1).
 */
export function maskAndMerge(
  foreground: Int32Array,
  componentOf: Int32Array,
  keep: Uint8Array,
  src: Uint8Array,
  mask: Uint8Array,
  merged: Uint8Array,
): void {
  mask.fill(0);
  merged.set(src);
  const n = foreground.length;
  for (let k = 0; k < n; k++) {
    const i = foreground[k];
    const m = keep[componentOf[k]];
    mask[i] = m;
    merged[i] = src[i] ^ m;
  }
}
