/**
 * What a person chooses for one edit (method, edit kind, seed, and any parameter they moved), and its
 * resolution into the numbers a sampler runs with: the preset of (method, kind) on the pack's grid,
 * then the person's overrides. Regenerate is the baseline: a fresh sample conditioned on the target
 * view alone, with the pack's own sampler settings.
 */
import { InvalidArgumentError } from '../errors';
import { type AnchorFlowVariant, EDIT_KINDS, type EditKind, type EditMethod, resolvePreset } from '../flow';

export type EditMethodName = EditMethod | 'regenerate';
export const EDIT_METHOD_NAMES: readonly EditMethodName[] = ['flowedit', 'anchorflow', 'stm', 'regenerate'];

export const METHOD_LABELS: Readonly<Record<EditMethodName, string>> = {
  flowedit: 'FlowEdit (Nano3D)',
  anchorflow: 'AnchorFlow',
  stm: 'STM (CAST3D)',
  regenerate: 'Regenerate (baseline)',
};

export interface EditOverrides {
  steps?: number;
  nMax?: number;
  nAvg?: number;
  sSrc?: number;
  sTgt?: number;
  lambda?: number;
  variant?: AnchorFlowVariant;
  /** Regenerate's guidance scale. */
  cfg?: number;
}

export interface EditSettings extends EditOverrides {
  method: EditMethodName;
  kind: EditKind;
  seed: number;
}

export interface SamplerGrid {
  readonly steps: number;
  readonly shift: number;
  readonly cfg: number;
  readonly guidanceInterval?: readonly [number, number];
}

/** Every number a run used: what params.json records and what reproduces the edit. */
export interface ResolvedEdit {
  method: EditMethodName;
  kind: EditKind;
  seed: number;
  T: number;
  shift: number;
  /** The edit starts at t_{nMax} (Regenerate: nMax = T, from pure noise). */
  nMax: number;
  nAvg: number;
  sSrc: number;
  sTgt: number;
  lambda: number;
  variant: AnchorFlowVariant;
  guidanceInterval: [number, number];
}

function checkMethod(method: string): asserts method is EditMethodName {
  if (!(EDIT_METHOD_NAMES as readonly string[]).includes(method)) {
    throw new InvalidArgumentError(
      `“${method}” is not an edit method.`,
      `Use one of ${EDIT_METHOD_NAMES.join(', ')}.`,
    );
  }
}

function checkKind(kind: string): asserts kind is EditKind {
  if (!(EDIT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidArgumentError(`“${kind}” is not an edit kind.`, `Use one of ${EDIT_KINDS.join(', ')}.`);
  }
}

export function resolveEditSettings(settings: EditSettings, sampler: SamplerGrid): ResolvedEdit {
  checkMethod(settings.method);
  checkKind(settings.kind);
  if (!Number.isSafeInteger(settings.seed) || settings.seed < 0) {
    throw new InvalidArgumentError(
      `seed = ${settings.seed} is not a whole number ≥ 0.`,
      'Pick a seed like 0, 1, 2…',
    );
  }
  const T = settings.steps ?? sampler.steps;
  const shift = sampler.shift;
  const guidanceInterval: [number, number] = sampler.guidanceInterval
    ? [sampler.guidanceInterval[0], sampler.guidanceInterval[1]]
    : [0, 1];
  const base = {
    method: settings.method,
    kind: settings.kind,
    seed: settings.seed,
    T,
    shift,
    guidanceInterval,
  };
  if (settings.method === 'regenerate') {
    const cfg = settings.cfg ?? sampler.cfg;
    return {
      ...base,
      nMax: T,
      nAvg: 1,
      sSrc: cfg,
      sTgt: cfg,
      lambda: settings.lambda ?? 0,
      variant: 'paper',
    };
  }
  const preset = resolvePreset(settings.method, settings.kind, { T, shift });
  const nMax = settings.nMax ?? preset.nMax;
  if (!Number.isInteger(nMax) || nMax < 0 || nMax > T) {
    throw new InvalidArgumentError(
      `n_max = ${nMax} is outside 0..${T}.`,
      'n_max is the step the edit starts at: larger edits more, 0 changes nothing.',
    );
  }
  return {
    ...base,
    nMax,
    nAvg: settings.nAvg ?? preset.nAvg,
    sSrc: settings.sSrc ?? preset.sSrc,
    sTgt: settings.sTgt ?? preset.sTgt,
    lambda: settings.lambda ?? preset.lambda ?? 0,
    variant: settings.variant ?? preset.variant ?? 'paper',
  };
}
