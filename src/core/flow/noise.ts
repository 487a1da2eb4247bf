/**
 * Seeded noise for the samplers, defined so that a WGSL kernel reproduces it (DESIGN §3: one seed,
 * the same noise on every backend and every run).
 *
 * Layout. Element i of a stream comes from Philox block b = ⌊i/4⌋, word i mod 4, with
 *   key     = (seed mod 2^32, ⌊seed / 2^32⌋)
 *   counter = (b, stream.step, stream.lane, PURPOSE_CODE[stream.purpose]).
 * So a kernel thread per block needs only (seed, stream, b): no state, no sequential dependency.
 *
 * Exactness. Bits and uniforms are bit-identical in TS and WGSL (integer ops, and uniforms built from
 * at most 24-bit integers scaled by powers of two, which f32 represents exactly). Normals go through
 * log / sqrt / cos / sin, whose f32 accuracy WGSL leaves to the implementation (cos and sin on
 * [−π, π] only promise 2^-11 absolute error), so normals agree within tolerance, not bit for bit.
 * The angle is kept in [−π, π) for that reason.
 */

import { InvalidArgumentError } from '../errors';
import { philox4x32 } from './philox';

/** Why a sampler draws noise; part of the Philox counter, so the purposes never share a number. */
export const PURPOSE_CODE = {
  /** x_1 of plain sampling: step = T, lane = sample index. */
  initial: 1,
  /** Forward noise ε of x_t = (1−t)·x0 + t·ε at schedule index `step` (FlowEdit, AnchorFlow, G_stc); lane = n_avg index. */
  forward: 2,
  /** FlowEdit's single re-noise at t_{n_min}: step = n_min, lane 0. */
  renoise: 3,
  /** Brownian increment ξ of the Euler–Maruyama step that leaves index `step`: lane = sample index. */
  diffusion: 4,
} as const;

export type NoisePurpose = keyof typeof PURPOSE_CODE;

export interface NoiseStream {
  readonly purpose: NoisePurpose;
  /** Schedule index k of t_k the draw belongs to (0..T). */
  readonly step: number;
  /** Which of several parallel draws at the same step (n_avg index, trajectory or sample). */
  readonly lane: number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_23 = 2 ** -23;
const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_23 = 2 ** 23;
/** π rounded to f32 (3.14159274…), the constant a shader writes. */
export const PI_F32 = Math.fround(Math.PI);

export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError(
      `seed = ${seed} is not allowed: it must be an integer from 0 to 2^53 − 1.`,
      'Use a whole, non-negative seed such as 42.',
    );
  }
}

function checkStream(stream: NoiseStream): void {
  for (const [name, value] of [
    ['stream.step', stream.step],
    ['stream.lane', stream.lane],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) {
      throw new InvalidArgumentError(
        `${name} = ${value} is not allowed: it must be an integer from 0 to 2^32 − 1.`,
        'This is a sampler bug: streams are built from step and lane indices.',
      );
    }
  }
  if (!(stream.purpose in PURPOSE_CODE)) {
    throw new InvalidArgumentError(
      `stream.purpose = ${String(stream.purpose)} is not one of ${Object.keys(PURPOSE_CODE).join(', ')}.`,
      'Pick one of the listed purposes.',
    );
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > 4 * TWO_POW_32) {
    throw new InvalidArgumentError(
      `count = ${count} is not allowed: it must be an integer from 0 to 2^34.`,
      'Ask for at most 2^34 values per stream.',
    );
  }
}

function outputOf<T extends Float32Array | Uint32Array>(out: T | undefined, make: () => T, count: number): T {
  if (out === undefined) return make();
  if (out.length < count) {
    throw new InvalidArgumentError(
      `out holds ${out.length} values but ${count} were asked for.`,
      'Pass an output array at least `count` long, or none.',
    );
  }
  return out;
}

/** Calls `sink(b, words)` for every Philox block b that covers elements [0, count). */
function forEachBlock(
  seed: number,
  stream: NoiseStream,
  count: number,
  sink: (block: number, words: Uint32Array) => void,
): void {
  checkSeed(seed);
  checkStream(stream);
  checkCount(count);
  const k0 = seed % TWO_POW_32;
  const k1 = Math.floor(seed / TWO_POW_32);
  const purpose = PURPOSE_CODE[stream.purpose];
  const words = new Uint32Array(4);
  const blocks = Math.ceil(count / 4);
  for (let b = 0; b < blocks; b++) {
    philox4x32(b, stream.step, stream.lane, purpose, k0, k1, words);
    sink(b, words);
  }
}

/** Raw uint32 words of a stream; element i is word i mod 4 of block ⌊i/4⌋. */
export function uniformBits(
  seed: number,
  stream: NoiseStream,
  count: number,
  out?: Uint32Array,
): Uint32Array {
  const result = outputOf(out, () => new Uint32Array(count), count);
  forEachBlock(seed, stream, count, (b, words) => {
    const base = 4 * b;
    const n = Math.min(4, count - base);
    for (let w = 0; w < n; w++) result[base + w] = words[w];
  });
  return result;
}

/** Uniform in (0, 1): u = (⌊bits / 2^9⌋ + 0.5)·2^-23, exact in f32 (24 significant bits). */
export function uniformFromBits(bits: number): number {
  return ((bits >>> 9) + 0.5) * TWO_POW_MINUS_23;
}

export function uniforms(seed: number, stream: NoiseStream, count: number, out?: Float32Array): Float32Array {
  const result = outputOf(out, () => new Float32Array(count), count);
  forEachBlock(seed, stream, count, (b, words) => {
    const base = 4 * b;
    const n = Math.min(4, count - base);
    for (let w = 0; w < n; w++) result[base + w] = uniformFromBits(words[w]);
  });
  return result;
}

/**
 * Box–Muller on one pair of words. Radius word: u = (⌊a / 2^8⌋ + 1)·2^-24 ∈ (0, 1], so log(u) is
 * finite and |z| ≤ √(48·ln 2) ≈ 5.77. Angle word: s = (⌊b / 2^8⌋ − 2^23)·2^-23 ∈ [−1, 1),
 * θ = f32(PI_F32 · s). Both u and θ are bit-exact in f32; r·cos θ and r·sin θ are not (see top).
 */
export function boxMuller(a: number, b: number, out: Float32Array, offset: number, n = 2): void {
  const u = ((a >>> 8) + 1) * TWO_POW_MINUS_24;
  const s = ((b >>> 8) - TWO_POW_23) * TWO_POW_MINUS_23;
  const theta = Math.fround(PI_F32 * s);
  const r = Math.sqrt(-2 * Math.log(u));
  out[offset] = r * Math.cos(theta);
  if (n > 1) out[offset + 1] = r * Math.sin(theta);
}

/**
 * Standard normals of a stream: block b gives elements 4b..4b+3 as
 * (r₀₁ cos θ₀₁, r₀₁ sin θ₀₁, r₂₃ cos θ₂₃, r₂₃ sin θ₂₃) from words (0, 1) and (2, 3).
 */
export function normals(seed: number, stream: NoiseStream, count: number, out?: Float32Array): Float32Array {
  const result = outputOf(out, () => new Float32Array(count), count);
  forEachBlock(seed, stream, count, (b, words) => {
    const base = 4 * b;
    const n = Math.min(4, count - base);
    boxMuller(words[0], words[1], result, base, Math.min(2, n));
    if (n > 2) boxMuller(words[2], words[3], result, base + 2, n - 2);
  });
  return result;
}
