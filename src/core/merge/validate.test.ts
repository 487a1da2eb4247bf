import { describe, expect, it } from 'vitest';
import { InvalidGridError } from '../errors';
import { gridFromNpy } from './validate';

describe('gridFromNpy', () => {
  it('accepts a cubic uint8 grid and returns its resolution', () => {
    const data = new Uint8Array(27);
    data[5] = 1;
    expect(gridFromNpy({ dtype: 'uint8', shape: [3, 3, 3], data }, 'a.npy')).toEqual({ resolution: 3, data });
  });

  it('refuses float grids, non-cubic or non-3-D shapes, oversized and non-binary grids', () => {
    const cases: [Parameters<typeof gridFromNpy>[0], RegExp][] = [
      [{ dtype: 'float32', shape: [2, 2, 2], data: new Float32Array(8) }, /dtype float32/],
      [{ dtype: 'uint8', shape: [2, 2, 3], data: new Uint8Array(12) }, /shape \(2, 2, 3\).*cubic/],
      [{ dtype: 'uint8', shape: [4, 4], data: new Uint8Array(16) }, /shape \(4, 4\)/],
      [{ dtype: 'uint8', shape: [0, 0, 0], data: new Uint8Array(0) }, /0³/],
      [{ dtype: 'uint8', shape: [257, 257, 257], data: new Uint8Array(1) }, /257³; .* 256³/],
      [
        { dtype: 'uint8', shape: [2, 2, 2], data: Uint8Array.from([0, 1, 255, 0, 0, 0, 0, 2]) },
        /2 voxels have/,
      ],
    ];
    for (const [array, message] of cases) {
      expect(() => gridFromNpy(array, '“g.npy”')).toThrow(InvalidGridError);
      expect(() => gridFromNpy(array, '“g.npy”')).toThrow(message);
    }
  });
});
