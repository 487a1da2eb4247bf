/**
 * What the person does to edit: pick a view, paint or drop a target, choose a method, run, move τ,
 * compare and export. Runs and τ changes are commands (undo restores the previous result); a run
 * that fails or is cancelled leaves the session as it was.
 */
import { colorField, colorsFor } from '../core/edit/colorize';
import type { EditOverrides, EditSettings } from '../core/edit/settings';
import { viewFootprint } from '../core/edit/view-gate';
import { FlowsmithError, toErrorInfo } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import type { TauRule } from '../core/merge';
import type { TriangleMesh } from '../core/mesh';
import type { RenderedView } from '../core/render';
import type { Engine, MergeOutcome, PackInfo } from '../engine/engine-api';
import type { EditData, EditOutcome, MergeState } from './edit-state';
import { sameImage } from './edit-state';
import type { SessionCommand } from './history';
import type { RestoreEditInput } from './session-persist';
import type { RunProgress, SessionData, SessionState } from './session-store';

export interface EditActions {
  openPack(backend?: 'auto' | 'wasm' | 'webgpu'): Promise<PackInfo | null>;
  selectView(index: number): void;
  setTarget(image: RenderedView | null): void;
  setSettings(change: Partial<EditSettings>): void;
  /** Back to the preset's numbers for the current method and kind. */
  resetOverrides(): void;
  runEdit(): Promise<void>;
  /** Re-merges the shown edit with a new τ, rule or view gate (each defaults to the current one). */
  setTau(tau: number, rule?: TauRule, viewGate?: boolean): Promise<void>;
  setCompare(mode: EditData['compare']): void;
  setOverlay(on: boolean): void;
  surfaceOf(grid: VoxelGrid): Promise<TriangleMesh>;
  exportGlb(): Promise<Uint8Array>;
  exportBundle(): Promise<Uint8Array>;
  /** A saved result back in the engine (its merge re-run, so τ works again); the caller stores it. */
  restoreEdit(input: RestoreEditInput): Promise<EditOutcome>;
}

interface Context {
  engine: Engine;
  set(partial: Partial<SessionState>): void;
  get(): SessionState;
  apply(command: SessionCommand<SessionData>): void;
  notice(text: string): void;
  startJob(kind: string, label: string): string;
  progress(jobId: string, progress: RunProgress): void;
  endJob(jobId: string): void;
}

// Ids from the clock: an edit restored from an earlier session never shares its id with a new one.
let edits = Date.now();
const OVERRIDE_KEYS: (keyof EditOverrides)[] = [
  'steps',
  'nMax',
  'nAvg',
  'sSrc',
  'sTgt',
  'lambda',
  'variant',
  'cfg',
];

const STAGE_LABEL = {
  prepare: 'Preparing',
  encode: 'Encoding',
  edit: 'Editing',
  decode: 'Decoding',
  merge: 'Merging',
};

/** The part of a merge outcome an edit keeps (the labelling stays in the engine). */
function mergeState(outcome: Omit<MergeOutcome, 'components' | 'histogram'>, viewGate: boolean): MergeState {
  const { tau, rule, mask, kept, voxelsChanged, backend, ms } = outcome;
  return { tau, rule, viewGate, mask, kept, voxelsChanged, backend, ms };
}

export function createEditActions(ctx: Context): EditActions {
  const { engine, set, get } = ctx;
  const surfaces = new WeakMap<VoxelGrid, Promise<TriangleMesh>>();
  // One colour field per edit (keyed by its raw grid): moving τ only re-masks it.
  const fields = new WeakMap<VoxelGrid, Uint8Array>();
  const fieldOf = (
    edit: Pick<EditOutcome, 'edited' | 'view' | 'sourceView' | 'targetView'>,
    source: VoxelGrid,
  ) => {
    let field = fields.get(edit.edited);
    if (!field) {
      field = colorField(source, {
        view: edit.view,
        sourceView: edit.sourceView,
        targetView: edit.targetView,
      });
      fields.set(edit.edited, field);
    }
    return field;
  };
  const footprints = new WeakMap<VoxelGrid, Uint8Array>();
  /** The view gate of an edit, from its own views (so it survives undo and reload). */
  const footprintOf = (edit: Pick<EditOutcome, 'edited' | 'view' | 'sourceView' | 'targetView'>) => {
    let footprint = footprints.get(edit.edited);
    if (!footprint) {
      footprint = viewFootprint(edit.edited.resolution, edit.view, edit.sourceView, edit.targetView);
      footprints.set(edit.edited, footprint);
    }
    return footprint;
  };
  /** Which edit the engine's last merge (its component labelling) belongs to. */
  let mergedEdit: number | null = null;

  const mergeAgain = async (
    edit: Pick<EditOutcome, 'id' | 'reference' | 'edited' | 'view' | 'sourceView' | 'targetView'>,
    tau: number,
    rule: TauRule,
    viewGate: boolean,
  ) => {
    const source = get().source;
    if (!source) throw new FlowsmithError('invalid-argument', 'There is no source.', 'Load a mesh.');
    const outcome = await engine.voxelMerge({
      source: edit.reference.slice(),
      edited: edit.edited.occupancy.slice(),
      base: source.grid.occupancy.slice(),
      resolution: source.grid.resolution,
      tau,
      rule,
      footprint: viewGate ? footprintOf(edit).slice() : undefined,
    });
    mergedEdit = edit.id;
    return outcome;
  };

  const busy = (): boolean => {
    if (get().run.kind !== 'running') return false;
    get().actions.reportError(
      new FlowsmithError(
        'invalid-argument',
        'Another job is still running.',
        'Wait for it or cancel it first.',
      ),
    );
    return true;
  };

  return {
    async openPack(backend) {
      const open = get().pack;
      if (open && (backend === undefined || backend === 'auto' || backend === open.backend)) return open;
      try {
        const pack = await engine.openPack({ backend });
        set({ pack });
        if (pack.notice) ctx.notice(pack.notice);
        return pack;
      } catch (error) {
        set({ error: toErrorInfo(error) });
        return null;
      }
    },

    selectView(index) {
      const before = { viewIndex: get().viewIndex, target: get().target };
      if (index === before.viewIndex) return;
      ctx.apply({
        label: `View ${index}`,
        execute: () => ({ viewIndex: index, target: null }),
        undo: () => before,
      });
    },

    setTarget(image) {
      set({ target: image });
    },

    setSettings(change) {
      const current = get().settings;
      let next: EditSettings = { ...current, ...change };
      if (
        (change.method && change.method !== current.method) ||
        (change.kind && change.kind !== current.kind)
      ) {
        // A new method or kind starts from its preset, not from numbers tuned for another one.
        next = { method: next.method, kind: next.kind, seed: next.seed };
      }
      set({ settings: next });
    },

    resetOverrides() {
      const s = get().settings;
      const clean: EditSettings = { method: s.method, kind: s.kind, seed: s.seed };
      for (const key of OVERRIDE_KEYS) delete (clean as unknown as Record<string, unknown>)[key];
      set({ settings: clean });
    },

    async runEdit() {
      const state = get();
      if (busy()) return;
      const source = state.source;
      const sourceView = state.views?.[state.viewIndex];
      if (!source || !sourceView) {
        state.actions.reportError(
          new FlowsmithError('invalid-argument', 'There is no source to edit.', 'Load a mesh first.'),
        );
        return;
      }
      const target = state.target;
      if (!target || sameImage(target, sourceView)) {
        state.actions.reportError(
          new FlowsmithError(
            'invalid-argument',
            'The target is the unchanged view, so there is nothing to edit.',
            'Paint on the view (the eraser removes, a colour adds) or drop an edited image, then run.',
          ),
        );
        return;
      }
      const jobId = ctx.startJob('edit', `Editing with ${state.settings.method}`);
      set({ preview: null });
      try {
        const result = await engine.runEdit(
          {
            source: source.grid,
            view: state.viewIndex,
            target,
            settings: state.settings,
            merge: { tau: state.tau, rule: state.rule, viewGate: state.viewGate },
          },
          {
            jobId,
            previewEvery: 5,
            onProgress: (p) => {
              ctx.progress(jobId, {
                stageLabel: STAGE_LABEL[p.stage],
                message: p.message,
                fraction: p.fraction,
                etaMs: p.etaMs,
                step: p.step,
                total: p.total,
              });
              if (p.preview) set({ preview: p.preview });
            },
          },
        );
        edits += 1;
        const outcome: EditOutcome = {
          id: edits,
          resolved: result.resolved,
          view: state.viewIndex,
          sourceView: result.sourceView,
          targetView: target,
          edited: result.edited,
          reference: result.reference,
          components: result.merge.components,
          histogram: result.merge.histogram,
          merge: mergeState(result.merge, result.footprint !== null),
          result: result.result,
          timings: result.timings,
          backend: result.backend,
        };
        if (result.footprint) footprints.set(outcome.edited, result.footprint);
        mergedEdit = outcome.id;
        const previous = get().edit;
        ctx.apply({
          label: `Edit (${outcome.resolved.method})`,
          execute: () => ({ edit: outcome, compare: 'merged' }),
          undo: () => ({ edit: previous }),
        });
      } catch (error) {
        if (error instanceof FlowsmithError && error.code === 'cancelled') {
          ctx.notice('Edit cancelled; the source and the last result are unchanged.');
        } else {
          set({ error: toErrorInfo(error) });
        }
      } finally {
        set({ preview: null });
        ctx.endJob(jobId);
      }
    },

    async setTau(tau, rule, viewGate) {
      const state = get();
      const nextRule = rule ?? state.rule;
      const gate = viewGate ?? state.viewGate;
      const edit = state.edit;
      if (!edit || !state.source) {
        set({ tau, rule: nextRule, viewGate: gate });
        return;
      }
      try {
        // The engine keeps the labelling of its last merge only: after an undo, a reload or a lost
        // device that is not this edit's, so the edit's own grids are merged again instead.
        let outcome: Awaited<ReturnType<Engine['remerge']>>;
        if (mergedEdit === edit.id) {
          try {
            outcome = await engine.remerge({
              tau,
              rule: nextRule,
              footprint: gate ? footprintOf(edit).slice() : undefined,
            });
          } catch {
            outcome = await mergeAgain(edit, tau, nextRule, gate);
          }
        } else {
          outcome = await mergeAgain(edit, tau, nextRule, gate);
        }
        const merged: EditOutcome = {
          ...edit,
          merge: mergeState(outcome, gate),
          result: {
            resolution: edit.result.resolution,
            occupancy: outcome.merged,
            colors: colorsFor(fieldOf(edit, state.source.grid), outcome.merged),
          },
        };
        const before = { edit, tau: state.tau, rule: state.rule, viewGate: state.viewGate };
        ctx.apply({
          label: `τ ${tau} (${nextRule}${gate ? '' : ', no view gate'})`,
          execute: () => ({ edit: merged, tau, rule: nextRule, viewGate: gate }),
          undo: () => before,
        });
      } catch (error) {
        set({ error: toErrorInfo(error) });
      }
    },

    setCompare(compare) {
      set({ compare });
    },

    setOverlay(overlay) {
      set({ overlay });
    },

    surfaceOf(grid) {
      let mesh = surfaces.get(grid);
      if (!mesh) {
        mesh = engine.surface(grid);
        surfaces.set(grid, mesh);
        mesh.catch(() => surfaces.delete(grid));
      }
      return mesh;
    },

    async restoreEdit(input) {
      const source = get().source;
      if (!source)
        throw new FlowsmithError('invalid-argument', 'There is no source to restore onto.', 'Load a mesh.');
      const R = source.grid.resolution;
      const viewGate = input.viewGate ?? true;
      const merge = await mergeAgain(input, input.tau, input.rule, viewGate);
      const { tau: _tau, rule: _rule, viewGate: _gate, ...rest } = input;
      return {
        ...rest,
        components: merge.components,
        histogram: merge.histogram,
        merge: mergeState(merge, viewGate),
        result: {
          resolution: R,
          occupancy: merge.merged,
          colors: colorsFor(fieldOf(input, source.grid), merge.merged),
        },
      };
    },

    async exportGlb() {
      const edit = get().edit;
      if (!edit)
        throw new FlowsmithError('invalid-argument', 'There is no result to export.', 'Run an edit first.');
      return engine.exportGlb(get().compare === 'raw' ? edit.edited : edit.result, 'flowsmith-edit');
    },

    async exportBundle() {
      const { edit, source, pack } = get();
      if (!edit || !source) {
        throw new FlowsmithError('invalid-argument', 'There is no result to export.', 'Run an edit first.');
      }
      return engine.exportBundle({
        source: source.grid,
        result: edit.result,
        mask: edit.merge.mask,
        sourceView: edit.sourceView,
        targetView: edit.targetView,
        params: {
          ...edit.resolved,
          tau: edit.merge.tau,
          rule: edit.merge.rule,
          viewGate: edit.merge.viewGate,
          view: edit.view,
          pack: pack ? { name: pack.name, ss_flow_sha256: pack.hash } : null,
          source: source.stats.fileName,
          backend: edit.backend,
          timings: edit.timings,
        },
      });
    },
  };
}
