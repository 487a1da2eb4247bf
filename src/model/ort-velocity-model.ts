/**
 * A `VelocityModel` over an ORT InferenceSession running a velocity graph (flow-contract.ts). It needs
 * no manifest: the graph's own input/output metadata says the latent and condition shapes, and is
 * checked against what the caller expects before anything runs.
 *
 * One `velocity` call is one `session.run` with every item of the batch (issue 4: every trajectory ×
 * cond/uncond pair of a step in one run). Conditions are registered by name once (`setCondition`) and
 * referenced per item; the unconditional branch is the all-zero token block unless set.
 *
 * On webgpu the model can also run GPU-resident (`velocityGpu`): inputs are assembled from GPU buffers
 * by GPU copies, the session reads them through `Tensor.fromGpuBuffer` and writes v into a buffer we
 * own, so nothing latent-sized crosses to the CPU. Only t (4 bytes per item) is written per call.
 */

import { GpuDeviceLostError, InvalidArgumentError, throwIfAborted } from '../core/errors';
import { type ConditionRef, UNCOND, type VelocityBatch, type VelocityModel } from '../core/flow';
import {
  type InferenceSession,
  loadRuntime,
  type OrtBackend,
  type OrtRuntime,
  type OrtTensor,
} from './backends/onnx';
import { InvalidFlowGraphError } from './errors';
import {
  condSize,
  FLOW_INPUT_COND,
  FLOW_INPUT_T,
  FLOW_INPUT_X,
  FLOW_OUTPUT_V,
  type FlowGraphShape,
  latentSize,
} from './flow-contract';
import { validateFlowGraph } from './validate-flow-graph';

export interface OrtVelocityModelOptions {
  /** Default: the environment's (backends/onnx.ts). Ignored when `runtime` is given. */
  readonly backend?: OrtBackend;
  readonly runtime?: OrtRuntime;
  /** Shapes the caller needs (from a manifest or the encoder); a graph that differs is refused. */
  readonly expect?: Partial<FlowGraphShape>;
  /** The graph's name in errors (default 'ss_flow'). */
  readonly name?: string;
  /** webgpu: ask ORT to leave v on the GPU, for `velocityGpu`. */
  readonly gpuResident?: boolean;
}

/** Time spent inside `session.run` and how often, for the overhead figures of the flow bench. */
export interface OrtRunStats {
  runs: number;
  items: number;
  runMs: number;
}

/** CPU↔GPU traffic the GPU-resident path itself causes (ORT's own is counted by src/gpu/flow-transfers.ts). */
export interface GpuTraffic {
  /** queue.writeBuffer calls and bytes: t per call, and each condition once. */
  writes: number;
  writeBytes: number;
  /** Buffer readbacks (always 0 here: results stay on the GPU). */
  reads: number;
}

const GPU_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

interface GpuBatchBuffers {
  readonly x: GPUBuffer;
  readonly t: GPUBuffer;
  readonly cond: GPUBuffer;
  readonly v: GPUBuffer;
}

export class OrtVelocityModel implements VelocityModel {
  readonly size: number;
  readonly condSize: number;
  readonly stats: OrtRunStats = { runs: 0, items: 0, runMs: 0 };
  readonly gpuTraffic: GpuTraffic = { writes: 0, writeBytes: 0, reads: 0 };
  private readonly conditions = new Map<ConditionRef, Float32Array<ArrayBuffer>>();
  private readonly gpuConditions = new Map<ConditionRef, GPUBuffer>();
  private readonly gpuBatches = new Map<number, GpuBatchBuffers>();
  private released = false;
  private lost: GpuDeviceLostError | null = null;

  private constructor(
    readonly runtime: OrtRuntime,
    private readonly session: InferenceSession,
    readonly shape: FlowGraphShape,
    readonly name: string,
    readonly gpuDevice: GPUDevice | undefined,
  ) {
    this.size = latentSize(shape);
    this.condSize = condSize(shape);
    // A lost device fails the next GPU call by name instead of running kernels that silently do nothing.
    gpuDevice?.lost.then((info) => {
      this.lost = new GpuDeviceLostError(info.reason, info.message);
    });
  }

  static async create(graph: Uint8Array, options: OrtVelocityModelOptions = {}): Promise<OrtVelocityModel> {
    const name = options.name ?? 'ss_flow';
    const runtime = options.runtime ?? (await loadRuntime(options.backend));
    const gpuResident = options.gpuResident === true && runtime.backend === 'webgpu';
    let session: InferenceSession;
    try {
      session = await runtime.createSession(graph, gpuResident ? { gpuOutputs: [FLOW_OUTPUT_V] } : {});
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new InvalidFlowGraphError(
        name,
        'unreadable-graph',
        `ONNX Runtime could not load it (${detail})`,
        {
          cause: error,
        },
      );
    }
    let shape: FlowGraphShape;
    try {
      shape = validateFlowGraph(name, session.inputMetadata, session.outputMetadata, options.expect);
    } catch (error) {
      await runtime.queue.run(() => session.release());
      throw error;
    }
    const device = gpuResident ? await runtime.gpuDevice() : undefined;
    return new OrtVelocityModel(runtime, session, shape, name, device);
  }

  get backend(): OrtBackend {
    return this.runtime.backend;
  }

  /** Registers condition tokens ([L, D] row-major) under `name`; UNCOND overrides the zero default. */
  setCondition(name: ConditionRef, tokens: Float32Array): void {
    if (tokens.length !== this.condSize) {
      throw new InvalidArgumentError(
        `Condition “${name}” has ${tokens.length} values but the graph takes ${this.shape.condTokens} tokens × ${this.shape.condDim} = ${this.condSize}.`,
        'Encode the condition with the same model pack that runs the edit.',
      );
    }
    this.conditions.set(name, tokens.slice());
    this.gpuConditions.get(name)?.destroy();
    this.gpuConditions.delete(name);
  }

  private tokensOf(name: ConditionRef): Float32Array<ArrayBuffer> {
    const tokens = this.conditions.get(name);
    if (tokens) return tokens;
    if (name === UNCOND) {
      const zeros = new Float32Array(this.condSize);
      this.conditions.set(UNCOND, zeros);
      return zeros;
    }
    throw new InvalidFlowGraphError(
      this.name,
      'unknown-condition',
      `the sampler asked for condition “${name}”, which was never set (known: ${[...this.conditions.keys()].join(', ') || 'none'})`,
    );
  }

  private checkOpen(): void {
    if (this.released) {
      throw new InvalidArgumentError(
        `The velocity model “${this.name}” was released.`,
        'Load the pack again before sampling.',
      );
    }
  }

  async velocity(batch: VelocityBatch, signal?: AbortSignal): Promise<Float32Array[]> {
    this.checkOpen();
    const B = batch.x.length;
    const { size } = this;
    const x = new Float32Array(B * size);
    const cond = new Float32Array(B * this.condSize);
    for (let i = 0; i < B; i++) {
      if (batch.x[i].length !== size) {
        throw new InvalidArgumentError(
          `Latent ${i} of the batch has ${batch.x[i].length} elements; the graph takes ${size}.`,
          'This is a sampler bug: latents must match the model.',
        );
      }
      x.set(batch.x[i], i * size);
      cond.set(this.tokensOf(batch.cond[i]), i * this.condSize);
    }
    const { Tensor } = this.runtime.ort;
    const feeds: Record<string, OrtTensor> = {
      [FLOW_INPUT_X]: new Tensor('float32', x, [B, ...this.shape.latent]),
      [FLOW_INPUT_T]: new Tensor('float32', new Float32Array(B).fill(batch.t), [B]),
      [FLOW_INPUT_COND]: new Tensor('float32', cond, [B, this.shape.condTokens, this.shape.condDim]),
    };
    return this.runtime.queue.run(async () => {
      throwIfAborted(signal, 'The velocity evaluation');
      const start = performance.now();
      const out = await this.session.run(feeds);
      const v = out[FLOW_OUTPUT_V];
      const data = (await v.getData()) as Float32Array;
      this.stats.runMs += performance.now() - start;
      this.stats.runs++;
      this.stats.items += B;
      const result = Array.from({ length: B }, (_, i) => data.slice(i * size, (i + 1) * size));
      v.dispose();
      return result;
    });
  }

  private device(): GPUDevice {
    if (this.lost) throw this.lost;
    if (!this.gpuDevice) {
      throw new InvalidArgumentError(
        `The velocity model “${this.name}” is not GPU-resident (backend ${this.backend}).`,
        'Create it with backend "webgpu" and gpuResident: true.',
      );
    }
    return this.gpuDevice;
  }

  private gpuCondition(name: ConditionRef): GPUBuffer {
    let buffer = this.gpuConditions.get(name);
    if (!buffer) {
      const tokens = this.tokensOf(name);
      buffer = this.device().createBuffer({
        size: tokens.byteLength,
        usage: GPU_USAGE,
        label: `cond ${name}`,
      });
      this.device().queue.writeBuffer(buffer, 0, tokens);
      this.gpuTraffic.writes++;
      this.gpuTraffic.writeBytes += tokens.byteLength;
      this.gpuConditions.set(name, buffer);
    }
    return buffer;
  }

  private gpuBatch(B: number): GpuBatchBuffers {
    let buffers = this.gpuBatches.get(B);
    if (!buffers) {
      const device = this.device();
      const make = (floats: number, label: string) =>
        device.createBuffer({ size: Math.max(16, floats * 4), usage: GPU_USAGE, label });
      buffers = {
        x: make(B * this.size, `x_t[${B}]`),
        t: make(B, `t[${B}]`),
        cond: make(B * this.condSize, `cond[${B}]`),
        v: make(B * this.size, `v[${B}]`),
      };
      this.gpuBatches.set(B, buffers);
    }
    return buffers;
  }

  /**
   * v(x[i], t, cond[i]) written into out[i], every buffer on the GPU (`size` float32s each, usage
   * STORAGE | COPY_SRC | COPY_DST). Resolves once the work is queued on the device; later GPU work
   * on the same queue sees the results.
   */
  async velocityGpu(
    t: number,
    x: readonly GPUBuffer[],
    cond: readonly ConditionRef[],
    out: readonly GPUBuffer[],
    signal?: AbortSignal,
  ): Promise<void> {
    this.checkOpen();
    const device = this.device();
    const B = x.length;
    const bytes = this.size * 4;
    const condBytes = this.condSize * 4;
    const sources = cond.map((c) => this.gpuCondition(c));
    const buffers = this.gpuBatch(B);
    const { Tensor } = this.runtime.ort;
    const feeds: Record<string, OrtTensor> = {
      [FLOW_INPUT_X]: Tensor.fromGpuBuffer(buffers.x, {
        dataType: 'float32',
        dims: [B, ...this.shape.latent],
      }),
      [FLOW_INPUT_T]: Tensor.fromGpuBuffer(buffers.t, { dataType: 'float32', dims: [B] }),
      [FLOW_INPUT_COND]: Tensor.fromGpuBuffer(buffers.cond, {
        dataType: 'float32',
        dims: [B, this.shape.condTokens, this.shape.condDim],
      }),
    };
    const fetches: Record<string, OrtTensor> = {
      [FLOW_OUTPUT_V]: Tensor.fromGpuBuffer(buffers.v, {
        dataType: 'float32',
        dims: [B, ...this.shape.latent],
      }),
    };
    await this.runtime.queue.run(async () => {
      throwIfAborted(signal, 'The velocity evaluation');
      const start = performance.now();
      const gather = device.createCommandEncoder({ label: 'flow: gather batch' });
      for (let i = 0; i < B; i++) {
        gather.copyBufferToBuffer(x[i], 0, buffers.x, i * bytes, bytes);
        gather.copyBufferToBuffer(sources[i], 0, buffers.cond, i * condBytes, condBytes);
      }
      device.queue.writeBuffer(buffers.t, 0, new Float32Array(B).fill(t));
      this.gpuTraffic.writes++;
      this.gpuTraffic.writeBytes += 4 * B;
      device.queue.submit([gather.finish()]);
      await this.session.run(feeds, fetches);
      const scatter = device.createCommandEncoder({ label: 'flow: scatter v' });
      for (let i = 0; i < B; i++) scatter.copyBufferToBuffer(buffers.v, i * bytes, out[i], 0, bytes);
      device.queue.submit([scatter.finish()]);
      this.stats.runMs += performance.now() - start;
      this.stats.runs++;
      this.stats.items += B;
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.runtime.queue.run(() => this.session.release());
    for (const b of this.gpuConditions.values()) b.destroy();
    for (const set of this.gpuBatches.values()) for (const b of Object.values(set)) b.destroy();
    this.gpuConditions.clear();
    this.gpuBatches.clear();
  }
}
