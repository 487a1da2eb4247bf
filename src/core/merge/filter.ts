/**
 * τ filtering and the merge itself (CPU twin of the mask and merge kernels).
 *
 * The two rules, exactly:
 * - fixed (Nano3D paper, §Voxel-Merge; τ = 100 there): keep component c iff size(c) ≥ τ.
 * - adaptive (released Nano3D code, `filter_edit_regions(..., min_size=250)`): τ_eff = τ / 2^k for
 *   the smallest integer k ≥ 0 with max_c size(c) > τ_eff, then keep c iff size(c) > τ_eff. Halving
 *   is float division (250 → 125 → 62.5 → 31.25 …, exact in binary floating point), not integer
 *   division. So the largest component always survives, and with it every component tied with it.
 *   With no components τ_eff = τ. The released loop is `while max < τ and τ >= 1: τ /= 2`; it agrees
 *   with this rule except when max equals τ/2^k exactly (e.g. a largest component of 250 or 125
 *   voxels with τ = 250), where that loop stops at τ_eff = max and its `> τ_eff` test then drops
 *   the largest component, leaving an empty mask. We follow the stated intent ("halve until the
 *   largest component survives"); the `τ >= 1` guard never matters here because sizes are ≥ 1.
 */
import { InvalidArgumentError } from '../errors';
import { type ComponentTable, componentIdOf } from './components';

export type TauRule = 'fixed' | 'adaptive';

export const TAU_RULES: readonly TauRule[] = ['fixed', 'adaptive'];

/** Paper default for the fixed rule, released-code default for the adaptive one. */
export const DEFAULT_TAU: Readonly<Record<TauRule, number>> = { fixed: 100, adaptive: 250 };

export function checkTau(tau: number, rule: string): asserts rule is TauRule {
  if (!TAU_RULES.includes(rule as TauRule)) {
    throw new InvalidArgumentError(
      `Unknown τ rule “${rule}”.`,
      'Use “fixed” (keep components of at least τ voxels) or “adaptive” (halve τ until the largest survives).',
    );
  }
  if (typeof tau !== 'number' || !Number.isFinite(tau) || tau <= 0) {
    throw new InvalidArgumentError(
      `τ must be a finite number greater than 0; got ${String(tau)}.`,
      `τ is a component size in voxels; the defaults are ${DEFAULT_TAU.fixed} (fixed) and ${DEFAULT_TAU.adaptive} (adaptive).`,
    );
  }
}

/**
 * The threshold the rule ends up using: τ itself for fixed, τ/2^k for adaptive (see above). With
 * `allowed` (the view gate), only allowed components compete for "largest".
 */
export function effectiveTau(
  table: ComponentTable,
  tau: number,
  rule: TauRule,
  allowed?: Uint8Array,
): number {
  if (rule === 'fixed' || table.count === 0) return tau;
  let largest = 0;
  for (let c = 0; c < table.count; c++) {
    if (allowed && !allowed[c]) continue;
    if (table.size[c] > largest) largest = table.size[c];
  }
  if (largest === 0) return tau;
  let t = tau;
  while (largest <= t) t /= 2;
  return t;
}

export interface Selection {
  /** The threshold applied (τ_eff for adaptive). */
  tau: number;
  /** Ids of the kept components, ascending. */
  kept: number[];
  /** 1 per kept component id, 0 otherwise (what the mask kernel reads). */
  keep: Uint8Array;
  /** Sum of kept sizes: how many voxels the merged grid differs from the source in. */
  voxelsChanged: number;
}

/**
 * Components that pass τ under `rule`; with `allowed` (1 per component id, see componentsInFootprint),
 * only among the allowed ones.
 */
export function selectComponents(
  table: ComponentTable,
  tau: number,
  rule: TauRule,
  keep: Uint8Array = new Uint8Array(table.count),
  allowed?: Uint8Array,
): Selection {
  checkTau(tau, rule);
  if (allowed && allowed.length < table.count) {
    throw new RangeError(`selectComponents: ${allowed.length} gate flags for ${table.count} components.`);
  }
  const t = effectiveTau(table, tau, rule, allowed);
  const kept: number[] = [];
  let voxelsChanged = 0;
  for (let c = 0; c < table.count; c++) {
    const s = table.size[c];
    const on = (!allowed || allowed[c] === 1) && (rule === 'fixed' ? s >= t : s > t);
    keep[c] = on ? 1 : 0;
    if (on) {
      kept.push(c);
      voxelsChanged += s;
    }
  }
  return { tau: t, kept, keep, voxelsChanged };
}

/** Kernel "mask": m[i] = 1 where voxel i belongs to a kept component. */
export function buildMask(
  ids: Int32Array,
  keep: Uint8Array,
  mask: Uint8Array = new Uint8Array(ids.length),
): Uint8Array {
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const c = ids[i];
    mask[i] = c < 0 ? 0 : keep[c];
  }
  return mask;
}

/** Kernel "merge": s_tgt = s_src ⊕ m, so every voxel outside m is the source's, bit for bit. */
export function applyMerge(
  src: Uint8Array,
  mask: Uint8Array,
  merged: Uint8Array = new Uint8Array(src.length),
): Uint8Array {
  const n = src.length;
  for (let i = 0; i < n; i++) merged[i] = src[i] ^ mask[i];
  return merged;
}

/**
 * The view gate per component: allowed[c] = 1 iff some voxel of component c lies in `footprint`
 * (R³, 1 where a voxel may change). `foreground` lists the differing voxels, `componentOf` their ids.
 */
export function componentsInFootprint(
  foreground: Int32Array,
  componentOf: Int32Array,
  count: number,
  footprint: Uint8Array,
): Uint8Array {
  const allowed = new Uint8Array(count);
  for (let k = 0; k < foreground.length; k++) if (footprint[foreground[k]]) allowed[componentOf[k]] = 1;
  return allowed;
}

/**
 * The same from canonical labels (smallest voxel index per component, -1 background) and the table's
 * ascending label list: what the GPU merge reads back.
 */
export function componentsInFootprintByLabel(
  labels: Int32Array,
  table: ComponentTable,
  footprint: Uint8Array,
): Uint8Array {
  const allowed = new Uint8Array(table.count);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || !footprint[i]) continue;
    const c = componentIdOf(table, labels[i]);
    if (c >= 0) allowed[c] = 1;
  }
  return allowed;
}
