import { describe, expect, it } from 'vitest';
import {
  accumulateAnchorCode,
  accumulateAnchorPaper,
  axpy,
  cleanEstimate,
  countNonFinite,
  guide,
  noiseEstimate,
  noiseTo,
  sdeDrift,
  shiftBy,
} from './vec';

const a = Float32Array.from([0.1, -2.5, 3.25, 1e-3]);
const b = Float32Array.from([1.7, 0.3, -0.9, 5]);
const c = Float32Array.from([-0.4, 2, 0.6, -1e-2]);

function close(x: Float32Array, expected: number[]): void {
  expected.forEach((e, i) => {
    expect(x[i]).toBeCloseTo(e, 5);
  });
}

describe('step arithmetic (CPU twin of the WGSL step kernels)', () => {
  it('computes each formula', () => {
    const out = new Float32Array(4);
    noiseTo(out, a, b, 0.3);
    close(
      out,
      [...a].map((x, i) => 0.7 * x + 0.3 * b[i]),
    );
    guide(out, a, b, 4);
    close(
      out,
      [...a].map((x, i) => x + 4 * (b[i] - x)),
    );
    cleanEstimate(out, a, b, 0.6);
    close(
      out,
      [...a].map((x, i) => x - 0.6 * b[i]),
    );
    noiseEstimate(out, a, b, 0.6);
    close(
      out,
      [...a].map((x, i) => x + 0.4 * b[i]),
    );
    sdeDrift(out, a, b, 0.6, 0.5);
    close(
      out,
      [...a].map((x, i) => b[i] + 0.5 * (x + 0.4 * b[i])),
    );
    const y = a.slice();
    axpy(y, -0.25, b);
    close(
      y,
      [...a].map((x, i) => x - 0.25 * b[i]),
    );
    const acc = new Float32Array(4);
    accumulateAnchorPaper(acc, 0.5, a, b, c, a, 0.3);
    close(
      acc,
      [...a].map((q, i) => 0.5 * 1.7 * (q + 0.7 * b[i] - (c[i] + 0.7 * a[i]))),
    );
    acc.fill(0);
    accumulateAnchorCode(acc, 1, a, b, c, a, 0.3);
    close(
      acc,
      [...a].map((q, i) => 2 * (b[i] - a[i]) - 0.3 * (q - 0.3 * b[i] - (c[i] - 0.3 * a[i]))),
    );
  });

  it('makes q = p + (z − x) equal p bit for bit when z = x', () => {
    const p = Float32Array.from([0.1, 1e-8, -3.3, 7e5]);
    const x = Float32Array.from([1e6, 0.3, 0.1, -2]);
    const q = new Float32Array(4);
    shiftBy(q, p, x, x);
    expect(q).toEqual(p);
  });

  it('rounds every intermediate to f32, as an unfused f32 kernel does', () => {
    const y = Float32Array.from([1]);
    axpy(y, 1 / 3, Float32Array.from([3]));
    expect(y[0]).toBe(Math.fround(1 + Math.fround(Math.fround(1 / 3) * 3)));
  });

  it('counts NaN and infinities', () => {
    expect(countNonFinite(Float32Array.from([0, Number.NaN, 1, Number.POSITIVE_INFINITY, -Infinity]))).toBe(
      3,
    );
  });
});
