import { describe, expect, it } from 'vitest';
import { CancelledError, CorruptFileError } from '../core/errors';
import { createGrid } from '../core/grid';
import type { Engine, InputFile, JobOptions, LoadedSource } from '../engine/engine-api';
import { createSessionStore } from './session-store';

function loaded(name: string, occupied: number): LoadedSource {
  const mesh = { positions: new Float32Array(9), indices: new Uint32Array([0, 1, 2]), materials: [] };
  const b = { min: [0, 0, 0] as [number, number, number], max: [1, 1, 1] as [number, number, number] };
  return {
    mesh: { ...mesh, materials: [{ color: [1, 1, 1] }] },
    stats: {
      fileName: name,
      format: 'stl',
      triangles: 1,
      vertices: 3,
      sourceBounds: b,
      bounds: b,
      scale: 1,
      offset: [0, 0, 0],
      hasVertexColors: false,
      hasTexture: false,
      importMs: 1,
    },
    grid: createGrid(4),
    voxelStats: { resolution: 4, occupied, voxelizeMs: 1 },
    warnings: name.startsWith('warn') ? ['The texture “wood.png” was not given; imported without it.'] : [],
  };
}

/** An engine whose loadSource result is scripted per file name; it honours cancel like the real one. */
function scriptedEngine(): Engine & { pending?: () => void } {
  const cancelled = new Set<string>();
  const engine: Engine & { pending?: () => void } = {
    info: async () => ({ backend: 'in-process', webgpu: false }),
    importMesh: async () => {
      throw new Error('unused');
    },
    voxelize: async () => {
      throw new Error('unused');
    },
    async loadSource(files: InputFile[], options: JobOptions = {}) {
      const name = files[0].name;
      options.onProgress?.({ stage: 'parse', fraction: 0.5, message: 'parsing' });
      if (name.startsWith('bad')) throw new CorruptFileError(name, 'the header is truncated');
      if (name.startsWith('slow')) {
        await new Promise<void>((resolve) => {
          engine.pending = resolve;
        });
        if (options.jobId && cancelled.has(options.jobId)) throw new CancelledError('Loading');
      }
      return loaded(name, name.length);
    },
    voxelMerge: async () => {
      throw new Error('unused');
    },
    remerge: async () => {
      throw new Error('unused');
    },
    openPack: async () => {
      throw new Error('unused');
    },
    renderViews: async () => [],
    runEdit: async () => {
      throw new Error('unused');
    },
    surface: async () => {
      throw new Error('unused');
    },
    exportGlb: async () => new Uint8Array(0),
    exportBundle: async () => new Uint8Array(0),
    async cancel(jobId: string) {
      cancelled.add(jobId);
      engine.pending?.();
    },
  };
  return engine;
}

const file = (name: string): InputFile => ({ name, bytes: new ArrayBuffer(4) });

describe('session store', () => {
  it('loads a source and records it in history', async () => {
    const store = createSessionStore(scriptedEngine());
    await store.getState().actions.loadFiles([file('chair.glb')]);
    const s = store.getState();
    expect(s.source?.stats.fileName).toBe('chair.glb');
    expect(s.run.kind).toBe('idle');
    expect(s.past.map((c) => c.label)).toEqual(['Load chair.glb']);
  });

  it('keeps the earlier source when a load fails and shows a typed error', async () => {
    const store = createSessionStore(scriptedEngine());
    await store.getState().actions.loadFiles([file('chair.glb')]);
    await store.getState().actions.loadFiles([file('bad.glb')]);
    const s = store.getState();
    expect(s.source?.stats.fileName).toBe('chair.glb');
    expect(s.error?.code).toBe('corrupt-file');
    expect(s.error?.hint).toMatch(/Re-export/);
    expect(s.past).toHaveLength(1);
    store.getState().actions.dismissError();
    expect(store.getState().error).toBeNull();
  });

  it('cancelling a load leaves the session as it was, with a notice and no error', async () => {
    const engine = scriptedEngine();
    const store = createSessionStore(engine);
    await store.getState().actions.loadFiles([file('chair.glb')]);
    const loading = store.getState().actions.loadFiles([file('slow.obj')]);
    await Promise.resolve();
    expect(store.getState().run.kind).toBe('running');
    await store.getState().actions.cancelRun();
    await loading;
    const s = store.getState();
    expect(s.run.kind).toBe('idle');
    expect(s.source?.stats.fileName).toBe('chair.glb');
    expect(s.error).toBeNull();
    expect(s.notice?.text).toMatch(/cancelled/);
  });

  it('shows import warnings as a notice, not as an error', async () => {
    const store = createSessionStore(scriptedEngine());
    await store.getState().actions.loadFiles([file('warn.obj')]);
    const s = store.getState();
    expect(s.source?.warnings).toHaveLength(1);
    expect(s.notice?.text).toContain('wood.png');
    expect(s.error).toBeNull();
  });

  it('tracks progress while running', async () => {
    const engine = scriptedEngine();
    const store = createSessionStore(engine);
    const loading = store.getState().actions.loadFiles([file('slow.obj')]);
    await Promise.resolve();
    const run = store.getState().run;
    expect(run.kind === 'running' && run.progress?.stageLabel).toBe('Parsing');
    engine.pending?.();
    await loading;
  });

  it('undoes and redoes loads', async () => {
    const store = createSessionStore(scriptedEngine());
    const { actions } = store.getState();
    await actions.loadFiles([file('a.stl')]);
    await actions.loadFiles([file('b.stl')]);
    actions.undo();
    expect(store.getState().source?.stats.fileName).toBe('a.stl');
    actions.undo();
    expect(store.getState().source).toBeNull();
    actions.undo();
    expect(store.getState().source).toBeNull();
    actions.redo();
    actions.redo();
    expect(store.getState().source?.stats.fileName).toBe('b.stl');
    actions.undo();
    await actions.loadFiles([file('c.stl')]);
    expect(store.getState().future).toHaveLength(0);
  });
});
