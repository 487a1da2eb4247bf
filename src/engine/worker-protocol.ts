/**
 * The worker's remote surface. Comlink proxies only top-level function arguments, so progress
 * callbacks are positional here; `WorkerEngine` adapts this to the `Engine` interface.
 * Errors cross as `ErrorInfo` objects (thrown as plain values, so comlink clones them whole).
 */
import type { ErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { MergeOptions } from '../core/merge';
import type { TriangleMesh } from '../core/mesh';
import type {
  EngineInfo,
  ImportedMesh,
  InputFile,
  LoadedSource,
  MergeOutcome,
  MergeRequest,
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
  cancel(jobId: string): Promise<void>;
}

export interface WorkerFailure {
  flowsmithError: ErrorInfo;
}

export function isWorkerFailure(value: unknown): value is WorkerFailure {
  return typeof value === 'object' && value !== null && 'flowsmithError' in value;
}
