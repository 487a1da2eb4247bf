import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidGridError } from './errors';
import { decodeNpy, encodeNpy } from './npy';

const python = '/usr/bin/python3';
const hasNumpy =
  existsSync(python) &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

describe('npy', () => {
  it('round-trips uint8 and float32 with shape', () => {
    const data = new Uint8Array(2 * 3 * 4).map((_, i) => i);
    const back = decodeNpy(encodeNpy({ dtype: 'uint8', shape: [2, 3, 4], data }));
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    const f = new Float32Array([1.5, -2, Number.NaN]);
    const fb = decodeNpy(encodeNpy({ dtype: 'float32', shape: [3], data: f }));
    expect(Array.from(fb.data)).toEqual([1.5, -2, Number.NaN]);
  });

  it('pads the header to a multiple of 64 bytes', () => {
    const bytes = encodeNpy({ dtype: 'uint8', shape: [64, 64, 64], data: new Uint8Array(64 ** 3) });
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
  });

  it('refuses wrong dtypes, truncation and garbage with typed errors', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(InvalidGridError);
    const good = encodeNpy({ dtype: 'uint8', shape: [4, 4], data: new Uint8Array(16) });
    expect(() => decodeNpy(good.subarray(0, good.length - 3))).toThrow(/shorter/);
    const int64 = good.slice();
    const at = new TextDecoder('latin1').decode(good).indexOf("'|u1'");
    int64.set(new TextEncoder().encode("'<i8'"), at);
    expect(() => decodeNpy(int64)).toThrow(/dtype '<i8'/);
  });

  it.runIf(hasNumpy)('is read by numpy with [z][y][x] indexing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const r = 4;
    const data = new Uint8Array(r ** 3);
    data[1 + r * (2 + r * 3)] = 7; // x=1, y=2, z=3
    writeFileSync(join(dir, 'g.npy'), encodeNpy({ dtype: 'uint8', shape: [r, r, r], data }));
    const out = execFileSync(python, [
      '-c',
      `import numpy as n; a=n.load('${join(dir, 'g.npy')}'); print(a.dtype, a.shape, a[3,2,1], a.sum())`,
    ]).toString();
    expect(out.trim()).toBe('uint8 (4, 4, 4) 7 7');
    execFileSync(python, [
      '-c',
      `import numpy as n; n.save('${join(dir, 'p.npy')}', n.arange(6, dtype=n.uint8).reshape(2,3))`,
    ]);
    const fromNumpy = decodeNpy(readFileSync(join(dir, 'p.npy')));
    expect(fromNumpy.shape).toEqual([2, 3]);
    expect(Array.from(fromNumpy.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
