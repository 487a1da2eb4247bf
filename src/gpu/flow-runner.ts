/**
 * Runs a sampler on the GPU executor end to end: kernels on the model's own device (ORT's, so the
 * velocity graph and our kernels share buffers), inputs uploaded once, the result read back once.
 *
 *   const x = await runFlowOnGpu(model, (ops) => flowEditOn(ops, ops.upload('x_src', xSrc), params));
 */

import { WebGpuUnavailableError } from '../core/errors';
import { FlowKernels } from './flow-kernels';
import { GpuFlowOps, type GpuVelocitySource } from './flow-ops';

const kernelsByDevice = new WeakMap<GPUDevice, Promise<FlowKernels>>();

/** The flow kernels of `device`, compiled once per device. */
export function flowKernelsFor(device: GPUDevice): Promise<FlowKernels> {
  let kernels = kernelsByDevice.get(device);
  if (!kernels) {
    kernels = FlowKernels.create(device);
    kernelsByDevice.set(device, kernels);
    kernels.catch(() => kernelsByDevice.delete(device));
  }
  return kernels;
}

export async function createGpuFlowOps(model: GpuVelocitySource): Promise<GpuFlowOps> {
  if (!model.gpuDevice) {
    throw new WebGpuUnavailableError(
      'the velocity model is not GPU-resident (create it on webgpu with gpuResident)',
    );
  }
  return new GpuFlowOps(await flowKernelsFor(model.gpuDevice), model);
}

/**
 * Runs `body` on a fresh GPU executor, reads its result back, and frees every buffer of the run
 * (also on failure or cancellation). Deferred NaN/Inf checks are resolved before the readback.
 */
export async function runFlowOnGpu(
  model: GpuVelocitySource,
  body: (ops: GpuFlowOps) => Promise<GPUBuffer>,
): Promise<Float32Array> {
  const ops = await createGpuFlowOps(model);
  try {
    const result = await body(ops);
    await ops.finish();
    return await ops.download(result);
  } finally {
    ops.dispose();
  }
}
