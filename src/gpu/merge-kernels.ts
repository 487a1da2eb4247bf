/**
 * Voxel-Merge and Slat-Merge on WebGPU (DESIGN §4, §6): the WGSL kernels of shaders/merge.wgsl and
 * shaders/slat-merge.wgsl, run on one GPUDevice for one grid resolution. Outputs equal the CPU twin
 * (src/core/merge) bit for bit: labels, component table in the same id order, mask, merged grid.
 *
 * One merge is one compute pass (xor + labels + ids + stats + τ + mask + merge) and one readback
 * (a second when the component table outgrows the rows read speculatively with the first).
 * The host loops that pass while the verify kernel reports two adjacent voxels with different labels
 * (never, so far: the union is complete in one pass; the loop, not a count, is the guarantee).
 *
 * Choices, and why:
 * - Grids travel packed four voxels to a u32, i.e. the Uint8Array's own bytes: no conversion on
 *   upload or readback, a quarter of the traffic of one voxel per u32, and the per-word kernels
 *   write whole words, so no two invocations share one.
 * - Compact ids come from a GPU scan over root flags (roots are labels[i] === i), so they ascend with
 *   the canonical label exactly as the twin's assignIds numbers them: no host sort, deterministic,
 *   and the table is read back in its final order.
 * - τ is applied on the GPU as "keep iff size ≥ K" with K derived exactly from τ on the host (for the
 *   adaptive rule, K is picked on the GPU from 32 exact candidates once the largest size is known),
 *   so the first merge needs no round trip between labelling and mask. The host then recomputes
 *   the selection with filter.ts' own rules and checks it chose the same threshold.
 * - A re-merge for a new τ or rule uploads filter.ts' keep bytes and runs the mask kernel alone:
 *   no relabelling.
 */
import mergeCode from '../../shaders/merge.wgsl?raw';
import slatCode from '../../shaders/slat-merge.wgsl?raw';
import { FlowsmithError, InvalidArgumentError, InvalidGridError } from '../core/errors';
import {
  type ComponentTable,
  checkGridPair,
  checkResolution,
  checkTau,
  componentsInFootprintByLabel,
  type MergeOptions,
  type Remerged,
  type Selection,
  type SizeHistogram,
  selectComponents,
  sizeHistogram,
  type TauRule,
} from '../core/merge';
import { checkFeatures } from '../core/merge/validate';
import { readBuffer, uploadStorage } from './buffers';

const WG = 256;
/** u32s per table row: label, size, removed, min x, min y, max x, max y, max z. */
const ROW = 8;
const HEADER = { changed: 0, count: 1, largest: 2, min: 3, step: 4, words: 8 } as const;
const ADAPTIVE_CANDIDATES = 32;
/** Unions are complete in one pass; a labelling still unsettled after this many is a bug, not a slow case. */
const MAX_PASSES = 32;
const MAX_WORKGROUPS = 65535;
/** Rows of the component table read with the first readback; more take a second one. */
const TABLE_PREFETCH = 4096;
const TABLE_PREFETCH_MAX = 1 << 20;

type Kernel =
  | 'init'
  | 'uniteNeighbours'
  | 'flatten'
  | 'verify'
  | 'scanBlocks'
  | 'assignIds'
  | 'stats'
  | 'largest'
  | 'keep'
  | 'maskMerge';

type BufferName =
  | 'params'
  | 'src'
  | 'edited'
  | 'diff'
  | 'labels'
  | 'ids'
  | 'table'
  | 'header'
  | 'blocks'
  | 'keep'
  | 'mask'
  | 'merged'
  | 'args';

/** Binding number of each buffer in merge.wgsl. */
const BINDING: Record<BufferName, number> = {
  params: 0,
  src: 1,
  edited: 2,
  diff: 3,
  labels: 4,
  ids: 5,
  table: 6,
  header: 7,
  blocks: 8,
  keep: 9,
  mask: 10,
  merged: 11,
  args: 12,
};

/** What each entry point uses (its 'auto' layout holds exactly these). */
const USES: Record<Kernel, BufferName[]> = {
  init: ['params', 'src', 'edited', 'diff', 'labels'],
  uniteNeighbours: ['params', 'diff', 'labels'],
  flatten: ['params', 'diff', 'labels', 'blocks'],
  verify: ['params', 'diff', 'labels', 'header'],
  scanBlocks: ['params', 'header', 'blocks', 'args'],
  assignIds: ['params', 'diff', 'labels', 'ids', 'table', 'blocks'],
  stats: ['params', 'src', 'diff', 'labels', 'ids', 'table'],
  largest: ['params', 'table', 'header'],
  keep: ['params', 'table', 'header', 'keep'],
  maskMerge: ['params', 'src', 'diff', 'labels', 'ids', 'keep', 'mask', 'merged'],
};

const KERNELS = Object.keys(USES) as Kernel[];

export interface GpuMergeOptions extends MergeOptions {
  /** Also read back the canonical labels (R³ × 4 bytes; -1 = background). */
  readLabels?: boolean;
  /** Also read back the XOR diff map. */
  readDiff?: boolean;
  /** Timestamp writes for the merge's compute pass (the benchmarks time the whole merge with them). */
  timestampWrites?: GPUComputePassTimestampWrites;
  /** Testing only: leave out the union kernel from this many first passes, to exercise the loop. */
  skipUnionPasses?: number;
}

export interface GpuMergeResult extends Remerged {
  resolution: number;
  /** Same table, same id order as the CPU twin's `components`. */
  components: ComponentTable;
  histogram: SizeHistogram;
  /** Union + flatten + verify passes it took until no two adjacent voxels disagreed. */
  passes: number;
  labels?: Int32Array;
  diff?: Uint8Array;
}

interface Region {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

/** The τ rule as integer thresholds for the keep kernel (see merge.wgsl's `threshold`). */
interface Thresholds {
  fixedMin: number;
  /** τ / 2^(k0 + j), halved step by step exactly as filter.ts' effectiveTau halves. */
  adaptiveTau: number[];
  adaptiveMin: Uint32Array;
}

const align4 = (bytes: number) => Math.ceil(bytes / 4) * 4;

/**
 * Integer forms of both rules. Sizes are integers, so size ≥ τ ⟺ size ≥ ⌈τ⌉ and size > t ⟺
 * size ≥ ⌊t⌋ + 1. For the adaptive rule the first k with largest > τ/2^k is the one to use;
 * halvings while τ/2^k ≥ 2^25 can never be it (no grid has 2^25 voxels), so 32 candidates from
 * there on reach ⌊t⌋ + 1 = 1 and cover every case.
 */
function thresholds(tau: number): Thresholds {
  const cap = 0xffffffff;
  const fixedMin = Math.min(cap, Math.ceil(tau));
  let t = tau;
  while (t >= 2 ** 25) t /= 2;
  const adaptiveTau: number[] = [];
  const adaptiveMin = new Uint32Array(ADAPTIVE_CANDIDATES);
  for (let j = 0; j < ADAPTIVE_CANDIDATES; j++) {
    adaptiveTau.push(t);
    adaptiveMin[j] = Math.floor(t) + 1;
    t /= 2;
  }
  return { fixedMin, adaptiveTau, adaptiveMin };
}

/** Splits a workgroup count over two dimensions when it exceeds the per-dimension limit. */
function dispatch(pass: GPUComputePassEncoder, groups: number): void {
  if (groups <= MAX_WORKGROUPS) {
    pass.dispatchWorkgroups(groups);
    return;
  }
  const y = Math.ceil(groups / MAX_WORKGROUPS);
  pass.dispatchWorkgroups(Math.ceil(groups / y), y);
}

function internalError(message: string): FlowsmithError {
  return new FlowsmithError(
    'internal',
    `GPU Voxel-Merge: ${message}`,
    'This is a bug in Flowsmith; the CPU path (voxelMerge) gives the right result meanwhile.',
  );
}

/** Voxel-Merge and Slat-Merge kernels, pipelines and buffers for one device and one resolution. */
export class GpuVoxelMerge {
  readonly device: GPUDevice;
  readonly resolution: number;
  readonly voxels: number;
  /** Component rows the table can hold: ⌈R³/2⌉ (the most a 6-connected grid can have), or less where the device's buffer limits say so. */
  readonly capacity: number;
  private readonly words: number;
  private readonly chunks: number;
  private readonly buffers: Record<BufferName, GPUBuffer>;
  private readonly pipelines: Record<Kernel, GPUComputePipeline>;
  private readonly bindGroups: Record<Kernel, GPUBindGroup>;
  private readonly slatPipeline: GPUComputePipeline;
  private readonly slatParams: GPUBuffer;
  private tablePrefetch = TABLE_PREFETCH;
  /** Components of the last merge (what a re-merge selects from); null before the first. */
  private table: ComponentTable | null = null;
  /** The last merge's labels on the host, once the view gate needed them. */
  private labelsRead: Int32Array | null = null;
  private destroyed = false;

  private constructor(
    device: GPUDevice,
    resolution: number,
    pipelines: Record<Kernel, GPUComputePipeline>,
    slatPipeline: GPUComputePipeline,
  ) {
    this.device = device;
    this.resolution = resolution;
    this.voxels = resolution ** 3;
    this.words = Math.ceil(this.voxels / 4);
    this.chunks = Math.ceil(this.words / WG);
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    this.capacity = Math.max(1, Math.min(Math.ceil(this.voxels / 2), Math.floor(limit / (ROW * 4))));
    if (this.words * 16 > limit) {
      throw new InvalidGridError(
        `This GPU's storage buffers hold ${limit} bytes; a ${resolution}³ label grid needs ${this.words * 16}.`,
        'Use a smaller grid, or the CPU merge (voxelMerge).',
      );
    }
    this.pipelines = pipelines;
    this.slatPipeline = slatPipeline;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const make = (label: string, size: number, usage = storage) =>
      device.createBuffer({ label: `merge.${label}`, size: Math.max(4, align4(size)), usage });
    const gridBytes = this.words * 4;
    this.buffers = {
      params: make('params', 160, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST),
      src: make('src', gridBytes),
      edited: make('edited', gridBytes),
      diff: make('diff', gridBytes),
      labels: make('labels', this.words * 16),
      ids: make('ids', this.words * 16),
      table: make('table', this.capacity * ROW * 4),
      header: make('header', HEADER.words * 4),
      blocks: make('blocks', this.chunks * 4),
      keep: make('keep', Math.ceil(this.capacity / 4) * 4),
      mask: make('mask', gridBytes),
      merged: make('merged', gridBytes),
      args: make('args', 8 * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.INDIRECT | GPUBufferUsage.COPY_DST),
    };
    this.slatParams = make('slat-params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const groups = {} as Record<Kernel, GPUBindGroup>;
    for (const kernel of KERNELS) {
      groups[kernel] = device.createBindGroup({
        label: `merge.${kernel}`,
        layout: pipelines[kernel].getBindGroupLayout(0),
        entries: USES[kernel].map((name) => ({
          binding: BINDING[name],
          resource: { buffer: this.buffers[name] },
        })),
      });
    }
    this.bindGroups = groups;
  }

  /** Compiles the kernels and allocates the buffers for `resolution`³ grids on `device`. */
  static async create(device: GPUDevice, resolution: number): Promise<GpuVoxelMerge> {
    checkResolution(resolution);
    const module = device.createShaderModule({ label: 'merge.wgsl', code: mergeCode });
    const slatModule = device.createShaderModule({ label: 'slat-merge.wgsl', code: slatCode });
    const compiled = await Promise.all(
      KERNELS.map((entryPoint) =>
        device.createComputePipelineAsync({
          label: `merge.${entryPoint}`,
          layout: 'auto',
          compute: { module, entryPoint },
        }),
      ),
    );
    const pipelines = Object.fromEntries(KERNELS.map((k, n) => [k, compiled[n]])) as Record<
      Kernel,
      GPUComputePipeline
    >;
    const slatPipeline = await device.createComputePipelineAsync({
      label: 'slat-merge',
      layout: 'auto',
      compute: { module: slatModule, entryPoint: 'slatMerge' },
    });
    // Bind groups report mistakes asynchronously; surface them here rather than as wrong results.
    device.pushErrorScope('validation');
    const merger = new GpuVoxelMerge(device, resolution, pipelines, slatPipeline);
    const error = await device.popErrorScope();
    if (error) {
      merger.destroy();
      throw internalError(`setting up the kernels failed: ${error.message}`);
    }
    return merger;
  }

  /**
   * s_tgt = s_src ⊕ m for m = the components of s_src ⊕ edited that pass τ. Same inputs, checks
   * and outputs as the CPU twin's `voxelMerge`.
   */
  async merge(src: Uint8Array, edited: Uint8Array, options: GpuMergeOptions): Promise<GpuMergeResult> {
    this.checkAlive();
    checkGridPair(src, edited, this.resolution);
    checkTau(options.tau, options.rule);
    this.checkFootprint(options.footprint);
    this.labelsRead = null;
    const rule: TauRule = options.rule;
    const rules = thresholds(options.tau);
    this.writeParams(rule, rules);
    this.writeGrid(this.buffers.src, src);
    this.writeGrid(this.buffers.edited, edited);
    const b = this.buffers;
    const n = this.voxels;
    const gridBytes = this.words * 4;
    const prefetch = Math.min(this.capacity, this.tablePrefetch);

    let passes = 0;
    let read: ArrayBuffer[];
    let head: Uint32Array;
    for (;;) {
      passes++;
      if (passes > MAX_PASSES) {
        throw internalError(`labels still differ across ${MAX_PASSES} union passes.`);
      }
      const encoder = this.device.createCommandEncoder({ label: 'merge' });
      encoder.clearBuffer(b.header);
      const pass = encoder.beginComputePass(
        passes === 1 && options.timestampWrites ? { timestampWrites: options.timestampWrites } : {},
      );
      if (passes === 1) this.run(pass, 'init', this.chunks);
      if (passes > (options.skipUnionPasses ?? 0)) this.run(pass, 'uniteNeighbours', this.chunks);
      this.run(pass, 'flatten', this.chunks);
      this.run(pass, 'verify', this.chunks);
      this.run(pass, 'scanBlocks', 1);
      this.run(pass, 'assignIds', this.chunks);
      this.run(pass, 'stats', this.chunks);
      this.runIndirect(pass, 'largest', 0);
      this.runIndirect(pass, 'keep', 12);
      this.run(pass, 'maskMerge', this.chunks);
      pass.end();
      const regions: Region[] = [
        { buffer: b.header, offset: 0, size: HEADER.words * 4 },
        { buffer: b.mask, offset: 0, size: gridBytes },
        { buffer: b.merged, offset: 0, size: gridBytes },
        { buffer: b.table, offset: 0, size: prefetch * ROW * 4 },
      ];
      const readLabels = options.readLabels || options.footprint !== undefined;
      if (readLabels) regions.push({ buffer: b.labels, offset: 0, size: n * 4 });
      if (options.readDiff) regions.push({ buffer: b.diff, offset: 0, size: gridBytes });
      read = await this.submitAndRead(encoder, regions);
      head = new Uint32Array(read[0]);
      if (head[HEADER.changed] === 0) break;
    }

    const count = head[HEADER.count];
    if (count > this.capacity) {
      this.table = null;
      throw new InvalidGridError(
        `The difference has ${count} separate components; this GPU's buffers hold ${this.capacity}.`,
        'Use the CPU merge (voxelMerge) for this grid, or a GPU with larger storage buffers.',
      );
    }
    let rows = new Uint32Array(read[3], 0, Math.min(count, prefetch) * ROW);
    if (count > prefetch) {
      const all = new Uint32Array(count * ROW);
      all.set(rows);
      const [rest] = await this.submitAndRead(this.device.createCommandEncoder(), [
        { buffer: b.table, offset: prefetch * ROW * 4, size: (count - prefetch) * ROW * 4 },
      ]);
      all.set(new Uint32Array(rest), prefetch * ROW);
      rows = all;
    }
    this.tablePrefetch = Math.min(TABLE_PREFETCH_MAX, Math.max(TABLE_PREFETCH, count));
    const components = this.tableFrom(rows, count);
    this.table = components;
    let selection = selectComponents(components, options.tau, rule);
    this.checkThreshold(head, selection, rule, rules);
    let extra = 4;
    const labels = options.readLabels || options.footprint ? new Int32Array(read[extra++], 0, n) : undefined;
    let mask: Uint8Array = new Uint8Array(read[1], 0, n);
    let merged: Uint8Array = new Uint8Array(read[2], 0, n);
    if (options.footprint && labels) {
      // The keep kernel applied τ alone; the gate is a host-side selection and one mask pass more.
      this.labelsRead = labels.slice();
      const allowed = componentsInFootprintByLabel(labels, components, options.footprint);
      const gated = selectComponents(components, options.tau, rule, undefined, allowed);
      const same =
        gated.kept.length === selection.kept.length && gated.kept.every((c, k) => c === selection.kept[k]);
      if (!same) ({ mask, merged } = await this.applyKeep(gated.keep));
      selection = gated;
    }

    const result: GpuMergeResult = {
      resolution: this.resolution,
      mask,
      merged,
      kept: selection.kept,
      tau: selection.tau,
      rule,
      voxelsChanged: selection.voxelsChanged,
      components,
      histogram: sizeHistogram(components, n),
      passes,
    };
    if (options.readLabels) result.labels = labels;
    if (options.readDiff) result.diff = new Uint8Array(read[extra++], 0, n);
    return result;
  }

  /**
   * The mask and merged grid for a new τ or rule from the last merge's components, without
   * labelling again: filter.ts selects on the host, the mask kernel applies it.
   */
  async remerge(
    options: MergeOptions & { timestampWrites?: GPUComputePassTimestampWrites },
  ): Promise<Remerged> {
    const table = this.requireTable();
    let allowed: Uint8Array | undefined;
    if (options.footprint) {
      this.checkFootprint(options.footprint);
      this.labelsRead ??= await this.readLabels();
      allowed = componentsInFootprintByLabel(this.labelsRead, table, options.footprint);
    }
    const selection = selectComponents(table, options.tau, options.rule, undefined, allowed);
    const { mask, merged } = await this.applyKeep(selection.keep, options.timestampWrites);
    return {
      mask,
      merged,
      kept: selection.kept,
      tau: selection.tau,
      rule: options.rule,
      voxelsChanged: selection.voxelsChanged,
    };
  }

  /**
   * Mask and merged grid for any choice of components (keep[id] = 1 keeps it), e.g. one the person
   * toggled by hand in the component list.
   */
  async applyKeep(
    keep: Uint8Array,
    timestampWrites?: GPUComputePassTimestampWrites,
  ): Promise<{ mask: Uint8Array; merged: Uint8Array }> {
    const table = this.requireTable();
    if (keep.length !== table.count) {
      throw new InvalidArgumentError(
        `The keep list has ${keep.length} entries; the last merge has ${table.count} components.`,
        'Pass one byte (0 or 1) per component id.',
      );
    }
    if (keep.length > 0) {
      const padded = new Uint8Array(align4(keep.length));
      padded.set(keep);
      this.device.queue.writeBuffer(this.buffers.keep, 0, padded);
    }
    const encoder = this.device.createCommandEncoder({ label: 'remerge' });
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : {});
    this.run(pass, 'maskMerge', this.chunks);
    pass.end();
    const bytes = this.words * 4;
    const [mask, merged] = await this.submitAndRead(encoder, [
      { buffer: this.buffers.mask, offset: 0, size: bytes },
      { buffer: this.buffers.merged, offset: 0, size: bytes },
    ]);
    return { mask: new Uint8Array(mask, 0, this.voxels), merged: new Uint8Array(merged, 0, this.voxels) };
  }

  /** Canonical labels of the last merge (-1 = background), read on demand. */
  async readLabels(): Promise<Int32Array> {
    this.requireTable();
    return new Int32Array(await readBuffer(this.device, this.buffers.labels, this.voxels * 4));
  }

  /** XOR diff of the last merge, read on demand. */
  async readDiff(): Promise<Uint8Array> {
    this.requireTable();
    return new Uint8Array(await readBuffer(this.device, this.buffers.diff, this.voxels));
  }

  /** The merged grid of the last merge or re-merge, on the GPU (4 voxels per u32) for later kernels. */
  get mergedBuffer(): GPUBuffer {
    return this.buffers.merged;
  }

  /** The mask of the last merge or re-merge, on the GPU (4 voxels per u32). */
  get maskBuffer(): GPUBuffer {
    return this.buffers.mask;
  }

  /**
   * Slat-Merge with the current mask: per voxel, the source's C features where the voxel is in
   * s_src and outside m, the target's elsewhere (channel-last, feature[i·C + c]). Bit-exact copies.
   */
  async slatMerge(featSrc: Float32Array, featTgt: Float32Array, channels: number): Promise<Float32Array> {
    this.requireTable();
    checkFeatures(featSrc, this.voxels, channels, 'source');
    checkFeatures(featTgt, this.voxels, channels, 'target');
    this.checkFeatureSize(channels);
    const a = uploadStorage(this.device, featSrc, 0, 'slat.src');
    const t = uploadStorage(this.device, featTgt, 0, 'slat.tgt');
    const out = this.device.createBuffer({
      label: 'slat.out',
      size: featTgt.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    try {
      this.slatMergeOnGpu(a, t, channels, out);
      return new Float32Array(await readBuffer(this.device, out, featTgt.byteLength));
    } finally {
      a.destroy();
      t.destroy();
      out.destroy();
    }
  }

  /** Slat-Merge between buffers already on the GPU (e.g. onnxruntime-web's outputs); no readback. */
  slatMergeOnGpu(featSrc: GPUBuffer, featTgt: GPUBuffer, channels: number, out: GPUBuffer): void {
    this.requireTable();
    this.checkFeatureSize(channels);
    const total = this.voxels * channels;
    const bytes = total * 4;
    if (featSrc.size < bytes || featTgt.size < bytes || out.size < bytes) {
      throw new InvalidGridError(
        `Slat-Merge buffers must hold ${bytes} bytes (${this.voxels} voxels × ${channels} channels of f32).`,
        'Features are stored channel-last: feature[i·C + c] for voxel i and channel c.',
      );
    }
    this.device.queue.writeBuffer(this.slatParams, 0, new Uint32Array([channels, total, 0, 0]));
    const bind = this.device.createBindGroup({
      label: 'slat-merge',
      layout: this.slatPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.slatParams } },
        { binding: 1, resource: { buffer: this.buffers.src } },
        { binding: 2, resource: { buffer: this.buffers.mask } },
        { binding: 3, resource: { buffer: featSrc, size: bytes } },
        { binding: 4, resource: { buffer: featTgt, size: bytes } },
        { binding: 5, resource: { buffer: out, size: bytes } },
      ],
    });
    const encoder = this.device.createCommandEncoder({ label: 'slat-merge' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.slatPipeline);
    pass.setBindGroup(0, bind);
    dispatch(pass, Math.ceil(total / WG));
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const buffer of Object.values(this.buffers)) buffer.destroy();
    this.slatParams.destroy();
    this.table = null;
  }

  private run(pass: GPUComputePassEncoder, kernel: Kernel, groups: number): void {
    pass.setPipeline(this.pipelines[kernel]);
    pass.setBindGroup(0, this.bindGroups[kernel]);
    dispatch(pass, groups);
  }

  private runIndirect(pass: GPUComputePassEncoder, kernel: Kernel, offset: number): void {
    pass.setPipeline(this.pipelines[kernel]);
    pass.setBindGroup(0, this.bindGroups[kernel]);
    pass.dispatchWorkgroupsIndirect(this.buffers.args, offset);
  }

  private writeParams(rule: TauRule, rules: Thresholds): void {
    const p = new Uint32Array(40);
    p.set([
      this.resolution,
      this.resolution ** 2,
      this.words,
      this.chunks,
      this.capacity,
      rule === 'fixed' ? 0 : 1,
      rules.fixedMin,
      0,
    ]);
    p.set(rules.adaptiveMin, 8);
    this.device.queue.writeBuffer(this.buffers.params, 0, p);
  }

  /** Uploads a byte grid into a word buffer; writeBuffer wants whole words, so a ragged tail is padded. */
  private writeGrid(buffer: GPUBuffer, grid: Uint8Array): void {
    const whole = grid.length & ~3;
    // The checks accept any Uint8Array; writeBuffer's typing wants a plain ArrayBuffer behind it.
    if (whole > 0) this.device.queue.writeBuffer(buffer, 0, grid as Uint8Array<ArrayBuffer>, 0, whole);
    if (whole < grid.length) {
      const tail = new Uint8Array(4);
      tail.set(grid.subarray(whole));
      this.device.queue.writeBuffer(buffer, whole, tail);
    }
  }

  /** Copies the regions into one staging buffer, submits, maps once. */
  private async submitAndRead(encoder: GPUCommandEncoder, regions: Region[]): Promise<ArrayBuffer[]> {
    const at: number[] = [];
    let total = 0;
    for (const r of regions) {
      at.push(total);
      total += align4(r.size);
    }
    const staging = this.device.createBuffer({
      label: 'merge.staging',
      size: Math.max(4, total),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    regions.forEach((r, k) => {
      if (r.size > 0) encoder.copyBufferToBuffer(r.buffer, r.offset, staging, at[k], align4(r.size));
    });
    this.device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const mapped = staging.getMappedRange();
      return regions.map((r, k) => mapped.slice(at[k], at[k] + r.size));
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      staging.destroy();
    }
  }

  /** Table rows (stride 8) → the twin's ComponentTable; min z is the label's z. */
  private tableFrom(rows: Uint32Array, count: number): ComponentTable {
    const plane = this.resolution ** 2;
    const label = new Int32Array(count);
    const size = new Int32Array(count);
    const added = new Int32Array(count);
    const removed = new Int32Array(count);
    const bbox = new Uint16Array(6 * count);
    for (let c = 0, r = 0, o = 0; c < count; c++, r += ROW, o += 6) {
      const l = rows[r];
      label[c] = l;
      size[c] = rows[r + 1];
      removed[c] = rows[r + 2];
      added[c] = rows[r + 1] - rows[r + 2];
      bbox[o] = rows[r + 3];
      bbox[o + 1] = rows[r + 4];
      bbox[o + 2] = Math.floor(l / plane);
      bbox[o + 3] = rows[r + 5];
      bbox[o + 4] = rows[r + 6];
      bbox[o + 5] = rows[r + 7];
    }
    return { count, label, size, added, removed, bbox };
  }

  /** The GPU's threshold must be the one filter.ts' rules give for this table. */
  private checkThreshold(head: Uint32Array, selection: Selection, rule: TauRule, rules: Thresholds): void {
    if (head[HEADER.count] === 0) return;
    const k = head[HEADER.min];
    const step = head[HEADER.step];
    const expected =
      rule === 'fixed'
        ? { min: rules.fixedMin, tau: selection.tau }
        : { min: rules.adaptiveMin[step], tau: rules.adaptiveTau[step] };
    if (k !== expected.min || expected.tau !== selection.tau) {
      throw internalError(
        `the mask kernel kept sizes ≥ ${k} (τ_eff ${expected.tau}) where the ${rule} rule gives τ_eff ${selection.tau}.`,
      );
    }
  }

  private checkFeatureSize(channels: number): void {
    const bytes = this.voxels * channels * 4;
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (bytes > limit) {
      throw new InvalidGridError(
        `${this.resolution}³ voxels × ${channels} channels of f32 are ${bytes} bytes; this GPU binds at most ${limit}.`,
        'Run Slat-Merge on fewer channels at a time, or on the CPU (slatMerge).',
      );
    }
  }

  private checkFootprint(footprint: Uint8Array | undefined): void {
    if (footprint && footprint.length !== this.voxels) {
      throw new InvalidGridError(
        `The view gate's footprint has ${footprint.length} voxels; the grids have ${this.voxels}.`,
        'Build the footprint at the grids’ resolution (viewFootprint), or merge without the gate.',
      );
    }
  }

  private requireTable(): ComponentTable {
    this.checkAlive();
    if (!this.table) {
      throw new InvalidArgumentError(
        'There is no merge to reuse yet.',
        'Run merge(src, edited, { tau, rule }) first; re-merges and Slat-Merge use its mask and components.',
      );
    }
    return this.table;
  }

  private checkAlive(): void {
    if (this.destroyed) {
      throw new InvalidArgumentError(
        'This GPU merger has been destroyed.',
        'Create a new one with GpuVoxelMerge.create().',
      );
    }
  }
}
