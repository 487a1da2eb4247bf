/**
 * The store's edit actions against a scripted engine: what is undone stays consistent with what the
 * engine merges next.
 */
import { describe, expect, it, vi } from 'vitest';
import { createGrid } from '../core/grid';
import type { ComponentTable } from '../core/merge';
import type { EditRequest, EditResult, Engine, MergeOutcome, MergeRequest } from '../engine/engine-api';
import { createSessionStore } from './session-store';

const R = 4;
const table: ComponentTable = {
  count: 0,
  label: new Int32Array(0),
  size: new Uint32Array(0),
  added: new Uint32Array(0),
  removed: new Uint32Array(0),
  bbox: new Int32Array(0),
} as unknown as ComponentTable;

function outcome(merged: Uint8Array, tau: number): MergeOutcome {
  return {
    mask: merged.slice(),
    merged,
    kept: [],
    tau,
    rule: 'fixed',
    voxelsChanged: 1,
    components: table,
    histogram: { lower: [1], counts: [0], voxels: [0] },
    backend: 'cpu',
    ms: 0,
  };
}

function fakeEngine() {
  let runs = 0;
  const merges: MergeRequest[] = [];
  const engine = {
    renderViews: async () =>
      Array.from({ length: 8 }, () => ({ width: 128, height: 128, data: new Uint8Array(128 * 128 * 4) })),
    async loadSource() {
      const grid = createGrid(R);
      grid.occupancy[0] = 1;
      return {
        mesh: { positions: new Float32Array(9), indices: new Uint32Array([0, 1, 2]), materials: [] },
        stats: { fileName: 'a.stl' },
        grid,
        voxelStats: { resolution: R, occupied: 1, voxelizeMs: 0 },
        warnings: [],
      };
    },
    async openPack() {
      return {
        name: 'test',
        description: '',
        hash: 'x',
        backend: 'node',
        notice: null,
        sampler: { steps: 25, shift: 3, cfg: 3 },
        openMs: 0,
      };
    },
    async runEdit(request: EditRequest): Promise<EditResult> {
      runs += 1;
      const edited = createGrid(R);
      edited.occupancy[runs] = 1;
      return {
        resolved: { method: request.settings.method } as EditResult['resolved'],
        sourceView: { width: 128, height: 128, data: new Uint8Array(128 * 128 * 4) },
        edited,
        merge: outcome(edited.occupancy.slice(), request.merge.tau),
        result: edited,
        reference: new Uint8Array(R ** 3).fill(runs),
        footprint: null,
        timings: {} as EditResult['timings'],
        backend: 'node',
        executor: 'cpu',
      };
    },
    remerge: vi.fn(async (options: { tau: number }) => outcome(new Uint8Array(R ** 3), options.tau)),
    voxelMerge: vi.fn(async (request: MergeRequest) => {
      merges.push(request);
      return outcome(request.edited.slice(), request.tau);
    }),
  };
  return { engine: engine as unknown as Engine, merges, remerge: engine.remerge };
}

describe('edit actions', () => {
  it('re-applies τ to the shown edit after an undo, not to the engine’s newer merge', async () => {
    const { engine, merges, remerge } = fakeEngine();
    const store = createSessionStore(engine);
    const { actions } = store.getState();
    await actions.loadFiles([{ name: 'a.stl', bytes: new ArrayBuffer(8) }]);
    await actions.openPack();
    const painted = { width: 128, height: 128, data: new Uint8Array(128 * 128 * 4).fill(7) };
    actions.setTarget(painted);
    await actions.runEdit();
    const first = store.getState().edit;
    await actions.runEdit();
    expect(store.getState().edit?.id).not.toBe(first?.id);

    await actions.setTau(5);
    expect(remerge).toHaveBeenCalledTimes(1);

    actions.undo(); // τ
    actions.undo(); // the second run
    expect(store.getState().edit?.id).toBe(first?.id);
    await actions.setTau(9);
    expect(remerge).toHaveBeenCalledTimes(1);
    expect(merges).toHaveLength(1);
    expect(merges[0].source).toEqual(first?.reference);
    expect(store.getState().edit?.merge.tau).toBe(9);
  });

  it('refuses to run while the target is the unchanged view, and says what to do', async () => {
    const { engine } = fakeEngine();
    const store = createSessionStore(engine);
    const { actions } = store.getState();
    await actions.loadFiles([{ name: 'a.stl', bytes: new ArrayBuffer(8) }]);
    await actions.runEdit();
    expect(store.getState().error?.message).toContain('nothing to edit');
    expect(store.getState().edit).toBeNull();
  });
});
