/**
 * The session: the source asset, its grid, what the viewports show, the running job and the history.
 * Components read slices with `useSession(selector)` and change things only through `actions`.
 * The store knows the Engine interface, not whether it is a worker, so it runs in Node tests too.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, type ErrorInfo, FlowsmithError, toErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { TriangleMesh } from '../core/mesh';
import type { RenderedView } from '../core/render';
import type { Engine, InputFile, MeshStats, Progress, VoxelizeStats } from '../engine/engine-api';
import { createEditActions, type EditActions } from './edit-actions';
import { type EditData, type EditOutcome, initialEditData } from './edit-state';
import { type HistoryState, pushCommand, type SessionCommand } from './history';

export interface SourceAsset {
  id: number;
  mesh: TriangleMesh;
  stats: MeshStats;
  grid: VoxelGrid;
  voxelStats: VoxelizeStats;
  warnings: string[];
  /** The files it came from (a copy): what a reload re-imports to restore the session. */
  files: InputFile[];
}

export type DisplayMode = 'mesh' | 'voxels';

/** What the progress panel shows: a stage, a message, a fraction, and for edits the step and an ETA. */
export interface RunProgress {
  stageLabel: string;
  message: string;
  fraction: number;
  etaMs: number | null;
  step?: number;
  total?: number;
}

export type RunStatus =
  | { kind: 'idle' }
  | {
      kind: 'running';
      jobId: string;
      /** 'load' or 'edit': the panel shows the edit's step bar only for edits. */
      job: string;
      label: string;
      progress: RunProgress | null;
      startedAt: number;
    };

export interface Notice {
  id: number;
  text: string;
}

export interface SessionData extends HistoryState<SessionData>, EditData {
  source: SourceAsset | null;
  display: DisplayMode;
  run: RunStatus;
  error: ErrorInfo | null;
  notice: Notice | null;
}

export interface SessionActions extends EditActions {
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

interface SourceScene {
  source: SourceAsset | null;
  views: RenderedView[] | null;
  viewIndex: number;
  target: RenderedView | null;
  edit: EditOutcome | null;
}

/** A new source replaces the views, the target and the result too; undo brings all of them back. */
function replaceSource(next: SourceScene, previous: SourceScene): SessionCommand<SessionData> {
  return {
    label: `Load ${next.source?.stats.fileName ?? ''}`,
    execute: () => ({ ...next }),
    undo: () => ({ ...previous }),
  };
}

const STAGE_LABEL: Record<Progress['stage'], string> = {
  read: 'Reading',
  parse: 'Parsing',
  normalize: 'Normalizing',
  voxelize: 'Voxelizing',
};

export function createSessionStore(engine: Engine): SessionStore {
  return createStore<SessionState>()((set, get) => {
    const apply = (command: SessionCommand<SessionData>) => {
      const state = get();
      set({ ...command.execute(state), ...pushCommand(state, command) });
    };

    const startJob = (job: string, label: string): string => {
      jobs += 1;
      const jobId = `${job}-${jobs}`;
      set({
        run: { kind: 'running', jobId, job, label, progress: null, startedAt: performance.now() },
        error: null,
      });
      return jobId;
    };
    const progress = (jobId: string, p: RunProgress) => {
      const run = get().run;
      if (run.kind === 'running' && run.jobId === jobId) set({ run: { ...run, progress: p } });
    };
    const endJob = (jobId: string) => {
      const run = get().run;
      if (run.kind === 'running' && run.jobId === jobId) set({ run: { kind: 'idle' } });
    };
    const notice = (text: string) => {
      ids += 1;
      set({ notice: { id: ids, text } });
    };
    const editActions = createEditActions({
      engine,
      set: (partial) => set(partial),
      get,
      apply,
      notice,
      startJob,
      progress,
      endJob,
    });

    const actions: SessionActions = {
      ...editActions,
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
        const jobId = startJob('load', `Loading ${files.map((f) => f.name).join(', ')}`);
        // The engine takes the buffers; the session keeps its own copy to restore from after a reload.
        const kept = files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) }));
        try {
          const loaded = await engine.loadSource(files, {
            jobId,
            onProgress: (p) =>
              progress(jobId, {
                stageLabel: STAGE_LABEL[p.stage],
                message: p.message,
                fraction: p.fraction,
                etaMs: null,
              }),
          });
          const views = await engine.renderViews(loaded.grid);
          ids += 1;
          const state = get();
          apply(
            replaceSource(
              { source: { id: ids, ...loaded, files: kept }, views, viewIndex: 0, target: null, edit: null },
              {
                source: state.source,
                views: state.views,
                viewIndex: state.viewIndex,
                target: state.target,
                edit: state.edit,
              },
            ),
          );
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
          endJob(jobId);
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
      ...initialEditData(),
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
