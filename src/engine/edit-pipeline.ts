/**
 * One edit, end to end (DESIGN §1): c_src is rendered from the source grid, both views are encoded,
 * the source latent comes from the SS-VAE, the chosen method runs in latent space, the result is
 * decoded and Voxel-Merged into the source, and the new voxels are coloured. Each stage is timed, so
 * the same object serves the studio, the CLI (`flowsmith edit`), the pack's quality report and the
 * GPU bench.
 *
 * Voxel-Merge diffs s_fe against the VAE's reconstruction of s_src, not s_src itself: a VAE that is
 * not exact (ours: IoU 0.976) would otherwise turn its own reconstruction error into "edits" all over
 * the object. The kept components are then applied to the true source, so every voxel outside them is
 * the source's, bit for bit.
 */

import { colorField, colorsFor } from '../core/edit/colorize';
import { type EditSettings, type ResolvedEdit, resolveEditSettings } from '../core/edit/settings';
import { viewFootprint } from '../core/edit/view-gate';
import { throwIfAborted } from '../core/errors';
import {
  anchorFlowOn,
  type FlowOps,
  flowEditOn,
  type RunOptions,
  type StepInfo,
  sampleOn,
  stmOn,
} from '../core/flow';
import { CpuOps } from '../core/flow/cpu-ops';
import { runOn } from '../core/flow/ops';
import type { VoxelGrid } from '../core/grid';
import { renderView } from '../core/render';
import { yieldToEventLoop } from '../core/yield';
import { loadRuntime, type OrtBackend, type OrtRuntime } from '../model/backends/onnx';
import { type ImageEncoder, openImageEncoder } from '../model/image-encoder';
import { type OpenedPack, openPack, type PackReader } from '../model/manifest';
import type { OrtVelocityModel } from '../model/ort-velocity-model';
import { flowModelFromPack } from '../model/pack';
import { openVae, type SparseStructureVae } from '../model/vae';
import type {
  EditProgress,
  EditRequest,
  EditResult,
  EditTimings,
  MergeOutcome,
  MergeRequest,
} from './engine-api';

export interface EditRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EditProgress) => void;
  /** Voxel-Merge (the Engine's MergeService: GPU kernels or CPU twin). */
  merge: (request: MergeRequest) => Promise<MergeOutcome>;
  /** Decode an x̂0 preview every this many steps (0: never). Default 5. */
  previewEvery?: number;
}

export interface PipelineOptions {
  backend?: OrtBackend;
  /** webgpu: keep the flow loop on ORT's device (GPU executor), with no per-step readback. */
  gpuResident?: boolean;
  /** wasm: threads for ORT (ORT's own default is half the cores, one on a 2-core machine). */
  wasmThreads?: number;
}

const REQUIRED = ['ss_encoder', 'ss_decoder', 'image_encoder', 'ss_flow'] as const;

export class EditPipeline {
  private cache: { key: string; xSrc: Float32Array; recon: Uint8Array | null } | null = null;

  private constructor(
    readonly packName: string,
    readonly pack: OpenedPack,
    readonly packHash: string,
    private readonly runtime: OrtRuntime,
    private readonly vae: SparseStructureVae,
    private readonly images: ImageEncoder,
    private readonly model: OrtVelocityModel,
  ) {}

  static async open(
    reader: PackReader,
    packName: string,
    options: PipelineOptions = {},
  ): Promise<EditPipeline> {
    const pack = await openPack(reader, packName, REQUIRED);
    const runtime = await loadRuntime(options.backend, { wasmThreads: options.wasmThreads });
    const vae = await openVae(pack, packName, runtime);
    const images = await openImageEncoder(pack, packName, runtime);
    const model = await flowModelFromPack(pack, packName, {
      runtime,
      gpuResident: options.gpuResident === true && runtime.backend === 'webgpu',
    });
    const hash = pack.manifest.graphs.ss_flow?.sha256 ?? '';
    return new EditPipeline(pack.manifest.name, pack, hash, runtime, vae, images, model);
  }

  get backend(): OrtBackend {
    return this.runtime.backend;
  }

  get sampler() {
    return this.pack.manifest.sampler;
  }

  resolve(settings: EditSettings): ResolvedEdit {
    const s = this.pack.manifest.sampler;
    return resolveEditSettings(settings, {
      steps: s.steps,
      shift: s.shift,
      cfg: s.cfg,
      guidanceInterval: s.guidanceInterval ? [s.guidanceInterval[0], s.guidanceInterval[1]] : undefined,
    });
  }

  async run(request: EditRequest, options: EditRunOptions): Promise<EditResult> {
    const started = performance.now();
    const { signal, onProgress } = options;
    const resolved = this.resolve(request.settings);
    const previewEvery = options.previewEvery ?? 5;
    const total = resolved.method === 'regenerate' ? resolved.T : resolved.nMax;
    const timings: EditTimings = {
      renderMs: 0,
      encodeImagesMs: 0,
      encodeLatentMs: 0,
      stepsMs: [],
      previewMs: 0,
      decodeMs: 0,
      mergeMs: 0,
      colorMs: 0,
      totalMs: 0,
    };
    // Rough shares of a run outside the steps, for the progress bar before any step is timed.
    const report = (progress: Omit<EditProgress, 'fraction' | 'etaMs'>) => {
      const stepShare = 0.8;
      const before = { prepare: 0, encode: 0.05, edit: 0.1, decode: 0.9, merge: 0.95 }[progress.stage];
      const fraction =
        progress.stage === 'edit' ? before + stepShare * (progress.step / Math.max(1, total)) : before;
      const mean = timings.stepsMs.length
        ? timings.stepsMs.reduce((a, b) => a + b, 0) / timings.stepsMs.length
        : null;
      const etaMs = mean === null ? null : mean * (total - progress.step) + timings.encodeLatentMs * 2;
      onProgress?.({ ...progress, fraction: Math.min(1, fraction), etaMs });
    };

    report({ stage: 'prepare', step: 0, total, message: 'Rendering the source view' });
    let t0 = performance.now();
    const sourceView = renderView(request.source, request.view);
    timings.renderMs = performance.now() - t0;
    throwIfAborted(signal, 'edit');

    report({ stage: 'encode', step: 0, total, message: 'Encoding the views and the source' });
    t0 = performance.now();
    const condSrc = await this.images.encode(sourceView, request.view);
    const condTgt = await this.images.encode(request.target, request.view);
    timings.encodeImagesMs = performance.now() - t0;
    throwIfAborted(signal, 'edit');
    t0 = performance.now();
    const cached = await this.sourceLatent(request.source.occupancy, request.reference ?? 'reconstruction');
    const xSrc = cached.xSrc;
    timings.encodeLatentMs = performance.now() - t0;
    throwIfAborted(signal, 'edit');

    this.model.setCondition('src', condSrc);
    this.model.setCondition('tgt', condTgt);
    let stepStarted = performance.now();
    const onStep = async (info: StepInfo) => {
      timings.stepsMs.push(performance.now() - stepStarted);
      let preview: Uint8Array | undefined;
      if (previewEvery > 0 && (info.step % previewEvery === 0 || info.step === 1) && info.step < info.total) {
        const p0 = performance.now();
        preview = await this.vae.decode(await info.preview());
        timings.previewMs += performance.now() - p0;
      }
      report({
        stage: 'edit',
        step: info.step,
        total: info.total,
        message: `${info.method} step ${info.step} of ${info.total}`,
        preview,
      });
      // A macrotask turn per step: in the worker, a cancel arrives as a message, and ORT's run and the
      // loop's own awaits are microtasks that would never let it in.
      await yieldToEventLoop();
      stepStarted = performance.now();
    };
    const runOptions: RunOptions = { signal, onStep };
    report({ stage: 'edit', step: 0, total, message: `Running ${resolved.method}` });
    const xEdit = await this.runMethod(resolved, xSrc, runOptions);

    await yieldToEventLoop();
    throwIfAborted(signal, 'edit');
    report({ stage: 'decode', step: total, total, message: 'Decoding the edited shape' });
    t0 = performance.now();
    const editedOcc = await this.vae.decode(xEdit);
    const recon = cached.recon;
    timings.decodeMs = performance.now() - t0;
    throwIfAborted(signal, 'edit');

    report({ stage: 'merge', step: total, total, message: 'Voxel-Merge' });
    t0 = performance.now();
    const R = request.source.resolution;
    const footprint =
      request.merge.viewGate === false ? null : viewFootprint(R, request.view, sourceView, request.target);
    const merge = await options.merge({
      source: (recon ?? request.source.occupancy).slice(),
      edited: editedOcc.slice(),
      base: recon ? request.source.occupancy.slice() : undefined,
      resolution: R,
      tau: request.merge.tau,
      rule: request.merge.rule,
      footprint: footprint ?? undefined,
    });
    timings.mergeMs = performance.now() - t0;

    t0 = performance.now();
    const field = colorField(request.source, { view: request.view, sourceView, targetView: request.target });
    const edited: VoxelGrid = { resolution: R, occupancy: editedOcc, colors: colorsFor(field, editedOcc) };
    const resultOcc = merge.merged.slice();
    const result: VoxelGrid = { resolution: R, occupancy: resultOcc, colors: colorsFor(field, resultOcc) };
    timings.colorMs = performance.now() - t0;
    timings.totalMs = performance.now() - started;
    return {
      resolved,
      sourceView,
      edited,
      merge,
      result,
      reference: (recon ?? request.source.occupancy).slice(),
      footprint,
      timings,
      backend: this.runtime.backend,
      executor: this.model.gpuDevice ? 'gpu' : 'cpu',
    };
  }

  /**
   * x_src and its decoded reconstruction, kept for the last source: a person runs many edits of one
   * object, and the VAE round trip is the slowest part after the steps.
   */
  private async sourceLatent(
    occupancy: Uint8Array,
    reference: 'reconstruction' | 'source',
  ): Promise<{ xSrc: Float32Array; recon: Uint8Array | null }> {
    const key = gridKey(occupancy);
    let entry = this.cache?.key === key ? this.cache : null;
    if (!entry) {
      entry = { key, xSrc: await this.vae.encode(occupancy), recon: null };
      this.cache = entry;
    }
    if (reference === 'reconstruction' && !entry.recon) entry.recon = await this.vae.decode(entry.xSrc);
    return { xSrc: entry.xSrc, recon: reference === 'reconstruction' ? entry.recon : null };
  }

  /** The latent-space edit on the model's executor: ORT's GPU device when resident, else the CPU. */
  private async runMethod(r: ResolvedEdit, xSrc: Float32Array, options: RunOptions): Promise<Float32Array> {
    const body = <V>(ops: FlowOps<V>) => methodOn(ops, r, ops.upload('x_src', xSrc), options);
    if (this.model.gpuDevice) {
      const { runFlowOnGpu } = await import('../gpu/flow-runner');
      return runFlowOnGpu(this.model, (ops) => body(ops));
    }
    const ops = new CpuOps(this.model);
    return runOn(ops, async (o) => (await o.download(await body(o))).slice());
  }

  async release(): Promise<void> {
    await Promise.all([this.vae.release(), this.images.release(), this.model.release()]);
  }
}

/** FNV-1a over the grid plus its voxel count: tells one source from another without keeping a copy. */
function gridKey(occupancy: Uint8Array): string {
  let h = 0x811c9dc5;
  let count = 0;
  for (let i = 0; i < occupancy.length; i++) {
    const v = occupancy[i];
    count += v;
    if (v !== 0) h = Math.imul(h ^ (i & 0xffffff), 0x01000193) >>> 0;
  }
  return `${occupancy.length}:${count}:${h.toString(16)}`;
}

/** Dispatch on the method; every sampler takes the same executor. */
async function methodOn<V>(ops: FlowOps<V>, r: ResolvedEdit, xSrc: V, options: RunOptions): Promise<V> {
  const common = {
    T: r.T,
    shift: r.shift,
    guidanceInterval: r.guidanceInterval,
    seed: r.seed,
  } as const;
  switch (r.method) {
    case 'flowedit':
      return flowEditOn(
        ops,
        xSrc,
        { ...common, nMax: r.nMax, nAvg: r.nAvg, sSrc: r.sSrc, sTgt: r.sTgt, condSrc: 'src', condTgt: 'tgt' },
        options,
      );
    case 'anchorflow':
      return anchorFlowOn(
        ops,
        xSrc,
        {
          ...common,
          nMax: r.nMax,
          nAvg: r.nAvg,
          sSrc: r.sSrc,
          sTgt: r.sTgt,
          condSrc: 'src',
          condTgt: 'tgt',
          variant: r.variant,
        },
        options,
      );
    case 'stm':
      return stmOn(
        ops,
        xSrc,
        {
          ...common,
          nMax: r.nMax,
          lambda: r.lambda,
          sSrc: r.sSrc,
          sTgt: r.sTgt,
          condSrc: 'src',
          condTgt: 'tgt',
          generator: { kind: 'stochastic' },
        },
        options,
      );
    case 'regenerate':
      return (await sampleOn(ops, { ...common, cond: 'tgt', scale: r.sTgt, lambda: r.lambda }, options)).x;
  }
}
