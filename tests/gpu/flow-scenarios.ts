/**
 * Browser-side scenarios of the flow specs and the Chromium flow bench: each runs one sampler on one
 * ORT backend and executor and returns plain, cloneable results. Loaded into the harness page through
 * Vite (`import('/tests/gpu/flow-scenarios.ts')`).
 *
 * Executors: 'cpu' runs the loops on Float32Arrays (CpuOps) with any backend's model; 'gpu' runs them
 * on GpuFlowOps with a GPU-resident model on webgpu (no latent-sized transfer inside the loop).
 */

import {
  anchorFlow,
  anchorFlowOn,
  type FlowOps,
  flowEdit,
  flowEditOn,
  type RunOptions,
  type StepInfo,
  sample,
  sampleOn,
  stm,
  stmOn,
  type VelocityModel,
} from '../../src/core/flow';
import type { GpuVelocitySource } from '../../src/gpu/flow-ops';
import { flowKernelsFor, runFlowOnGpu } from '../../src/gpu/flow-runner';
import { type TransferCounts, watchTransfers } from '../../src/gpu/flow-transfers';
import type { OrtBackend } from '../../src/model/backends/onnx';
import { OrtVelocityModel } from '../../src/model/ort-velocity-model';
import { SRC, TGT, toyOrtModel } from '../../src/model/testing';

export type Executor = 'cpu' | 'gpu';
export type Method = 'sample' | 'sde' | 'flowedit' | 'anchorflow' | 'anchorflow-code' | 'stm';
export const METHODS: readonly Method[] = [
  'sample',
  'sde',
  'flowedit',
  'anchorflow',
  'anchorflow-code',
  'stm',
];

export interface MethodOverrides {
  readonly T?: number;
  readonly nMax?: number;
  readonly condSrc?: string;
  readonly condTgt?: string;
  readonly sSrc?: number;
  readonly sTgt?: number;
  readonly nAvg?: number;
  readonly seed?: number;
  readonly shift?: number;
  /** Default [0.5, 1]; `undefined` guides every step. */
  readonly guidanceInterval?: readonly [number, number] | undefined;
}

/** Runs `method` with the toy settings (T 25, n_max 15, s 1.5 / 3, guidance on [0.5, 1]) plus overrides. */
export async function runMethod(
  model: VelocityModel & GpuVelocitySource,
  executor: Executor,
  method: Method,
  xSrc: Float32Array,
  overrides: MethodOverrides = {},
  options: RunOptions = {},
): Promise<Float32Array> {
  const edit = {
    T: 25,
    nMax: 15,
    sSrc: 1.5,
    sTgt: 3,
    condSrc: SRC,
    condTgt: TGT,
    seed: 9,
    guidanceInterval: [0.5, 1] as readonly [number, number] | undefined,
    ...overrides,
  };
  const plain = {
    T: edit.T,
    shift: edit.shift,
    cond: edit.condTgt,
    scale: edit.sTgt,
    seed: edit.seed,
    guidanceInterval: edit.guidanceInterval,
  };
  const stmParams = { ...edit, lambda: 0.6, generator: { kind: 'stochastic' as const } };
  if (executor === 'cpu') {
    const m: VelocityModel = model;
    switch (method) {
      case 'sample':
        return (await sample(m, plain, options)).x;
      case 'sde':
        return (await sample(m, { ...plain, lambda: 0.6 }, options)).x;
      case 'flowedit':
        return flowEdit(m, xSrc, edit, options);
      case 'anchorflow':
        return anchorFlow(m, xSrc, edit, options);
      case 'anchorflow-code':
        return anchorFlow(m, xSrc, { ...edit, variant: 'code' }, options);
      case 'stm':
        return stm(m, xSrc, stmParams, options);
    }
  }
  return runFlowOnGpu(model, async (ops: FlowOps<GPUBuffer>) => {
    switch (method) {
      case 'sample':
        return (await sampleOn(ops, plain, options)).x;
      case 'sde':
        return (await sampleOn(ops, { ...plain, lambda: 0.6 }, options)).x;
      case 'flowedit':
        return flowEditOn(ops, ops.upload('x_src', xSrc), edit, options);
      case 'anchorflow':
        return anchorFlowOn(ops, ops.upload('x_src', xSrc), edit, options);
      case 'anchorflow-code':
        return anchorFlowOn(ops, ops.upload('x_src', xSrc), { ...edit, variant: 'code' }, options);
      case 'stm':
        return stmOn(ops, ops.upload('x_src', xSrc), stmParams, options);
    }
  });
}

/** The Gaussian toy model on `backend` (GPU-resident on webgpu when the executor is 'gpu'). */
export function toyModelOn(backend: OrtBackend, executor: Executor, size: number): Promise<OrtVelocityModel> {
  return toyOrtModel(size, { backend, gpuResident: executor === 'gpu' });
}

export interface StepTransfers {
  /** Per step: every CPU↔GPU transfer on ORT's device between two step callbacks. */
  readonly perStep: TransferCounts[];
  /** The whole run, setup and readback included. */
  readonly total: TransferCounts;
}

/** Runs `method` on the GPU executor and counts the device's transfers per step. */
export async function countTransfers(
  model: OrtVelocityModel,
  method: Method,
  xSrc: Float32Array,
  overrides: MethodOverrides = {},
): Promise<StepTransfers & { result: Float32Array }> {
  const device = model.gpuDevice as GPUDevice;
  const latentBytes = Math.max(1024, model.size * 4);
  const whole = watchTransfers(device, latentBytes);
  const step = watchTransfers(device, latentBytes);
  const perStep: TransferCounts[] = [];
  let first = true;
  try {
    const result = await runMethod(model, 'gpu', method, xSrc, overrides, {
      onStep: (_info: StepInfo) => {
        // The first interval includes the run's setup (upload of x_src, first kernels compile).
        if (!first) perStep.push(step.counts());
        first = false;
        step.reset();
      },
    });
    return { result, perStep, total: whole.counts() };
  } finally {
    step.stop();
    whole.stop();
  }
}

export interface BenchResult {
  readonly backend: OrtBackend;
  readonly executor: Executor;
  readonly method: Method;
  readonly steps: number;
  /** Items per model run (trajectories × cond/uncond). */
  readonly batch: number;
  readonly perStepMs: number;
  /** The model's share of a step, measured alone on the same batch (GPU: until the queue is idle). */
  readonly modelMs: number;
  /** 1 − model / step. */
  readonly overheadShare: number;
  /** GPU executor only: CPU↔GPU traffic per step inside the loop. */
  readonly readbacksPerStep?: number;
  readonly largeWritesPerStep?: number;
}

/** Times one method end to end, then the model alone on the same batch, `reps` times. */
export async function benchMethod(
  model: OrtVelocityModel,
  executor: Executor,
  method: Method,
  xSrc: Float32Array,
  overrides: MethodOverrides,
  reps: number,
): Promise<BenchResult> {
  const runs0 = model.stats.runs;
  const items0 = model.stats.items;
  const runMs0 = model.stats.runMs;
  let perStep: TransferCounts[] | undefined;
  const start = performance.now();
  if (executor === 'gpu') perStep = (await countTransfers(model, method, xSrc, overrides)).perStep;
  else await runMethod(model, executor, method, xSrc, overrides);
  const total = performance.now() - start;
  const steps = model.stats.runs - runs0;
  const batch = Math.round((model.stats.items - items0) / steps);
  let modelMs = (model.stats.runMs - runMs0) / steps;
  if (executor === 'gpu') {
    const device = model.gpuDevice as GPUDevice;
    const make = () =>
      device.createBuffer({
        size: model.size * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    const x = Array.from({ length: batch }, make);
    const out = Array.from({ length: batch }, make);
    const cond = Array.from({ length: batch }, (_, i) => (i % 2 === 0 ? SRC : 'uncond'));
    await model.velocityGpu(0.7, x, cond, out);
    await device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) await model.velocityGpu(0.7, x, cond, out);
    await device.queue.onSubmittedWorkDone();
    modelMs = (performance.now() - t0) / reps;
    for (const b of [...x, ...out]) b.destroy();
  }
  const perStepMs = total / steps;
  const sum = (key: 'readbacks' | 'largeWrites') =>
    perStep && perStep.length > 0 ? perStep.reduce((a, c) => a + c[key], 0) / perStep.length : undefined;
  return {
    backend: model.backend,
    executor,
    method,
    steps,
    batch,
    perStepMs,
    modelMs,
    overheadShare: Math.max(0, 1 - modelMs / perStepMs),
    readbacksPerStep: sum('readbacks'),
    largeWritesPerStep: sum('largeWrites'),
  };
}

/** A tiny generated DiT pack (built in the page) with source and target condition tokens. */
export async function tinyModelOn(
  backend: OrtBackend,
  executor: Executor,
  preset: 'test' | 'small' | 'medium',
  tokens?: number,
): Promise<OrtVelocityModel> {
  const { tinyFlowGraph, TINY_FLOW_PRESETS } = await import('../../src/model/onnx/tiny-flow-graph');
  const { normals } = await import('../../src/core/flow');
  const spec = TINY_FLOW_PRESETS[preset];
  const graph = tinyFlowGraph({ ...spec, tokens: tokens ?? spec.tokens });
  const model = await OrtVelocityModel.create(graph.bytes, { backend, gpuResident: executor === 'gpu' });
  model.setCondition(SRC, normals(1, { purpose: 'initial', step: 0, lane: 1 }, model.condSize));
  model.setCondition(TGT, normals(1, { purpose: 'initial', step: 0, lane: 2 }, model.condSize));
  return model;
}

/**
 * A model that costs (almost) nothing: zero velocities, made on the CPU or by one fill kernel on the
 * GPU. Timing a sampler with it gives the loop's own cost per step (noise, step arithmetic, NaN
 * checks, batching, submits) for each executor, whatever the model.
 */
export async function nullModel(size: number): Promise<VelocityModel & GpuVelocitySource> {
  const { acquireGpu } = await import('../../src/gpu/device');
  const { device } = await acquireGpu();
  const kernels = await flowKernelsFor(device);
  return {
    size,
    gpuDevice: device,
    async velocity(batch) {
      return batch.x.map(() => new Float32Array(size));
    },
    async velocityGpu(_t, _x, _cond, out) {
      for (const buffer of out) kernels.step('fill', size, buffer, [], [0]);
      kernels.flush();
    },
  };
}

/** ms per step of `method`'s loop alone (null model), on `executor`. */
export async function loopOnlyMs(
  executor: Executor,
  method: Method,
  size: number,
  overrides: MethodOverrides,
): Promise<number> {
  const model = await nullModel(size);
  const xSrc = new Float32Array(size).fill(0.5);
  await runMethod(model, executor, method, xSrc, { ...overrides, T: 4, nMax: 2 });
  const steps = method === 'sample' ? (overrides.T ?? 25) : (overrides.nMax ?? 15);
  const start = performance.now();
  await runMethod(model, executor, method, xSrc, overrides);
  return (performance.now() - start) / steps;
}
