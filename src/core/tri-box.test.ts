import { describe, expect, it } from 'vitest';
import { triBoxOverlap } from './tri-box';
import { triBoxOverlapByClipping } from './tri-box-reference';

/** mulberry32: a tiny seeded PRNG for reproducible test cases (not the product's noise generator). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type V = [number, number, number];

function expectAgree(a: V, b: V, c: V, min: V, max: V): boolean {
  const reference = triBoxOverlapByClipping(a, b, c, min, max);
  const sat = triBoxOverlap(a, b, c, min, max);
  if (sat !== reference) {
    throw new Error(`SAT ${sat} vs clipping ${reference} for ${JSON.stringify({ a, b, c, min, max })}`);
  }
  return reference;
}

const unitMin: V = [0, 0, 0];
const unitMax: V = [1, 1, 1];

describe('triBoxOverlap', () => {
  it('handles hand-made touching and separated cases', () => {
    const cases: Array<[V, V, V, boolean, string]> = [
      [[0.2, 0.2, 0.5], [0.8, 0.2, 0.5], [0.5, 0.8, 0.5], true, 'inside'],
      [[0.2, 0.2, 1], [0.8, 0.2, 1], [0.5, 0.8, 1], true, 'in the top face plane, over the face'],
      [[-1, -1, 1], [3, -1, 1], [-1, 3, 1], true, 'in the top face plane, covering the face'],
      [[1, 1, 1], [2, 1, 1], [1, 2, 1], true, 'in the face plane, touching only the corner'],
      [[1, 0, 1], [2, 0, 1], [1, 1, 1], true, 'in the face plane, sharing an edge with the face'],
      [[1, 1, 1], [2, 2, 3], [3, 1, 2], true, 'one vertex on the corner'],
      [[0, 0, 0], [1, 0, 0], [0.5, -1, -1], true, 'an edge along a box edge'],
      [
        [-1, 3, 0.5],
        [3, -1, 0.5],
        [5, 5, 0.5],
        true,
        'in the z = 0.5 plane, an edge through the vertical box edge',
      ],
      [[-1, 3 + 2 ** -30, 0.5], [3, -1 + 2 ** -30, 0.5], [5, 5, 0.5], false, 'the same, a hair beyond'],
      [[0, 2, 0], [2, 0, 2], [3, 3, 3], true, 'an oblique edge through the corner (1,1,1), nothing else'],
      [[2 ** -30, 2, 0], [2 + 2 ** -30, 0, 2], [3, 3, 3], false, 'the same, a hair beyond'],
      [[1 + 2 ** -40, 0, 0], [2, 0, 0], [2, 1, 1], false, 'a hair beyond the x = 1 face'],
      [[2, 2, 2], [3, 2, 2], [2, 3, 2], false, 'beyond the corner'],
      [[0.5, -1, 3], [0.5, 3, -1], [5, 5, 5], true, 'plane clips an edge of the box (1-D contact)'],
      [[1, 1, 1 + 1e-9], [1, 1, 2], [2, 1, 1.5], false, 'on the corner line but above it'],
      [[1e6, 1e6, 1e6], [1e6 + 1, 1e6, 1e6], [1e6, 1e6 + 1, 1e6], false, 'far away'],
      [[-1e6, -1e6, 0.5], [1e6, -1e6, 0.5], [0, 1e6, 0.5], true, 'huge triangle through the box'],
      [[1, 1, 1], [1, 1, 1], [1, 1, 1], true, 'a point triangle on the corner'],
      [[2, 1, 0.5], [1, 2, 0.5], [1.5, 1.5, 0.5], false, 'a segment-like sliver near but off the edge'],
      [[-1, 1, 0.5], [1, -1, 0.5], [0, 0, 0.5], true, 'a degenerate segment through the box'],
      [[1.5, 0.5, 0.5], [1.5, 0.5, 0.5], [1, 0.5, 0.5], true, 'a degenerate segment ending on a face'],
    ];
    for (const [a, b, c, want, what] of cases) {
      expect(triBoxOverlapByClipping(a, b, c, unitMin, unitMax), `reference: ${what}`).toBe(want);
      expect(triBoxOverlap(a, b, c, unitMin, unitMax), what).toBe(want);
    }
  });

  it('agrees with exact clipping on random triangles and boxes', () => {
    const rand = mulberry32(1);
    let hits = 0;
    for (let i = 0; i < 4000; i++) {
      const scale = 10 ** (rand() * 6 - 4);
      const min: V = [rand() * 2 - 1, rand() * 2 - 1, rand() * 2 - 1];
      const max: V = [min[0] + rand() * 0.5, min[1] + rand() * 0.5, min[2] + rand() * 0.5];
      const centre = [0, 1, 2].map(
        (k) => (min[k] + max[k]) / 2 + (rand() - 0.5) * 1.2 * (max[k] - min[k] + scale),
      ) as V;
      const vertex = (): V => [
        centre[0] + (rand() - 0.5) * scale,
        centre[1] + (rand() - 0.5) * scale,
        centre[2] + (rand() - 0.5) * scale,
      ];
      if (expectAgree(vertex(), vertex(), vertex(), min, max)) hits++;
    }
    // Both outcomes must be well represented or the comparison proves little.
    expect(hits).toBeGreaterThan(400);
    expect(hits).toBeLessThan(3600);
  });

  it('agrees with exact clipping on a coarse lattice, where touching is common', () => {
    // Vertices and box corners on multiples of 1/4: every SAT product is exact in float64, so the
    // SAT must match the exact reference case for case, touching cases included.
    const rand = mulberry32(2);
    const lattice = () => Math.floor(rand() * 13 - 4) / 4;
    let overlaps = 0;
    let touchingOnly = 0;
    for (let i = 0; i < 6000; i++) {
      const a: V = [lattice(), lattice(), lattice()];
      const b: V = [lattice(), lattice(), lattice()];
      const c: V = rand() < 0.1 ? [...a] : [lattice(), lattice(), lattice()];
      if (!expectAgree(a, b, c, unitMin, unitMax)) continue;
      overlaps++;
      const eps = 2 ** -20;
      if (!triBoxOverlapByClipping(a, b, c, [eps, eps, eps], [1 - eps, 1 - eps, 1 - eps])) touchingOnly++;
    }
    expect(overlaps).toBeGreaterThan(1000);
    expect(touchingOnly).toBeGreaterThan(200);
  });

  it('agrees with exact clipping on tiny triangles around box corners and faces', () => {
    const rand = mulberry32(3);
    for (let i = 0; i < 3000; i++) {
      const size = 2 ** -Math.floor(10 + rand() * 30);
      // Anchor on a corner, edge midpoint or face centre of the unit box, sometimes exactly.
      const anchor: V = [0, 1, 2].map(() => [0, 0.5, 1][Math.floor(rand() * 3)]) as V;
      const vertex = (): V =>
        anchor.map((x) => (rand() < 0.3 ? x : x + Math.round((rand() - 0.5) * 4) * size)) as V;
      expectAgree(vertex(), vertex(), vertex(), unitMin, unitMax);
    }
  });

  it('agrees with exact clipping on voxel-like boxes and k/R coordinates', () => {
    const rand = mulberry32(4);
    const R = 16;
    for (let i = 0; i < 3000; i++) {
      const voxel = [0, 1, 2].map(() => Math.floor(rand() * R));
      const min = voxel.map((x) => -0.5 + x / R) as V;
      const max = voxel.map((x) => -0.5 + (x + 1) / R) as V;
      const vertex = (): V =>
        voxel.map((x) => {
          const k = x + Math.floor(rand() * 5) - 2;
          return rand() < 0.6 ? -0.5 + k / R : -0.5 + (k + rand()) / R;
        }) as V;
      expectAgree(vertex(), vertex(), vertex(), min, max);
    }
  });

  it('does not depend on vertex order', () => {
    const rand = mulberry32(5);
    for (let i = 0; i < 2000; i++) {
      const v = (): V => [rand() * 2 - 0.5, rand() * 2 - 0.5, rand() * 2 - 0.5];
      const [a, b, c] = [v(), v(), v()];
      const want = triBoxOverlap(a, b, c, unitMin, unitMax);
      for (const [p, q, r] of [
        [b, c, a],
        [c, a, b],
        [b, a, c],
        [a, c, b],
        [c, b, a],
      ]) {
        expect(triBoxOverlap(p, q, r, unitMin, unitMax)).toBe(want);
      }
    }
  });
});
