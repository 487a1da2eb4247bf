/**
 * The Engine in the calling thread: Node (CLI, tests) and, wrapped by workers/editor.worker.ts, the
 * browser's worker. Each job gets an AbortController registered under its jobId; `cancel(jobId)`
 * aborts it and the stage running stops at its next checkpoint with a CancelledError.
 */
import { countOccupied, GRID_RESOLUTION, type VoxelGrid } from '../core/grid';
import type { MergeOptions } from '../core/merge';
import type { TriangleMesh } from '../core/mesh';
import { normalizeMesh } from '../core/normalize';
import type { RenderedView } from '../core/render';
import { renderView } from '../core/render';
import { extractSurface } from '../core/surface';
import { voxelize } from '../core/voxelize';
import { buildBundle, gridGlb, zipBundle } from '../io/export/bundle';
import type { ImageDecoder } from '../io/image-decoder';
import { importMeshFiles } from '../io/import/index';
import { type BackendPreference, EditService, type PackSource } from './edit-service';
import type {
  BundleRequest,
  EditJobOptions,
  EditRequest,
  EditResult,
  Engine,
  EngineInfo,
  ImportedMesh,
  InputFile,
  JobOptions,
  LoadedSource,
  MergeOutcome,
  MergeRequest,
  PackInfo,
  ProgressCallback,
  ProgressStage,
  RemergeOutcome,
  VoxelizeStats,
} from './engine-api';
import { type GpuDeviceProvider, MergeService } from './merge-service';

export interface InProcessEngineOptions {
  decodeImage: ImageDecoder;
  /** What `info()` reports: the worker reuses this class and says so. */
  backend?: 'in-process' | 'worker';
  /** Where GPU kernels may run; without one every kernel runs as its CPU twin. */
  gpuDevice?: GpuDeviceProvider;
  /** The model pack edits run with; without one, `openPack` and `runEdit` fail with a clear error. */
  pack?: PackSource;
}

type Report = (stage: ProgressStage, fraction: number, message: string) => void;

export class InProcessEngine implements Engine {
  private readonly jobs = new Map<string, AbortController>();
  private readonly decodeImage: ImageDecoder;
  private readonly backend: 'in-process' | 'worker';
  private readonly merges: MergeService;
  private readonly edits: EditService;
  /** Edits share the pipeline's condition slots, so they run one after another. */
  private editQueue: Promise<unknown> = Promise.resolve();

  constructor(options: InProcessEngineOptions) {
    this.decodeImage = options.decodeImage;
    this.backend = options.backend ?? 'in-process';
    this.merges = new MergeService(options.gpuDevice);
    this.edits = new EditService(options.pack);
  }

  async info(): Promise<EngineInfo> {
    const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu !== undefined;
    return { backend: this.backend, webgpu: gpu };
  }

  importMesh(files: InputFile[], options: JobOptions = {}): Promise<ImportedMesh> {
    return this.job(options.jobId, (signal) => this.runImport(files, signal, reporter(options.onProgress)));
  }

  voxelize(
    mesh: TriangleMesh,
    options: JobOptions & { resolution?: number } = {},
  ): Promise<{ grid: VoxelGrid; stats: VoxelizeStats }> {
    const { resolution = GRID_RESOLUTION } = options;
    return this.job(options.jobId, (signal) =>
      this.runVoxelize(mesh, resolution, signal, reporter(options.onProgress)),
    );
  }

  loadSource(files: InputFile[], options: JobOptions & { resolution?: number } = {}): Promise<LoadedSource> {
    const { resolution = GRID_RESOLUTION } = options;
    const report = reporter(options.onProgress);
    return this.job(options.jobId, async (signal) => {
      const imported = await this.runImport(files, signal, report);
      const { grid, stats } = await this.runVoxelize(imported.mesh, resolution, signal, report);
      return {
        mesh: imported.mesh,
        stats: imported.stats,
        grid,
        voxelStats: stats,
        warnings: imported.warnings,
      };
    });
  }

  voxelMerge(request: MergeRequest): Promise<MergeOutcome> {
    return this.merges.merge(request);
  }

  remerge(options: MergeOptions): Promise<RemergeOutcome> {
    return this.merges.remerge(options);
  }

  openPack(options: { backend?: BackendPreference } = {}): Promise<PackInfo> {
    return this.edits.open(options.backend);
  }

  async renderViews(grid: VoxelGrid, options: { flat?: boolean } = {}): Promise<RenderedView[]> {
    return Array.from({ length: 8 }, (_, view) => renderView(grid, view, options));
  }

  runEdit(request: EditRequest, options: EditJobOptions = {}): Promise<EditResult> {
    const run = this.editQueue.then(() =>
      this.job(options.jobId, (signal) =>
        this.edits.run(request, (merge) => this.merges.merge(merge), {
          signal,
          onProgress: options.onProgress,
          previewEvery: options.previewEvery,
        }),
      ),
    );
    this.editQueue = run.catch(() => undefined);
    return run;
  }

  async surface(grid: VoxelGrid): Promise<TriangleMesh> {
    return extractSurface(grid);
  }

  async exportGlb(grid: VoxelGrid, name = 'flowsmith-edit'): Promise<Uint8Array> {
    return gridGlb(grid, name);
  }

  async exportBundle(request: BundleRequest): Promise<Uint8Array> {
    return zipBundle(await buildBundle(request));
  }

  /** Called when the GPU device was lost: kernels and a webgpu pipeline are rebuilt on the next call. */
  gpuLost(): void {
    this.merges.resetGpu();
    this.edits.gpuLost();
  }

  async cancel(jobId: string): Promise<void> {
    this.jobs.get(jobId)?.abort();
  }

  private async job<T>(jobId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (jobId !== undefined) {
      // A reused id cancels nothing else: the newest job owns the id until it ends.
      this.jobs.set(jobId, controller);
    }
    try {
      return await work(controller.signal);
    } finally {
      if (jobId !== undefined && this.jobs.get(jobId) === controller) this.jobs.delete(jobId);
    }
  }

  private async runImport(files: InputFile[], signal: AbortSignal, report: Report): Promise<ImportedMesh> {
    const started = performance.now();
    const bytes = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
    report('read', 1, `Read ${files.length} file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)})`);
    report('parse', 0, 'Parsing the mesh');
    const raw = await importMeshFiles(files, { decodeImage: this.decodeImage, signal });
    const triangles = raw.mesh.indices.length / 3;
    report('parse', 1, `Parsed ${raw.fileName}: ${triangles.toLocaleString('en-US')} triangles`);
    for (const warning of raw.warnings) report('parse', 1, warning);
    report('normalize', 0, 'Checking and normalizing the mesh');
    const normalized = normalizeMesh(raw.mesh, raw.fileName);
    const mesh = normalized.mesh;
    report('normalize', 1, 'Normalized into the unit cube');
    return {
      mesh,
      warnings: raw.warnings,
      stats: {
        fileName: raw.fileName,
        format: raw.format,
        triangles,
        vertices: mesh.positions.length / 3,
        sourceBounds: normalized.sourceBounds,
        bounds: normalized.bounds,
        scale: normalized.scale,
        offset: normalized.offset,
        hasVertexColors: mesh.colors !== undefined,
        hasTexture: mesh.materials.some((m) => m.texture !== undefined),
        importMs: performance.now() - started,
      },
    };
  }

  private async runVoxelize(
    mesh: TriangleMesh,
    resolution: number,
    signal: AbortSignal,
    report: Report,
  ): Promise<{ grid: VoxelGrid; stats: VoxelizeStats }> {
    const started = performance.now();
    const label = `Voxelizing at ${resolution}³`;
    report('voxelize', 0, label);
    const grid = await voxelize(mesh, {
      resolution,
      signal,
      onProgress: (fraction) => report('voxelize', fraction, label),
    });
    const occupied = countOccupied(grid.occupancy);
    report('voxelize', 1, `${occupied.toLocaleString('en-US')} voxels occupied`);
    return { grid, stats: { resolution, occupied, voxelizeMs: performance.now() - started } };
  }
}

function reporter(onProgress: ProgressCallback | undefined): Report {
  return (stage, fraction, message) => onProgress?.({ stage, fraction, message });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
