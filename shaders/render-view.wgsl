// Canonical view renderer (training/RENDERER.md), WGSL twin of src/core/render/render-view.ts.
// src/gpu/render-kernels.ts dispatches one invocation per pixel and one z layer per requested view,
// so all views of a grid are one dispatch. Every operation mirrors the CPU twin's float32 order.
//
// Two places where WGSL could legally differ from the twin are closed off:
// - Contraction: a compiler may fuse `a * b + c` into an FMA (one rounding instead of two). Each
//   product that feeds a sum passes through `keep`, an XOR with a uniform that is 0 at run time;
//   the compiler cannot see through it, so the product is rounded on its own as in the twin.
// - Division: WGSL only promises 2.5 ULP for `/`, and whether a ray steps x or z at a near-tie
//   hangs on the last bit of tMax. So every quotient is exact IEEE round-to-nearest (`divideExact`:
//   the native quotient corrected in integer arithmetic), on any device. The `exactDivision`
//   override set to false uses `/` instead, to measure what the guarantee costs.
// + − × are correctly rounded in WGSL, so with both guards the twins take the same decisions.
//
// Grids travel as their Uint8Arrays' own bytes: occupancy one byte per voxel and colours three, four
// bytes to a u32, little-endian. Pixels leave as RGBA8 packed in a u32 (byte order r, g, b, a).

struct Params {
  res: u32,
  size: u32, // image side in pixels
  maxSteps: u32, // 3·res − 2
  zero: u32, // always 0; see `keep`
  halfExtent: f32, // float32(0.88): the view square [−h, h]²
  invSize: f32, // 1 / size, a power of two for the canonical 128
  halfRes: f32, // res / 2
  background: u32, // packed RGBA8
  shades: array<vec4<f32>, 2>, // float32 shade factor per face id 0..5 (faceShades())
}

// One requested view: camera axes (float32, from viewCamera) and whether to shade.
struct Slot {
  forward: vec4<f32>,
  right: vec4<f32>,
  up: vec4<f32>,
  unshaded: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

override exactDivision: bool = true;

const FLT_MAX: f32 = 0x1.fffffep+127f;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> slots: array<Slot>;
@group(0) @binding(2) var<storage, read> occupancyW: array<u32>;
@group(0) @binding(3) var<storage, read> colorsW: array<u32>;
@group(0) @binding(4) var<storage, read_write> pixels: array<u32>;

fn keep(x: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) ^ params.zero);
}

fn keep3(v: vec3<f32>) -> vec3<f32> {
  return bitcast<vec3<f32>>(bitcast<vec3<u32>>(v) ^ vec3<u32>(params.zero));
}

// a / b rounded to nearest, for a finite and b normal with a normal quotient: here |b| ≥ sin 20° and
// |a| ≤ ~2·res, and a is 0 or at least 2^-24·res/2 (a difference of values on the origin's grid).
fn divideExact(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let sign = (ua ^ ub) & 0x80000000u;
  if ((ua & 0x7fffffffu) == 0u) {
    return bitcast<f32>(sign);
  }
  var ea = i32((ua >> 23u) & 0xffu);
  var ma = ua & 0x7fffffu;
  if (ea == 0) {
    // Subnormal: normalize so the top bit sits at bit 23.
    let shift = countLeadingZeros(ma) - 8u;
    ma = ma << shift;
    ea = 1 - i32(shift);
  } else {
    ma = ma | 0x800000u;
  }
  let mb = (ub & 0x7fffffu) | 0x800000u;
  var e = ea - i32((ub >> 23u) & 0xffu) + 127;
  if (ma < mb) {
    ma = ma << 1u;
    e = e - 1;
  }
  // ma ∈ [mb, 2·mb): the quotient's 24 bits are q = ⌊ma·2^23 / mb⌋. The native quotient of the two
  // mantissas (exact as f32) is within a few units of it, so the remainder ma·2^23 − q·mb is small
  // and u32 arithmetic modulo 2^32 gives it exactly; stepping q until 0 ≤ r < mb makes q the floor.
  // Native accuracy only decides how many steps that takes (WGSL's 2.5 ULP: at most 3 of the 64).
  var q = u32((f32(ma) / f32(mb)) * 8388608.0);
  var r = bitcast<i32>((ma << 23u) - q * mb);
  let m = i32(mb);
  for (var k = 0; k < 64 && r < 0; k++) {
    q = q - 1u;
    r = r + m;
  }
  for (var k = 0; k < 64 && r >= m; k++) {
    q = q + 1u;
    r = r - m;
  }
  // Round to nearest by the remainder against half of mb. A quotient of two 24-bit mantissas is
  // never exactly halfway, so the even case is only for completeness.
  if (2 * r > m || (2 * r == m && (q & 1u) == 1u)) {
    q = q + 1u;
  }
  if (q == 0x1000000u) {
    q = 0x800000u;
    e = e + 1;
  }
  return bitcast<f32>(sign | (u32(e) << 23u) | (q & 0x7fffffu));
}

fn voxelByte(words: u32, byteIndex: u32) -> u32 {
  return (words >> ((byteIndex & 3u) * 8u)) & 0xffu;
}

fn occupied(index: u32) -> bool {
  return voxelByte(occupancyW[index >> 2u], index) != 0u;
}

fn colourByte(at: u32) -> u32 {
  return voxelByte(colorsW[at >> 2u], at);
}

fn quotient(a: f32, b: f32, exact: bool) -> f32 {
  if (exact) {
    return divideExact(a, b);
  }
  return a / b;
}

// Slab parameter where the ray enters (near) or leaves (far) [0, R] on an axis with d ≠ 0. The twin
// takes min/max of both; they are R/|d| apart, so the sign of d alone says which is which.
fn slab(o: f32, d: f32, res: f32, near: bool, exact: bool) -> f32 {
  return quotient(select(-o, res - o, (d > 0.0) != near), d, exact);
}

// Parameter t where the ray leaves voxel v across an axis; recomputed, never accumulated, as the twin.
fn boundary(v: i32, o: f32, d: f32, exact: bool) -> f32 {
  if (d == 0.0) {
    return FLT_MAX;
  }
  return quotient(f32(v + select(0, 1, d > 0.0)) - o, d, exact);
}

@compute @workgroup_size(8, 8, 1)
fn renderView(@builtin(global_invocation_id) id: vec3<u32>) {
  let size = params.size;
  if (id.x >= size || id.y >= size) {
    return;
  }
  let slot = slots[id.z];
  let f = slot.forward.xyz;
  let R = i32(params.res);
  let res = f32(params.res);
  // Pixel centres in [−1, 1]: (2k + 1 − size)/size is exact for a power-of-two size.
  let sx = (f32(i32(2u * id.x + 1u) - i32(size)) * params.invSize) * params.halfExtent;
  let sy = (f32(i32(size) - i32(2u * id.y + 1u)) * params.invSize) * params.halfExtent;
  let p = keep3(sx * slot.right.xyz) + keep3(sy * slot.up.xyz);
  let o = keep3(p * res) + vec3<f32>(params.halfRes);

  // Slab entry into [0, R]³; a ray parallel to an axis must start inside that axis' range.
  var inside = true;
  var nearOf = vec3<f32>(-FLT_MAX);
  var farOf = vec3<f32>(FLT_MAX);
  for (var a = 0u; a < 3u; a++) {
    if (f[a] == 0.0) {
      inside = inside && o[a] >= 0.0 && o[a] < res;
    } else {
      nearOf[a] = slab(o[a], f[a], res, true, exactDivision);
      farOf[a] = slab(o[a], f[a], res, false, exactDivision);
    }
  }
  let tNear = max(max(nearOf.x, nearOf.y), nearOf.z);
  let tFar = min(min(farOf.x, farOf.y), farOf.z);

  var colour = params.background;
  if (inside && tNear < tFar) {
    var entry = 0u;
    while (f[entry] == 0.0 || nearOf[entry] != tNear) {
      entry = entry + 1u;
    }
    var vox = vec3<i32>(0);
    for (var a = 0u; a < 3u; a++) {
      let d = f[a];
      if (d == 0.0) {
        vox[a] = i32(floor(o[a]));
      } else if (a == entry) {
        vox[a] = select(R - 1, 0, d > 0.0);
      } else {
        vox[a] = clamp(i32(floor(o[a] + keep(tNear * d))), 0, R - 1);
      }
    }
    var face = 2u * entry + select(0u, 1u, f[entry] < 0.0);
    var tMax = vec3<f32>(
      boundary(vox.x, o.x, f.x, exactDivision),
      boundary(vox.y, o.y, f.y, exactDivision),
      boundary(vox.z, o.z, f.z, exactDivision),
    );

    for (var s = 0u; s < params.maxSteps; s++) {
      let index = u32(vox.x + R * (vox.y + R * vox.z));
      if (occupied(index)) {
        var rgb = vec3<u32>(colourByte(3u * index), colourByte(3u * index + 1u), colourByte(3u * index + 2u));
        if (slot.unshaded == 0u) {
          let shade = params.shades[face >> 2u][face & 3u];
          rgb = vec3<u32>(floor(keep3(vec3<f32>(rgb) * shade) + vec3<f32>(0.5)));
        }
        colour = rgb.x | (rgb.y << 8u) | (rgb.z << 16u) | (255u << 24u);
        break;
      }
      // Ties step the lower axis first (x, then y, then z), as training's tables do.
      var m = 2u;
      if (tMax.x <= tMax.y && tMax.x <= tMax.z) {
        m = 0u;
      } else if (tMax.y <= tMax.z) {
        m = 1u;
      }
      let positive = f[m] > 0.0;
      vox[m] = vox[m] + select(-1, 1, positive);
      if (vox[m] < 0 || vox[m] >= R) {
        break;
      }
      face = 2u * m + select(1u, 0u, positive);
      tMax[m] = boundary(vox[m], o[m], f[m], exactDivision);
    }
  }
  pixels[(id.z * size + id.y) * size + id.x] = colour;
}
