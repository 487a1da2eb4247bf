/**
 * onnxruntime-web for the browser (wasm and webgpu EPs). Loaded only through backends/onnx.ts.
 *
 * The wasm binary is imported as an asset URL so Vite serves it in dev and emits it in the build;
 * ORT's own lookup (relative to its script) breaks once Vite pre-bundles the package, and fetching it
 * from a CDN is not an option offline (DESIGN §9).
 */
import * as ort from 'onnxruntime-web';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };

export default ort;
