/**
 * Voxel-Merge for the Engine: the WGSL kernels when a GPU device is offered, the CPU twin otherwise
 * (Node, no WebGPU, or a kernel that refused the input). It keeps the last merge's labelling, so a
 * new τ re-merges without labelling again (the studio's τ slider).
 */
import { FlowsmithError } from '../core/errors';
import {
  type ComponentTable,
  remerge as cpuRemerge,
  voxelMerge as cpuVoxelMerge,
  type Labelling,
  type MergeOptions,
} from '../core/merge';
import type { GpuVoxelMerge } from '../gpu/merge-kernels';
import type { MergeBackend, MergeOutcome, MergeRequest, RemergeOutcome } from './engine-api';

/** Supplies the device to run kernels on, or null where there is none; called lazily, once per loss. */
export type GpuDeviceProvider = () => Promise<GPUDevice | null>;

interface LastMerge {
  source: Uint8Array;
  /** With a base: merged = mask ? edited : base. */
  rebase: { base: Uint8Array; edited: Uint8Array } | null;
  backend: MergeBackend;
  labelling: Labelling | null;
}

export class MergeService {
  private gpu: GpuVoxelMerge | null = null;
  private gpuFailed = false;
  private last: LastMerge | null = null;

  constructor(private readonly deviceProvider?: GpuDeviceProvider) {}

  async merge(request: MergeRequest): Promise<MergeOutcome> {
    const started = performance.now();
    const options: MergeOptions = { tau: request.tau, rule: request.rule, footprint: request.footprint };
    const rebase = request.base ? { base: request.base.slice(), edited: request.edited.slice() } : null;
    const kernels = await this.kernelsFor(request.resolution);
    if (kernels) {
      try {
        const result = await kernels.merge(request.source, request.edited, options);
        this.last = { source: request.source.slice(), rebase, backend: 'webgpu', labelling: null };
        return {
          ...pick(result, rebase),
          components: copyTable(result.components),
          histogram: result.histogram,
          backend: 'webgpu',
          ms: performance.now() - started,
        };
      } catch (error) {
        // Typed input errors are the person's to fix; anything else is the GPU's, so use the CPU.
        if (error instanceof FlowsmithError && error.code !== 'internal') throw error;
        this.dropKernels();
      }
    }
    const result = cpuVoxelMerge(request.source, request.edited, request.resolution, options);
    this.last = { source: request.source.slice(), rebase, backend: 'cpu', labelling: result };
    return {
      ...pick(result, rebase),
      components: copyTable(result.components),
      histogram: result.histogram,
      backend: 'cpu',
      ms: performance.now() - started,
    };
  }

  /** Mask and merged grid for a new τ or rule, from the last merge's components. */
  async remerge(options: MergeOptions): Promise<RemergeOutcome> {
    const last = this.last;
    if (!last) {
      throw new FlowsmithError(
        'invalid-argument',
        'There is no merge to adjust yet.',
        'Run an edit first; τ applies to its result.',
      );
    }
    const started = performance.now();
    if (last.backend === 'webgpu' && this.gpu) {
      const result = await this.gpu.remerge(options);
      return { ...pick(result, last.rebase), backend: 'webgpu', ms: performance.now() - started };
    }
    if (!last.labelling) {
      throw new FlowsmithError('internal', 'The GPU merge state was lost.', 'Run the merge again.');
    }
    const result = cpuRemerge(last.labelling, last.source, options);
    return { ...pick(result, last.rebase), backend: 'cpu', ms: performance.now() - started };
  }

  /** After a lost device: the next merge asks the provider again. */
  resetGpu(): void {
    this.dropKernels();
    this.gpuFailed = false;
    if (this.last?.backend === 'webgpu') this.last = null;
  }

  private async kernelsFor(resolution: number): Promise<GpuVoxelMerge | null> {
    if (!this.deviceProvider || this.gpuFailed) return null;
    if (this.gpu && this.gpu.resolution === resolution) return this.gpu;
    this.dropKernels();
    try {
      const device = await this.deviceProvider();
      if (!device) {
        this.gpuFailed = true;
        return null;
      }
      // Loaded only here: the kernels import WGSL through the bundler, which Node (the CLI) lacks.
      const { GpuVoxelMerge } = await import('../gpu/merge-kernels');
      this.gpu = await GpuVoxelMerge.create(device, resolution);
      return this.gpu;
    } catch {
      this.gpuFailed = true;
      return null;
    }
  }

  private dropKernels(): void {
    this.gpu?.destroy();
    this.gpu = null;
  }
}

function pick(
  result: Pick<MergeOutcome, 'mask' | 'merged' | 'kept' | 'tau' | 'rule' | 'voxelsChanged'>,
  rebase: LastMerge['rebase'],
) {
  const { mask, kept, tau, rule } = result;
  let { merged, voxelsChanged } = result;
  if (rebase) {
    merged = new Uint8Array(mask.length);
    voxelsChanged = 0;
    for (let i = 0; i < mask.length; i++) {
      merged[i] = mask[i] ? rebase.edited[i] : rebase.base[i];
      voxelsChanged += merged[i] !== rebase.base[i] ? 1 : 0;
    }
  }
  return { mask, merged, kept, tau, rule, voxelsChanged };
}

/**
 * The caller gets its own table: the worker transfers results to the page, and a transferred
 * array would leave the table that re-merging reads from detached.
 */
function copyTable(table: ComponentTable): ComponentTable {
  return {
    count: table.count,
    label: table.label.slice(),
    size: table.size.slice(),
    added: table.added.slice(),
    removed: table.removed.slice(),
    bbox: table.bbox.slice(),
  };
}
