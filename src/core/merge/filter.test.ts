import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import type { ComponentTable } from './components';
import { applyMerge, buildMask, DEFAULT_TAU, effectiveTau, selectComponents } from './filter';

function tableOf(sizes: number[]): ComponentTable {
  const count = sizes.length;
  return {
    count,
    label: Int32Array.from(sizes, (_, i) => i),
    size: Int32Array.from(sizes),
    added: Int32Array.from(sizes),
    removed: new Int32Array(count),
    bbox: new Uint16Array(6 * count),
  };
}

describe('τ rules', () => {
  it('fixed keeps sizes ≥ τ (paper default 100)', () => {
    expect(DEFAULT_TAU.fixed).toBe(100);
    const s = selectComponents(tableOf([1, 99, 100, 101, 5000]), 100, 'fixed');
    expect(s.kept).toEqual([2, 3, 4]);
    expect(s.tau).toBe(100);
    expect(s.voxelsChanged).toBe(100 + 101 + 5000);
    expect(Array.from(s.keep)).toEqual([0, 0, 1, 1, 1]);
  });

  it('fixed takes a fractional τ as is (2.5 keeps 3 and up) and may keep nothing', () => {
    expect(selectComponents(tableOf([2, 3]), 2.5, 'fixed').kept).toEqual([1]);
    expect(selectComponents(tableOf([2, 3]), 4, 'fixed').kept).toEqual([]);
  });

  it('adaptive keeps sizes > 250 when the largest exceeds 250, without halving', () => {
    expect(DEFAULT_TAU.adaptive).toBe(250);
    const s = selectComponents(tableOf([300, 251, 250, 5]), 250, 'adaptive');
    expect(s.tau).toBe(250);
    expect(s.kept).toEqual([0, 1]);
  });

  it('adaptive halves by float division until the largest survives: 250 → 125 → 62.5 → 31.25', () => {
    const s = selectComponents(tableOf([10, 40, 3, 32, 31]), 250, 'adaptive');
    expect(s.tau).toBe(31.25);
    expect(s.kept).toEqual([1, 3]); // 40 and 32 > 31.25; 31 is not
  });

  it('adaptive halves past a largest size equal to τ/2^k (where the released loop would stop)', () => {
    // Largest = 125 = 250/2: 125 > 125 fails, so halve once more to 62.5 and keep 125 and 100.
    const s = selectComponents(tableOf([125, 100, 62]), 250, 'adaptive');
    expect(s.tau).toBe(62.5);
    expect(s.kept).toEqual([0, 1]);
    // Largest = 250 = τ itself: halve to 125.
    expect(selectComponents(tableOf([250, 126, 125]), 250, 'adaptive').kept).toEqual([0, 1]);
  });

  it('adaptive goes below 1 when only single voxels differ, keeping them all', () => {
    const s = selectComponents(tableOf([1, 1, 1]), 250, 'adaptive');
    expect(s.tau).toBe(250 / 256);
    expect(s.kept).toEqual([0, 1, 2]);
  });

  it('adaptive keeps every component tied with the largest', () => {
    expect(selectComponents(tableOf([7, 7, 3]), 250, 'adaptive').kept).toEqual([0, 1]);
    expect(effectiveTau(tableOf([7, 7, 6]), 250, 'adaptive')).toBe(250 / 64);
  });

  it('adaptive with a non-power-of-two start halves the same way: 3 → 1.5', () => {
    const s = selectComponents(tableOf([2, 1]), 3, 'adaptive');
    expect(s.tau).toBe(1.5);
    expect(s.kept).toEqual([0]);
  });

  it('both rules on no components: τ unchanged, nothing kept', () => {
    for (const rule of ['fixed', 'adaptive'] as const) {
      const s = selectComponents(tableOf([]), 250, rule);
      expect(s).toMatchObject({ tau: 250, kept: [], voxelsChanged: 0 });
    }
  });

  it('refuses τ ≤ 0, non-finite τ and unknown rules with typed errors', () => {
    const t = tableOf([5]);
    for (const tau of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => selectComponents(t, tau, 'fixed')).toThrow(InvalidArgumentError);
    }
    expect(() => selectComponents(t, -3, 'adaptive')).toThrow(/greater than 0; got -3/);
    // @ts-expect-error an unknown rule, as it could arrive from a message or the command line
    expect(() => selectComponents(t, 10, 'median')).toThrow(/Unknown τ rule “median”/);
  });
});

describe('mask and merge kernels', () => {
  it('mask follows the kept ids and merge flips exactly the masked voxels', () => {
    const ids = Int32Array.from([-1, 0, 1, 1, -1, 2]);
    const mask = buildMask(ids, Uint8Array.from([1, 0, 1]));
    expect(Array.from(mask)).toEqual([0, 1, 0, 0, 0, 1]);
    const src = Uint8Array.from([1, 0, 1, 0, 1, 1]);
    expect(Array.from(applyMerge(src, mask))).toEqual([1, 1, 1, 0, 1, 0]);
  });
});
