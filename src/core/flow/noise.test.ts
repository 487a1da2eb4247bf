import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { type NoiseStream, normals, PI_F32, uniformBits, uniformFromBits, uniforms } from './noise';
import { philox4x32 } from './philox';
import { mean, variance } from './testing';

const S: NoiseStream = { purpose: 'forward', step: 12, lane: 0 };

describe('noise streams', () => {
  it('maps element i to word i mod 4 of Philox block ⌊i/4⌋ with counter (b, step, lane, purpose)', () => {
    const bits = uniformBits(0x1_0000_0005, S, 10);
    const block = new Uint32Array(4);
    for (let b = 0; b < 3; b++) {
      philox4x32(b, 12, 0, 2, 5, 1, block);
      for (let w = 0; w < 4 && 4 * b + w < 10; w++) expect(bits[4 * b + w]).toBe(block[w]);
    }
  });

  it('is a pure function of (seed, stream, index): repeatable, and a prefix of a longer draw', () => {
    const a = normals(42, S, 1001);
    expect(normals(42, S, 1001)).toEqual(a);
    expect(normals(42, S, 2048).subarray(0, 1001)).toEqual(a);
    const out = new Float32Array(1001);
    expect(normals(42, S, 1001, out)).toBe(out);
    expect(out).toEqual(a);
  });

  it('gives different numbers for a different seed, purpose, step or lane', () => {
    const base = uniformBits(42, S, 64);
    for (const [seed, stream] of [
      [43, S],
      [42 + 2 ** 32, S],
      [42, { ...S, purpose: 'diffusion' }],
      [42, { ...S, step: 13 }],
      [42, { ...S, lane: 1 }],
    ] as const) {
      const other = uniformBits(seed, stream, 64);
      const same = base.filter((v, i) => v === other[i]).length;
      expect(same).toBeLessThan(2);
    }
  });

  it('builds uniforms that f32 represents exactly, strictly inside (0, 1)', () => {
    const u = uniforms(9, S, 4096);
    for (const x of u) {
      expect(Math.fround(x)).toBe(x);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    expect(uniformFromBits(0)).toBe(2 ** -24);
    expect(uniformFromBits(0xffffffff)).toBe(1 - 2 ** -24);
  });

  it('makes normals by Box–Muller from the documented words', () => {
    const bits = uniformBits(5, S, 8);
    const z = normals(5, S, 8);
    for (const pair of [0, 2, 4, 6]) {
      const u = ((bits[pair] >>> 8) + 1) * 2 ** -24;
      const theta = Math.fround(PI_F32 * ((bits[pair + 1] >>> 8) - 2 ** 23) * 2 ** -23);
      const r = Math.sqrt(-2 * Math.log(u));
      expect(z[pair]).toBe(Math.fround(r * Math.cos(theta)));
      expect(z[pair + 1]).toBe(Math.fround(r * Math.sin(theta)));
    }
  });

  it('pins the first values for seed 42 (the fixture a WGSL twin must match: bits exactly, normals to 1e-6)', () => {
    expect(
      Array.from(uniformBits(42, { purpose: 'initial', step: 25, lane: 0 }, 4), (v) => v.toString(16)),
    ).toEqual(GOLDEN_BITS);
    const z = normals(42, { purpose: 'initial', step: 25, lane: 0 }, 4);
    z.forEach((v, i) => {
      expect(v).toBeCloseTo(GOLDEN_NORMALS[i], 6);
    });
  });

  it('has standard-normal statistics and bounded tails', () => {
    const n = 1 << 20;
    const z = normals(2024, { purpose: 'initial', step: 0, lane: 0 }, n);
    const m = mean(z);
    const v = variance(z);
    let k = 0;
    let maxAbs = 0;
    for (const x of z) {
      k += (x - m) ** 4;
      maxAbs = Math.max(maxAbs, Math.abs(x));
    }
    // Standard errors at n = 2^20: mean 0.001, variance 0.0014, kurtosis √(24/n) = 0.005; bounds ≈ 5σ.
    expect(Math.abs(m)).toBeLessThan(0.005);
    expect(Math.abs(v - 1)).toBeLessThan(0.007);
    expect(Math.abs(k / n / (v * v) - 3)).toBeLessThan(0.03);
    expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(48 * Math.LN2) + 1e-6);
  });

  it('refuses bad seeds, streams and output arrays', () => {
    expect(() => normals(-1, S, 4)).toThrow(InvalidArgumentError);
    expect(() => normals(1.5, S, 4)).toThrow(/seed = 1.5/);
    expect(() => normals(1, { ...S, step: -1 }, 4)).toThrow(/stream.step/);
    expect(() => normals(1, { ...S, lane: 2 ** 32 }, 4)).toThrow(/stream.lane/);
    expect(() => normals(1, S, 8, new Float32Array(4))).toThrow(/out holds 4/);
  });
});

// Produced by this implementation and checked by hand against the formulas above (e.g. word 0:
// u = (0x13ba42 + 1)·2^-24, r = 2.2641; word 1: θ = π·(0x63a3f4 − 2^23)·2^-23 = −0.69607 → 1.73746).
const GOLDEN_BITS = ['13ba42e8', '63a3f447', '733ffef7', 'f8ff0946'];
const GOLDEN_NORMALS = [1.737458348274231, -1.4517430067062378, -1.244767427444458, 0.21610616147518158];
