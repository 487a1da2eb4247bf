/**
 * The Engine's hold on the model pack: it opens the pack once (hashes checked, sessions created),
 * picks the ONNX Runtime backend, and runs edits through one EditPipeline. A lost GPU device drops the
 * pipeline, and the next edit opens it again.
 */
import { FlowsmithError } from '../core/errors';
import type { OrtBackend } from '../model/backends/onnx';
import type { PackReader } from '../model/manifest';
import { EditPipeline } from './edit-pipeline';
import type {
  EditProgress,
  EditRequest,
  EditResult,
  MergeOutcome,
  MergeRequest,
  PackInfo,
} from './engine-api';

export type BackendPreference = 'auto' | OrtBackend;

export interface PackSource {
  name: string;
  reader: PackReader;
  /**
   * Resolves 'auto' to a backend and says why it is not the GPU when it is not. In Node it is 'node';
   * in the worker, webgpu on a hardware adapter, wasm without one or on a software adapter.
   */
  chooseBackend(preference: BackendPreference): Promise<{ backend: OrtBackend; notice: string | null }>;
}

export class EditService {
  private pipeline: Promise<{ pipeline: EditPipeline; info: PackInfo }> | null = null;
  private preference: BackendPreference = 'auto';

  constructor(private readonly source: PackSource | undefined) {}

  open(preference?: BackendPreference): Promise<PackInfo> {
    if (preference !== undefined && preference !== this.preference) {
      this.preference = preference;
      void this.drop();
    }
    return this.ensure().then((p) => p.info);
  }

  async run(
    request: EditRequest,
    merge: (request: MergeRequest) => Promise<MergeOutcome>,
    options: { signal: AbortSignal; onProgress?: (p: EditProgress) => void; previewEvery?: number },
  ): Promise<EditResult> {
    const { pipeline } = await this.ensure();
    return pipeline.run(request, { ...options, merge });
  }

  /** After a lost device: a webgpu pipeline is reopened on the next call. */
  gpuLost(): void {
    void this.pipeline?.then((p) => {
      if (p.info.backend === 'webgpu') void this.drop();
    });
  }

  private ensure(): Promise<{ pipeline: EditPipeline; info: PackInfo }> {
    if (!this.source) {
      return Promise.reject(
        new FlowsmithError(
          'invalid-argument',
          'This engine was created without a model pack.',
          'Create the engine with a pack source (the studio and the CLI do).',
        ),
      );
    }
    const source = this.source;
    this.pipeline ??= (async () => {
      const started = performance.now();
      const { backend, notice } = await source.chooseBackend(this.preference);
      // Threaded wasm needs a cross-origin-isolated page (the studio is); use every core for the model.
      const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
      const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
      const pipeline = await EditPipeline.open(source.reader, source.name, {
        backend,
        gpuResident: backend === 'webgpu',
        wasmThreads: backend === 'wasm' && isolated && cores ? cores : undefined,
      });
      const s = pipeline.sampler;
      const info: PackInfo = {
        name: pipeline.packName,
        description: pipeline.pack.manifest.description ?? '',
        hash: pipeline.packHash,
        backend: pipeline.backend,
        notice,
        sampler: { steps: s.steps, shift: s.shift, cfg: s.cfg, guidanceInterval: s.guidanceInterval },
        openMs: performance.now() - started,
      };
      return { pipeline, info };
    })();
    this.pipeline.catch(() => {
      this.pipeline = null;
    });
    return this.pipeline;
  }

  private async drop(): Promise<void> {
    const current = this.pipeline;
    this.pipeline = null;
    try {
      await (await current)?.pipeline.release();
    } catch {
      // A pipeline that failed to open or whose device is gone has nothing left to release.
    }
  }
}
