import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { shiftTime, stepsForStartTime, timesteps, unshiftTime } from './schedule';

describe('timestep schedule', () => {
  it('runs from t_0 = 0 (data) to t_T = 1 (noise), increasing, with t_k = shift(k/T)', () => {
    const ts = timesteps(25);
    expect(ts.length).toBe(26);
    expect(ts[0]).toBe(0);
    expect(ts[25]).toBe(1);
    for (let k = 1; k <= 25; k++) expect(ts[k]).toBeGreaterThan(ts[k - 1]);
    expect(ts[13]).toBeCloseTo((3 * 0.52) / (1 + 2 * 0.52), 15);
  });

  it('shifts towards noise for r > 1 and is linear for r = 1', () => {
    expect(shiftTime(0.5, 3)).toBeCloseTo(0.75, 15);
    expect(Array.from(timesteps(4, 1))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('inverts the shift', () => {
    for (const t of [0, 0.1, 0.5, 0.816, 1]) expect(shiftTime(unshiftTime(t, 3), 3)).toBeCloseTo(t, 14);
  });

  it('maps a start time to the nearest n_max of a grid', () => {
    expect(stepsForStartTime(shiftTime(13 / 25, 3), 25, 3)).toBe(13);
    expect(stepsForStartTime(1 - 9 / 49, 25, 3)).toBe(15);
    expect(stepsForStartTime(1, 25)).toBe(25);
    expect(stepsForStartTime(0, 25)).toBe(0);
  });

  it('refuses T < 1, a non-integer T and a non-positive shift', () => {
    expect(() => timesteps(0)).toThrow(InvalidArgumentError);
    expect(() => timesteps(0)).toThrow(/T = 0 is out of range/);
    expect(() => timesteps(2.5)).toThrow(/integer from 1/);
    expect(() => timesteps(10, 0)).toThrow(/shift = 0/);
    expect(() => stepsForStartTime(1.5, 10)).toThrow(/tStart/);
  });
});
