import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidGridError } from '../errors';
import { componentIdOf, listComponents } from './components';
import { bfsLabels, gridFrom, perturb, randomGrid, seededRandom } from './testing';
import { allocateMergeBuffers, remerge, voxelMerge } from './voxel-merge';

const R = 32;

/** A source box, an edit that adds a 6×6×6 cube on top, and sparse noise flips elsewhere. */
function editScene(seed: number) {
  const src = gridFrom(R, (x, y, z) => x >= 8 && x < 24 && y >= 4 && y < 14 && z >= 8 && z < 24);
  const inCube = (x: number, y: number, z: number, grow: number) =>
    x >= 13 - grow && x < 19 + grow && y >= 14 - grow && y < 20 + grow && z >= 13 - grow && z < 19 + grow;
  const withAddition = gridFrom(R, (x, y, z) => src[x + R * (y + R * z)] === 1 || inCube(x, y, z, 0));
  const noisy = perturb(withAddition, 0.002, seededRandom(seed));
  // No noise on or next to the cube, so the edit is one component of exactly 216 voxels.
  const edited = gridFrom(R, (x, y, z) => {
    const i = x + R * (y + R * z);
    return (inCube(x, y, z, 1) ? withAddition[i] : noisy[i]) === 1;
  });
  return { src, withAddition, edited };
}

function count(a: Uint8Array): number {
  let c = 0;
  for (const v of a) c += v;
  return c;
}

describe('voxelMerge', () => {
  it('keeps the real edit, drops the noise, and preserves every voxel outside the mask', () => {
    const { src, withAddition, edited } = editScene(1);
    const result = voxelMerge(src, edited, R, { tau: 100, rule: 'fixed' });
    expect(result.kept.length).toBe(1);
    const big = listComponents(result.components)[result.kept[0]];
    expect(big).toMatchObject({
      size: 216,
      added: 216,
      removed: 0,
      bbox: { min: [13, 14, 13], max: [18, 19, 18] },
    });
    for (let i = 0; i < src.length; i++) {
      if (result.mask[i] === 0 && result.merged[i] !== src[i])
        throw new Error(`voxel ${i} outside m changed`);
      if (result.mask[i] === 1 && result.merged[i] !== edited[i])
        throw new Error(`voxel ${i} in m is not the edit`);
    }
    expect(Array.from(result.merged)).toEqual(Array.from(withAddition));
    expect(result.voxelsChanged).toBe(216);
    expect(count(result.mask)).toBe(216);
  });

  it('preserves every voxel outside m on random grids, for both rules and many τ', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 60; trial++) {
      const r = 6 + Math.floor(random() * 12);
      const src = randomGrid(r, 0.1 + 0.5 * random(), random);
      const edited = perturb(src, 0.02 + 0.4 * random(), random);
      const rule = trial % 2 === 0 ? 'fixed' : 'adaptive';
      const tau = 1 + Math.floor(random() * 40);
      const result = voxelMerge(src, edited, r, { tau, rule });
      const reference = bfsLabels(result.diff, r);
      let changed = 0;
      for (let i = 0; i < src.length; i++) {
        const inMask = result.mask[i] === 1;
        if (inMask && result.diff[i] === 0) throw new Error('mask outside the diff');
        if (result.merged[i] !== (inMask ? edited[i] : src[i])) throw new Error(`trial ${trial}: voxel ${i}`);
        if (result.labels[i] !== reference[i]) throw new Error(`trial ${trial}: label ${i}`);
        changed += result.merged[i] !== src[i] ? 1 : 0;
      }
      expect(changed).toBe(result.voxelsChanged);
      // Whole components only: every voxel of a kept component is in the mask.
      const kept = new Set(result.kept);
      for (let i = 0; i < src.length; i++) {
        const id = componentIdOf(result.components, result.labels[i]);
        expect(id >= 0).toBe(result.labels[i] >= 0);
        if (id >= 0 && kept.has(id) !== (result.mask[i] === 1)) throw new Error('partial');
      }
      result.foreground.forEach((i, k) => {
        if (result.componentOf[k] !== componentIdOf(result.components, result.labels[i]))
          throw new Error('componentOf');
      });
    }
  });

  it('an edit identical to the source changes nothing under either rule', () => {
    const src = randomGrid(16, 0.3, seededRandom(9));
    for (const rule of ['fixed', 'adaptive'] as const) {
      const result = voxelMerge(src, src.slice(), 16, { tau: 100, rule });
      expect(result.components.count).toBe(0);
      expect(result.tau).toBe(100);
      expect(result.voxelsChanged).toBe(0);
      expect(Array.from(result.merged)).toEqual(Array.from(src));
    }
  });

  it('adaptive keeps the largest component even when it is far below 250', () => {
    const { src, edited } = editScene(2);
    const result = voxelMerge(src, edited, R, { tau: 250, rule: 'adaptive' });
    expect(result.tau).toBe(125); // 216 ≤ 250, 216 > 125
    expect(result.kept.map((id) => result.components.size[id])).toEqual([216]);
  });

  it('reports a histogram over all components and reuses caller buffers', () => {
    const { src, edited } = editScene(4);
    const buffers = allocateMergeBuffers(R);
    const a = voxelMerge(src, edited, R, { tau: 100, rule: 'fixed' }, buffers);
    expect(a.merged).toBe(buffers.merged);
    expect(a.histogram.counts.reduce((x, y) => x + y, 0)).toBe(a.components.count);
    expect(a.histogram.voxels.reduce((x, y) => x + y, 0)).toBe(count(a.diff));
    const fresh = voxelMerge(src, edited, R, { tau: 100, rule: 'fixed' });
    expect(Array.from(fresh.merged)).toEqual(Array.from(a.merged));
  });

  it('sizes its lists to the diff: none, one and every voxel differing, and checks caller buffers', () => {
    const r = 8;
    const src = randomGrid(r, 0.4, seededRandom(21));
    const flipped = src.map((v) => v ^ 1);
    const all = voxelMerge(src, flipped, r, { tau: 1, rule: 'fixed' });
    expect(all.foreground.length).toBe(r ** 3);
    expect(Buffer.compare(all.merged, flipped)).toBe(0);
    const one = src.slice();
    one[r ** 3 - 1] ^= 1;
    const single = voxelMerge(src, one, r, { tau: 1, rule: 'fixed' });
    expect(Array.from(single.foreground)).toEqual([r ** 3 - 1]);
    expect(single.voxelsChanged).toBe(1);
    expect(voxelMerge(src, src, r, { tau: 1, rule: 'fixed' }).foreground.length).toBe(0);
    // Buffers sized for at most 3 differences refuse a bigger diff instead of overflowing.
    const small = allocateMergeBuffers(r, 3);
    expect(voxelMerge(src, one, r, { tau: 1, rule: 'fixed' }, small).voxelsChanged).toBe(1);
    expect(() => voxelMerge(src, flipped, r, { tau: 1, rule: 'fixed' }, small)).toThrow(
      /room for 4 differences/,
    );
    expect(() => voxelMerge(src, one, r, { tau: 1, rule: 'fixed' }, allocateMergeBuffers(4))).toThrow(
      RangeError,
    );
  });

  it('refuses bad grids and τ with typed errors before doing any work', () => {
    const g = new Uint8Array(8 ** 3);
    expect(() => voxelMerge(g, new Uint8Array(7 ** 3), 8, { tau: 1, rule: 'fixed' })).toThrow(
      InvalidGridError,
    );
    expect(() => voxelMerge(g, new Uint8Array(7 ** 3), 8, { tau: 1, rule: 'fixed' })).toThrow(/must match/);
    const two = g.slice();
    two[3 + 8 * (2 + 8 * 1)] = 2;
    expect(() => voxelMerge(g, two, 8, { tau: 1, rule: 'fixed' })).toThrow(
      /edited grid is not binary: 1 voxel has values other than 0 or 1 \(first at x=3, y=2, z=1, value 2\)/,
    );
    expect(() => voxelMerge(g, g, 257, { tau: 1, rule: 'fixed' })).toThrow(/from 1 to 256; got 257/);
    expect(() => voxelMerge(g, g, 7.5, { tau: 1, rule: 'fixed' })).toThrow(InvalidGridError);
    expect(() => voxelMerge(g, g, 8, { tau: 0, rule: 'fixed' })).toThrow(InvalidArgumentError);
    expect(() => voxelMerge(g, g, 8, { tau: Number.NaN, rule: 'adaptive' })).toThrow(InvalidArgumentError);
  });
});

describe('remerge', () => {
  it('gives what a fresh merge gives, for every τ and both rules, without relabelling', () => {
    const random = seededRandom(11);
    const src = randomGrid(24, 0.3, random);
    const edited = perturb(src, 0.15, random);
    const first = voxelMerge(src, edited, 24, { tau: 1, rule: 'fixed' });
    const out = { mask: new Uint8Array(src.length), merged: new Uint8Array(src.length) };
    for (const rule of ['fixed', 'adaptive'] as const) {
      for (const tau of [1, 2, 3, 5, 8, 20, 100, 250, 1000]) {
        const fresh = voxelMerge(src, edited, 24, { tau, rule });
        const again = remerge(first, src, { tau, rule }, out);
        expect(again.merged).toBe(out.merged);
        expect({ kept: again.kept, tau: again.tau, n: again.voxelsChanged }).toEqual({
          kept: fresh.kept,
          tau: fresh.tau,
          n: fresh.voxelsChanged,
        });
        expect(Buffer.compare(again.merged, fresh.merged)).toBe(0);
        expect(Buffer.compare(again.mask, fresh.mask)).toBe(0);
      }
    }
  });

  it('refuses a source of another size and a bad τ', () => {
    const src = new Uint8Array(64);
    const first = voxelMerge(src, src, 4, { tau: 1, rule: 'fixed' });
    expect(() => remerge(first, new Uint8Array(8), { tau: 1, rule: 'fixed' })).toThrow(RangeError);
    expect(() => remerge(first, src, { tau: -1, rule: 'fixed' })).toThrow(InvalidArgumentError);
  });
});
