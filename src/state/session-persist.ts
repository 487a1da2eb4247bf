/**
 * The session ⇄ storage: what survives a reload. The source is stored as the files it came from
 * (re-importing them is deterministic and gives back the mesh, the grid and the views), the target
 * and the result as arrays, everything small as JSON. Restoring re-runs the merge once, so the τ
 * slider works on a restored result as it did before the reload.
 */
import type { EditSettings, ResolvedEdit } from '../core/edit/settings';
import { toErrorInfo } from '../core/errors';
import type { TauRule } from '../core/merge';
import type { RenderedView } from '../core/render';
import type { EditTimings } from '../engine/engine-api';
import type { EditOutcome } from './edit-state';
import type { JsonValue, PersistedSession } from './persist';
import type { SessionState, SessionStore } from './session-store';

export const SESSION_VERSION = 1;
/** Bigger sources are not kept across reloads (the rest of the session still is not worth it alone). */
export const MAX_PERSISTED_FILE_BYTES = 64 * 1024 * 1024;

interface EditMeta {
  id: number;
  resolved: ResolvedEdit;
  view: number;
  tau: number;
  rule: TauRule;
  /** Absent in sessions saved before the gate existed: on. */
  viewGate?: boolean;
  timings: EditTimings;
  backend: string;
}

interface SessionMeta {
  files: string[];
  viewIndex: number;
  settings: EditSettings;
  tau: number;
  rule: TauRule;
  viewGate?: boolean;
  hasTarget: boolean;
  edit: EditMeta | null;
}

function image(view: RenderedView): Uint8Array {
  return view.data;
}

function view(data: Uint8Array | undefined): RenderedView | null {
  if (!data || data.length !== 128 * 128 * 4) return null;
  return { width: 128, height: 128, data };
}

export function toSnapshot(state: SessionState): PersistedSession | null {
  const { source } = state;
  if (!source) return null;
  const bytes = source.files.reduce((n, f) => n + f.bytes.byteLength, 0);
  if (bytes > MAX_PERSISTED_FILE_BYTES || source.files.length === 0) return null;
  const arrays: PersistedSession['arrays'] = {};
  source.files.forEach((f, i) => {
    arrays[`file${i}`] = new Uint8Array(f.bytes);
  });
  if (state.target) arrays.target = image(state.target);
  const edit = state.edit;
  let editMeta: EditMeta | null = null;
  if (edit) {
    editMeta = {
      id: edit.id,
      resolved: edit.resolved,
      view: edit.view,
      tau: edit.merge.tau,
      rule: edit.merge.rule,
      viewGate: edit.merge.viewGate,
      timings: edit.timings,
      backend: edit.backend,
    };
    arrays.editedOccupancy = edit.edited.occupancy;
    arrays.editedColors = edit.edited.colors;
    arrays.reference = edit.reference;
    arrays.sourceView = image(edit.sourceView);
    arrays.targetView = image(edit.targetView);
  }
  const meta: SessionMeta = {
    files: source.files.map((f) => f.name),
    viewIndex: state.viewIndex,
    settings: state.settings,
    tau: state.tau,
    rule: state.rule,
    viewGate: state.viewGate,
    hasTarget: state.target !== null,
    edit: editMeta,
  };
  return {
    version: SESSION_VERSION,
    savedAt: new Date().toISOString(),
    meta: JSON.parse(JSON.stringify(meta)) as JsonValue,
    arrays,
  };
}

/** Puts a saved session back: re-import, views, target, settings, and the last result with its merge. */
export async function restoreSnapshot(store: SessionStore, saved: PersistedSession): Promise<boolean> {
  if (saved.version !== SESSION_VERSION) return false;
  const meta = saved.meta as unknown as SessionMeta;
  const files = meta.files.map((name, i) => {
    const data = saved.arrays[`file${i}`] as Uint8Array;
    return { name, bytes: data.slice().buffer as ArrayBuffer };
  });
  const { actions } = store.getState();
  await actions.loadFiles(files);
  const state = store.getState();
  if (!state.source) return false;
  store.setState({
    viewIndex: meta.viewIndex,
    settings: meta.settings,
    tau: meta.tau,
    rule: meta.rule,
    viewGate: meta.viewGate ?? true,
    target: meta.hasTarget ? view(saved.arrays.target as Uint8Array) : null,
    // The restored session starts a fresh history: its commands' closures did not survive the reload.
    past: [],
    future: [],
  });
  const e = meta.edit;
  if (e) {
    const reference = saved.arrays.reference as Uint8Array;
    const edited = {
      resolution: state.source.grid.resolution,
      occupancy: saved.arrays.editedOccupancy as Uint8Array,
      colors: saved.arrays.editedColors as Uint8Array,
    };
    const sourceView = view(saved.arrays.sourceView as Uint8Array);
    const targetView = view(saved.arrays.targetView as Uint8Array);
    if (sourceView && targetView) {
      try {
        const outcome = await actions.restoreEdit({
          id: e.id,
          resolved: e.resolved,
          view: e.view,
          sourceView,
          targetView,
          edited,
          reference,
          tau: e.tau,
          rule: e.rule,
          viewGate: e.viewGate ?? true,
          timings: e.timings,
          backend: e.backend,
        });
        store.setState({ edit: outcome });
      } catch (error) {
        store.setState({ error: toErrorInfo(error) });
      }
    }
  }
  return true;
}

export type RestoreEditInput = Omit<EditOutcome, 'components' | 'histogram' | 'merge' | 'result'> & {
  tau: number;
  rule: TauRule;
  viewGate?: boolean;
};
