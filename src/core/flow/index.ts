/**
 * Rectified-flow sampling and training-free editing over a small velocity-model interface
 * (DESIGN §3–4, issue 4): pure TypeScript, no DOM, no GPU; runs in Node and in a worker.
 */
export { type AnchorFlowParams, type AnchorFlowVariant, anchorFlow, anchorFlowOn } from './anchorflow';
export { CpuOps } from './cpu-ops';
export { type PairDirection, type PairedEditParams, pairedEdit, pairedEditOn } from './edit-loop';
export { type FlowEditParams, flowEdit, flowEditOn } from './flowedit';
export {
  type GaussianCondition,
  GaussianVelocityModel,
  gaussianVelocity,
  type RecordedCall,
} from './gaussian-model';
export {
  type ConditionRef,
  checkLatent,
  type GuidanceInterval,
  type GuidedQuery,
  guidanceApplies,
  guidedVelocities,
  guidedVelocitiesOn,
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
export { type FlowOps, runOn, type VecBatch } from './ops';
export { checkFiniteInput } from './params';
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
export { type SampleParams, type SampleResult, sample, sampleOn } from './sample';
export { DEFAULT_SHIFT, shiftTime, stepsForStartTime, timesteps, unshiftTime } from './schedule';
export { type NoiseMapper, type StmParams, stm, stmOn, type TrajectoryGenerator } from './stm';
