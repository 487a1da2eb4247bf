import { describe, expect, it } from 'vitest';
import { labelComponents } from './fast-label';
import { BACKGROUND, labelByKernels, labelFlatten, labelInit, labelUnion, xorDiff } from './label';
import {
  bfsLabels,
  checkerboard,
  degree,
  faceSlabs,
  gridFrom,
  nestedShells,
  randomGrid,
  seededRandom,
  snake,
} from './testing';

/** Compares as whole arrays only when they differ somewhere, so a failure prints the first few. */
function expectSameLabels(actual: Int32Array, expected: Int32Array, what: string): void {
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      if (first < 0) first = i;
      mismatches++;
    }
  }
  expect(
    { what, mismatches, first, got: actual[first], want: expected[first] },
    `${what}: labels differ from the BFS reference`,
  ).toEqual({ what, mismatches: 0, first: -1, got: undefined, want: undefined });
}

function componentCount(labels: Int32Array): number {
  let roots = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === i) roots++;
  return roots;
}

describe('xorDiff', () => {
  it('marks exactly the voxels that differ', () => {
    const a = new Uint8Array([0, 0, 1, 1]);
    const b = new Uint8Array([0, 1, 0, 1]);
    expect(Array.from(xorDiff(a, b))).toEqual([0, 1, 1, 0]);
  });
});

describe('labelByKernels', () => {
  it('runs as init → union → flatten, the three GPU kernels', () => {
    const r = 4;
    const g = gridFrom(r, (x, y, z) => (x === 3 && z === 0) || (y === 3 && z === 3) || (x === 0 && y === 0));
    const labels = new Int32Array(g.length);
    labelInit(g, labels);
    expect(labels[0]).toBe(0);
    expect(labels[1]).toBe(BACKGROUND);
    labelUnion(g, r, labels);
    labelFlatten(labels);
    expectSameLabels(labels, bfsLabels(g, r), 'hand-made 4³');
  });
});

const labellers: [string, (g: Uint8Array, r: number) => Int32Array][] = [
  ['labelByKernels (the GPU kernels’ shape)', (g, r) => labelByKernels(g, r)],
  ['labelComponents (fast path)', (g, r) => labelComponents(g, r)],
];

describe.each(labellers)('%s: 6-connectivity, canonical label = smallest index', (_name, label) => {
  it('labels a bent component by its smallest index, not by scan order', () => {
    // A U-shape in the xy plane of a 3³ grid: two columns joined at the top row. The right column
    // starts at index 2 but joins the left one (index 0) only at y = 2.
    const g = gridFrom(3, (x, y, z) => z === 0 && (x === 0 || x === 2 || y === 2));
    const labels = label(g, 3);
    for (let i = 0; i < g.length; i++) expect(labels[i]).toBe(g[i] ? 0 : BACKGROUND);
  });

  it('matches the BFS reference on 3000 random grids of side 1–12 and density 0.05–0.6', () => {
    const random = seededRandom(0x5eed);
    for (let trial = 0; trial < 3000; trial++) {
      const r = trial < 40 ? 1 + (trial % 5) : 6 + Math.floor(random() * 7);
      const density = 0.05 + random() * 0.55;
      const g = randomGrid(r, density, random);
      const labels = label(g, r);
      const reference = bfsLabels(g, r);
      for (let i = 0; i < g.length; i++) {
        if (labels[i] !== reference[i]) {
          expectSameLabels(labels, reference, `trial ${trial} (R=${r}, density ${density.toFixed(3)})`);
        }
      }
    }
  });

  it('matches the BFS reference on random 64³ grids around the percolation threshold', () => {
    const random = seededRandom(64);
    for (const density of [0.05, 0.25, 0.31, 0.35, 0.6]) {
      const g = randomGrid(64, density, random);
      expectSameLabels(label(g, 64), bfsLabels(g, 64), `64³ density ${density}`);
    }
  });

  it('matches the BFS reference on a random 128³ grid', () => {
    const g = randomGrid(128, 0.3, seededRandom(128));
    expectSameLabels(label(g, 128), bfsLabels(g, 128), '128³ density 0.3');
  });

  it('handles an empty and a full 64³ grid', () => {
    const n = 64 ** 3;
    const empty = label(new Uint8Array(n), 64);
    expect(empty.every((l) => l === BACKGROUND)).toBe(true);
    const full = label(new Uint8Array(n).fill(1), 64);
    expect(full.every((l) => l === 0)).toBe(true);
  });

  it('gives every voxel of a 3D checkerboard its own component (64³ and 128³)', () => {
    for (const r of [64, 128]) {
      const g = checkerboard(r);
      const labels = label(g, r);
      for (let i = 0; i < g.length; i++) {
        if (labels[i] !== (g[i] ? i : BACKGROUND))
          expectSameLabels(labels, bfsLabels(g, r), `checkerboard ${r}³`);
      }
      expect(componentCount(labels)).toBe(r ** 3 / 2);
    }
  });

  it('labels a serpentine snake as one component (64³: 66k voxels; 128³: > 100k)', () => {
    for (const r of [64, 128]) {
      const g = snake(r);
      let voxels = 0;
      let ends = 0;
      let branches = 0;
      for (let i = 0; i < g.length; i++) {
        if (!g[i]) continue;
        voxels++;
        const d = degree(g, r, i);
        if (d === 1) ends++;
        else if (d !== 2) branches++;
      }
      // An induced path: two ends, every other voxel has exactly two neighbours.
      expect({ ends, branches }).toEqual({ ends: 2, branches: 0 });
      if (r === 128) expect(voxels).toBeGreaterThanOrEqual(100_000);
      const labels = label(g, r);
      expect(componentCount(labels)).toBe(1);
      expectSameLabels(labels, bfsLabels(g, r), `snake ${r}³`);
    }
  });

  it('separates nested hollow shells (64³ and 128³)', () => {
    for (const r of [64, 128]) {
      const g = nestedShells(r);
      const labels = label(g, r);
      expect(componentCount(labels)).toBe(r / 4);
      expectSameLabels(labels, bfsLabels(g, r), `shells ${r}³`);
    }
  });

  it('keeps components touching every face apart, including at the last index', () => {
    const r = 64;
    const g = faceSlabs(r);
    const labels = label(g, r);
    expect(componentCount(labels)).toBe(7);
    expectSameLabels(labels, bfsLabels(g, r), 'face slabs');
    // Corner voxels: the extremes of the index range must not wrap into each other.
    const corners = gridFrom(
      r,
      (x, y, z) => (x === 0 || x === r - 1) && (y === 0 || y === r - 1) && (z === 0 || z === r - 1),
    );
    const cl = label(corners, r);
    expect(componentCount(cl)).toBe(8);
    expect(cl[r ** 3 - 1]).toBe(r ** 3 - 1);
    // Rows that end at x = R−1 must not join the next row's x = 0 (no wrap along the index).
    const edges = gridFrom(r, (x) => x === 0 || x === r - 1);
    expectSameLabels(label(edges, r), bfsLabels(edges, r), 'x edges');
  });

  it('agrees with BFS on a random 256³ grid', () => {
    const g = randomGrid(256, 0.3, seededRandom(256));
    expectSameLabels(label(g, 256), bfsLabels(g, 256), '256³ density 0.3');
  });
});
