/**
 * The CPU executor of the sampling loops: Float32Arrays, vec.ts arithmetic, noise.ts normals and any
 * `VelocityModel` (the analytic Gaussian, an ORT session on onnxruntime-node or wasm). NaN/Inf checks
 * are immediate, so a failing run stops at the step that went bad.
 */

import { InvalidArgumentError, NonFiniteValueError } from '../errors';
import type { VelocityModel } from './model';
import { checkLatent } from './model';
import { type NoiseStream, normals } from './noise';
import type { FlowOps, VecBatch } from './ops';
import { checkFiniteInput } from './params';
import * as vec from './vec';

export class CpuOps implements FlowOps<Float32Array> {
  readonly size: number;
  private readonly pool: Float32Array[] = [];
  private used = 0;

  constructor(private readonly model: VelocityModel) {
    this.size = model.size;
  }

  alloc(): Float32Array {
    return new Float32Array(this.size);
  }

  temp(): Float32Array {
    if (this.used === this.pool.length) this.pool.push(new Float32Array(this.size));
    return this.pool[this.used++];
  }

  upload(name: string, values: Float32Array): Float32Array {
    checkLatent(name, values, this.model);
    checkFiniteInput(name, values);
    return values;
  }

  async download(x: Float32Array): Promise<Float32Array> {
    return x.slice();
  }

  copy(out: Float32Array, x: Float32Array): void {
    out.set(x);
  }

  fill(out: Float32Array, value: number): void {
    out.fill(value);
  }

  normals(seed: number, stream: NoiseStream, out: Float32Array): void {
    normals(seed, stream, this.size, out);
  }

  axpy(y: Float32Array, a: number, x: Float32Array): void {
    vec.axpy(y, a, x);
  }
  addScaled(out: Float32Array, x: Float32Array, a: number, y: Float32Array): void {
    vec.addScaled(out, x, a, y);
  }
  sub(out: Float32Array, a: Float32Array, b: Float32Array): void {
    vec.sub(out, a, b);
  }
  shiftBy(out: Float32Array, p: Float32Array, z: Float32Array, x: Float32Array): void {
    vec.shiftBy(out, p, z, x);
  }
  noiseTo(out: Float32Array, x0: Float32Array, eps: Float32Array, t: number): void {
    vec.noiseTo(out, x0, eps, t);
  }
  guide(out: Float32Array, vu: Float32Array, vc: Float32Array, s: number): void {
    vec.guide(out, vu, vc, s);
  }
  cleanEstimate(out: Float32Array, x: Float32Array, v: Float32Array, t: number): void {
    vec.cleanEstimate(out, x, v, t);
  }
  noiseEstimate(out: Float32Array, x: Float32Array, v: Float32Array, t: number): void {
    vec.noiseEstimate(out, x, v, t);
  }
  accumulateDiff(acc: Float32Array, w: number, a: Float32Array, b: Float32Array): void {
    vec.accumulateDiff(acc, w, a, b);
  }
  accumulateAnchorPaper(
    acc: Float32Array,
    w: number,
    q: Float32Array,
    vq: Float32Array,
    p: Float32Array,
    vp: Float32Array,
    t: number,
  ): void {
    vec.accumulateAnchorPaper(acc, w, q, vq, p, vp, t);
  }
  accumulateAnchorCode(
    acc: Float32Array,
    w: number,
    q: Float32Array,
    vq: Float32Array,
    p: Float32Array,
    vp: Float32Array,
    t: number,
  ): void {
    vec.accumulateAnchorCode(acc, w, q, vq, p, vp, t);
  }
  sdeDrift(out: Float32Array, x: Float32Array, v: Float32Array, t: number, lambda: number): void {
    vec.sdeDrift(out, x, v, t, lambda);
  }
  diffusionIncrement(
    out: Float32Array,
    next: Float32Array,
    x: Float32Array,
    h: number,
    drift: Float32Array,
  ): void {
    vec.diffusionIncrement(out, next, x, h, drift);
  }
  scale(out: Float32Array, x: Float32Array, a: number): void {
    vec.scale(out, x, a);
  }

  async velocity(batch: VecBatch<Float32Array>, signal?: AbortSignal): Promise<Float32Array[]> {
    const out = await this.model.velocity(batch, signal);
    if (out.some((v) => v.length !== this.size)) {
      throw new InvalidArgumentError(
        `The model returned velocities of sizes [${out.map((v) => v.length).join(', ')}] for latents of ${this.size} elements.`,
        'The model pack’s velocity graph does not match its manifest; re-export or re-download the pack.',
      );
    }
    return out;
  }

  checkFinite(x: Float32Array, where: () => string, step: number): void {
    const bad = vec.countNonFinite(x);
    if (bad > 0) throw new NonFiniteValueError(where(), bad, step);
  }

  endStep(): void {
    this.used = 0;
  }

  async finish(): Promise<void> {}

  dispose(): void {
    this.pool.length = 0;
    this.used = 0;
  }
}
