import { describe, expect, it } from 'vitest';
import type { TextureImage, TriangleMesh } from './mesh';
import { closestPointOnTriangle, sampleTexture, surfaceColor, toByte } from './surface-color';

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

/** Smallest squared distance from p to a dense barycentric sampling of the triangle (and its edges). */
function sampledDistance2(tri: Float64Array, p: number[]): number {
  let best = Infinity;
  const n = 120;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; i + j <= n; j++) {
      const [u, v] = [i / n, j / n];
      const w = 1 - u - v;
      let d = 0;
      for (let k = 0; k < 3; k++) d += (u * tri[k] + v * tri[3 + k] + w * tri[6 + k] - p[k]) ** 2;
      best = Math.min(best, d);
    }
  }
  return best;
}

describe('closestPointOnTriangle', () => {
  it('finds the closest point of random and degenerate triangles', () => {
    const rand = mulberry32(21);
    const out = new Float64Array(3);
    for (let trial = 0; trial < 300; trial++) {
      const tri = new Float64Array(9).map(() => rand() * 2 - 1);
      if (trial % 10 === 1) tri.copyWithin(6, 3, 6); // two corners coincide
      if (trial % 10 === 2) for (let k = 0; k < 3; k++) tri[6 + k] = (tri[k] + tri[3 + k]) / 2; // collinear
      if (trial % 10 === 3) tri.fill(0.25); // a point
      const p = [rand() * 3 - 1.5, rand() * 3 - 1.5, rand() * 3 - 1.5];
      const d2 = closestPointOnTriangle(tri, p[0], p[1], p[2], out);
      expect(Number.isFinite(d2)).toBe(true);
      for (const w of out) expect(w).toBeGreaterThanOrEqual(-1e-12);
      expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 12);
      // The reported distance is the distance to the reported point ...
      let check = 0;
      for (let k = 0; k < 3; k++)
        check += (out[0] * tri[k] + out[1] * tri[3 + k] + out[2] * tri[6 + k] - p[k]) ** 2;
      expect(d2).toBeCloseTo(check, 12);
      // ... and no sample of the triangle is closer (up to the sampling's resolution).
      const sampled = sampledDistance2(tri, p);
      expect(d2).toBeLessThanOrEqual(sampled + 1e-12);
      expect(Math.sqrt(sampled) - Math.sqrt(d2)).toBeLessThan(0.05);
    }
  });

  it('returns the projection for a point above the interior', () => {
    const out = new Float64Array(3);
    const d2 = closestPointOnTriangle(new Float64Array([0, 0, 0, 4, 0, 0, 0, 4, 0]), 1, 2, 3, out);
    expect(d2).toBeCloseTo(9, 12);
    expect(Array.from(out).map((w) => +w.toFixed(12))).toEqual([0.25, 0.25, 0.5]);
  });
});

describe('sampleTexture', () => {
  // 2×2: top row red, green; bottom row blue, white.
  const texture: TextureImage = {
    width: 2,
    height: 2,
    data: new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]),
  };
  const at = (u: number, v: number, topLeft: boolean, filter: 'nearest' | 'bilinear') => {
    const out = new Float64Array(3);
    sampleTexture(texture, u, v, topLeft, filter, out);
    return Array.from(out).map((c) => Math.round(c * 255));
  };

  it('honours the uv origin', () => {
    expect(at(0.25, 0.25, true, 'nearest')).toEqual([255, 0, 0]);
    expect(at(0.25, 0.25, false, 'nearest')).toEqual([0, 0, 255]);
    expect(at(0.75, 0.75, true, 'nearest')).toEqual([255, 255, 255]);
    expect(at(0.75, 0.75, false, 'nearest')).toEqual([0, 255, 0]);
  });

  it('wraps with repeat', () => {
    expect(at(1.25, -0.75, true, 'nearest')).toEqual(at(0.25, 0.25, true, 'nearest'));
    expect(at(-0.25, 2.75, false, 'nearest')).toEqual(at(0.75, 0.75, false, 'nearest'));
  });

  it('filters bilinearly: exact at texel centres, averaged between them, wrapping at the seam', () => {
    expect(at(0.25, 0.25, true, 'bilinear')).toEqual([255, 0, 0]);
    expect(at(0.5, 0.25, true, 'bilinear')).toEqual([128, 128, 0]);
    expect(at(0.5, 0.5, true, 'bilinear')).toEqual([128, 128, 128]);
    // u = 0 sits halfway between the last and the first column.
    expect(at(0, 0.25, true, 'bilinear')).toEqual([128, 128, 0]);
  });
});

describe('surfaceColor', () => {
  it('multiplies interpolated vertex colour, material colour and texture', () => {
    const texture: TextureImage = { width: 1, height: 1, data: new Uint8Array([255, 128, 0, 255]) };
    const mesh: TriangleMesh = {
      positions: new Float32Array(9),
      indices: new Uint32Array([0, 1, 2, 0, 1, 2]),
      colors: new Float32Array([1, 1, 1, 0, 0, 0, 1, 0.5, 0]),
      uvs: new Float32Array(6),
      materialIds: new Uint16Array([0, 1]),
      materials: [{ color: [0.5, 1, 1] }, { color: [1, 1, 1], texture }],
    };
    const out = new Float64Array(3);
    const scratch = new Float64Array(3);
    surfaceColor(mesh, 0, 0.5, 0.5, 0, 'bilinear', out, scratch);
    expect(Array.from(out)).toEqual([0.25, 0.5, 0.5]);
    surfaceColor(mesh, 1, 0, 0, 1, 'nearest', out, scratch);
    expect(Array.from(out).map(toByte)).toEqual([255, 64, 0]);
    surfaceColor({ ...mesh, colors: undefined }, 0, 1, 0, 0, 'nearest', out, scratch);
    expect(Array.from(out)).toEqual([0.5, 1, 1]);
  });

  it('rounds and clamps to bytes', () => {
    expect([-0.2, 0, 0.5, 1, 1.7, Number.NaN].map(toByte)).toEqual([0, 0, 128, 255, 255, 0]);
  });
});
