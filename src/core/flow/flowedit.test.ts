import { describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError, NonFiniteValueError } from '../errors';
import { type FlowEditParams, flowEdit } from './flowedit';
import { GaussianVelocityModel } from './gaussian-model';
import { UNCOND, type VelocityModel } from './model';
import { mean, SRC, TGT, toyModel, toySource, variance } from './testing';

const N = 1 << 14;
const model = toyModel(N);
const xSrc = toySource(N);
const BASE: FlowEditParams = { T: 25, nMax: 15, sSrc: 1, sTgt: 1, condSrc: SRC, condTgt: TGT, seed: 3 };

const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

describe('FlowEdit', () => {
  it('returns x_src bit for bit when target and source conditions are the same', async () => {
    const guided = { ...BASE, condTgt: SRC, sSrc: 3, sTgt: 3, nAvg: 3 };
    expect(bits(await flowEdit(model, xSrc, guided))).toEqual(bits(xSrc));
  });

  it('returns x_src for n_max = 0 without calling the model', async () => {
    const spy = toyModel(N);
    const out = await flowEdit(spy, xSrc, { ...BASE, nMax: 0 });
    expect(bits(out)).toEqual(bits(xSrc));
    expect(out).not.toBe(xSrc);
    expect(spy.calls.length).toBe(0);
  });

  it('moves the mean from μ_src = 0 toward μ_tgt = 2 and keeps the spread', async () => {
    const partial = await flowEdit(model, xSrc, BASE);
    expect(mean(partial)).toBeGreaterThan(1.3);
    expect(mean(partial)).toBeLessThan(2);
    expect(variance(partial)).toBeCloseTo(variance(xSrc), 2);
    // Starting from pure noise, equal-variance Gaussians are carried all the way.
    const full = await flowEdit(model, xSrc, { ...BASE, nMax: 25 });
    expect(Math.abs(mean(full) - 2)).toBeLessThan(0.03);
  });

  it('makes one batched model call per step, with every (n_avg draw × trajectory × cond/uncond)', async () => {
    const spy = toyModel(64);
    await flowEdit(spy, toySource(64), { ...BASE, nMax: 6, nAvg: 3, sSrc: 2, sTgt: 4 });
    expect(spy.calls.length).toBe(6);
    for (const call of spy.calls) {
      expect(call.cond).toEqual([
        TGT,
        UNCOND,
        SRC,
        UNCOND,
        TGT,
        UNCOND,
        SRC,
        UNCOND,
        TGT,
        UNCOND,
        SRC,
        UNCOND,
      ]);
    }
  });

  it('re-noises once at t_{n_min} and finishes with n_min plain target steps', async () => {
    const spy = toyModel(N);
    const steps: number[] = [];
    const out = await flowEdit(spy, xSrc, { ...BASE, nMin: 4 }, { onStep: (i) => void steps.push(i.total) });
    expect(spy.calls.map((c) => c.cond.length)).toEqual([...Array(11).fill(2), ...Array(4).fill(1)]);
    expect(steps).toEqual(Array(15).fill(15));
    expect(mean(out)).toBeGreaterThan(1.3);
  });

  it('is repeatable bit for bit from a seed, and the seed matters', async () => {
    const p = { ...BASE, nAvg: 2, sSrc: 1.5, sTgt: 4 };
    const a = await flowEdit(model, xSrc, p);
    expect(bits(await flowEdit(model, xSrc, p))).toEqual(bits(a));
    expect(bits(await flowEdit(model, xSrc, { ...p, seed: 4 }))).not.toEqual(bits(a));
  });

  it('previews the target trajectory’s clean estimate', async () => {
    const previews: number[] = [];
    await flowEdit(model, xSrc, BASE, { onStep: async (i) => void previews.push(mean(await i.preview())) });
    expect(previews.length).toBe(15);
    expect(previews[14]).toBeGreaterThan(1.3);
  });

  it.each([
    [{ nMax: 26 }, /n_max = 26 is out of range: it must be an integer from 0 to T = 25/],
    [{ nMin: 16 }, /n_min = 16 is out of range: it must be an integer from 0 to n_max = 15/],
    [{ sTgt: -2 }, /s_tgt = -2 is out of range/],
    [{ sSrc: Number.NaN }, /s_src = NaN is out of range/],
    [{ nAvg: 0 }, /n_avg = 0 is out of range/],
    [{ T: 0, nMax: 0 }, /T = 0 is out of range/],
    [{ seed: -3 }, /seed = -3/],
  ])('refuses %j', async (change, message) => {
    const run = flowEdit(model, xSrc, { ...BASE, ...change });
    await expect(run).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(run).rejects.toThrow(message);
  });

  it('refuses a source of the wrong size or with NaN in it', async () => {
    await expect(flowEdit(model, new Float32Array(3), BASE)).rejects.toThrow(/x_src has 3 elements/);
    const bad = xSrc.slice();
    bad[5] = Number.NaN;
    await expect(flowEdit(model, bad, BASE)).rejects.toThrow(/x_src contains 1 NaN/);
  });

  it('stops with a typed error naming the step when NaN appears', async () => {
    let calls = 0;
    const inner = new GaussianVelocityModel(16, { [SRC]: { mean: 0, std: 1 }, [TGT]: { mean: 2, std: 1 } });
    const flaky: VelocityModel = {
      size: 16,
      async velocity(batch) {
        const out = await inner.velocity(batch);
        if (++calls === 4) out[0][7] = Number.POSITIVE_INFINITY;
        return out;
      },
    };
    const run = flowEdit(flaky, toySource(16), BASE);
    await expect(run).rejects.toBeInstanceOf(NonFiniteValueError);
    await expect(run).rejects.toThrow(/FlowEdit step 4 of 15 .* the velocity of tgt/);
  });

  it('is cancelled between steps', async () => {
    const controller = new AbortController();
    const run = flowEdit(model, xSrc, BASE, {
      signal: controller.signal,
      onStep: (i) => {
        if (i.step === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(run).rejects.toThrow('FlowEdit was cancelled.');
  });
});
