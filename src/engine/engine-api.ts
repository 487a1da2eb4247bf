/**
 * The Engine: one interface, two implementations — `InProcessEngine` (Node, tests, CLI) and
 * `WorkerEngine` (the browser's client of workers/editor.worker.ts through comlink). The UI only
 * ever sees this interface. Inputs and outputs are plain, structured-cloneable data.
 */
import type { VoxelGrid } from '../core/grid';
import type { ComponentTable, MergeOptions, SizeHistogram } from '../core/merge';
import type { Bounds, TriangleMesh } from '../core/mesh';

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
  /** Stops the job with this id at its next checkpoint; it rejects with CancelledError. */
  cancel(jobId: string): Promise<void>;
}
