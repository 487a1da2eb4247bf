/**
 * Quality metrics of edits on voxel grids (the pack's quality report, `npm run eval -- pack`).
 *
 * Conventions, fixed here so every figure in the report means one thing:
 * - Grids are 0/1 occupancy of R³ voxels in memory order x + R·(y + R·z) (grid.ts).
 * - IoU of two empty sets is 1: "nothing there, nothing produced" is a perfect match, and a region
 *   with nothing to compare must not drag a mean down.
 * - Distances are between voxel centres, in VOXEL UNITS (1 = one voxel = 1/R of the unit cube).
 * - The edit region is where source and true target differ, dilated in the 26-neighbourhood (a cube
 *   of side 2r + 1): the model cannot know which voxels a part shares with its neighbours, and without
 *   the margin a removal's region would hold no target voxel at all, so its IoU could only be 0 or 1.
 */

/** Where a comparison looks: inside the mask, or outside it. */
export interface Region {
  mask: Uint8Array;
  inside: boolean;
}

function within(region: Region | undefined, i: number): boolean {
  if (!region) return true;
  return (region.mask[i] !== 0) === region.inside;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/** |A ∩ B| / |A ∪ B| over the voxels of `region` (all voxels without one). */
export function voxelIoU(a: Uint8Array, b: Uint8Array, region?: Region): number {
  checkSameLength(a, b, 'voxelIoU');
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (!within(region, i)) continue;
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** Voxels of `a` inside `region` that differ from `b`. */
export function voxelsDiffering(a: Uint8Array, b: Uint8Array, region?: Region): number {
  checkSameLength(a, b, 'voxelsDiffering');
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (within(region, i) && (a[i] !== 0) !== (b[i] !== 0)) n++;
  }
  return n;
}

/** The set restricted to a region, as a new 0/1 grid. */
export function restrict(a: Uint8Array, region?: Region): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] !== 0 && within(region, i) ? 1 : 0;
  return out;
}

function checkCube(n: number, resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution ** 3 !== n) {
    throw new RangeError(`a ${resolution}³ grid has ${resolution ** 3} voxels, not ${n}`);
  }
}

/** Dilation by `radius` voxels in the 26-neighbourhood: a separable max filter along x, y, z. */
export function dilate(mask: Uint8Array, resolution: number, radius: number): Uint8Array {
  const R = resolution;
  checkCube(mask.length, R);
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`radius must be a whole number ≥ 0`);
  let cur = Uint8Array.from(mask, (v) => (v !== 0 ? 1 : 0));
  if (radius === 0) return cur;
  const strides = [1, R, R * R];
  for (const stride of strides) {
    const next = new Uint8Array(cur.length);
    for (let i = 0; i < cur.length; i++) {
      if (cur[i] === 0) continue;
      const c = Math.floor(i / stride) % R;
      const lo = Math.max(0, c - radius);
      const hi = Math.min(R - 1, c + radius);
      const base = i - c * stride;
      for (let k = lo; k <= hi; k++) next[base + k * stride] = 1;
    }
    cur = next;
  }
  return cur;
}

/** Voxels where source and target differ, dilated by `dilation` voxels (26-neighbourhood). */
export function editRegion(
  source: Uint8Array,
  target: Uint8Array,
  resolution: number,
  dilation = 1,
): Uint8Array {
  checkSameLength(source, target, 'editRegion');
  const diff = new Uint8Array(source.length);
  for (let i = 0; i < diff.length; i++) diff[i] = (source[i] !== 0) !== (target[i] !== 0) ? 1 : 0;
  return dilate(diff, resolution, dilation);
}

/** Stand-in for +∞ inside the transform: squares of real distances stay far below it, and it keeps
 * the parabola intersections finite (∞ − ∞ would be NaN). */
const FAR = 1e20;

/** One line of the squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012). */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * Squared Euclidean distance from every voxel centre to the nearest voxel of `set`, exact, in voxel
 * units²; Infinity everywhere when the set is empty.
 */
export function squaredDistanceTransform(set: Uint8Array, resolution: number): Float64Array {
  const R = resolution;
  checkCube(set.length, R);
  const dist = new Float64Array(set.length);
  let nonEmpty = false;
  for (let i = 0; i < set.length; i++) {
    dist[i] = set[i] !== 0 ? 0 : FAR;
    nonEmpty ||= set[i] !== 0;
  }
  if (!nonEmpty) return dist.fill(Infinity);
  const f = new Float64Array(R);
  const d = new Float64Array(R);
  const v = new Int32Array(R);
  const z = new Float64Array(R + 1);
  for (const stride of [1, R, R * R]) {
    for (let start = 0; start < set.length; start++) {
      if (Math.floor(start / stride) % R !== 0) continue;
      for (let q = 0; q < R; q++) f[q] = dist[start + q * stride];
      edt1d(f, R, d, v, z);
      for (let q = 0; q < R; q++) dist[start + q * stride] = d[q];
    }
  }
  return dist;
}

function meanDistance(from: Uint8Array, squaredTo: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < from.length; i++) {
    if (from[i] === 0) continue;
    sum += Math.sqrt(squaredTo[i]);
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * Symmetric Chamfer distance ½·(mean_{a∈A} d(a, B) + mean_{b∈B} d(b, A)) in voxel units, both sets
 * first restricted to `region`. 0 when both are empty; Infinity when only one is (nothing to match).
 */
export function chamferDistance(a: Uint8Array, b: Uint8Array, resolution: number, region?: Region): number {
  checkSameLength(a, b, 'chamferDistance');
  const A = restrict(a, region);
  const B = restrict(b, region);
  const nA = A.reduce((s, x) => s + x, 0);
  const nB = B.reduce((s, x) => s + x, 0);
  if (nA === 0 && nB === 0) return 0;
  if (nA === 0 || nB === 0) return Infinity;
  const toB = squaredDistanceTransform(B, resolution);
  const toA = squaredDistanceTransform(A, resolution);
  return 0.5 * (meanDistance(A, toB) + meanDistance(B, toA));
}

/** An RGBA8 image, row 0 at the top (a RenderedView or a painted target). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Non-background pixels. Shaded canonical views never reach pure white (the brightest face is shaded
 * by 0.86), so the white background is exact there; a flat view of a white voxel would not be.
 */
export function silhouette(image: RgbaImage, background: readonly [number, number, number]): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n);
  const [r, g, b] = background;
  for (let p = 0; p < n; p++) {
    const o = 4 * p;
    out[p] = image.data[o] !== r || image.data[o + 1] !== g || image.data[o + 2] !== b ? 1 : 0;
  }
  return out;
}

/** IoU of the two images' silhouettes (non-background pixels). */
export function silhouetteIoU(
  a: RgbaImage,
  b: RgbaImage,
  background: readonly [number, number, number] = [255, 255, 255],
): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`silhouetteIoU: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  return voxelIoU(silhouette(a, background), silhouette(b, background));
}

/** Pixels whose RGB differs between two images of one size. */
export function pixelsDiffering(a: RgbaImage, b: RgbaImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`pixelsDiffering: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
  let n = 0;
  for (let o = 0; o < a.data.length; o += 4) {
    if (a.data[o] !== b.data[o] || a.data[o + 1] !== b.data[o + 1] || a.data[o + 2] !== b.data[o + 2]) n++;
  }
  return n;
}
