/**
 * The worker's remote surface. Comlink proxies only top-level function arguments, so progress
 * callbacks are positional here; `WorkerEngine` adapts this to the `Engine` interface.
 * Errors cross as `ErrorInfo` objects (thrown as plain values, so comlink clones them whole).
 */
import type { ErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { MergeOptions } from '../core/merge';
import type { TriangleMesh } from '../core/mesh';
import type { RenderedView } from '../core/render';
import type {
  BundleRequest,
  EditProgress,
  EditRequest,
  EditResult,
  EngineInfo,
  ImportedMesh,
  InputFile,
  LoadedSource,
  MergeOutcome,
  MergeRequest,
  PackInfo,
  ProgressCallback,
  RemergeOutcome,
  VoxelizeStats,
} from './engine-api';

export interface EditorWorkerApi {
  info(): Promise<EngineInfo>;
  importMesh(files: InputFile[], jobId: string, onProgress?: ProgressCallback): Promise<ImportedMesh>;
  voxelize(
    mesh: TriangleMesh,
    resolution: number,
    jobId: string,
    onProgress?: ProgressCallback,
  ): Promise<{ grid: VoxelGrid; stats: VoxelizeStats }>;
  loadSource(
    files: InputFile[],
    resolution: number,
    jobId: string,
    onProgress?: ProgressCallback,
  ): Promise<LoadedSource>;
  voxelMerge(request: MergeRequest): Promise<MergeOutcome>;
  remerge(options: MergeOptions): Promise<RemergeOutcome>;
  openPack(backend: 'auto' | 'wasm' | 'webgpu' | 'node'): Promise<PackInfo>;
  renderViews(grid: VoxelGrid, flat: boolean): Promise<RenderedView[]>;
  runEdit(
    request: EditRequest,
    jobId: string,
    previewEvery: number,
    onProgress?: (progress: EditProgress) => void,
  ): Promise<EditResult>;
  surface(grid: VoxelGrid): Promise<TriangleMesh>;
  exportGlb(grid: VoxelGrid, name: string): Promise<Uint8Array>;
  exportBundle(request: BundleRequest): Promise<Uint8Array>;
  cancel(jobId: string): Promise<void>;
}

export interface WorkerFailure {
  flowsmithError: ErrorInfo;
}

export function isWorkerFailure(value: unknown): value is WorkerFailure {
  return typeof value === 'object' && value !== null && 'flowsmithError' in value;
}
