// Philox-4x32-10 and the sampler's noise streams: the WGSL twin of src/core/flow/philox.ts and
// src/core/flow/noise.ts. Element i of a stream is word i mod 4 of block b = i / 4, with
//   key = (seed mod 2^32, seed / 2^32), counter = (b, step, lane, purpose).
// One thread per block; no state, so any block can be computed anywhere. Bits and uniforms equal the
// TS twin bit for bit. Normals need log, sin and cos, whose WGSL builtins only promise 2^-11 absolute
// error for sin/cos (SwiftShader is off by 7e-4 on |z| ≤ 5.8); so this file brings its own f32
// versions (Cephes' sinf/cosf/logf: range reduction plus minimax polynomials, made of + and × only),
// accurate to a few ulp on every GPU. Normals then agree with the TS twin (f64, rounded) to ~1e-6.

struct NoiseParams {
  key: vec2u,
  step: u32,
  lane: u32,
  purpose: u32,
  // Elements to write.
  count: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: NoiseParams;
@group(0) @binding(1) var<storage, read_write> out_f32: array<f32>;
@group(0) @binding(2) var<storage, read_write> out_u32: array<u32>;

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W0: u32 = 0x9e3779b9u;
const PHILOX_W1: u32 = 0xbb67ae85u;
// π rounded to f32, as noise.ts's PI_F32.
const PI_F32: f32 = 3.14159274101257324;
const TWO_POW_MINUS_23: f32 = 1.1920928955078125e-7;
const TWO_POW_MINUS_24: f32 = 5.9604644775390625e-8;

// High 32 bits of a·b from 16-bit halves (WGSL has no mulhi), exactly as mulhi32 in philox.ts.
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var x = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    // Random123 bumps the key before every round but the first.
    if (round > 0u) {
      k = k + vec2u(PHILOX_W0, PHILOX_W1);
    }
    let hi0 = mulhi32(PHILOX_M0, x.x);
    let lo0 = PHILOX_M0 * x.x;
    let hi1 = mulhi32(PHILOX_M1, x.z);
    let lo1 = PHILOX_M1 * x.z;
    x = vec4u(hi1 ^ x.y ^ k.x, lo1, hi0 ^ x.w ^ k.y, lo0);
  }
  return x;
}

fn block_words(b: u32) -> vec4u {
  return philox4x32(vec4u(b, params.step, params.lane, params.purpose), params.key);
}

fn block_index(id: vec3u, groups: vec3u) -> u32 {
  return id.x + id.y * groups.x * 64u;
}

// (⌊bits / 2^9⌋ + 0.5)·2^-23: exact in f32 (24 significant bits), as uniformFromBits.
fn uniform_from_bits(bits: u32) -> f32 {
  return (f32(bits >> 9u) + 0.5) * TWO_POW_MINUS_23;
}

// sin θ and cos θ for |θ| ≤ π (Cephes sinf/cosf): reduce to [−π/4, π/4] by a multiple of π/4 split
// in three parts (exact products), then evaluate the minimax polynomials there.
fn sin_cos(theta: f32) -> vec2f {
  var x = abs(theta);
  var j = u32(x * 1.27323954473516);
  j = (j + 1u) & ~1u;
  let y = f32(j);
  x = ((x - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let z = x * x;
  let s = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * x + x;
  let c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  var sc: vec2f;
  switch (j & 7u) {
    case 0u: { sc = vec2f(s, c); }
    case 2u: { sc = vec2f(c, -s); }
    case 4u: { sc = vec2f(-s, -c); }
    default: { sc = vec2f(-c, s); }
  }
  if (theta < 0.0) {
    sc.x = -sc.x;
  }
  return sc;
}

// Natural log for x > 0 (Cephes logf): x = m·2^e with m ∈ [√½, √2), log(1 + (m − 1)) by polynomial.
fn log_f32(value: f32) -> f32 {
  let parts = frexp(value);
  var x = parts.fract;
  var e = f32(parts.exp);
  if (x < 0.70710678118654752440) {
    e = e - 1.0;
    x = x + x - 1.0;
  } else {
    x = x - 1.0;
  }
  let z = x * x;
  var y = (((((((( 7.0376836292e-2 * x - 1.1514610310e-1) * x + 1.1676998740e-1) * x - 1.2420140846e-1) * x
    + 1.4249322787e-1) * x - 1.6668057665e-1) * x + 2.0000714765e-1) * x - 2.4999993993e-1) * x
    + 3.3333331174e-1) * x * z;
  y = y + -2.12194440e-4 * e;
  y = y - 0.5 * z;
  return (x + y) + 0.693359375 * e;
}

// Box–Muller on one word pair, as boxMuller in noise.ts: u ∈ (0, 1] and θ = π·s, s ∈ [−1, 1), both exact.
fn box_muller(a: u32, b: u32) -> vec2f {
  let u = f32((a >> 8u) + 1u) * TWO_POW_MINUS_24;
  let s = f32(i32(b >> 8u) - 8388608) * TWO_POW_MINUS_23;
  let theta = PI_F32 * s;
  let r = sqrt(-2.0 * log_f32(u));
  let sc = sin_cos(theta);
  return vec2f(r * sc.y, r * sc.x);
}

@compute @workgroup_size(64)
fn bits(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let b = block_index(id, groups);
  let base = 4u * b;
  if (base >= params.count) {
    return;
  }
  let w = block_words(b);
  for (var j = 0u; j < 4u; j++) {
    if (base + j < params.count) {
      out_u32[base + j] = w[j];
    }
  }
}

@compute @workgroup_size(64)
fn uniforms(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let b = block_index(id, groups);
  let base = 4u * b;
  if (base >= params.count) {
    return;
  }
  let w = block_words(b);
  for (var j = 0u; j < 4u; j++) {
    if (base + j < params.count) {
      out_f32[base + j] = uniform_from_bits(w[j]);
    }
  }
}

@compute @workgroup_size(64)
fn normals(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let b = block_index(id, groups);
  let base = 4u * b;
  if (base >= params.count) {
    return;
  }
  let w = block_words(b);
  let z01 = box_muller(w.x, w.y);
  let z23 = box_muller(w.z, w.w);
  let z = vec4f(z01, z23);
  for (var j = 0u; j < 4u; j++) {
    if (base + j < params.count) {
      out_f32[base + j] = z[j];
    }
  }
}
