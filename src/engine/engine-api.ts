/**
 * The Engine: one interface, two implementations — `InProcessEngine` (Node, tests, CLI) and
 * `WorkerEngine` (the browser's client of workers/editor.worker.ts through comlink). The UI only
 * ever sees this interface. Inputs and outputs are plain, structured-cloneable data.
 */

import type { EditSettings, ResolvedEdit } from '../core/edit/settings';
import type { VoxelGrid } from '../core/grid';
import type { ComponentTable, MergeOptions, SizeHistogram } from '../core/merge';
import type { Bounds, TriangleMesh } from '../core/mesh';
import type { RenderedView } from '../core/render';

/** An RGBA8 image, row 0 at the top. */
export interface ImageRGBA {
  width: number;
  height: number;
  data: Uint8Array;
}

export type MeshFormat = 'glb' | 'gltf' | 'obj' | 'stl' | 'ply';

export interface InputFile {
  name: string;
  bytes: ArrayBuffer;
}

export type ProgressStage = 'read' | 'parse' | 'normalize' | 'voxelize';

export interface Progress {
  stage: ProgressStage;
  /** Fraction done in [0, 1] for the stage. */
  fraction: number;
  message: string;
}

export type ProgressCallback = (progress: Progress) => void;

export interface JobOptions {
  /** Lets `Engine.cancel(jobId)` stop the job between chunks of work. */
  jobId?: string;
  onProgress?: ProgressCallback;
}

export interface MeshStats {
  fileName: string;
  format: MeshFormat;
  triangles: number;
  vertices: number;
  /** Bounds as the file had them, before normalization. */
  sourceBounds: Bounds;
  /** Bounds after normalization into [-0.5, 0.5]³. */
  bounds: Bounds;
  /** Uniform scale and offset applied: normalized = (p + offset) · scale. */
  scale: number;
  offset: [number, number, number];
  hasVertexColors: boolean;
  hasTexture: boolean;
  importMs: number;
}

export interface ImportedMesh {
  mesh: TriangleMesh;
  stats: MeshStats;
  /** What was left out without failing the import (a texture or .mtl not given, ...). */
  warnings: string[];
}

export interface VoxelizeStats {
  resolution: number;
  occupied: number;
  voxelizeMs: number;
}

export interface LoadedSource {
  mesh: TriangleMesh;
  stats: MeshStats;
  grid: VoxelGrid;
  voxelStats: VoxelizeStats;
  warnings: string[];
}

export type MergeBackend = 'webgpu' | 'cpu';

export interface MergeRequest extends MergeOptions {
  /** s_src: the source occupancy (0/1 per voxel, x fastest). */
  source: Uint8Array;
  /** s_fe: the editor's decoded occupancy. */
  edited: Uint8Array;
  resolution: number;
  /**
   * The grid the kept components are applied to, when it is not `source`: merged = mask ? edited :
   * base. The edit pipeline diffs s_fe against the VAE's reconstruction of s_src (so the VAE's own
   * error is no edit) and applies the mask to the true source.
   */
  base?: Uint8Array;
}

export interface MergeOutcome {
  mask: Uint8Array;
  merged: Uint8Array;
  kept: number[];
  tau: number;
  rule: MergeOptions['rule'];
  voxelsChanged: number;
  components: ComponentTable;
  histogram: SizeHistogram;
  backend: MergeBackend;
  ms: number;
}

export type RemergeOutcome = Omit<MergeOutcome, 'components' | 'histogram'>;

export type EditStage = 'prepare' | 'encode' | 'edit' | 'decode' | 'merge';

export interface EditProgress {
  stage: EditStage;
  /** Sampler steps done (edit stage), of `total`. */
  step: number;
  total: number;
  /** Whole-run fraction in [0, 1]. */
  fraction: number;
  /** Estimated milliseconds left, once a step has been timed. */
  etaMs: number | null;
  message: string;
  /** The decoded x̂0 of the current step (occupancy), now and then: the live preview. */
  preview?: Uint8Array;
}

export interface EditRequest {
  source: VoxelGrid;
  view: number;
  /** c_tgt: the edited view (RGBA8, the pack's image size). */
  target: ImageRGBA;
  settings: EditSettings;
  merge: EditMergeOptions;
  /** What s_fe is diffed against (default 'reconstruction', see above). */
  reference?: 'reconstruction' | 'source';
}

/** An edit's merge settings; the pipeline builds the view gate's footprint from c_src and c_tgt. */
export interface EditMergeOptions {
  tau: number;
  rule: MergeOptions['rule'];
  /**
   * Keep only changed components that some changed pixel of the view explains (core/edit/view-gate.ts).
   * Default true; false is Nano3D's merge, τ alone.
   */
  viewGate?: boolean;
}

export interface EditTimings {
  renderMs: number;
  encodeImagesMs: number;
  encodeLatentMs: number;
  /** Wall time of each sampler step (preview decodes excluded). */
  stepsMs: number[];
  previewMs: number;
  decodeMs: number;
  mergeMs: number;
  colorMs: number;
  /** From the call to the merged result. */
  totalMs: number;
}

export interface EditResult {
  resolved: ResolvedEdit;
  /** c_src, the view the edit was shown on. */
  sourceView: RenderedView;
  /** s_fe: the editor's raw output, coloured. */
  edited: VoxelGrid;
  merge: MergeOutcome;
  /** s_tgt: the merged result, coloured. */
  result: VoxelGrid;
  /** What s_fe was diffed against (the VAE reconstruction of s_src, or s_src): re-merging needs it. */
  reference: Uint8Array;
  /** The view gate's footprint the merge used (R³), or null when the gate was off. */
  footprint: Uint8Array | null;
  timings: EditTimings;
  /** The ONNX Runtime backend the models ran on. */
  backend: 'node' | 'wasm' | 'webgpu';
  executor: 'cpu' | 'gpu';
}

export interface PackInfo {
  name: string;
  description: string;
  /** sha256 of the velocity graph: names the weights an edit ran with (params.json). */
  hash: string;
  backend: 'node' | 'wasm' | 'webgpu';
  /** Why the backend is not the GPU, when it is not. */
  notice: string | null;
  sampler: { steps: number; shift: number; cfg: number; guidanceInterval?: readonly [number, number] };
  openMs: number;
}

export interface EditJobOptions {
  jobId?: string;
  onProgress?: (progress: EditProgress) => void;
  /** Decode an x̂0 preview every this many steps (0: never). */
  previewEvery?: number;
}

/** What the edit-pair bundle holds (issue 6): the grids, the views and the parameters. */
export interface BundleRequest {
  source: VoxelGrid;
  result: VoxelGrid;
  mask: Uint8Array;
  sourceView: ImageRGBA;
  targetView: ImageRGBA;
  params: Record<string, unknown>;
}

export interface EngineInfo {
  backend: 'in-process' | 'worker';
  webgpu: boolean;
}

export interface Engine {
  info(): Promise<EngineInfo>;
  /** Parses the files (one mesh plus its side files), validates and normalizes the mesh. */
  importMesh(files: InputFile[], options?: JobOptions): Promise<ImportedMesh>;
  /** Voxelizes a normalized mesh into the surface shell with colours. */
  voxelize(
    mesh: TriangleMesh,
    options?: JobOptions & { resolution?: number },
  ): Promise<{ grid: VoxelGrid; stats: VoxelizeStats }>;
  /** Import and voxelize in one call, so the mesh crosses the worker boundary once. */
  loadSource(files: InputFile[], options?: JobOptions & { resolution?: number }): Promise<LoadedSource>;
  /** Voxel-Merge (Nano3D): keeps every source voxel outside the kept difference components. */
  voxelMerge(request: MergeRequest): Promise<MergeOutcome>;
  /** Re-applies a new τ or rule to the last merge's components, without labelling again. */
  remerge(options: MergeOptions): Promise<RemergeOutcome>;
  /** Opens the model pack (hashes checked) on the preferred ORT backend; 'auto' picks the GPU when it helps. */
  openPack(options?: { backend?: 'auto' | 'wasm' | 'webgpu' | 'node' }): Promise<PackInfo>;
  /** The 8 canonical views of a grid (the renderer contract the pack was trained with). */
  renderViews(grid: VoxelGrid, options?: { flat?: boolean }): Promise<RenderedView[]>;
  /** One edit: views encoded, latent edited, decoded, Voxel-Merged, coloured. Cancel with its jobId. */
  runEdit(request: EditRequest, options?: EditJobOptions): Promise<EditResult>;
  /** The smooth surface of a grid, per-vertex colours (display and export). */
  surface(grid: VoxelGrid): Promise<TriangleMesh>;
  /** A GLB of the grid's surface. */
  exportGlb(grid: VoxelGrid, name?: string): Promise<Uint8Array>;
  /** The edit-pair bundle as a zip. */
  exportBundle(request: BundleRequest): Promise<Uint8Array>;
  /** Stops the job with this id at its next checkpoint; it rejects with CancelledError. */
  cancel(jobId: string): Promise<void>;
}
