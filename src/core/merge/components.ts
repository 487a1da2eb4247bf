/**
 * CPU twin of the component kernels: compact ids (root flags + prefix sum on the GPU) and
 * per-component statistics (atomicAdd / atomicMin / atomicMax on the GPU). The table is a struct of
 * typed arrays, not objects, because a 256³ checkerboard has 8 million components.
 */
export interface ComponentTable {
  count: number;
  /** Canonical label (smallest voxel index) of each component; ascending, so id order = label order. */
  label: Int32Array;
  size: Int32Array;
  /** Voxels in the component that are in the edited grid but not in the source. */
  added: Int32Array;
  /** Voxels in the component that are in the source but not in the edited grid. */
  removed: Int32Array;
  /** 6 per component: min x, y, z, then max x, y, z (inclusive). */
  bbox: Uint16Array;
}

export interface BoundingBox {
  min: [number, number, number];
  max: [number, number, number];
}

export interface MergeComponent {
  id: number;
  label: number;
  size: number;
  added: number;
  removed: number;
  bbox: BoundingBox;
}

/**
 * Compact ids in ascending canonical-label order: a root (labels[i] === i) takes the next id, any
 * other voxel copies its root's id. Ascending order visits each root before the rest of its
 * component, since the root is the component's smallest index. Returns the component count.
 */
export function assignIds(labels: Int32Array, ids: Int32Array): number {
  const n = labels.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l < 0) {
      ids[i] = -1; // background
    } else if (l === i) {
      ids[i] = count++;
    } else {
      ids[i] = ids[l];
    }
  }
  return count;
}

/** Sizes, added/removed counts and bounding boxes per component id. `src` tells added from removed. */
export function componentStats(
  ids: Int32Array,
  count: number,
  src: Uint8Array,
  resolution: number,
): ComponentTable {
  const label = new Int32Array(count).fill(-1);
  const size = new Int32Array(count);
  const removed = new Int32Array(count);
  const bbox = new Uint16Array(6 * count);
  for (let c = 0; c < count; c++) {
    bbox[6 * c] = 0xffff;
    bbox[6 * c + 1] = 0xffff;
    bbox[6 * c + 2] = 0xffff;
  }
  const r = resolution;
  let i = 0;
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++, i++) {
        const c = ids[i];
        if (c < 0) continue;
        if (size[c] === 0) label[c] = i;
        size[c]++;
        removed[c] += src[i];
        const b = 6 * c;
        if (x < bbox[b]) bbox[b] = x;
        if (y < bbox[b + 1]) bbox[b + 1] = y;
        if (z < bbox[b + 2]) bbox[b + 2] = z;
        if (x > bbox[b + 3]) bbox[b + 3] = x;
        if (y > bbox[b + 4]) bbox[b + 4] = y;
        if (z > bbox[b + 5]) bbox[b + 5] = z;
      }
    }
  }
  // Every differing voxel is either added or removed, so one counter gives both.
  const added = new Int32Array(count);
  for (let c = 0; c < count; c++) added[c] = size[c] - removed[c];
  return { count, label, size, added, removed, bbox };
}

/** Component id of a canonical label (binary search: ids ascend with labels), or -1 if none. */
export function componentIdOf(table: ComponentTable, label: number): number {
  let lo = 0;
  let hi = table.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = table.label[mid];
    if (l === label) return mid;
    if (l < label) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** One component as a plain object (for JSON, the UI list and tests). */
export function componentAt(table: ComponentTable, id: number): MergeComponent {
  const b = 6 * id;
  const box = table.bbox;
  return {
    id,
    label: table.label[id],
    size: table.size[id],
    added: table.added[id],
    removed: table.removed[id],
    bbox: { min: [box[b], box[b + 1], box[b + 2]], max: [box[b + 3], box[b + 4], box[b + 5]] },
  };
}

/**
 * Components as objects, optionally only the largest `limit` (ties by id). Materialize lazily:
 * a noisy 256³ diff can hold millions of components and a list of objects would dwarf the merge.
 */
export function listComponents(table: ComponentTable, options: { limit?: number } = {}): MergeComponent[] {
  const limit = options.limit ?? table.count;
  if (limit >= table.count) return Array.from({ length: table.count }, (_, id) => componentAt(table, id));
  const order = Array.from({ length: table.count }, (_, id) => id);
  order.sort((a, b) => table.size[b] - table.size[a] || a - b);
  return order.slice(0, Math.max(0, limit)).map((id) => componentAt(table, id));
}

/**
 * Component-size histogram in log2 bins, for the τ slider: bin b holds sizes in [2^b, 2^(b+1)).
 * The bin count depends only on the grid size (a component can hold all R³ voxels), so the chart
 * keeps its axis while τ moves. `voxels` sums the sizes in each bin (how much of the diff it is).
 */
export interface SizeHistogram {
  /** Lower edge of each bin (1, 2, 4, …); bin b covers [lower[b], 2·lower[b]). */
  lower: number[];
  counts: number[];
  voxels: number[];
}

export function sizeHistogram(table: ComponentTable, voxelCount: number): SizeHistogram {
  const bins = Math.floor(Math.log2(Math.max(1, voxelCount))) + 1;
  const lower = Array.from({ length: bins }, (_, b) => 2 ** b);
  const counts = new Array<number>(bins).fill(0);
  const voxels = new Array<number>(bins).fill(0);
  for (let c = 0; c < table.count; c++) {
    const s = table.size[c];
    const b = 31 - Math.clz32(s);
    counts[b]++;
    voxels[b] += s;
  }
  return { lower, counts, voxels };
}
