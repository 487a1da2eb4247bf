/**
 * Scores of one edit against its ground truth, and their means per (method, output, kind): the
 * numbers of the pack's quality report. Definitions live in DEFINITIONS, which the report prints, so
 * the JSON and the table say what they measured.
 */
import {
  chamferDistance,
  editRegion,
  type RgbaImage,
  silhouetteIoU,
  voxelIoU,
  voxelsDiffering,
} from '../../src/core/metrics';
import { renderView } from '../../src/core/render';
import type { EditPairData } from './pairs';

/** Dilation of the true edit region, in voxels (26-neighbourhood). */
export const REGION_DILATION = 1;
/** Success, fixed before any edit was measured: the edit is mostly right and nothing else moved. */
export const SUCCESS_REGION_IOU = 0.5;
/** The target for the edited region. */
export const TARGET_REGION_IOU = 0.8;

export const DEFINITIONS = {
  iou: 'voxel IoU of the output with the true target grid, whole object',
  region: `true edit region = voxels where source and true target differ, dilated by ${REGION_DILATION} voxel (26-neighbourhood)`,
  regionIoU: 'voxel IoU of the output with the true target inside the edit region',
  outsideIoU: 'voxel IoU of the output with the source outside the edit region (1 = preserved exactly)',
  outsideChamfer:
    'symmetric Chamfer distance ½(mean_a d(a,B) + mean_b d(b,A)) between output and source voxels outside the edit region, in voxel units (1 voxel = 1/64 of the unit cube); 0 when identical',
  silhouetteIoU: 'IoU of non-background pixels: output rendered at the person’s view vs the target image',
  success: `edited-region IoU ≥ ${SUCCESS_REGION_IOU} and outside IoU = 1 (every voxel outside the region kept)`,
  regionAtTarget: `share of edits with edited-region IoU ≥ ${TARGET_REGION_IOU} (the issue's target)`,
  successBeyondIdentity:
    'share of pairs that succeed where the source itself (doing nothing) does not: some replacements overlap so much that the source already passes',
  regionGain:
    'mean over pairs of (edited-region IoU − the source’s own edited-region IoU): how far the output moved toward the target where it had to change (0 = no better than doing nothing)',
  time: 'mean wall time of one engine.runEdit (render, encode, steps, decode, merge, colour), onnxruntime-node CPU',
} as const;

export interface Scores {
  iou: number;
  regionIoU: number;
  outsideIoU: number;
  /** null where the output or the source has no voxel outside the region (∞). */
  outsideChamfer: number | null;
  outsideChanged: number;
  silhouetteIoU: number;
}

export interface PairContext {
  pair: EditPairData;
  region: Uint8Array;
  targetView: RgbaImage;
}

export function pairContext(pair: EditPairData): PairContext {
  const R = pair.source.resolution;
  return {
    pair,
    region: editRegion(pair.source.occupancy, pair.target.occupancy, R, REGION_DILATION),
    targetView: renderView(pair.target, pair.view),
  };
}

export function score(ctx: PairContext, output: Uint8Array, colors?: Uint8Array): Scores {
  const { pair, region } = ctx;
  const R = pair.source.resolution;
  const outside = { mask: region, inside: false };
  const outsideIoU = voxelIoU(output, pair.source.occupancy, outside);
  const chamfer = outsideIoU === 1 ? 0 : chamferDistance(output, pair.source.occupancy, R, outside);
  // Silhouettes need colours only to tell voxels from background; grey stands in when there are none.
  const grid = { resolution: R, occupancy: output, colors: colors ?? new Uint8Array(3 * R ** 3).fill(128) };
  return {
    iou: voxelIoU(output, pair.target.occupancy),
    regionIoU: voxelIoU(output, pair.target.occupancy, { mask: region, inside: true }),
    outsideIoU,
    outsideChamfer: Number.isFinite(chamfer) ? chamfer : null,
    outsideChanged: voxelsDiffering(output, pair.source.occupancy, outside),
    silhouetteIoU: silhouetteIoU(renderView(grid, pair.view), ctx.targetView),
  };
}

export interface Row {
  pair: number;
  family: string;
  kind: string;
  seed: number;
  view: number;
  /** flowedit, regenerate, …, or a reference: identity (the source), reconstruction (VAE round trip). */
  method: string;
  /** raw: the sampler's decoded grid; merged: after Voxel-Merge into the source (rule:τ). */
  output: string;
  scores: Scores;
  ms: number | null;
  voxelsChanged?: number;
  componentsKept?: number;
}

export interface Summary {
  method: string;
  output: string;
  kind: string;
  n: number;
  iou: number;
  regionIoU: number;
  outsideIoU: number;
  outsidePreserved: number;
  outsideChamfer: number | null;
  silhouetteIoU: number;
  success: number;
  successBeyondIdentity: number;
  regionAtTarget: number;
  regionGain: number;
  msPerEdit: number | null;
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const share = (xs: boolean[]): number => mean(xs.map((x) => (x ? 1 : 0)));

export function isSuccess(s: Scores): boolean {
  return s.regionIoU >= SUCCESS_REGION_IOU && s.outsideIoU === 1;
}

export function summarize(rows: Row[]): Summary[] {
  const identityRows = rows.filter((r) => r.method === 'identity');
  const identity = new Map(identityRows.map((r) => [r.pair, r.scores.regionIoU]));
  const identityPasses = new Set(identityRows.filter((r) => isSuccess(r.scores)).map((r) => r.pair));
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    for (const kind of [r.kind, 'all']) {
      const key = `${r.method}\u0000${r.output}\u0000${kind}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups.entries()].map(([key, rs]) => {
    const [method, output, kind] = key.split('\u0000');
    const s = rs.map((r) => r.scores);
    const chamfers = s.map((x) => x.outsideChamfer).filter((x): x is number => x !== null);
    const times = rs.map((r) => r.ms).filter((x): x is number => x !== null);
    return {
      method,
      output,
      kind,
      n: rs.length,
      iou: mean(s.map((x) => x.iou)),
      regionIoU: mean(s.map((x) => x.regionIoU)),
      outsideIoU: mean(s.map((x) => x.outsideIoU)),
      outsidePreserved: share(s.map((x) => x.outsideIoU === 1)),
      outsideChamfer: chamfers.length ? mean(chamfers) : null,
      silhouetteIoU: mean(s.map((x) => x.silhouetteIoU)),
      success: share(s.map(isSuccess)),
      successBeyondIdentity: share(rs.map((r) => isSuccess(r.scores) && !identityPasses.has(r.pair))),
      regionAtTarget: share(s.map((x) => x.regionIoU >= TARGET_REGION_IOU)),
      regionGain: mean(rs.map((r) => r.scores.regionIoU - (identity.get(r.pair) ?? Number.NaN))),
      msPerEdit: times.length ? mean(times) : null,
    };
  });
}
