import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { flowEdit } from './flowedit';
import { gaussianVelocity } from './gaussian-model';
import { normals } from './noise';
import { sample } from './sample';
import { timesteps } from './schedule';
import { type NoiseMapper, type StmParams, stm } from './stm';
import { maxAbsDiff, mean, SRC, TGT, toyModel, toySource } from './testing';

const N = 1 << 12;
const model = toyModel(N);
const xSrc = toySource(N);
const BASE: StmParams = {
  T: 25,
  nMax: 15,
  lambda: 0.6,
  sSrc: 2,
  sTgt: 4,
  condSrc: SRC,
  condTgt: TGT,
  seed: 8,
  generator: { kind: 'stochastic' },
};

describe('STM', () => {
  it.each([0, 0.6, 1])(
    'with G_stc and F_FE equals FlowEdit (n_avg = 1, n_min = 0, same noises) at λ = %f',
    async (lambda) => {
      const viaStm = await stm(model, xSrc, { ...BASE, lambda, mapper: 'flowedit' });
      const viaFlowEdit = await flowEdit(model, xSrc, { ...BASE, nAvg: 1, nMin: 0 });
      expect(maxAbsDiff(viaStm, viaFlowEdit)).toBeLessThan(1e-4);
    },
  );

  it('with the identity mapper equals FlowEdit only at λ = 0, and still edits toward μ_tgt at λ = 0.6', async () => {
    const fe = await flowEdit(model, xSrc, BASE);
    expect(maxAbsDiff(await stm(model, xSrc, { ...BASE, lambda: 0 }), fe)).toBeLessThan(1e-4);
    const identity = await stm(model, xSrc, BASE);
    expect(maxAbsDiff(identity, fe)).toBeGreaterThan(1e-2);
    expect(mean(identity)).toBeGreaterThan(1);
  });

  it('extracts exactly the noise of a recorded SDE trajectory, and replays it when the conditions agree', async () => {
    const T = 10;
    const { trajectory } = await sample(model, {
      T,
      cond: SRC,
      scale: 2,
      seed: 5,
      lambda: 0.6,
      record: true,
    });
    const states = trajectory as Float32Array[];
    let checked = 0;
    const out = await stm(
      model,
      states[0],
      {
        ...BASE,
        T,
        nMax: T,
        condTgt: SRC,
        sTgt: 2,
        generator: { kind: 'trajectory', states, replay: 'exact' },
      },
      {
        onStep: async (info) => {
          const k = T - info.step + 1;
          const recorded = normals(5, { purpose: 'diffusion', step: k, lane: 0 }, N);
          const extracted = (await info.extractedNoise?.()) as Float32Array;
          expect(maxAbsDiff(extracted, recorded)).toBeLessThan(1e-4);
          checked++;
        },
      },
    );
    expect(checked).toBe(T);
    expect(maxAbsDiff(out, states[0])).toBeLessThan(1e-4);
  });

  it('re-anchors a recorded trajectory with G_trj (eq. 8), checked by hand', async () => {
    const T = 3;
    const lambda = 0.6;
    const size = 32;
    const small = toyModel(size);
    const { trajectory } = await sample(small, { T, cond: SRC, scale: 1, seed: 2, record: true });
    const X = trajectory as Float32Array[];
    const x0 = X[0];
    const ts = timesteps(T, 3);
    const out = await stm(small, x0, {
      ...BASE,
      T,
      nMax: 2,
      lambda,
      sSrc: 1,
      sTgt: 1,
      generator: { kind: 'trajectory', states: X },
    });
    const generated = (k: number) =>
      k === 0
        ? Array.from(x0)
        : Array.from(X[k + 1], (v, i) => v + ((v - x0[i]) * (ts[k] - ts[k + 1])) / ts[k + 1]);
    const drift = (x: number[], t: number, mu: number) => {
      const v = new Float32Array(size);
      gaussianVelocity(v, Float32Array.from(x), t, mu, 1);
      return x.map((xi, i) => v[i] + lambda * (xi + (1 - t) * v[i]));
    };
    let xs = generated(2);
    let xt = [...xs];
    for (let k = 2; k >= 1; k--) {
      const t = ts[k];
      const h = ts[k - 1] - t;
      const next = generated(k - 1);
      const fs = drift(xs, t, 0);
      const ft = drift(xt, t, 2);
      xt = xt.map((v, i) => v + h * ft[i] + (next[i] - xs[i] - h * fs[i]));
      xs = next;
    }
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(xt[i], 4);
    });
  });

  it('is repeatable bit for bit from a seed', async () => {
    const a = await stm(model, xSrc, BASE);
    const b = await stm(model, xSrc, BASE);
    expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
  });

  it.each([
    [{ lambda: -0.5 }, /λ = -0.5 is out of range/],
    [{ nMax: 30 }, /n_max = 30 is out of range/],
    [{ sSrc: -1 }, /s_src = -1/],
    [{ mapper: 'swap' as NoiseMapper }, /mapper = swap/],
    [{ generator: { kind: 'trajectory' as const, states: [xSrc] } }, /G_trj needs T \+ 1 = 26/],
  ])('refuses %j', async (change, message) => {
    const run = stm(model, xSrc, { ...BASE, ...change });
    await expect(run).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(run).rejects.toThrow(message);
  });
});
