import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { createGrid, voxelIndex } from '../grid';
import { renderView } from '../render';
import { colorizeEdit, projectVoxel } from './colorize';
import { resolveEditSettings } from './settings';

const sampler = { steps: 25, shift: 3, cfg: 3, guidanceInterval: [0.5, 1] as [number, number] };

describe('resolveEditSettings', () => {
  it('takes the preset of (method, kind) on the pack grid, then the person’s overrides', () => {
    const preset = resolveEditSettings({ method: 'flowedit', kind: 'add', seed: 4 }, sampler);
    expect(preset).toMatchObject({ T: 25, shift: 3, nMax: 15, nAvg: 5, sSrc: 2.5, sTgt: 6.5, seed: 4 });
    const moved = resolveEditSettings(
      { method: 'flowedit', kind: 'add', seed: 4, nMax: 20, sTgt: 4 },
      sampler,
    );
    expect(moved).toMatchObject({ nMax: 20, sTgt: 4, nAvg: 5 });
    expect(resolveEditSettings({ method: 'stm', kind: 'add', seed: 0 }, sampler).lambda).toBe(0.6);
  });

  it('makes Regenerate a full sample with the pack’s guidance', () => {
    const r = resolveEditSettings({ method: 'regenerate', kind: 'remove', seed: 0, steps: 10 }, sampler);
    expect(r).toMatchObject({ T: 10, nMax: 10, sTgt: 3, guidanceInterval: [0.5, 1] });
  });

  it('refuses unknown methods, kinds, seeds and n_max out of range with typed errors', () => {
    const bad = [
      { method: 'magic', kind: 'add', seed: 0 },
      { method: 'flowedit', kind: 'explode', seed: 0 },
      { method: 'flowedit', kind: 'add', seed: -1 },
      { method: 'flowedit', kind: 'add', seed: 0, nMax: 26 },
    ];
    for (const settings of bad) {
      expect(() => resolveEditSettings(settings as never, sampler)).toThrow(InvalidArgumentError);
    }
  });
});

describe('colorizeEdit', () => {
  const R = 16;
  const source = createGrid(R);
  for (let x = 4; x < 12; x++) {
    const i = voxelIndex(R, x, 4, 8);
    source.occupancy[i] = 1;
    source.colors.set([10, 200, 30], 3 * i);
  }

  it('keeps every source voxel’s colour and gives a new voxel its nearest source colour', () => {
    const occupancy = source.occupancy.slice();
    const added = voxelIndex(R, 8, 6, 8);
    occupancy[added] = 1;
    const colors = colorizeEdit(occupancy, source);
    for (let i = 0; i < occupancy.length; i++) {
      if (source.occupancy[i]) expect([...colors.subarray(3 * i, 3 * i + 3)]).toEqual([10, 200, 30]);
    }
    expect([...colors.subarray(3 * added, 3 * added + 3)]).toEqual([10, 200, 30]);
    // Empty voxels carry no colour.
    expect(colors[3 * voxelIndex(R, 0, 0, 0)]).toBe(0);
  });

  it('colours a new voxel with the paint where it projects into the target view, black included', () => {
    const occupancy = source.occupancy.slice();
    const added = voxelIndex(R, 8, 12, 8);
    occupancy[added] = 1;
    const view = 0;
    const sourceView = renderView(source, view);
    const target = { ...sourceView, data: sourceView.data.slice() };
    const pixel = projectVoxel(R, view, 8, 12, 8);
    expect(pixel).not.toBeNull();
    const [col, row] = pixel as [number, number];
    target.data.set([0, 0, 0, 255], 4 * (row * target.width + col));
    const colors = colorizeEdit(occupancy, source, { view, sourceView, targetView: target });
    expect([...colors.subarray(3 * added, 3 * added + 3)]).toEqual([0, 0, 0]);
  });
});
