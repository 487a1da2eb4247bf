/**
 * The WebGPU executor of the sampling loops (core/flow/ops.ts): every vector is a GPU buffer, every
 * step's arithmetic a flow-step.wgsl kernel, every noise draw a philox.wgsl kernel, and the model a
 * GPU-resident velocity source (an OrtVelocityModel on ORT's webgpu EP, created with gpuResident).
 * The same loop code as the CPU executor runs on it, so the algorithms cannot drift apart.
 *
 * Nothing latent-sized crosses between CPU and GPU inside the loop: x_src (and any given noise or
 * recorded trajectory) goes up once before, the result comes back once after. NaN/Inf checks run on
 * the GPU into per-check counters that are read once in `finish()`; the error still names the first
 * step and quantity that went bad, only later (the run has to end first, see FlowOps.checkFinite).
 * Previews are readbacks, made only when a callback asks for one.
 */

import { NonFiniteValueError } from '../core/errors';
import {
  type ConditionRef,
  checkFiniteInput,
  checkLatent,
  type FlowOps,
  type NoiseStream,
  type VecBatch,
} from '../core/flow';
import { COUNT_SLOTS, type FlowKernels, readBack, type StepKernel, VECTOR_USAGE } from './flow-kernels';

/** A velocity model that reads and writes GPU buffers on `gpuDevice` (OrtVelocityModel with gpuResident). */
export interface GpuVelocitySource {
  readonly size: number;
  readonly gpuDevice: GPUDevice | undefined;
  velocityGpu(
    t: number,
    x: readonly GPUBuffer[],
    cond: readonly ConditionRef[],
    out: readonly GPUBuffer[],
    signal?: AbortSignal,
  ): Promise<void>;
}

/** Latent-sized traffic this executor causes; inside a loop both stay 0. */
export interface VectorTraffic {
  uploads: number;
  uploadBytes: number;
  readbacks: number;
  readbackBytes: number;
}

const f = Math.fround;

export class GpuFlowOps implements FlowOps<GPUBuffer> {
  readonly size: number;
  readonly device: GPUDevice;
  readonly traffic: VectorTraffic = { uploads: 0, uploadBytes: 0, readbacks: 0, readbackBytes: 0 };
  private readonly owned: GPUBuffer[] = [];
  private readonly pool: GPUBuffer[] = [];
  private used = 0;
  private readonly counts: GPUBuffer;
  private readonly checks: { where: () => string; step: number }[] = [];

  constructor(
    readonly kernels: FlowKernels,
    private readonly model: GpuVelocitySource,
  ) {
    this.size = model.size;
    this.device = kernels.device;
    this.counts = this.device.createBuffer({
      label: 'flow non-finite counts',
      size: COUNT_SLOTS * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
  }

  private create(label: string): GPUBuffer {
    const buffer = this.device.createBuffer({
      label,
      size: Math.max(16, this.size * 4),
      usage: VECTOR_USAGE,
    });
    this.owned.push(buffer);
    return buffer;
  }

  alloc(): GPUBuffer {
    return this.create('flow vector');
  }

  temp(): GPUBuffer {
    if (this.used === this.pool.length) this.pool.push(this.create('flow scratch'));
    return this.pool[this.used++];
  }

  upload(name: string, values: Float32Array): GPUBuffer {
    checkLatent(name, values, this);
    checkFiniteInput(name, values);
    const buffer = this.create(name);
    this.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
    this.traffic.uploads++;
    this.traffic.uploadBytes += values.byteLength;
    return buffer;
  }

  async download(x: GPUBuffer): Promise<Float32Array> {
    this.kernels.flush();
    this.traffic.readbacks++;
    this.traffic.readbackBytes += this.size * 4;
    return new Float32Array(await readBack(this.device, x, this.size * 4));
  }

  copy(out: GPUBuffer, x: GPUBuffer): void {
    this.kernels.copy(out, x, this.size * 4);
  }

  fill(out: GPUBuffer, value: number): void {
    this.run('fill', out, [], [value]);
  }

  normals(seed: number, stream: NoiseStream, out: GPUBuffer): void {
    this.kernels.noise('normals', seed, stream, this.size, out);
  }

  private run(
    kernel: StepKernel,
    out: GPUBuffer,
    inputs: readonly GPUBuffer[],
    scalars: readonly number[],
  ): void {
    this.kernels.step(kernel, this.size, out, inputs, scalars);
  }

  // Scalars are rounded to f32 exactly as vec.ts rounds them, so both twins use the same numbers.
  axpy(y: GPUBuffer, a: number, x: GPUBuffer): void {
    this.run('axpy', y, [x], [f(a)]);
  }
  addScaled(out: GPUBuffer, x: GPUBuffer, a: number, y: GPUBuffer): void {
    this.run('add_scaled', out, [x, y], [f(a)]);
  }
  sub(out: GPUBuffer, a: GPUBuffer, b: GPUBuffer): void {
    this.run('sub', out, [a, b], []);
  }
  shiftBy(out: GPUBuffer, p: GPUBuffer, z: GPUBuffer, x: GPUBuffer): void {
    this.run('shift_by', out, [p, z, x], []);
  }
  noiseTo(out: GPUBuffer, x0: GPUBuffer, eps: GPUBuffer, t: number): void {
    const t32 = f(t);
    this.run('noise_to', out, [x0, eps], [f(1 - t32), t32]);
  }
  guide(out: GPUBuffer, vu: GPUBuffer, vc: GPUBuffer, s: number): void {
    this.run('guide', out, [vu, vc], [f(s)]);
  }
  cleanEstimate(out: GPUBuffer, x: GPUBuffer, v: GPUBuffer, t: number): void {
    this.run('clean_estimate', out, [x, v], [f(t)]);
  }
  noiseEstimate(out: GPUBuffer, x: GPUBuffer, v: GPUBuffer, t: number): void {
    this.run('noise_estimate', out, [x, v], [f(1 - f(t))]);
  }
  accumulateDiff(acc: GPUBuffer, w: number, a: GPUBuffer, b: GPUBuffer): void {
    this.run('accumulate_diff', acc, [a, b], [f(w)]);
  }
  accumulateAnchorPaper(
    acc: GPUBuffer,
    w: number,
    q: GPUBuffer,
    vq: GPUBuffer,
    p: GPUBuffer,
    vp: GPUBuffer,
    t: number,
  ): void {
    this.run('anchor_paper', acc, [q, vq, p, vp], [f(1 - f(t)), f(f(w) * f(2 - f(t)))]);
  }
  accumulateAnchorCode(
    acc: GPUBuffer,
    w: number,
    q: GPUBuffer,
    vq: GPUBuffer,
    p: GPUBuffer,
    vp: GPUBuffer,
    t: number,
  ): void {
    this.run('anchor_code', acc, [q, vq, p, vp], [f(w), f(t)]);
  }
  sdeDrift(out: GPUBuffer, x: GPUBuffer, v: GPUBuffer, t: number, lambda: number): void {
    this.run('sde_drift', out, [x, v], [f(1 - f(t)), f(lambda)]);
  }
  diffusionIncrement(out: GPUBuffer, next: GPUBuffer, x: GPUBuffer, h: number, drift: GPUBuffer): void {
    this.run('diffusion_increment', out, [next, x, drift], [f(h)]);
  }
  scale(out: GPUBuffer, x: GPUBuffer, a: number): void {
    this.run('scale', out, [x], [f(a)]);
  }

  async velocity(batch: VecBatch<GPUBuffer>, signal?: AbortSignal): Promise<GPUBuffer[]> {
    const out = batch.x.map(() => this.temp());
    this.kernels.flush();
    await this.model.velocityGpu(batch.t, batch.x, batch.cond, out, signal);
    return out;
  }

  checkFinite(x: GPUBuffer, where: () => string, step: number): void {
    const slot = Math.min(this.checks.length, COUNT_SLOTS - 1);
    this.checks.push({ where, step });
    this.kernels.step('count_nonfinite', this.size, null, [x], [], { buffer: this.counts, slot });
  }

  endStep(): void {
    this.kernels.flush();
    this.used = 0;
  }

  async finish(): Promise<void> {
    this.kernels.flush();
    if (this.checks.length === 0) return;
    const used = Math.min(this.checks.length, COUNT_SLOTS);
    this.traffic.readbacks++;
    this.traffic.readbackBytes += used * 4;
    const counts = new Uint32Array(await readBack(this.device, this.counts, used * 4));
    const first = counts.findIndex((c) => c > 0);
    if (first >= 0) {
      const check = this.checks[first];
      const where = first < COUNT_SLOTS - 1 ? check.where() : 'a late check of the run';
      throw new NonFiniteValueError(where, counts[first], check.step);
    }
  }

  dispose(): void {
    this.kernels.flush();
    for (const buffer of this.owned) buffer.destroy();
    this.owned.length = 0;
    this.pool.length = 0;
    this.used = 0;
    this.counts.destroy();
  }
}
