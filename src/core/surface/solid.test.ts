import { describe, expect, it } from 'vitest';
import { ADDED, blockMask, buildSolid, INTERIOR, OUTSIDE, REPAIR_CORNER, SHELL } from './solid';
import { noiseGrid, sphereShell } from './testing';

/** Connected components of the corners with `bit` = value, joined along cube edges (6-connectivity). */
function components(mask: number, value: number): number {
  const members = [...Array(8).keys()].filter((k) => ((mask >> k) & 1) === value);
  const seen = new Set<number>();
  let count = 0;
  for (const start of members) {
    if (seen.has(start)) continue;
    count++;
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const k = stack.pop()!;
      for (const bit of [1, 2, 4]) {
        const n = k ^ bit;
        if (((mask >> n) & 1) === value && !seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
  }
  return count;
}

describe('well-composed blocks', () => {
  it('flags exactly the blocks whose solid or empty corners fall apart, and fills an empty corner', () => {
    for (let mask = 1; mask < 255; mask++) {
      // A block holds one surface sheet iff its solid corners and its empty corners are each connected.
      const oneSheet = components(mask, 1) === 1 && components(mask, 0) === 1;
      expect(REPAIR_CORNER[mask] < 0, `mask ${mask.toString(2)}`).toBe(oneSheet);
      if (!oneSheet) expect((mask >> REPAIR_CORNER[mask]) & 1).toBe(0);
    }
    expect(REPAIR_CORNER[0]).toBe(-1);
    expect(REPAIR_CORNER[255]).toBe(-1);
  });

  it('builds a filled, well-composed solid that keeps every shell voxel', () => {
    for (const density of [0.05, 0.3, 0.7]) {
      const R = 20;
      const grid = noiseGrid(R, density, 7);
      const { state, side: P, added, interior } = buildSolid(grid.occupancy, R);
      expect(P).toBe(R + 2);
      let shell = 0;
      let addedSeen = 0;
      let interiorSeen = 0;
      let wrong = 0;
      let critical = 0;
      for (let z = 0; z < P; z++) {
        for (let y = 0; y < P; y++) {
          for (let x = 0; x < P; x++) {
            const s = state[x + P * (y + P * z)];
            const border = [x, y, z].some((c) => c === 0 || c === P - 1);
            if (border) wrong += s === OUTSIDE ? 0 : 1;
            else wrong += (s === SHELL) === (grid.occupancy[x - 1 + R * (y - 1 + R * (z - 1))] !== 0) ? 0 : 1;
            shell += s === SHELL ? 1 : 0;
            addedSeen += s === ADDED ? 1 : 0;
            interiorSeen += s === INTERIOR ? 1 : 0;
            if (x < P - 1 && y < P - 1 && z < P - 1) {
              critical += REPAIR_CORNER[blockMask(state, x + P * (y + P * z), P)] >= 0 ? 1 : 0;
            }
          }
        }
      }
      expect(wrong).toBe(0);
      expect(critical).toBe(0);
      expect(shell).toBe(grid.occupancy.reduce((a, b) => a + b, 0));
      expect(addedSeen).toBe(added);
      expect(interiorSeen).toBe(interior);
    }
  });

  it('fills the inside of a closed shell and nothing of an open one', () => {
    const closed = buildSolid(sphereShell(24, 0.35).occupancy, 24);
    expect(closed.interior).toBeGreaterThan(1000);
    expect(closed.added).toBe(0);
    const open = sphereShell(24, 0.35);
    // Punch a 3×3 hole through the shell at the top: the outside now reaches the inside.
    for (let z = 10; z < 13; z++)
      for (let x = 10; x < 13; x++) for (let y = 18; y < 24; y++) open.occupancy[x + 24 * (y + 24 * z)] = 0;
    expect(buildSolid(open.occupancy, 24).interior).toBe(0);
  });
});
