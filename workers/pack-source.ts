/// <reference lib="webworker" />
/**
 * Where the worker's model pack comes from: the app's own origin (public/models/default, precached by
 * the service worker for offline use), and which ORT backend runs it. A software WebGPU adapter
 * (SwiftShader, "fallback") is slower than wasm for a transformer, so 'auto' takes wasm there and
 * says why.
 */
import type { BackendPreference, PackSource } from '../src/engine/edit-service';
import { fetchReader } from '../src/model/fetch-reader';

const PACK_NAME = 'default';

async function autoBackend(): Promise<{ backend: 'webgpu' | 'wasm'; notice: string | null }> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    return {
      backend: 'wasm',
      notice: 'This browser has no WebGPU: the model runs on the CPU (wasm), more slowly.',
    };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    return { backend: 'wasm', notice: 'No WebGPU adapter was offered: the model runs on the CPU (wasm).' };
  }
  const info = adapter.info;
  const software =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    /swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
  if (software) {
    return {
      backend: 'wasm',
      notice:
        'The only WebGPU adapter is a software renderer (SwiftShader): the model runs on the CPU (wasm), which is faster here.',
    };
  }
  return { backend: 'webgpu', notice: null };
}

export function browserPackSource(): PackSource {
  const base = new URL(`/models/${PACK_NAME}/`, self.location.href);
  return {
    name: PACK_NAME,
    reader: fetchReader(base),
    async chooseBackend(preference: BackendPreference) {
      if (preference === 'webgpu' || preference === 'wasm') return { backend: preference, notice: null };
      return autoBackend();
    },
  };
}
