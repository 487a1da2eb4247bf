/** Voxel-Merge and Slat-Merge (Nano3D region-aware fusion): the CPU twin of shaders/merge kernels. */
export {
  assignIds,
  type BoundingBox,
  type ComponentTable,
  componentAt,
  componentIdOf,
  componentStats,
  listComponents,
  type MergeComponent,
  type SizeHistogram,
  sizeHistogram,
} from './components';
export { createLabelScratch, type LabelScratch, labelComponents } from './fast-label';
export {
  applyMerge,
  buildMask,
  checkTau,
  componentsInFootprint,
  componentsInFootprintByLabel,
  DEFAULT_TAU,
  effectiveTau,
  type Selection,
  selectComponents,
  TAU_RULES,
  type TauRule,
} from './filter';
export { BACKGROUND, labelByKernels, labelFlatten, labelInit, labelUnion, xorDiff } from './label';
export { slatMerge } from './slat-merge';
export {
  checkBinaryGrid,
  checkGridPair,
  checkResolution,
  gridFromNpy,
  MAX_MERGE_RESOLUTION,
} from './validate';
export {
  allocateMergeBuffers,
  type Labelling,
  type MergeBuffers,
  type MergeOptions,
  type MergeResult,
  type Remerged,
  remerge,
  voxelMerge,
} from './voxel-merge';
