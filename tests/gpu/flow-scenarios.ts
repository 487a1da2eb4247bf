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
import { runFlowOnGpu } from '../../src/gpu/flow-runner';
import { type TransferCounts, watchTransfers } from '../../src/gpu/flow-transfers';
import type { OrtBackend } from '../../src/model/backends/onnx';
import type { OrtVelocityModel } from '../../src/model/ort-velocity-model';
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
}

/** Runs `method` with the toy settings (T 25, n_max 15, s 1.5 / 3, guidance on [0.5, 1]) plus overrides. */
export async function runMethod(
  model: OrtVelocityModel,
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
    guidanceInterval: [0.5, 1] as const,
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
  const whole = watchTransfers(device, model.size * 4);
  const step = watchTransfers(device, model.size * 4);
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
