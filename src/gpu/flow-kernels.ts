/**
 * The sampler's WGSL kernels (shaders/flow-step.wgsl, shaders/philox.wgsl) on one GPUDevice — in the
 * studio, ORT's own device (`ort.env.webgpu.device`), so kernels and the velocity graph share buffers.
 *
 * Dispatches are recorded into one pending command encoder and submitted together at `flush()` (before
 * a model run, a readback, or the end of a step), with every dispatch's parameters packed into one
 * uniform buffer at 256-byte slots and written with one `writeBuffer` per flush. So a step costs a few
 * submits and a few hundred bytes of parameters, and no latent-sized traffic.
 */

import stepCode from '../../shaders/flow-step.wgsl?raw';
import philoxCode from '../../shaders/philox.wgsl?raw';
import { FlowsmithError } from '../core/errors';
import type { NoiseStream } from '../core/flow';
import { PURPOSE_CODE } from '../core/flow';

export type StepKernel =
  | 'axpy'
  | 'add_scaled'
  | 'sub'
  | 'shift_by'
  | 'noise_to'
  | 'guide'
  | 'clean_estimate'
  | 'noise_estimate'
  | 'accumulate_diff'
  | 'anchor_paper'
  | 'anchor_code'
  | 'sde_drift'
  | 'diffusion_increment'
  | 'scale'
  | 'fill'
  | 'count_nonfinite';

export type NoiseKernel = 'bits' | 'uniforms' | 'normals';

const STEP_KERNELS: readonly StepKernel[] = [
  'axpy',
  'add_scaled',
  'sub',
  'shift_by',
  'noise_to',
  'guide',
  'clean_estimate',
  'noise_estimate',
  'accumulate_diff',
  'anchor_paper',
  'anchor_code',
  'sde_drift',
  'diffusion_increment',
  'scale',
  'fill',
  'count_nonfinite',
];
const NOISE_KERNELS: readonly NoiseKernel[] = ['bits', 'uniforms', 'normals'];

/** Usage of every vector buffer: kernels read and write it, ORT binds it, copies move it. */
export const VECTOR_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */
const SLOT = 256;
const SLOTS = 512;
const STEP_WG = 256;
const NOISE_WG = 64;
const MAX_GROUPS = 65535;
/** Slots of the non-finite counter buffer (one per check of a run; later checks share the last). */
export const COUNT_SLOTS = 4096;

/** What the kernels themselves send to the GPU: parameter bytes only. */
export interface KernelTraffic {
  writes: number;
  writeBytes: number;
  submits: number;
  dispatches: number;
}

const TWO_POW_32 = 4294967296;

export class FlowKernels {
  readonly traffic: KernelTraffic = { writes: 0, writeBytes: 0, submits: 0, dispatches: 0 };
  private readonly stepLayout: GPUBindGroupLayout;
  private readonly noiseLayout: GPUBindGroupLayout;
  private readonly stepPipelines = new Map<StepKernel, GPUComputePipeline>();
  private readonly noisePipelines = new Map<NoiseKernel, GPUComputePipeline>();
  private readonly params: GPUBuffer;
  private readonly staging = new ArrayBuffer(SLOT * SLOTS);
  private readonly dummyRead: GPUBuffer;
  private readonly dummyWrite: GPUBuffer;
  private readonly dummyWrite2: GPUBuffer;
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private nextId = 1;
  private slot = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;

  /**
   * Compiles both shader modules and builds every pipeline, failing with the compiler's own messages
   * (WebGPU only reports shader errors asynchronously, so the sync constructor alone would not).
   */
  static async create(device: GPUDevice): Promise<FlowKernels> {
    device.pushErrorScope('validation');
    const kernels = new FlowKernels(device);
    const error = await device.popErrorScope();
    const messages: string[] = [];
    for (const [name, module] of kernels.modules) {
      const info = await module.getCompilationInfo();
      for (const m of info.messages) {
        if (m.type === 'error') messages.push(`${name}:${m.lineNum}:${m.linePos} ${m.message}`);
      }
    }
    if (error || messages.length > 0) {
      kernels.destroy();
      throw new FlowsmithError(
        'internal',
        `The sampler's GPU kernels did not compile: ${messages.join('; ') || error?.message}.`,
        'This is a Flowsmith bug on this GPU or browser; the CPU path (wasm) still works. Please report it with your browser version.',
      );
    }
    return kernels;
  }

  private readonly modules: [string, GPUShaderModule][];

  private constructor(readonly device: GPUDevice) {
    const storage = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type },
    });
    const uniform: GPUBindGroupLayoutEntry = {
      binding: 0,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 32 },
    };
    this.stepLayout = device.createBindGroupLayout({
      label: 'flow-step',
      entries: [
        uniform,
        storage(1, 'storage'),
        storage(2, 'read-only-storage'),
        storage(3, 'read-only-storage'),
        storage(4, 'read-only-storage'),
        storage(5, 'read-only-storage'),
        storage(6, 'storage'),
      ],
    });
    this.noiseLayout = device.createBindGroupLayout({
      label: 'philox',
      entries: [uniform, storage(1, 'storage'), storage(2, 'storage')],
    });
    const stepModule = device.createShaderModule({ label: 'flow-step.wgsl', code: stepCode });
    const noiseModule = device.createShaderModule({ label: 'philox.wgsl', code: philoxCode });
    this.modules = [
      ['flow-step.wgsl', stepModule],
      ['philox.wgsl', noiseModule],
    ];
    const stepPipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [this.stepLayout] });
    const noisePipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [this.noiseLayout] });
    for (const entryPoint of STEP_KERNELS) {
      this.stepPipelines.set(
        entryPoint,
        device.createComputePipeline({
          label: `flow-step ${entryPoint}`,
          layout: stepPipelineLayout,
          compute: { module: stepModule, entryPoint },
        }),
      );
    }
    for (const entryPoint of NOISE_KERNELS) {
      this.noisePipelines.set(
        entryPoint,
        device.createComputePipeline({
          label: `philox ${entryPoint}`,
          layout: noisePipelineLayout,
          compute: { module: noiseModule, entryPoint },
        }),
      );
    }
    this.params = device.createBuffer({
      label: 'flow params',
      size: SLOT * SLOTS,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const dummy = (label: string) => device.createBuffer({ label, size: 16, usage: GPUBufferUsage.STORAGE });
    this.dummyRead = dummy('flow dummy read');
    this.dummyWrite = dummy('flow dummy write');
    this.dummyWrite2 = dummy('flow dummy write 2');
  }

  private id(buffer: GPUBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(buffer, id);
    }
    return id;
  }

  private bindGroup(layout: GPUBindGroupLayout, tag: string, buffers: readonly GPUBuffer[]): GPUBindGroup {
    const key = `${tag}:${buffers.map((b) => this.id(b)).join(',')}`;
    let group = this.bindGroups.get(key);
    if (!group) {
      // Buffers come and go between runs; a full cache is cheaper to drop than to track.
      if (this.bindGroups.size > 1024) this.bindGroups.clear();
      group = this.device.createBindGroup({
        layout,
        entries: [
          { binding: 0, resource: { buffer: this.params, size: 32 } },
          ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
      this.bindGroups.set(key, group);
    }
    return group;
  }

  /** Reserves a parameter slot (flushing first if the batch is full) and returns its byte offset. */
  private reserve(): { offset: number; u32: Uint32Array; f32: Float32Array } {
    if (this.slot === SLOTS) this.flush();
    const offset = this.slot++ * SLOT;
    return {
      offset,
      u32: new Uint32Array(this.staging, offset, 8),
      f32: new Float32Array(this.staging, offset, 8),
    };
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'flow kernels' });
    if (!this.pass) this.pass = this.encoder.beginComputePass({ label: 'flow kernels' });
    return this.pass;
  }

  private dispatch(
    pipeline: GPUComputePipeline,
    group: GPUBindGroup,
    offset: number,
    threads: number,
    wg: number,
  ): void {
    const groups = Math.ceil(threads / wg);
    if (groups === 0) return;
    const x = Math.min(groups, MAX_GROUPS);
    const y = Math.ceil(groups / x);
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group, [offset]);
    pass.dispatchWorkgroups(x, y);
    this.traffic.dispatches++;
  }

  /**
   * One element-wise step kernel over n elements: out ← f(inputs, scalars). Inputs may be `out`
   * itself (vec.ts allows aliasing); they are then read through `out`.
   */
  step(
    kernel: StepKernel,
    n: number,
    out: GPUBuffer | null,
    inputs: readonly GPUBuffer[],
    scalars: readonly number[] = [],
    countsTarget?: { buffer: GPUBuffer; slot: number },
  ): void {
    const { offset, u32, f32 } = this.reserve();
    let alias = 0;
    const bound: GPUBuffer[] = [out ?? this.dummyWrite];
    for (let k = 0; k < 4; k++) {
      const input = inputs[k];
      if (input === undefined) bound.push(this.dummyRead);
      else if (input === out) {
        alias |= 1 << k;
        bound.push(this.dummyRead);
      } else bound.push(input);
    }
    bound.push(countsTarget?.buffer ?? this.dummyWrite2);
    u32[0] = n;
    u32[1] = alias;
    u32[2] = countsTarget?.slot ?? 0;
    u32[3] = 0;
    for (let k = 0; k < 4; k++) f32[4 + k] = scalars[k] ?? 0;
    const group = this.bindGroup(this.stepLayout, 's', bound);
    this.dispatch(this.stepPipelines.get(kernel) as GPUComputePipeline, group, offset, n, STEP_WG);
  }

  /** `count` values of a noise stream (noise.ts's layout) into out (f32, or u32 for 'bits'). */
  noise(kernel: NoiseKernel, seed: number, stream: NoiseStream, count: number, out: GPUBuffer): void {
    const { offset, u32 } = this.reserve();
    u32[0] = seed % TWO_POW_32;
    u32[1] = Math.floor(seed / TWO_POW_32);
    u32[2] = stream.step;
    u32[3] = stream.lane;
    u32[4] = PURPOSE_CODE[stream.purpose];
    u32[5] = count;
    u32[6] = 0;
    u32[7] = 0;
    const buffers = kernel === 'bits' ? [this.dummyWrite, out] : [out, this.dummyWrite];
    const group = this.bindGroup(this.noiseLayout, 'n', buffers);
    this.dispatch(
      this.noisePipelines.get(kernel) as GPUComputePipeline,
      group,
      offset,
      Math.ceil(count / 4),
      NOISE_WG,
    );
  }

  /** GPU-side copy, ordered with the dispatches around it. */
  copy(out: GPUBuffer, x: GPUBuffer, bytes: number): void {
    if (out === x) return;
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'flow kernels' });
    this.pass?.end();
    this.pass = null;
    this.encoder.copyBufferToBuffer(x, 0, out, 0, bytes);
  }

  /** Submits everything recorded so far (with one parameter write). */
  flush(): void {
    if (!this.encoder) return;
    this.pass?.end();
    this.pass = null;
    if (this.slot > 0) {
      this.device.queue.writeBuffer(this.params, 0, this.staging, 0, this.slot * SLOT);
      this.traffic.writes++;
      this.traffic.writeBytes += this.slot * SLOT;
    }
    this.device.queue.submit([this.encoder.finish()]);
    this.traffic.submits++;
    this.encoder = null;
    this.slot = 0;
  }

  destroy(): void {
    this.flush();
    this.params.destroy();
    this.dummyRead.destroy();
    this.dummyWrite.destroy();
    this.dummyWrite2.destroy();
    this.bindGroups.clear();
  }
}

/** Copies `byteLength` bytes of a GPU buffer back to the CPU (one readback). */
export async function readBack(
  device: GPUDevice,
  source: GPUBuffer,
  byteLength: number,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: byteLength,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const encoder = device.createCommandEncoder({ label: 'flow readback' });
  encoder.copyBufferToBuffer(source, 0, staging, 0, byteLength);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return copy;
}
