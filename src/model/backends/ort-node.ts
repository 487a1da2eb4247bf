/** onnxruntime-node for the CLI, benches and Node tests (CPU EP). Loaded only through backends/onnx.ts. */
import * as ort from 'onnxruntime-node';

export default ort;
