/**
 * Fixtures for the merge tests and the benchmark: a seeded generator, random grids, a brute-force
 * BFS reference labeller and the adversarial grids of DESIGN §6 (empty, full, checkerboard, snake,
 * nested shells, components on every face). Kept out of the runtime path; nothing here is fast.
 */
import { BACKGROUND } from './label';

/** mulberry32: tiny, seeded, good enough to draw test grids reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomGrid(resolution: number, density: number, random: () => number): Uint8Array {
  const g = new Uint8Array(resolution ** 3);
  for (let i = 0; i < g.length; i++) g[i] = random() < density ? 1 : 0;
  return g;
}

/** Flips each voxel of `grid` with probability p: an "edited" grid near the source. */
export function perturb(grid: Uint8Array, p: number, random: () => number): Uint8Array {
  const out = grid.slice();
  for (let i = 0; i < out.length; i++) if (random() < p) out[i] ^= 1;
  return out;
}

/** Reference labels by breadth-first flood fill from each unvisited voxel in ascending order. */
export function bfsLabels(g: Uint8Array, resolution: number): Int32Array {
  const r = resolution;
  const rr = r * r;
  const labels = new Int32Array(g.length).fill(BACKGROUND);
  const queue = new Int32Array(g.length);
  for (let seed = 0; seed < g.length; seed++) {
    if (g[seed] === 0 || labels[seed] !== BACKGROUND) continue;
    // Ascending seeds make the seed the component's smallest index: the canonical label.
    labels[seed] = seed;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const i = queue[head++];
      const x = i % r;
      const y = Math.floor(i / r) % r;
      const z = Math.floor(i / rr);
      const neighbours = [
        x > 0 ? i - 1 : -1,
        x < r - 1 ? i + 1 : -1,
        y > 0 ? i - r : -1,
        y < r - 1 ? i + r : -1,
        z > 0 ? i - rr : -1,
        z < r - 1 ? i + rr : -1,
      ];
      for (const j of neighbours) {
        if (j >= 0 && g[j] !== 0 && labels[j] === BACKGROUND) {
          labels[j] = seed;
          queue[tail++] = j;
        }
      }
    }
  }
  return labels;
}

type Predicate = (x: number, y: number, z: number) => boolean;

export function gridFrom(resolution: number, inside: Predicate): Uint8Array {
  const r = resolution;
  const g = new Uint8Array(r ** 3);
  let i = 0;
  for (let z = 0; z < r; z++)
    for (let y = 0; y < r; y++) for (let x = 0; x < r; x++, i++) g[i] = inside(x, y, z) ? 1 : 0;
  return g;
}

/** 3D checkerboard: no two occupied voxels share a face, so each is its own 6-component. */
export function checkerboard(resolution: number): Uint8Array {
  return gridFrom(resolution, (x, y, z) => ((x + y + z) & 1) === 0);
}

/**
 * A one-voxel-wide induced path (every voxel has at most two occupied face neighbours) winding
 * through the whole grid: in every even z slice a serpentine of full rows on even y, joined at
 * alternating ends; odd slices hold a single voxel that carries the path to the next even slice,
 * whose serpentine runs back the other way. Length ≈ R³/4 (66k at 64³, 528k at 128³).
 */
export function snake(resolution: number): Uint8Array {
  const r = resolution;
  const g = new Uint8Array(r ** 3);
  const at = (x: number, y: number, z: number) => {
    g[x + r * (y + r * z)] = 1;
  };
  const rows = Math.floor((r + 1) / 2); // rows at y = 0, 2, …
  let side = 0; // x where the path enters the current row
  for (let z = 0; z < r; z += 2) {
    const reverse = (z / 2) % 2 === 1;
    for (let k = 0; k < rows; k++) {
      const y = 2 * (reverse ? rows - 1 - k : k);
      for (let x = 0; x < r; x++) at(x, y, z);
      if (r > 1) side = r - 1 - side; // the row is walked to its other end
      if (k < rows - 1) at(side, reverse ? y - 1 : y + 1, z);
      else if (z + 2 < r) at(side, y, z + 1); // climb to the next even slice, which runs back
    }
  }
  return g;
}

/** Hollow cube shells one voxel thick, two voxels apart, nested to the centre. */
export function nestedShells(resolution: number): Uint8Array {
  const r = resolution;
  return gridFrom(r, (x, y, z) => Math.min(x, y, z, r - 1 - x, r - 1 - y, r - 1 - z) % 2 === 0);
}

/** Six separate slabs, one pressed against each face of the grid, plus a rod spanning x. */
export function faceSlabs(resolution: number): Uint8Array {
  const r = resolution;
  const lo = 2;
  const hi = r - 3;
  const inner = (a: number) => a >= lo && a <= hi;
  return gridFrom(
    r,
    (x, y, z) =>
      (x === 0 && inner(y) && inner(z)) ||
      (x === r - 1 && inner(y) && inner(z)) ||
      (y === 0 && inner(x) && inner(z)) ||
      (y === r - 1 && inner(x) && inner(z)) ||
      (z === 0 && inner(x) && inner(y)) ||
      (z === r - 1 && inner(x) && inner(y)) ||
      (y === r >> 1 && z === r >> 1 && x >= 2 && x <= r - 3),
  );
}

/** Number of occupied face neighbours of voxel i (to check that the snake really is a path). */
export function degree(g: Uint8Array, resolution: number, i: number): number {
  const r = resolution;
  const x = i % r;
  const y = Math.floor(i / r) % r;
  const z = Math.floor(i / (r * r));
  let d = 0;
  if (x > 0) d += g[i - 1];
  if (x < r - 1) d += g[i + 1];
  if (y > 0) d += g[i - r];
  if (y < r - 1) d += g[i + r];
  if (z > 0) d += g[i - r * r];
  if (z < r - 1) d += g[i + r * r];
  return d;
}
