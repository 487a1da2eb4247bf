import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { GaussianVelocityModel } from './gaussian-model';
import { normals } from './noise';
import { sample } from './sample';
import { eulerMoments, mean, variance } from './testing';

const N = 1 << 16;
const MU = 1.5;
const SIGMA = 0.5;
const model = new GaussianVelocityModel(N, { c: { mean: MU, std: SIGMA } });

/** 5-standard-error bounds for the mean and variance of N independent samples. */
function expectMoments(x: Float32Array, m: number, v: number): void {
  expect(Math.abs(mean(x) - m)).toBeLessThan(5 * Math.sqrt(v / N));
  expect(Math.abs(variance(x) - v)).toBeLessThan(5 * v * Math.sqrt(2 / N));
}

describe('sampling from noise', () => {
  it('reproduces the target mean and variance with the ODE (λ = 0)', async () => {
    const { x } = await sample(model, { T: 200, cond: 'c', scale: 1, seed: 11 });
    const exact = eulerMoments(200, 3, 0, MU, SIGMA);
    expectMoments(x, exact.mean, exact.variance);
    expect(Math.abs(exact.mean - MU)).toBeLessThan(1e-9);
    // Euler's O(1/T) bias on the variance: 3% at T = 200, halving with every doubling of T.
    expect(Math.abs(exact.variance - SIGMA ** 2) / SIGMA ** 2).toBeLessThan(0.03);
    const finer = eulerMoments(800, 3, 0, MU, SIGMA);
    expect(Math.abs(finer.variance - SIGMA ** 2)).toBeLessThan(Math.abs(exact.variance - SIGMA ** 2) / 3);
  });

  it.each([0, 0.6, 1])('keeps the marginals with the reverse SDE at λ = %f', async (lambda) => {
    const { x } = await sample(model, { T: 200, cond: 'c', scale: 1, seed: 12, lambda });
    const exact = eulerMoments(200, 3, lambda, MU, SIGMA);
    expectMoments(x, exact.mean, exact.variance);
    expect(Math.abs(exact.mean - MU)).toBeLessThan(1e-9);
    expect(Math.abs(exact.variance - SIGMA ** 2) / SIGMA ** 2).toBeLessThan(0.03);
    expect(Math.abs(eulerMoments(3200, 3, lambda, MU, SIGMA).variance - SIGMA ** 2)).toBeLessThan(0.001);
  });

  it('follows a per-element mean', async () => {
    const mu = Float32Array.from({ length: 64 }, (_, i) => i / 8 - 4);
    const m = new GaussianVelocityModel(64, { c: { mean: mu, std: 1e-3 } });
    const { x } = await sample(m, { T: 50, cond: 'c', scale: 1, seed: 3 });
    x.forEach((v, i) => {
      expect(v).toBeCloseTo(mu[i], 2);
    });
  });

  it('is repeatable bit for bit from a seed, and differs between lanes', async () => {
    const small = new GaussianVelocityModel(4096, { c: { mean: MU, std: SIGMA } });
    const a = await sample(small, { T: 25, cond: 'c', scale: 1, seed: 99, lambda: 0.6 });
    const b = await sample(small, { T: 25, cond: 'c', scale: 1, seed: 99, lambda: 0.6 });
    expect(new Uint32Array(a.x.buffer)).toEqual(new Uint32Array(b.x.buffer));
    const c = await sample(small, { T: 25, cond: 'c', scale: 1, seed: 99, lambda: 0.6, lane: 1 });
    expect(c.x[0]).not.toBe(a.x[0]);
  });

  it('records the trajectory on the grid and previews x̂0 = x_t − t·v', async () => {
    const small = new GaussianVelocityModel(32, { c: { mean: MU, std: SIGMA } });
    const previews: Float32Array[] = [];
    const progress: string[] = [];
    const { x, trajectory } = await sample(
      small,
      { T: 5, cond: 'c', scale: 1, seed: 5, record: true },
      {
        onStep: async (info) => {
          previews.push(await info.preview());
          progress.push(`${info.step}/${info.total}@${info.t.toFixed(3)}`);
        },
      },
    );
    expect(trajectory?.length).toBe(6);
    expect(trajectory?.[5]).toEqual(normals(5, { purpose: 'initial', step: 5, lane: 0 }, 32));
    expect(trajectory?.[0]).toEqual(x);
    expect(progress[0]).toBe('1/5@1.000');
    // At t = 1 the clean estimate of Gaussian data is its mean.
    for (const v of previews[0]) expect(v).toBeCloseTo(MU, 5);
  });

  it('starts from given noise when asked', async () => {
    const small = new GaussianVelocityModel(16, { c: { mean: 0, std: 1 } });
    const noise = normals(77, { purpose: 'initial', step: 9, lane: 0 }, 16);
    const a = await sample(small, { T: 9, cond: 'c', scale: 1, seed: 1, noise });
    const b = await sample(small, { T: 9, cond: 'c', scale: 1, seed: 77 });
    expect(a.x).toEqual(b.x);
  });

  it('refuses λ < 0, T < 1, negative scales and bad intervals', async () => {
    const small = new GaussianVelocityModel(4, { c: { mean: 0, std: 1 } });
    const base = { T: 5, cond: 'c', scale: 1, seed: 1 };
    await expect(sample(small, { ...base, lambda: -0.1 })).rejects.toThrow(/λ = -0.1 is out of range/);
    await expect(sample(small, { ...base, T: 0 })).rejects.toThrow(/T = 0 is out of range/);
    await expect(sample(small, { ...base, scale: -1 })).rejects.toThrow(/scale = -1 is out of range/);
    await expect(sample(small, { ...base, guidanceInterval: [0.8, 0.2] })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(sample(small, { ...base, noise: new Float32Array(3) })).rejects.toThrow(
      /noise has 3 elements/,
    );
  });
});
