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
import { CpuOps } from './cpu-ops';
import {
  type ConditionRef,
  checkInterval,
  checkScale,
  type GuidanceInterval,
  guidedVelocitiesOn,
  type VelocityModel,
} from './model';
import { type FlowOps, runOn } from './ops';
import { checkEditRange, checkLambda, checkScheduleParams } from './params';
import { previewOf, type RunOptions, StepGuard } from './run';
import { timesteps } from './schedule';

export type TrajectoryGenerator<V = Float32Array> =
  /** G_stc (eq. 7): fresh forward noise at every step. */
  | { readonly kind: 'stochastic' }
  /** G_trj (eq. 8) over states[k] = x at t_k, k = 0..T, e.g. `sample(…, { record: true }).trajectory`. */
  | {
      readonly kind: 'trajectory';
      readonly states: readonly V[];
      readonly replay?: 'eq8' | 'exact';
    };

export type NoiseMapper = 'identity' | 'flowedit';

export interface StmParams<V = Float32Array> {
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
  readonly generator: TrajectoryGenerator<V>;
  /** Default 'identity', as CAST3D uses (eq. 9). */
  readonly mapper?: NoiseMapper;
}

function checkStm(params: StmParams<unknown>): void {
  checkScheduleParams(params.T, params.shift, params.seed);
  checkEditRange(params.T, params.nMax, 0);
  checkLambda(params.lambda);
  checkScale('s_src', params.sSrc);
  checkScale('s_tgt', params.sTgt);
  checkInterval(params.guidanceInterval);
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
  } else if (g.kind !== 'stochastic') {
    throw new InvalidArgumentError(
      'generator.kind must be "stochastic" or "trajectory".',
      'Pick a listed generator.',
    );
  }
}

/** Writes G(t_k) into out. */
function makeGenerator<V>(
  ops: FlowOps<V>,
  params: StmParams<V>,
  x0: V,
  ts: Float64Array,
): (k: number, out: V) => void {
  const g = params.generator;
  const scratch = ops.alloc();
  if (g.kind === 'stochastic') {
    return (k, out) => {
      if (k === 0) {
        ops.copy(out, x0);
        return;
      }
      ops.normals(params.seed, { purpose: 'forward', step: k, lane: 0 }, scratch);
      ops.noiseTo(out, x0, scratch, ts[k]);
    };
  }
  const { states } = g;
  if (g.replay === 'exact') return (k, out) => ops.copy(out, states[k]);
  return (k, out) => {
    if (k === 0 || k === params.T) {
      ops.copy(out, k === 0 ? x0 : states[k]);
      return;
    }
    const X = states[k + 1];
    ops.sub(scratch, X, x0);
    ops.addScaled(out, X, (ts[k] - ts[k + 1]) / ts[k + 1], scratch);
  };
}

/**
 * STM on any executor; `xSrc` and any recorded states must come from `ops.upload` (or be the
 * executor's own vectors, e.g. `sampleOn(…, { record: true })`). The result is `ops`'s.
 */
export async function stmOn<V>(
  ops: FlowOps<V>,
  xSrc: V,
  params: StmParams<V>,
  options: RunOptions = {},
): Promise<V> {
  checkStm(params);
  const { nMax, lambda } = params;
  const ts = timesteps(params.T, params.shift);
  const generate = makeGenerator(ops, params, xSrc, ts);
  const guard = new StepGuard('STM', nMax, options);

  let xs = ops.alloc();
  let xsNext = ops.alloc();
  generate(nMax, xs);
  const xt = ops.alloc();
  ops.copy(xt, xs);
  const fSrc = ops.alloc();
  const fTgt = ops.alloc();
  const w = ops.alloc();
  const epsSrc = ops.alloc();
  const epsTgt = ops.alloc();
  for (let k = nMax; k >= 1; k--) {
    guard.begin();
    const t = ts[k];
    const tNext = ts[k - 1];
    const h = tNext - t;
    generate(k - 1, xsNext);
    const [vt, vs] = await guidedVelocitiesOn(
      ops,
      t,
      [
        { x: xt, cond: params.condTgt, scale: params.sTgt },
        { x: xs, cond: params.condSrc, scale: params.sSrc },
      ],
      guard,
      params.guidanceInterval,
      options.signal,
    );
    const preview = previewOf(ops, xt, vt, t, options.onStep !== undefined);
    ops.sdeDrift(fSrc, xs, vs, t, lambda);
    ops.sdeDrift(fTgt, xt, vt, t, lambda);
    ops.diffusionIncrement(w, xsNext, xs, h, fSrc);
    const gScale = Math.sqrt(2 * lambda * t) * Math.sqrt(-h);
    let extracted: V | null = null;
    if (options.onStep && gScale > 0) {
      extracted = ops.temp();
      ops.scale(extracted, w, 1 / gScale);
    }
    if (params.mapper === 'flowedit') {
      ops.noiseEstimate(epsSrc, xs, vs, t);
      ops.noiseEstimate(epsTgt, xt, vt, t);
      ops.accumulateDiff(w, lambda * h, epsSrc, epsTgt);
    }
    ops.axpy(xt, h, fTgt);
    ops.axpy(xt, 1, w);
    guard.check(ops, 'the target latent', xt, tNext);
    [xs, xsNext] = [xsNext, xs];
    const noise = extracted;
    await guard.end({
      t,
      tNext,
      preview,
      extractedNoise: async () => (noise === null ? null : ops.download(noise)),
    });
    ops.endStep();
  }
  return xt;
}

export async function stm(
  model: VelocityModel,
  xSrc: Float32Array,
  params: StmParams,
  options: RunOptions = {},
): Promise<Float32Array> {
  checkStm(params);
  return runOn(new CpuOps(model), (ops) => {
    const g = params.generator;
    const generator: TrajectoryGenerator =
      g.kind === 'trajectory'
        ? { ...g, states: g.states.map((state, k) => ops.upload(`trajectory state ${k}`, state)) }
        : g;
    return stmOn(ops, ops.upload('x_src', xSrc), { ...params, generator }, options);
  });
}
