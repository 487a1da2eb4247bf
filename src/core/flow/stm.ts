/**
 * Stochastic Trajectory Manipulation (CAST3D §4.2, Algorithm 1), in our convention.
 *
 * Reverse SDE with the flow's marginals, g(t) = √(2λt): drift f = v + λ·ε̂ (since ∇log p_t = −ε̂/t).
 * A source trajectory comes from a generator G; each step's diffusion increment is extracted from it,
 * mapped, and applied to the target trajectory, for k = n_max … 1 (h = t_{k−1} − t_k < 0):
 *   x^src_{k−1} = G(t_{k−1})
 *   w   = x^src_{k−1} − x^src_k − f_src·h          (= g·√|h|·ε_src: the extracted noise, scaled)
 *   x^tgt_{k−1} = x^tgt_k + f_tgt·h + M(w)
 * The paper's listing drops the h on f_tgt; with it restored this is Euler–Maruyama, and it is what
 * makes the FlowEdit equivalence below hold.
 *
 * Mappers act on the scaled increment w rather than on ε_src = w / (g√|h|), which is the paper's
 * F multiplied by g√|h|; this keeps λ = 0 (g = 0) well defined. identity: M(w) = w. F_FE (eq. 5):
 *   g√|h|·F_FE(ε) = w + ½g²h·(∇log p_tgt − ∇log p_src) = w + λ·h·(ε̂_src − ε̂_tgt).
 * With G_stc and F_FE, f_tgt·h + M(w) = x^src_{k−1} − x^src_k + h·(v_tgt − v_src), so
 * x^tgt − x^src + x_src follows FlowEdit's z exactly (n_avg = 1, n_min = 0, same noises).
 *
 * Generators: G_stc(t_k) = (1−t_k)·x0 + t_k·ε_k with ε_k from stream (forward, k, 0) — FlowEdit's own
 * draw for step k — and G_trj (eq. 8) re-anchors a recorded trajectory X to x0:
 *   G_trj(t_k) = X_{k+1} + (X_{k+1} − x0)·(t_k − t_{k+1}) / t_{k+1},
 * i.e. the point at t_k on the straight line from x0 through X_{k+1}; at k = T we take X_T itself.
 * 'exact' replay (G(t_k) = X_k) is offered too: with it and c_tgt = c_src the recorded noise comes back.
 */

import { InvalidArgumentError } from '../errors';
import {
  type ConditionRef,
  checkInterval,
  checkLatent,
  checkScale,
  type GuidanceInterval,
  guidedVelocities,
  type VelocityModel,
} from './model';
import { normals } from './noise';
import { checkEditRange, checkFiniteInput, checkLambda, checkScheduleParams } from './params';
import { previewOf, type RunOptions, StepGuard } from './run';
import { timesteps } from './schedule';
import {
  accumulateDiff,
  addScaled,
  axpy,
  diffusionIncrement,
  noiseEstimate,
  noiseTo,
  sdeDrift,
  sub,
} from './vec';

export type TrajectoryGenerator =
  /** G_stc (eq. 7): fresh forward noise at every step. */
  | { readonly kind: 'stochastic' }
  /** G_trj (eq. 8) over states[k] = x at t_k, k = 0..T, e.g. `sample(…, { record: true }).trajectory`. */
  | {
      readonly kind: 'trajectory';
      readonly states: readonly Float32Array[];
      readonly replay?: 'eq8' | 'exact';
    };

export type NoiseMapper = 'identity' | 'flowedit';

export interface StmParams {
  readonly T: number;
  readonly shift?: number;
  readonly nMax: number;
  /** λ ≥ 0 (CAST3D: 0.6). */
  readonly lambda: number;
  readonly sSrc: number;
  readonly sTgt: number;
  readonly condSrc: ConditionRef;
  readonly condTgt: ConditionRef;
  readonly guidanceInterval?: GuidanceInterval;
  readonly seed: number;
  readonly generator: TrajectoryGenerator;
  /** Default 'identity', as CAST3D uses (eq. 9). */
  readonly mapper?: NoiseMapper;
}

function checkStm(model: VelocityModel, xSrc: Float32Array, params: StmParams): void {
  checkScheduleParams(params.T, params.shift, params.seed);
  checkEditRange(params.T, params.nMax, 0);
  checkLambda(params.lambda);
  checkScale('s_src', params.sSrc);
  checkScale('s_tgt', params.sTgt);
  checkInterval(params.guidanceInterval);
  checkLatent('x_src', xSrc, model);
  checkFiniteInput('x_src', xSrc);
  const mapper = params.mapper ?? 'identity';
  if (mapper !== 'identity' && mapper !== 'flowedit') {
    throw new InvalidArgumentError(
      `mapper = ${String(mapper)} is not one of identity, flowedit.`,
      'Pick a listed mapper.',
    );
  }
  const g = params.generator;
  if (g.kind === 'trajectory') {
    if (g.states.length !== params.T + 1) {
      throw new InvalidArgumentError(
        `The recorded trajectory has ${g.states.length} states; G_trj needs T + 1 = ${params.T + 1} (one per grid time).`,
        'Record it with `sample(…, { record: true })` on the same T and shift.',
      );
    }
    for (const [k, state] of g.states.entries()) checkLatent(`trajectory state ${k}`, state, model);
  } else if (g.kind !== 'stochastic') {
    throw new InvalidArgumentError(
      'generator.kind must be "stochastic" or "trajectory".',
      'Pick a listed generator.',
    );
  }
}

/** Writes G(t_k) into out. */
function makeGenerator(
  params: StmParams,
  x0: Float32Array,
  ts: Float64Array,
): (k: number, out: Float32Array) => void {
  const g = params.generator;
  const scratch = new Float32Array(x0.length);
  if (g.kind === 'stochastic') {
    return (k, out) => {
      if (k === 0) {
        out.set(x0);
        return;
      }
      normals(params.seed, { purpose: 'forward', step: k, lane: 0 }, x0.length, scratch);
      noiseTo(out, x0, scratch, ts[k]);
    };
  }
  const { states } = g;
  if (g.replay === 'exact') return (k, out) => out.set(states[k]);
  return (k, out) => {
    if (k === 0 || k === params.T) {
      out.set(k === 0 ? x0 : states[k]);
      return;
    }
    const X = states[k + 1];
    sub(scratch, X, x0);
    addScaled(out, X, (ts[k] - ts[k + 1]) / ts[k + 1], scratch);
  };
}

export async function stm(
  model: VelocityModel,
  xSrc: Float32Array,
  params: StmParams,
  options: RunOptions = {},
): Promise<Float32Array> {
  checkStm(model, xSrc, params);
  const { nMax, lambda } = params;
  const n = model.size;
  const ts = timesteps(params.T, params.shift);
  const generate = makeGenerator(params, xSrc, ts);
  const guard = new StepGuard('STM', nMax, options);

  let xs = new Float32Array(n);
  let xsNext = new Float32Array(n);
  generate(nMax, xs);
  const xt = xs.slice();
  const fSrc = new Float32Array(n);
  const fTgt = new Float32Array(n);
  const w = new Float32Array(n);
  const epsSrc = new Float32Array(n);
  const epsTgt = new Float32Array(n);
  for (let k = nMax; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const h = tNext - t;
    generate(k - 1, xsNext);
    const [vt, vs] = await guidedVelocities(
      model,
      t,
      [
        { x: xt, cond: params.condTgt, scale: params.sTgt },
        { x: xs, cond: params.condSrc, scale: params.sSrc },
      ],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    const preview = previewOf(options.onStep ? xt.slice() : xt, vt, t);
    sdeDrift(fSrc, xs, vs, t, lambda);
    sdeDrift(fTgt, xt, vt, t, lambda);
    diffusionIncrement(w, xsNext, xs, h, fSrc);
    const gScale = Math.sqrt(2 * lambda * t) * Math.sqrt(-h);
    const extracted = options.onStep && gScale > 0 ? w.map((value) => value / gScale) : null;
    if (params.mapper === 'flowedit') {
      noiseEstimate(epsSrc, xs, vs, t);
      noiseEstimate(epsTgt, xt, vt, t);
      accumulateDiff(w, lambda * h, epsSrc, epsTgt);
    }
    axpy(xt, h, fTgt);
    axpy(xt, 1, w);
    guard.finite('the target latent', xt, tNext);
    [xs, xsNext] = [xsNext, xs];
    await guard.end({ t, tNext, preview, extractedNoise: () => extracted });
  }
  return xt;
}
