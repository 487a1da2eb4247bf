/**
 * CPU twin of the Voxel-Merge labelling kernels (DESIGN §4, §6): XOR diff map, then 6-connected
 * component labelling as init → union → flatten, the same three steps the WGSL kernels run.
 *
 * Canonical label: the smallest linear voxel index (x + R·(y + R·z)) in the component. A union-find
 * that always hooks the larger root under the smaller one keeps `parent[j] ≤ j`, so each tree's
 * root is its minimum; a GPU union with atomicMin reaches the same fixed point, which makes the
 * labels bit-exact across backends whatever order the unions happen in.
 * Background: -1 here, i.e. 0xFFFFFFFF in the u32 buffer the kernels write (same 32 bits).
 *
 * This module is the specification, written for clarity; the merge runs the faster equivalents
 * in fast-label.ts and fused.ts, which tests hold to it bit for bit.
 */

export const BACKGROUND = -1;

/** g = a ⊕ b, one byte per voxel. Inputs are assumed binary (validated by the caller). */
export function xorDiff(
  a: Uint8Array,
  b: Uint8Array,
  out: Uint8Array = new Uint8Array(a.length),
): Uint8Array {
  const n = a.length;
  for (let i = 0; i < n; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** Kernel "init": each foreground voxel is its own tree; background gets BACKGROUND. */
export function labelInit(g: Uint8Array, labels: Int32Array): void {
  const n = g.length;
  for (let i = 0; i < n; i++) labels[i] = g[i] !== 0 ? i : BACKGROUND;
}

/** Root of i's tree, halving the path as it goes (so repeated finds stay near O(1)). */
function find(parent: Int32Array, i: number): number {
  let j = i;
  let p = parent[j];
  while (p !== j) {
    const gp = parent[p];
    parent[j] = gp;
    j = gp;
    p = parent[j];
  }
  return j;
}

/**
 * Kernel "union": joins every foreground voxel with its −x, −y, −z foreground neighbours (the +
 * directions are covered by the neighbour's own −). The twin scans in raster order, so when voxel i
 * is reached its lower neighbours are already in trees; the GPU runs the same unions in any order.
 * Two neighbour unions are skipped when a diagonal voxel already joins them (i−1 and i−R are both
 * adjacent to i−1−R): fewer finds, same partition.
 */
export function labelUnion(g: Uint8Array, resolution: number, labels: Int32Array): void {
  const r = resolution;
  const rr = r * r;
  let i = 0;
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++, i++) {
        if (g[i] === 0) continue;
        let root = -1;
        const hasX = x > 0 && g[i - 1] !== 0;
        if (hasX) root = find(labels, i - 1);
        let hasY = false;
        if (y > 0 && g[i - r] !== 0) {
          hasY = true;
          if (!(hasX && g[i - 1 - r] !== 0)) root = link(labels, root, find(labels, i - r));
        }
        if (z > 0 && g[i - rr] !== 0) {
          if (!((hasX && g[i - 1 - rr] !== 0) || (hasY && g[i - r - rr] !== 0))) {
            root = link(labels, root, find(labels, i - rr));
          }
        }
        // i is the largest index seen so far, so hooking it under any root keeps parent[j] ≤ j.
        if (root >= 0) labels[i] = root;
      }
    }
  }
}

/** Joins two roots under the smaller one and returns it; -1 stands for "no root yet". */
function link(parent: Int32Array, a: number, b: number): number {
  if (a < 0) return b;
  if (a === b) return a;
  if (a < b) {
    parent[b] = a;
    return a;
  }
  parent[a] = b;
  return b;
}

/**
 * Kernel "flatten": every voxel points straight at its root. Because parent[i] ≤ i, an ascending
 * pass finds parent[i] already flattened, so one lookup per voxel suffices (the GPU loops to the
 * root instead; both end at the same canonical label).
 */
export function labelFlatten(labels: Int32Array): void {
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const p = labels[i];
    if (p >= 0) labels[i] = labels[p];
  }
}

/**
 * 6-connected labels of a binary cubic grid: init → union → flatten, kernel by kernel. This is
 * the specification the GPU kernels and fast-label.ts' labelComponents are checked against.
 */
export function labelByKernels(
  g: Uint8Array,
  resolution: number,
  labels: Int32Array = new Int32Array(g.length),
): Int32Array {
  labelInit(g, labels);
  labelUnion(g, resolution, labels);
  labelFlatten(labels);
  return labels;
}
