import { describe, expect, it } from 'vitest';
import { mulhi32, mullo32, philox4x32 } from './philox';

function run(ctr: number[], key: number[]): string[] {
  const out = new Uint32Array(4);
  philox4x32(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1], out);
  return Array.from(out, (v) => v.toString(16).padStart(8, '0'));
}

describe('Philox-4x32-10', () => {
  // Known-answer vectors from Random123's examples/kat_vectors (lines "philox4x32 10 ctr[4] key[2] out[4]").
  it.each([
    [
      [0, 0, 0, 0],
      [0, 0],
      ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8'],
    ],
    [
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd'],
    ],
    [
      [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      [0xa4093822, 0x299f31d0],
      ['d16cfe09', '94fdcceb', '5001e420', '24126ea1'],
    ],
  ])('matches the Random123 known answer for counter %j, key %j', (ctr, key, expected) => {
    expect(run(ctr, key)).toEqual(expected);
  });

  it('writes at an offset and leaves the rest of the buffer alone', () => {
    const out = new Uint32Array(8).fill(7);
    philox4x32(0, 0, 0, 0, 0, 0, out, 4);
    expect(Array.from(out.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(out[4]).toBe(0x6627e8d5);
  });
});

describe('32×32 multiply halves from 32-bit operations', () => {
  const edge = [
    0, 1, 2, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xd2511f53, 0xcd9e8d57,
  ];
  const random: number[] = [];
  let s = 12345;
  for (let i = 0; i < 200; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    random.push(s);
  }
  const values = [...edge, ...random];

  it('mulhi32 and mullo32 agree with a 64-bit BigInt product', () => {
    for (const a of values) {
      for (const b of values.slice(0, 40)) {
        const p = BigInt(a) * BigInt(b);
        expect(mulhi32(a, b)).toBe(Number(p >> 32n));
        expect(mullo32(a, b)).toBe(Number(p & 0xffffffffn));
      }
    }
  });
});
