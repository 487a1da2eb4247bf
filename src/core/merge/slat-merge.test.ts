import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidGridError } from '../errors';
import { slatMerge } from './slat-merge';
import { perturb, randomGrid, seededRandom } from './testing';
import { voxelMerge } from './voxel-merge';

describe('slatMerge', () => {
  it('takes source features on source voxels outside m and generated features everywhere else', () => {
    // 1³·8 voxels as a 2³ grid, 2 channels; all four (in s_src, in m) cases appear.
    const src = Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 0]);
    const mask = Uint8Array.from([0, 1, 0, 1, 0, 0, 1, 1]);
    const featSrc = Float32Array.from({ length: 16 }, (_, k) => 100 + k);
    const featTgt = Float32Array.from({ length: 16 }, (_, k) => -k);
    const out = slatMerge(src, mask, featSrc, featTgt, 2, 2);
    const fromSource = [true, false, false, false, true, false, false, false];
    for (let i = 0; i < 8; i++) {
      for (let c = 0; c < 2; c++) {
        expect(out[2 * i + c]).toBe(fromSource[i] ? featSrc[2 * i + c] : featTgt[2 * i + c]);
      }
    }
  });

  it('uses the Voxel-Merge mask: features of untouched source voxels are the source’s, bit for bit', () => {
    const random = seededRandom(5);
    const r = 16;
    const c = 8;
    const src = randomGrid(r, 0.3, random);
    const edited = perturb(src, 0.1, random);
    const { mask, merged } = voxelMerge(src, edited, r, { tau: 4, rule: 'fixed' });
    const featSrc = Float32Array.from({ length: r ** 3 * c }, () => random());
    const featTgt = Float32Array.from({ length: r ** 3 * c }, () => random() - 2);
    const out = slatMerge(src, mask, featSrc, featTgt, c, r);
    for (let i = 0; i < r ** 3; i++) {
      const keepSource = merged[i] === 1 && mask[i] === 0;
      expect(keepSource).toBe(src[i] === 1 && mask[i] === 0);
      const expected = keepSource ? featSrc : featTgt;
      for (let k = 0; k < c; k++) if (out[i * c + k] !== expected[i * c + k]) throw new Error(`voxel ${i}`);
    }
  });

  it('refuses mismatched features, channel counts and non-binary masks', () => {
    const g = new Uint8Array(8);
    const f = new Float32Array(16);
    expect(() => slatMerge(g, g, f, new Float32Array(15), 2, 2)).toThrow(InvalidGridError);
    expect(() => slatMerge(g, g, f, f, 0, 2)).toThrow(InvalidArgumentError);
    expect(() => slatMerge(g, g, f, f, 1.5, 2)).toThrow(InvalidArgumentError);
    expect(() => slatMerge(g, Uint8Array.from([0, 0, 0, 3, 0, 0, 0, 0]), f, f, 2, 2)).toThrow(
      /mask grid is not binary/,
    );
    expect(() => slatMerge(g, g, f, f, 2, 2, new Float32Array(4))).toThrow(/needs 16/);
  });
});
