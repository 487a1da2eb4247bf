/**
 * One GPUDevice for the worker: acquired once, watched for loss, reacquired on demand. Later the
 * device comes from onnxruntime-web (`ort.env.webgpu.device`) so kernels share ORT's buffers; this
 * module is where that choice lives (DESIGN §6).
 */
import { GpuDeviceLostError, WebGpuUnavailableError } from '../core/errors';

export interface GpuContext {
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; description: string };
}

export interface AcquireOptions {
  /** Called once if the device is lost for any reason but an explicit destroy(). */
  onLost?: (error: GpuDeviceLostError) => void;
  gpu?: GPU | undefined;
}

export async function acquireGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  const gpu = options.gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
  if (!gpu) throw new WebGpuUnavailableError('this browser has no navigator.gpu');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('no GPU adapter was offered');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') options.onLost?.(new GpuDeviceLostError(info.reason, info.message));
  });
  const { vendor, architecture, description } = adapter.info;
  return { device, adapterInfo: { vendor, architecture, description } };
}
