/**
 * The model layer (DESIGN §2, §5): model packs (manifest schema, validation, hashes), ORT sessions
 * behind one backend file, and the velocity model the samplers drive. Node-only helpers (reading a
 * pack from disk) live in pack-node.ts and are not exported here, so browser bundles stay clean.
 */
export {
  defaultBackend,
  type InferenceSession,
  loadRuntime,
  ORT_BACKENDS,
  type OrtBackend,
  type OrtRuntime,
} from './backends/onnx';
export {
  type FlowGraphProblem,
  InvalidFlowGraphError,
  InvalidModelPackError,
  type ModelPackProblem,
} from './errors';
export {
  condSize,
  FLOW_INPUT_COND,
  FLOW_INPUT_T,
  FLOW_INPUT_X,
  FLOW_OUTPUT_V,
  type FlowGraphShape,
  latentSize,
} from './flow-contract';
export {
  GRAPH_NAMES,
  type GraphEntry,
  type GraphName,
  MANIFEST_FILE,
  type OpenedPack,
  openPack,
  type PackManifest,
  type PackReader,
  type SamplerDefaults,
  sha256Hex,
  type TensorSpec,
  type ViewSpec,
  validateManifest,
} from './manifest';
export {
  type GpuTraffic,
  type OrtRunStats,
  OrtVelocityModel,
  type OrtVelocityModelOptions,
} from './ort-velocity-model';
export { flowModelFromPack } from './pack';
export { RunQueue } from './run-queue';
