/**
 * The session: the source asset, its grid, what the viewports show, the running job and the history.
 * Components read slices with `useSession(selector)` and change things only through `actions`.
 * The store knows the Engine interface, not whether it is a worker, so it runs in Node tests too.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, type ErrorInfo, FlowsmithError, toErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { TriangleMesh } from '../core/mesh';
import type { Engine, InputFile, MeshStats, Progress, VoxelizeStats } from '../engine/engine-api';
import { type HistoryState, pushCommand, type SessionCommand } from './history';

export interface SourceAsset {
  id: number;
  mesh: TriangleMesh;
  stats: MeshStats;
  grid: VoxelGrid;
  voxelStats: VoxelizeStats;
  warnings: string[];
}

export type DisplayMode = 'mesh' | 'voxels';

export type RunStatus =
  | { kind: 'idle' }
  | { kind: 'running'; jobId: string; label: string; progress: Progress | null; startedAt: number };

export interface Notice {
  id: number;
  text: string;
}

export interface SessionData extends HistoryState<SessionData> {
  source: SourceAsset | null;
  display: DisplayMode;
  run: RunStatus;
  error: ErrorInfo | null;
  notice: Notice | null;
}

export interface SessionActions {
  /** Imports and voxelizes the files; on failure the current source stays loaded. */
  loadFiles(files: InputFile[]): Promise<void>;
  cancelRun(): Promise<void>;
  setDisplay(mode: DisplayMode): void;
  dismissError(): void;
  reportError(error: unknown): void;
  undo(): void;
  redo(): void;
}

export type SessionState = SessionData & { actions: SessionActions };
export type SessionStore = StoreApi<SessionState>;

let jobs = 0;
let ids = 0;

function replaceSource(next: SourceAsset, previous: SourceAsset | null): SessionCommand<SessionData> {
  return {
    label: `Load ${next.stats.fileName}`,
    execute: () => ({ source: next }),
    undo: () => ({ source: previous }),
  };
}

export function createSessionStore(engine: Engine): SessionStore {
  return createStore<SessionState>()((set, get) => {
    const apply = (command: SessionCommand<SessionData>) => {
      const state = get();
      set({ ...command.execute(state), ...pushCommand(state, command) });
    };

    const actions: SessionActions = {
      async loadFiles(files) {
        if (get().run.kind === 'running') {
          get().actions.reportError(
            new FlowsmithError(
              'invalid-argument',
              'Another job is still running.',
              'Wait for it or cancel it first.',
            ),
          );
          return;
        }
        jobs += 1;
        const jobId = `load-${jobs}`;
        const label = `Loading ${files.map((f) => f.name).join(', ')}`;
        set({
          run: { kind: 'running', jobId, label, progress: null, startedAt: performance.now() },
          error: null,
        });
        try {
          const loaded = await engine.loadSource(files, {
            jobId,
            onProgress: (progress) => {
              const run = get().run;
              if (run.kind === 'running' && run.jobId === jobId) set({ run: { ...run, progress } });
            },
          });
          ids += 1;
          apply(replaceSource({ id: ids, ...loaded }, get().source));
          if (loaded.warnings.length > 0) {
            ids += 1;
            set({ notice: { id: ids, text: `Loaded with warnings: ${loaded.warnings.join(' ')}` } });
          }
        } catch (error) {
          if (error instanceof FlowsmithError && error.code === 'cancelled') {
            ids += 1;
            set({ notice: { id: ids, text: 'Loading cancelled; nothing changed.' } });
          } else {
            set({ error: toErrorInfo(error) });
          }
        } finally {
          const run = get().run;
          if (run.kind === 'running' && run.jobId === jobId) set({ run: { kind: 'idle' } });
        }
      },
      async cancelRun() {
        const run = get().run;
        if (run.kind === 'running') await engine.cancel(run.jobId);
      },
      setDisplay(display) {
        set({ display });
      },
      dismissError() {
        set({ error: null });
      },
      reportError(error) {
        if (error instanceof CancelledError) return;
        set({ error: toErrorInfo(error) });
      },
      undo() {
        const state = get();
        const command = state.past.at(-1);
        if (!command) return;
        set({ ...command.undo(state), past: state.past.slice(0, -1), future: [command, ...state.future] });
      },
      redo() {
        const state = get();
        const [command, ...rest] = state.future;
        if (!command) return;
        set({ ...command.execute(state), past: [...state.past, command], future: rest });
      },
    };

    return {
      source: null,
      display: 'mesh',
      run: { kind: 'idle' },
      error: null,
      notice: null,
      past: [],
      future: [],
      actions,
    };
  });
}
