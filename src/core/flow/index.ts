/**
 * Rectified-flow sampling and training-free editing over a small velocity-model interface
 * (DESIGN §3–4, issue 4): pure TypeScript, no DOM, no GPU; runs in Node and in a worker.
 */
export { type AnchorFlowParams, type AnchorFlowVariant, anchorFlow } from './anchorflow';
export { type PairDirection, type PairedEditParams, pairedEdit } from './edit-loop';
export { type FlowEditParams, flowEdit } from './flowedit';
export {
  type GaussianCondition,
  GaussianVelocityModel,
  gaussianVelocity,
  type RecordedCall,
} from './gaussian-model';
export {
  type ConditionRef,
  type GuidanceInterval,
  type GuidedQuery,
  guidanceApplies,
  guidedVelocities,
  UNCOND,
  type VelocityBatch,
  type VelocityModel,
} from './model';
export {
  type NoisePurpose,
  type NoiseStream,
  normals,
  PURPOSE_CODE,
  uniformBits,
  uniformFromBits,
  uniforms,
} from './noise';
export { mulhi32, mullo32, philox4x32 } from './philox';
export {
  EDIT_KINDS,
  EDIT_METHODS,
  EDIT_PRESETS,
  type EditKind,
  type EditMethod,
  type EditPreset,
  type ResolvedPreset,
  resolvePreset,
} from './presets';
export type { RunOptions, SamplerName, StepInfo } from './run';
export { type SampleParams, type SampleResult, sample } from './sample';
export { DEFAULT_SHIFT, shiftTime, stepsForStartTime, timesteps, unshiftTime } from './schedule';
export { type NoiseMapper, type StmParams, stm, type TrajectoryGenerator } from './stm';
