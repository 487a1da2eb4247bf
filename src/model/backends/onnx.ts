/**
 * The one place that chooses an ONNX Runtime (transformers.js style, DESIGN §9): onnxruntime-node in
 * Node (CLI, benches, tests), onnxruntime-web in the browser with its webgpu EP (default) or wasm EP
 * (fallback). Everything else in the studio talks to the `OrtRuntime` this returns.
 *
 * Both packages re-export onnxruntime-common 1.30, so one set of types describes both.
 */

import type * as OrtWeb from 'onnxruntime-web';
import { WebGpuUnavailableError } from '../../core/errors';
import { RunQueue } from '../run-queue';

export type Ort = typeof OrtWeb;
export type InferenceSession = OrtWeb.InferenceSession;
export type OrtTensor = OrtWeb.Tensor;
export type OrtBackend = 'node' | 'wasm' | 'webgpu';

export const ORT_BACKENDS: readonly OrtBackend[] = ['node', 'wasm', 'webgpu'];

export interface RuntimeOptions {
  /** wasm EP threads; threads need a cross-origin-isolated page. Default: ORT's choice. */
  readonly wasmThreads?: number;
}

export interface SessionOptions {
  /** Outputs to leave on the GPU (webgpu only): ORT hands them back as 'gpu-buffer' tensors. */
  readonly gpuOutputs?: readonly string[];
}

export interface OrtRuntime {
  readonly backend: OrtBackend;
  readonly ort: Ort;
  /**
   * Serializes every call into this runtime: onnxruntime-web fails when two `run()`s overlap (one
   * wasm instance serves every session), so all sessions of a runtime share one queue.
   */
  readonly queue: RunQueue;
  createSession(model: Uint8Array, options?: SessionOptions): Promise<InferenceSession>;
  /** The GPUDevice ORT computes on (webgpu only, after the first session exists). */
  gpuDevice(): Promise<GPUDevice>;
}

/** The backend this environment should use unless told otherwise. */
export function defaultBackend(): OrtBackend {
  const isNode =
    typeof process !== 'undefined' && process.versions?.node !== undefined && typeof window === 'undefined';
  if (isNode) return 'node';
  return typeof navigator !== 'undefined' && 'gpu' in navigator ? 'webgpu' : 'wasm';
}

async function importOrt(backend: OrtBackend): Promise<Ort> {
  if (backend === 'node') {
    // Kept out of the browser bundle: the specifier is not visible to Vite's import analysis.
    const path = './ort-node';
    return ((await import(/* @vite-ignore */ path)) as { default: Ort }).default;
  }
  return (await import('./ort-web')).default;
}

const runtimes = new Map<OrtBackend, Promise<OrtRuntime>>();

/** The runtime for `backend`, loaded once per page or process. */
export function loadRuntime(
  backend: OrtBackend = defaultBackend(),
  options: RuntimeOptions = {},
): Promise<OrtRuntime> {
  let runtime = runtimes.get(backend);
  if (!runtime) {
    runtime = createRuntime(backend, options);
    runtimes.set(backend, runtime);
    runtime.catch(() => runtimes.delete(backend));
  }
  return runtime;
}

async function createRuntime(backend: OrtBackend, options: RuntimeOptions): Promise<OrtRuntime> {
  if (backend === 'webgpu' && (typeof navigator === 'undefined' || !('gpu' in navigator))) {
    throw new WebGpuUnavailableError('this environment has no navigator.gpu');
  }
  const ort = await importOrt(backend);
  if (backend !== 'node' && options.wasmThreads !== undefined) ort.env.wasm.numThreads = options.wasmThreads;
  const queue = new RunQueue();
  const executionProviders = [backend === 'node' ? 'cpu' : backend];
  return {
    backend,
    ort,
    queue,
    createSession(model, sessionOptions = {}) {
      const outputs = sessionOptions.gpuOutputs ?? [];
      return queue.run(() =>
        ort.InferenceSession.create(model, {
          executionProviders,
          graphOptimizationLevel: 'all',
          ...(backend === 'webgpu' && outputs.length > 0
            ? {
                preferredOutputLocation: Object.fromEntries(
                  outputs.map((name) => [name, 'gpu-buffer' as const]),
                ),
              }
            : {}),
        }),
      );
    },
    async gpuDevice() {
      if (backend !== 'webgpu') throw new WebGpuUnavailableError(`the ${backend} runtime has no GPU device`);
      return (await ort.env.webgpu.device) as GPUDevice;
    },
  };
}
