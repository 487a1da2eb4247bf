import { describe, expect, it } from 'vitest';
import type { ResolvedEdit } from '../core/edit/settings';
import { createGrid } from '../core/grid';
import type { EditOutcome } from './edit-state';
import { countVoxels, diffOverlay, sameImage } from './edit-state';

describe('diffOverlay', () => {
  it('shows added voxels green, removed red, dropped components grey and the rest dimmed', () => {
    const R = 4;
    const source = createGrid(R);
    source.occupancy.set([1, 1, 1, 0, 0]);
    source.colors.fill(100);
    const result = createGrid(R);
    result.occupancy.set([1, 0, 1, 1, 0]);
    const edited = createGrid(R);
    edited.occupancy.set([1, 0, 1, 1, 1]);
    const reference = source.occupancy.slice();
    const mask = new Uint8Array(R ** 3);
    mask[1] = 1;
    mask[3] = 1;
    const edit = {
      result,
      edited,
      reference,
      merge: { mask, tau: 2, rule: 'fixed', kept: [1], voxelsChanged: 2, backend: 'cpu', ms: 0 },
      resolved: {} as ResolvedEdit,
    } as unknown as EditOutcome;
    const overlay = diffOverlay(source, edit);
    const rgb = (i: number) => [...overlay.colors.subarray(3 * i, 3 * i + 3)];
    expect(rgb(3)).toEqual([60, 200, 90]);
    expect(rgb(1)).toEqual([225, 60, 60]);
    expect(rgb(4)).toEqual([130, 130, 140]);
    expect(overlay.occupancy[0]).toBe(1);
    expect(countVoxels(overlay.occupancy)).toBe(5);
  });

  it('compares images by pixels', () => {
    const a = { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) };
    expect(sameImage(a, { ...a, data: a.data.slice() })).toBe(true);
    const b = { ...a, data: a.data.slice() };
    b.data[7] = 0;
    expect(sameImage(a, b)).toBe(false);
  });
});
