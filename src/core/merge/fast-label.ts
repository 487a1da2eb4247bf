/**
 * The CPU twin's fast labeller. It gives exactly the labels of the kernel-by-kernel twin in
 * label.ts (the shape of the GPU kernels: init → union → flatten over canonical voxel indices),
 * but on one CPU core finds into an R³-sized parent array miss the cache. So each new tree gets a
 * small provisional number and unions happen in a compact equivalence table, as in a classic
 * two-pass labeller. Provisional numbers grow in raster order and unions hook the larger root
 * under the smaller, so a component's root is the tree started at its smallest voxel index:
 * `first[root]` is the canonical label, and numbering roots in order numbers components in label
 * order. Tests check it against BFS and against the kernel twin, bit for bit.
 *
 * Each row is first scanned without branches into a list of its set voxels; only those are then
 * visited. On noisy grids a per-voxel "is it set?" branch mispredicts about as often as not.
 * Literals (−1) rather than the imported BACKGROUND in loops: V8 reloads imported bindings from
 * their module cell on every iteration, which cost 10× in a loop like assignIds.
 */

/** Growable tables of the labeller; keep one (MergeBuffers does) to skip regrowing next time. */
export interface LabelScratch {
  /** Union-find parent per provisional label; eq[p] ≤ p. */
  eq: Int32Array;
  /** Voxel index where each provisional label started (its smallest voxel). */
  first: Int32Array;
}

export function createLabelScratch(capacity = 4096): LabelScratch {
  const n = Math.max(1, Math.floor(capacity));
  return { eq: new Int32Array(n), first: new Int32Array(n) };
}

/** Counters of one labelling run. */
export interface Pass1 {
  /** Provisional labels handed out (entries used in scratch.eq / scratch.first). */
  provisional: number;
  /** Number of components (roots among the provisional labels). */
  components: number;
  /** Number of set voxels, listed ascending at the start of `foreground`. */
  voxels: number;
}

function find(eq: Int32Array, p: number): number {
  let j = p;
  let q = eq[j];
  while (q !== j) {
    const g = eq[q];
    eq[j] = g; // path halving
    j = g;
    q = eq[j];
  }
  return j;
}

/**
 * Labels the listed set voxels foreground[from…to) of one row (all in row order): joins each with
 * its −x neighbour (the previous listed voxel, if adjacent) and its −y and −z neighbours (already
 * labelled rows). `labels` must hold −1 for the row's unset voxels. Updates `state` in place.
 */
function unionRow(
  labels: Int32Array,
  foreground: Int32Array,
  from: number,
  to: number,
  r: number,
  hasUp: boolean,
  hasBack: boolean,
  scratch: LabelScratch,
  state: Pass1,
): void {
  const rr = r * r;
  let eq = scratch.eq;
  let trees = state.components;
  // The previous voxel's root is still a root (nothing links in between), so it needs no find.
  let previous = -2;
  let previousRoot = -1;
  for (let k = from; k < to; k++) {
    const i = foreground[k];
    let root = i === previous + 1 ? previousRoot : -1;
    const up = hasUp ? labels[i - r] : -1;
    if (up >= 0) {
      const b = find(eq, up);
      if (root < 0) root = b;
      else if (b !== root) {
        trees--;
        if (b < root) {
          eq[root] = b;
          root = b;
        } else eq[b] = root;
      }
    }
    const back = hasBack ? labels[i - rr] : -1;
    if (back >= 0) {
      const b = find(eq, back);
      if (root < 0) root = b;
      else if (b !== root) {
        trees--;
        if (b < root) {
          eq[root] = b;
          root = b;
        } else eq[b] = root;
      }
    }
    if (root < 0) {
      if (state.provisional === eq.length) {
        const bigger = new Int32Array(2 * eq.length);
        const first = new Int32Array(2 * eq.length);
        bigger.set(eq);
        first.set(scratch.first);
        scratch.eq = eq = bigger;
        scratch.first = first;
      }
      root = state.provisional++;
      eq[root] = root;
      scratch.first[root] = i;
      trees++;
    }
    labels[i] = root;
    previous = i;
    previousRoot = root;
  }
  state.components = trees;
}

/**
 * Pass 1 of the merge: g = src ⊕ edited into `diff`, a provisional label per differing voxel (−1
 * elsewhere) into `labels`, and the ascending list of differing voxels into `foreground`.
 */
export function diffAndUnion(
  src: Uint8Array,
  edited: Uint8Array,
  resolution: number,
  diff: Uint8Array,
  labels: Int32Array,
  foreground: Int32Array,
  scratch: LabelScratch,
): Pass1 {
  const r = resolution;
  const state: Pass1 = { provisional: 0, components: 0, voxels: 0 };
  let voxels = 0;
  let rowStart = 0;
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++, rowStart += r) {
      const listStart = voxels;
      for (let i = rowStart, end = rowStart + r; i < end; i++) {
        const d = src[i] ^ edited[i];
        diff[i] = d;
        foreground[voxels] = i; // always written, kept only when d = 1
        voxels += d;
      }
      labels.fill(-1, rowStart, rowStart + r);
      unionRow(labels, foreground, listStart, voxels, r, y > 0, z > 0, scratch, state);
    }
  }
  state.voxels = voxels;
  return state;
}

/**
 * 6-connected canonical labels of a binary grid (smallest voxel index per component, −1 for
 * background): the fast equivalent of label.ts' labelByKernels. `g` must hold only 0 and 1
 * (checkBinaryGrid); the optional buffers let repeated calls skip allocation.
 */
export function labelComponents(
  g: Uint8Array,
  resolution: number,
  labels: Int32Array = new Int32Array(g.length),
  scratch: LabelScratch = createLabelScratch(),
  foreground: Int32Array = new Int32Array(g.length),
): Int32Array {
  const r = resolution;
  const state: Pass1 = { provisional: 0, components: 0, voxels: 0 };
  let voxels = 0;
  let rowStart = 0;
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++, rowStart += r) {
      const listStart = voxels;
      for (let i = rowStart, end = rowStart + r; i < end; i++) {
        foreground[voxels] = i;
        voxels += g[i];
      }
      labels.fill(-1, rowStart, rowStart + r);
      unionRow(labels, foreground, listStart, voxels, r, y > 0, z > 0, scratch, state);
    }
  }
  // Resolve: flatten the table (eq[p] ≤ p, so eq[eq[p]] is final), then each voxel's root's start.
  const { eq, first } = scratch;
  for (let p = 0; p < state.provisional; p++) eq[p] = eq[eq[p]];
  for (let k = 0; k < voxels; k++) {
    const i = foreground[k];
    labels[i] = first[eq[labels[i]]];
  }
  return labels;
}
