/**
 * The page's Engine: every call goes to workers/editor.worker.ts. Input buffers are transferred
 * (the caller must not reuse them), progress arrives through Comlink.proxy callbacks, and failures
 * come back as the same typed FlowsmithError the in-process engine throws.
 */
import * as Comlink from 'comlink';
import { fromErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { MergeOptions } from '../core/merge';
import { meshTransferables, type TriangleMesh } from '../core/mesh';
import type { RenderedView } from '../core/render';
import type {
  BundleRequest,
  EditJobOptions,
  EditRequest,
  EditResult,
  Engine,
  EngineInfo,
  InputFile,
  JobOptions,
  MergeOutcome,
  MergeRequest,
  PackInfo,
  RemergeOutcome,
} from './engine-api';
import { type EditorWorkerApi, isWorkerFailure } from './worker-protocol';

let jobCounter = 0;
function newJobId(): string {
  jobCounter += 1;
  return `job-${Date.now().toString(36)}-${jobCounter}`;
}

async function unwrap<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw isWorkerFailure(error) ? fromErrorInfo(error.flowsmithError) : error;
  }
}

export class WorkerEngine implements Engine {
  private readonly remote: Comlink.Remote<EditorWorkerApi>;

  constructor(private readonly worker: Worker) {
    this.remote = Comlink.wrap<EditorWorkerApi>(worker);
  }

  static create(): WorkerEngine {
    const worker = new Worker(new URL('../../workers/editor.worker.ts', import.meta.url), {
      type: 'module',
      name: 'flowsmith-editor',
    });
    return new WorkerEngine(worker);
  }

  async info(): Promise<EngineInfo> {
    return unwrap(this.remote.info());
  }

  importMesh(files: InputFile[], options: JobOptions = {}) {
    const { jobId = newJobId(), onProgress } = options;
    return unwrap(
      this.remote.importMesh(
        Comlink.transfer(
          files,
          files.map((f) => f.bytes),
        ),
        jobId,
        onProgress ? Comlink.proxy(onProgress) : undefined,
      ),
    );
  }

  voxelize(mesh: TriangleMesh, options: JobOptions & { resolution?: number } = {}) {
    const { jobId = newJobId(), onProgress, resolution = 64 } = options;
    return unwrap(
      this.remote.voxelize(
        Comlink.transfer(mesh, meshTransferables(mesh)),
        resolution,
        jobId,
        onProgress ? Comlink.proxy(onProgress) : undefined,
      ),
    );
  }

  loadSource(files: InputFile[], options: JobOptions & { resolution?: number } = {}) {
    const { jobId = newJobId(), onProgress, resolution = 64 } = options;
    return unwrap(
      this.remote.loadSource(
        Comlink.transfer(
          files,
          files.map((f) => f.bytes),
        ),
        resolution,
        jobId,
        onProgress ? Comlink.proxy(onProgress) : undefined,
      ),
    );
  }

  voxelMerge(request: MergeRequest): Promise<MergeOutcome> {
    // The grids are copied, not transferred: the caller keeps its source and edited grids.
    return unwrap(this.remote.voxelMerge(request));
  }

  remerge(options: MergeOptions): Promise<RemergeOutcome> {
    return unwrap(this.remote.remerge(options));
  }

  openPack(options: { backend?: 'auto' | 'wasm' | 'webgpu' | 'node' } = {}): Promise<PackInfo> {
    return unwrap(this.remote.openPack(options.backend ?? 'auto'));
  }

  // Grids and images below are copied, not transferred: the session keeps its own.
  renderViews(grid: VoxelGrid, options: { flat?: boolean } = {}): Promise<RenderedView[]> {
    return unwrap(this.remote.renderViews(grid, options.flat === true));
  }

  runEdit(request: EditRequest, options: EditJobOptions = {}): Promise<EditResult> {
    const { jobId = newJobId(), onProgress, previewEvery = 5 } = options;
    return unwrap(
      this.remote.runEdit(request, jobId, previewEvery, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
  }

  surface(grid: VoxelGrid): Promise<TriangleMesh> {
    return unwrap(this.remote.surface(grid));
  }

  exportGlb(grid: VoxelGrid, name = 'flowsmith-edit'): Promise<Uint8Array> {
    return unwrap(this.remote.exportGlb(grid, name));
  }

  exportBundle(request: BundleRequest): Promise<Uint8Array> {
    return unwrap(this.remote.exportBundle(request));
  }

  cancel(jobId: string): Promise<void> {
    return unwrap(this.remote.cancel(jobId));
  }

  terminate(): void {
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
