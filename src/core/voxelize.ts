/**
 * Surface-shell voxelization (DESIGN §1, §3): voxel (x, y, z) is occupied iff some triangle meets its
 * CLOSED box [-0.5 + x/R, -0.5 + (x+1)/R] × …, decided by the SAT test of tri-box.ts. A surface lying
 * exactly on a voxel boundary therefore occupies the voxels on both sides; the outermost layer is
 * only reached from inside the cube, so a normalized mesh's extremes at ±0.5 occupy layers 0 and R-1.
 *
 * Work happens in grid units g = (p + 0.5)·R, where voxel boxes are [x, x+1]. For R a power of two
 * (64) this is exact for every float32 coordinate except non-zero ones below ~2⁻³⁰ in magnitude
 * (where p + 0.5 rounds), so the result equals the world-space definition bit for bit; the SAT test
 * itself is exact when its products are (see tri-box.ts).
 *
 * Each occupied voxel also gets the colour of the surface point closest to its centre among the
 * triangles that meet it (surface-color.ts); ties keep the lower triangle index, so it is deterministic.
 */
import { InvalidArgumentError, throwIfAborted } from './errors';
import { createGrid, GRID_RESOLUTION, type VoxelGrid } from './grid';
import type { TriangleMesh } from './mesh';
import { closestPointOnTriangle, surfaceColor, type TextureFilter, toByte } from './surface-color';
import { triangleBoxOverlap } from './tri-box';
import { createYielder } from './yield';

export interface VoxelizeOptions {
  /** Voxels per axis; default 64. */
  resolution?: number;
  signal?: AbortSignal;
  /** Fraction of triangles done, in [0, 1]; called at each yield to the event loop and with 1 at the end. */
  onProgress?: (fraction: number) => void;
  /** How textures are sampled for voxel colours; default 'bilinear'. */
  textureFilter?: TextureFilter;
  /**
   * How candidate voxels are found. 'slab' (default) clips each large triangle to z slabs and then y
   * rows, so only voxels near the triangle are tested; 'bbox' tests every voxel of the triangle's
   * bounding box. Same result; 'bbox' is the benchmark's baseline and the tests' cross-check.
   */
  candidates?: 'slab' | 'bbox';
}

/**
 * Margin, in voxels, that makes float64 candidate ranges and clipped slabs conservative supersets;
 * rounding in them is ~1e-14 voxels, and a too-wide range costs only an extra SAT test.
 */
const EPS = 1e-9;
/** Bounding boxes with at most this many voxels are scanned directly; clipping costs more than it saves. */
const SMALL_BOX = 27;
/** Candidate tests between yielder checks; performance.now() per triangle would cost ~5%. */
const WORK_PER_CHECK = 4096;

export async function voxelize(mesh: TriangleMesh, options: VoxelizeOptions = {}): Promise<VoxelGrid> {
  const R = options.resolution ?? GRID_RESOLUTION;
  if (!Number.isInteger(R) || R < 1 || R > 1024) {
    throw new InvalidArgumentError(
      `Voxel resolution ${R} is not supported.`,
      'Use a whole number of voxels per axis between 1 and 1024 (the model expects 64).',
    );
  }
  const { signal, onProgress } = options;
  const bboxOnly = options.candidates === 'bbox';
  throwIfAborted(signal, 'Voxelization');

  const cells = R * R * R;
  // Per voxel: owner = 1 + index of the triangle whose point is closest to the centre so far (0: none,
  // which spares filling the arrays), that squared distance, and the point's barycentric weights.
  const owner = new Int32Array(cells);
  const bestDist = new Float64Array(cells);
  const bestBary = new Float32Array(3 * cells);
  const bary = new Float64Array(3);
  const tri = new Float64Array(9);
  // A triangle clipped by 4 planes has at most 7 corners; rounding can make the clipped polygon
  // slightly non-convex, so size for the loose bound (each clip at most doubles the count).
  const slab = new Float64Array(3 * 48);
  const row = new Float64Array(3 * 48);
  const tmp = new Float64Array(3 * 48);
  const { positions, indices } = mesh;
  const triangles = Math.floor(indices.length / 3);
  const yielder = createYielder();
  let work = 0;
  // The current triangle (index and corners in grid units); visit/test are made once, not per triangle.
  let t = 0;
  // Keeps, per voxel, the closest surface point seen so far (strict < : the first triangle wins ties).
  const visit = (x: number, y: number, z: number): void => {
    const d2 = closestPointOnTriangle(tri, x + 0.5, y + 0.5, z + 0.5, bary);
    const index = x + R * (y + R * z);
    if (owner[index] === 0 || d2 < bestDist[index]) {
      bestDist[index] = d2;
      owner[index] = t + 1;
      bestBary[3 * index] = bary[0];
      bestBary[3 * index + 1] = bary[1];
      bestBary[3 * index + 2] = bary[2];
    }
  };
  const test = (x: number, y: number, z: number): void => {
    if (triangleBoxOverlap(tri, x, y, z, x + 1, y + 1, z + 1)) visit(x, y, z);
  };

  for (t = 0; t < triangles; t++) {
    const ia = 3 * indices[3 * t];
    const ib = 3 * indices[3 * t + 1];
    const ic = 3 * indices[3 * t + 2];
    const ax = (positions[ia] + 0.5) * R;
    const ay = (positions[ia + 1] + 0.5) * R;
    const az = (positions[ia + 2] + 0.5) * R;
    const bx = (positions[ib] + 0.5) * R;
    const by = (positions[ib + 1] + 0.5) * R;
    const bz = (positions[ib + 2] + 0.5) * R;
    const cx = (positions[ic] + 0.5) * R;
    const cy = (positions[ic + 1] + 0.5) * R;
    const cz = (positions[ic + 2] + 0.5) * R;
    tri[0] = ax;
    tri[1] = ay;
    tri[2] = az;
    tri[3] = bx;
    tri[4] = by;
    tri[5] = bz;
    tri[6] = cx;
    tri[7] = cy;
    tri[8] = cz;

    // Voxel x meets [lo, hi] iff x ≤ hi and x + 1 ≥ lo, i.e. x ∈ [ceil(lo) − 1, floor(hi)].
    const x0 = Math.ceil(Math.min(ax, bx, cx) - EPS) - 1;
    const x1 = Math.floor(Math.max(ax, bx, cx) + EPS);
    const y0 = Math.ceil(Math.min(ay, by, cy) - EPS) - 1;
    const y1 = Math.floor(Math.max(ay, by, cy) + EPS);
    const z0 = Math.ceil(Math.min(az, bz, cz) - EPS) - 1;
    const z1 = Math.floor(Math.max(az, bz, cz) + EPS);
    if (!bboxOnly && x0 === x1 && y0 === y1 && z0 === z1) {
      // The triangle lies strictly inside one voxel (by the EPS margin): no test needed. Most
      // triangles of a fine mesh take this path.
      if (x0 >= 0 && x0 < R && y0 >= 0 && y0 < R && z0 >= 0 && z0 < R) visit(x0, y0, z0);
      work++;
    } else {
      const xa = Math.max(0, x0);
      const xb = Math.min(R - 1, x1);
      const ya = Math.max(0, y0);
      const yb = Math.min(R - 1, y1);
      const za = Math.max(0, z0);
      const zb = Math.min(R - 1, z1);
      // NaN for a corrupt (non-finite) triangle, which then touches nothing.
      const boxVoxels = Math.max(0, xb - xa + 1) * Math.max(0, yb - ya + 1) * Math.max(0, zb - za + 1);
      work++;
      if (!(boxVoxels > 0)) {
        // Outside the grid, or not finite.
      } else if (bboxOnly || boxVoxels <= SMALL_BOX) {
        for (let z = za; z <= zb; z++)
          for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) test(x, y, z);
        work += boxVoxels;
      } else {
        for (let z = za; z <= zb; z++) {
          const nz = clipSlab(tri, 3, slab, tmp, 2, z - EPS, z + 1 + EPS);
          if (nz === 0) continue;
          const [lo, hi] = extent(slab, nz, 1);
          const ra = Math.max(ya, Math.ceil(lo - EPS) - 1);
          const rb = Math.min(yb, Math.floor(hi + EPS));
          for (let y = ra; y <= rb; y++) {
            const ny = clipSlab(slab, nz, row, tmp, 1, y - EPS, y + 1 + EPS);
            work++;
            if (ny === 0) continue;
            const [xl, xh] = extent(row, ny, 0);
            const xe = Math.min(xb, Math.floor(xh + EPS));
            for (let x = Math.max(xa, Math.ceil(xl - EPS) - 1); x <= xe; x++) {
              test(x, y, z);
              work++;
            }
          }
        }
      }
    }
    if (work >= WORK_PER_CHECK) {
      work = 0;
      const pending = yielder();
      if (pending) {
        await pending;
        throwIfAborted(signal, 'Voxelization');
        onProgress?.(t / triangles);
      }
    }
  }
  throwIfAborted(signal, 'Voxelization');

  const grid = createGrid(R);
  const filter = options.textureFilter ?? 'bilinear';
  const rgb = new Float64Array(3);
  const scratch = new Float64Array(3);
  for (let i = 0; i < cells; i++) {
    if (owner[i] === 0) continue;
    grid.occupancy[i] = 1;
    surfaceColor(
      mesh,
      owner[i] - 1,
      bestBary[3 * i],
      bestBary[3 * i + 1],
      bestBary[3 * i + 2],
      filter,
      rgb,
      scratch,
    );
    grid.colors[3 * i] = toByte(rgb[0]);
    grid.colors[3 * i + 1] = toByte(rgb[1]);
    grid.colors[3 * i + 2] = toByte(rgb[2]);
  }
  onProgress?.(1);
  return grid;
}

/** Clips polygon `src` (n xyz points) to lo ≤ p[axis] ≤ hi, into `dst`; returns the point count. */
function clipSlab(
  src: Float64Array,
  n: number,
  dst: Float64Array,
  tmp: Float64Array,
  axis: number,
  lo: number,
  hi: number,
): number {
  const m = clipHalf(src, n, tmp, axis, lo, 1);
  return m === 0 ? 0 : clipHalf(tmp, m, dst, axis, hi, -1);
}

/** Sutherland–Hodgman against side·(p[axis] − bound) ≥ 0. */
function clipHalf(
  src: Float64Array,
  n: number,
  dst: Float64Array,
  axis: number,
  bound: number,
  side: number,
): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = 3 * i;
    const q = 3 * ((i + 1) % n);
    const dp = side * (src[p + axis] - bound);
    const dq = side * (src[q + axis] - bound);
    if (dp >= 0 !== dq >= 0) {
      const s = dp / (dp - dq);
      for (let k = 0; k < 3; k++) dst[3 * m + k] = src[p + k] + (src[q + k] - src[p + k]) * s;
      m++;
    }
    if (dq >= 0) {
      dst[3 * m] = src[q];
      dst[3 * m + 1] = src[q + 1];
      dst[3 * m + 2] = src[q + 2];
      m++;
    }
  }
  return m;
}

function extent(poly: Float64Array, n: number, axis: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = poly[3 * i + axis];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
