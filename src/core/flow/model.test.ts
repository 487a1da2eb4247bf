import { describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError, NonFiniteValueError } from '../errors';
import { GaussianVelocityModel } from './gaussian-model';
import { guidanceApplies, guidedVelocities, UNCOND, type VelocityBatch, type VelocityModel } from './model';
import { StepGuard } from './run';
import { sample } from './sample';

/** Returns a constant velocity per condition: c → 2, uncond → 1, anything else → 0. */
function constantModel(size: number, poisonAtCall = -1): VelocityModel & { batches: VelocityBatch[] } {
  const batches: VelocityBatch[] = [];
  return {
    size,
    batches,
    async velocity(batch) {
      batches.push(batch);
      const poisoned = batches.length === poisonAtCall;
      return batch.cond.map((c) =>
        new Float32Array(size).fill(poisoned ? Number.NaN : c === 'c' ? 2 : c === UNCOND ? 1 : 0),
      );
    },
  };
}

describe('guided velocities', () => {
  it('combines v = v_u + s·(v_c − v_u) from one batched call', async () => {
    const model = constantModel(3);
    const guard = new StepGuard('Sampling', 1, {});
    guard.begin();
    const x = new Float32Array(3);
    const [g, plain] = await guidedVelocities(
      model,
      0.7,
      [
        { x, cond: 'c', scale: 3 },
        { x, cond: 'c', scale: 1 },
      ],
      guard,
    );
    expect(model.batches.length).toBe(1);
    expect(model.batches[0].cond).toEqual(['c', UNCOND, 'c']);
    expect(Array.from(g)).toEqual([4, 4, 4]);
    expect(Array.from(plain)).toEqual([2, 2, 2]);
  });

  it('applies guidance only inside the interval, and never for s = 1', () => {
    expect(guidanceApplies(0.7, 3, [0.5, 1])).toBe(true);
    expect(guidanceApplies(0.5, 3, [0.5, 1])).toBe(true);
    expect(guidanceApplies(0.49, 3, [0.5, 1])).toBe(false);
    expect(guidanceApplies(0.7, 1)).toBe(false);
    expect(guidanceApplies(0.7, 0)).toBe(true);
  });

  it('lets a spy model see unconditional inputs only at times inside the interval', async () => {
    const model = new GaussianVelocityModel(16, { c: { mean: 1, std: 1 }, uncond: { mean: 0, std: 1 } });
    await sample(model, { T: 25, cond: 'c', scale: 3, guidanceInterval: [0.5, 1], seed: 1 });
    expect(model.calls.length).toBe(25);
    for (const call of model.calls) {
      expect(call.cond).toEqual(call.t >= 0.5 && call.t <= 1 ? ['c', UNCOND] : ['c']);
    }
    expect(model.calls.some((c) => c.cond.length === 1)).toBe(true);
    expect(model.calls.some((c) => c.cond.length === 2)).toBe(true);
  });

  it('equals sampling the guided Gaussian: equal σ makes v_u + s·(v_c − v_u) the velocity of μ_u + s·(μ_c − μ_u)', async () => {
    const guided = new GaussianVelocityModel(256, {
      c: { mean: 1, std: 0.7 },
      uncond: { mean: -0.5, std: 0.7 },
    });
    const direct = new GaussianVelocityModel(256, { c: { mean: -0.5 + 2.5 * 1.5, std: 0.7 } });
    const a = await sample(guided, { T: 20, cond: 'c', scale: 2.5, seed: 4 });
    const b = await sample(direct, { T: 20, cond: 'c', scale: 1, seed: 4 });
    a.x.forEach((v, i) => {
      expect(v).toBeCloseTo(b.x[i], 4);
    });
  });

  it('names the step when the model returns NaN', async () => {
    const model = constantModel(8, 3);
    const run = sample(model, { T: 10, cond: 'c', scale: 1, seed: 1 });
    await expect(run).rejects.toBeInstanceOf(NonFiniteValueError);
    await expect(run).rejects.toMatchObject({ code: 'non-finite', step: 3 });
    await expect(run).rejects.toThrow(/Sampling step 3 of 10 \(t = 0\.\d+\), the velocity of c/);
  });

  it('refuses a model that returns the wrong number or size of velocities', async () => {
    const bad: VelocityModel = { size: 4, velocity: async () => [new Float32Array(3)] };
    await expect(sample(bad, { T: 2, cond: 'c', scale: 1, seed: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('stops between steps when the signal is aborted', async () => {
    const model = constantModel(4);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = sample(
      model,
      { T: 10, cond: 'c', scale: 1, seed: 0 },
      {
        signal: controller.signal,
        onStep: ({ step }) => {
          seen.push(step);
          if (step === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual([1, 2]);
    expect(model.batches.length).toBe(2);
    await expect(
      sample(model, { T: 3, cond: 'c', scale: 1, seed: 0 }, { signal: controller.signal }),
    ).rejects.toThrow(/Sampling was cancelled/);
  });
});
