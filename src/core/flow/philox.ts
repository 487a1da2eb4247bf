/**
 * Philox-4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11), as specified by their Random123 library. A counter-based
 * generator has no state to carry between steps or threads: output block n is a pure function of
 * (key, counter n), so a WGSL kernel computes block n in thread n and gets the same bits as here.
 *
 * Everything below uses only what WGSL's `u32` offers: wrapping add, xor, shifts and the low half of a
 * 32×32 multiply. WGSL has no `mulhi`, so the high half is assembled from 16-bit halves (`mulhi32`);
 * the shader twin must copy that function line for line.
 */

/** Round multipliers and Weyl key increments from Random123's philox.h. */
const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;

export const PHILOX_ROUNDS = 10;

/**
 * High 32 bits of the 64-bit product a·b of two uint32s. Each 16×16 partial product is below 2^32,
 * so it is exact both as a JS double and as a WGSL u32; the carry out of the middle column is
 * below 3·2^16 and cannot overflow either. Mirror this in WGSL with `u32` arithmetic as written.
 */
export function mulhi32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Low 32 bits of a·b: WGSL's wrapping `u32` multiply. */
export function mullo32(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

/**
 * One Philox-4x32-10 block: encrypts the 128-bit counter (c0..c3) under the 64-bit key (k0, k1) and
 * writes the four output words to out[offset..offset+3]. Inputs are taken modulo 2^32.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
  offset = 0,
): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < PHILOX_ROUNDS; round++) {
    // Random123 bumps the key before every round but the first.
    if (round > 0) {
      key0 = (key0 + PHILOX_W0) >>> 0;
      key1 = (key1 + PHILOX_W1) >>> 0;
    }
    const hi0 = mulhi32(PHILOX_M0, x0);
    const lo0 = mullo32(PHILOX_M0, x0);
    const hi1 = mulhi32(PHILOX_M1, x2);
    const lo1 = mullo32(PHILOX_M1, x2);
    const y0 = (hi1 ^ x1 ^ key0) >>> 0;
    const y2 = (hi0 ^ x3 ^ key1) >>> 0;
    x0 = y0;
    x1 = lo1;
    x2 = y2;
    x3 = lo0;
  }
  out[offset] = x0;
  out[offset + 1] = x1;
  out[offset + 2] = x2;
  out[offset + 3] = x3;
}
