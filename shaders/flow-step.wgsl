// The per-element arithmetic of every sampler step: the WGSL twin of src/core/flow/vec.ts, one entry
// point per function, same formulas in the same order of operations. Scalar coefficients (1 − t,
// w·(2 − t), …) are rounded to f32 on the CPU exactly as vec.ts rounds them and passed in `p.s`, so
// the only possible difference is a GPU contracting a·x + y into an FMA (last-bit differences, hence
// the tolerance in the parity tests).
//
// Bindings: `o` is the output (read-write); a..d are inputs. WebGPU forbids binding one buffer as both
// writable and readable in a dispatch, so an input that is the output (vec.ts allows out to alias an
// input) is flagged in `p.aliased` (bit k for input k) and read from `o` instead.

struct StepParams {
  n: u32,
  aliased: u32,
  // Which slot of `counts` a finite check adds to.
  slot: u32,
  _pad: u32,
  s: vec4f,
}

@group(0) @binding(0) var<uniform> p: StepParams;
@group(0) @binding(1) var<storage, read_write> o: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> c: array<f32>;
@group(0) @binding(5) var<storage, read> d: array<f32>;
@group(0) @binding(6) var<storage, read_write> counts: array<atomic<u32>>;

fn index(id: vec3u, groups: vec3u) -> u32 {
  return id.x + id.y * groups.x * 256u;
}

fn in_a(i: u32) -> f32 {
  if ((p.aliased & 1u) != 0u) {
    return o[i];
  }
  return a[i];
}

fn in_b(i: u32) -> f32 {
  if ((p.aliased & 2u) != 0u) {
    return o[i];
  }
  return b[i];
}

fn in_c(i: u32) -> f32 {
  if ((p.aliased & 4u) != 0u) {
    return o[i];
  }
  return c[i];
}

fn in_d(i: u32) -> f32 {
  if ((p.aliased & 8u) != 0u) {
    return o[i];
  }
  return d[i];
}

// o ← o + s0·a  (axpy: y ← y + a·x)
@compute @workgroup_size(256)
fn axpy(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = o[i] + p.s.x * in_a(i);
}

// o ← a + s0·b  (addScaled)
@compute @workgroup_size(256)
fn add_scaled(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = in_a(i) + p.s.x * in_b(i);
}

// o ← a − b
@compute @workgroup_size(256)
fn sub(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = in_a(i) - in_b(i);
}

// o ← a + (b − c)  (shiftBy: q = p + (z − x), grouped so z = x gives q = p exactly)
@compute @workgroup_size(256)
fn shift_by(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = in_a(i) + (in_b(i) - in_c(i));
}

// o ← (1 − t)·a + t·b  (noiseTo; s0 = 1 − t, s1 = t)
@compute @workgroup_size(256)
fn noise_to(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = p.s.x * in_a(i) + p.s.y * in_b(i);
}

// o ← a + s0·(b − a)  (guide: v_u + s·(v_c − v_u), a = v_u, b = v_c)
@compute @workgroup_size(256)
fn guide(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  let vu = in_a(i);
  o[i] = vu + p.s.x * (in_b(i) - vu);
}

// o ← a − s0·b  (cleanEstimate: x − t·v)
@compute @workgroup_size(256)
fn clean_estimate(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = in_a(i) - p.s.x * in_b(i);
}

// o ← a + s0·b  (noiseEstimate: x + (1 − t)·v; also addScaled's form)
@compute @workgroup_size(256)
fn noise_estimate(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = in_a(i) + p.s.x * in_b(i);
}

// o ← o + s0·(a − b)  (accumulateDiff)
@compute @workgroup_size(256)
fn accumulate_diff(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = o[i] + p.s.x * (in_a(i) - in_b(i));
}

// o ← o + g·((q + c·vq) − (p + c·vp)); a = q, b = vq, c = p, d = vp; s0 = 1 − t, s1 = w·(2 − t)
@compute @workgroup_size(256)
fn anchor_paper(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  let fq = in_a(i) + p.s.x * in_b(i);
  let fp = in_c(i) + p.s.x * in_d(i);
  o[i] = o[i] + p.s.y * (fq - fp);
}

// o ← o + w·(2·(vq − vp) − t·(x̂0_q − x̂0_p)); s0 = w, s1 = t
@compute @workgroup_size(256)
fn anchor_code(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  let vq = in_b(i);
  let vp = in_d(i);
  let cq = in_a(i) - p.s.y * vq;
  let cp = in_c(i) - p.s.y * vp;
  let dir = 2.0 * (vq - vp) - p.s.y * (cq - cp);
  o[i] = o[i] + p.s.x * dir;
}

// o ← v + λ·(x + (1 − t)·v); a = x, b = v; s0 = 1 − t, s1 = λ
@compute @workgroup_size(256)
fn sde_drift(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  let v = in_b(i);
  let eps = in_a(i) + p.s.x * v;
  o[i] = v + p.s.y * eps;
}

// o ← (next − x) − h·drift; a = next, b = x, c = drift; s0 = h
@compute @workgroup_size(256)
fn diffusion_increment(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = (in_a(i) - in_b(i)) - p.s.x * in_c(i);
}

// o ← s0·a
@compute @workgroup_size(256)
fn scale(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = p.s.x * in_a(i);
}

// o ← s0
@compute @workgroup_size(256)
fn fill(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  o[i] = p.s.x;
}

// counts[slot] += number of NaN/±Inf in a: an exponent of all ones, checked on the bits so no
// compiler can fold the test away under fast-math assumptions.
@compute @workgroup_size(256)
fn count_nonfinite(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) g: vec3u) {
  let i = index(id, g);
  if (i >= p.n) { return; }
  if ((bitcast<u32>(a[i]) & 0x7f800000u) == 0x7f800000u) {
    atomicAdd(&counts[p.slot], 1u);
  }
}
