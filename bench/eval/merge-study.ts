/**
 * `npm run eval -- merge-study [--split val] [--seeds 3] [--pairs N] [--out …]`: what can be won
 * after the model, with the pack fixed. Runs the preset FlowEdit on each pair with K seeds and scores
 * merges that use only what the studio knows (the source, the model's output, the person's view):
 *
 *   gate            the default merge (fixed τ 100, view gate), as `npm run eval -- pack` measures it
 *   ungated         Nano3D's τ alone
 *   gate+hold<d>    then revert every changed voxel that would show at a pixel the person left as it
 *                   was (more than d px from a changed one): the result must look like c_src there
 *   gate+direction  the edit kind fixes the sign of the diff (remove: only removals, add: only additions)
 *   best of K       the seed whose merged result, rendered at the person's view, differs from c_tgt
 *                   at the fewest pixels (oracle: the seed with the best edited-region IoU, a bound)
 *
 * Tuning questions only: run it on --split val. Scores as in pack-score.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { nodePackSource } from '../../src/cli/cli-pack';
import { DEFAULT_PACK_DIR } from '../../src/cli/commands/reconstruct';
import { changedPixels, dilatePixels, viewFootprint } from '../../src/core/edit/view-gate';
import { renderView } from '../../src/core/render';
import type { EditResult } from '../../src/engine/engine-api';
import { InProcessEngine } from '../../src/engine/in-process-engine';
import { decodeImageNode } from '../../src/io/decode-image-node';
import { type PairContext, pairContext, type Scores, score } from './pack-score';
import { readPairs } from './pairs';

const root = join(import.meta.dirname, '../..');
const HOLD_RADII = [1, 3, 5] as const;
const THRESHOLD = 8;

const indexColorCache = new Map<number, Uint8Array>();

/** Each voxel's own index as its RGB colour (24 bits: up to 256³ voxels). Built once per resolution. */
function indexColors(resolution: number): Uint8Array {
  let colors = indexColorCache.get(resolution);
  if (!colors) {
    const n = resolution ** 3;
    colors = new Uint8Array(3 * n);
    for (let i = 0; i < n; i++) {
      colors[3 * i] = i & 255;
      colors[3 * i + 1] = (i >> 8) & 255;
      colors[3 * i + 2] = i >> 16;
    }
    indexColorCache.set(resolution, colors);
  }
  return colors;
}

/**
 * Per pixel of `view`, the index of the first occupied voxel its ray meets, −1 for background. Uses
 * the canonical renderer itself (flat, each voxel coloured with its own index), so it agrees with
 * what the person sees ray for ray.
 */
function firstHits(occupancy: Uint8Array, resolution: number, view: number): Int32Array {
  const n = resolution ** 3;
  const colors = indexColors(resolution);
  const image = renderView({ resolution, occupancy, colors }, view, { flat: true });
  const hits = new Int32Array(image.width * image.height);
  for (let p = 0; p < hits.length; p++) {
    const id = image.data[4 * p] | (image.data[4 * p + 1] << 8) | (image.data[4 * p + 2] << 16);
    // The white background decodes to 2^24 − 1, past any voxel index up to 256³ − 1.
    hits[p] = id < n ? id : -1;
  }
  return hits;
}

/** Reverts changes visible at unchanged pixels until the result shows c_src's voxels there. */
function holdUnchangedPixels(
  base: Uint8Array,
  merged: Uint8Array,
  resolution: number,
  view: number,
  editable: Uint8Array,
): Uint8Array {
  const out = merged.slice();
  const sourceHits = firstHits(base, resolution, view);
  for (let round = 0; round < 20; round++) {
    const hits = firstHits(out, resolution, view);
    let reverted = 0;
    for (let p = 0; p < hits.length; p++) {
      if (editable[p] || hits[p] === sourceHits[p]) continue;
      for (const v of [hits[p], sourceHits[p]]) {
        if (v >= 0 && out[v] !== base[v]) {
          out[v] = base[v];
          reverted++;
        }
      }
    }
    if (reverted === 0) break;
  }
  return out;
}

interface SeedRow {
  pair: number;
  kind: string;
  family: string;
  seed: number;
  /** Pixels where the merged result at the person's view differs from c_tgt (the best-of criterion). */
  viewMismatch: number;
  /** The default merge's voxels changed outside the true edit region: how many, added ones, in the footprint. */
  outside: { changed: number; added: number; inFootprint: number };
  scores: Record<string, Scores>;
}

/** The run's own merge (the default) and the variants, all diffed against what the run diffed against. */
async function mergeVariants(
  engine: InProcessEngine,
  ctx: PairContext,
  result: EditResult,
): Promise<{ variants: Record<string, Uint8Array>; outside: SeedRow['outside'] }> {
  const { pair } = ctx;
  const R = pair.source.resolution;
  const base = pair.source.occupancy;
  const reference = result.reference;
  const edited = result.edited.occupancy;
  const footprint = result.footprint ?? viewFootprint(R, pair.view, result.sourceView, ctx.targetView);
  const merge = async (grid: Uint8Array, gated: boolean) =>
    (
      await engine.voxelMerge({
        source: reference.slice(),
        edited: grid.slice(),
        base: base.slice(),
        resolution: R,
        tau: 100,
        rule: 'fixed',
        footprint: gated ? footprint.slice() : undefined,
      })
    ).merged;
  const gate = result.result.occupancy;
  const variants: Record<string, Uint8Array> = { gate, ungated: await merge(edited, false) };
  const { sourceView } = result;
  const changed = changedPixels(sourceView, ctx.targetView, THRESHOLD);
  for (const d of HOLD_RADII) {
    const editable = dilatePixels(changed, sourceView.width, sourceView.height, d);
    variants[`gate+hold${d}`] = holdUnchangedPixels(base, gate, R, pair.view, editable);
  }
  if (pair.kind === 'add' || pair.kind === 'remove') {
    const signed = edited.slice();
    for (let i = 0; i < signed.length; i++)
      signed[i] = pair.kind === 'add' ? edited[i] | reference[i] : edited[i] & reference[i];
    variants['gate+direction'] = await merge(signed, true);
  } else {
    variants['gate+direction'] = gate;
  }
  const outside = { changed: 0, added: 0, inFootprint: 0 };
  for (let i = 0; i < base.length; i++) {
    if (ctx.region[i] || gate[i] === base[i]) continue;
    outside.changed++;
    outside.added += gate[i];
    outside.inFootprint += footprint[i];
  }
  return { variants, outside };
}

function summarizeScores(list: Scores[]) {
  const n = list.length;
  const mean = (f: (s: Scores) => number) => (n ? list.reduce((a, s) => a + f(s), 0) / n : 0);
  return {
    n,
    regionIoU: mean((s) => s.regionIoU),
    outsideIoU: mean((s) => s.outsideIoU),
    keptExactly: mean((s) => (s.outsideIoU === 1 ? 1 : 0)),
    success: mean((s) => (s.regionIoU >= 0.5 && s.outsideIoU === 1 ? 1 : 0)),
    regionAtTarget: mean((s) => (s.regionIoU >= 0.8 ? 1 : 0)),
  };
}

export default async function mergeStudy(args: string[]): Promise<void> {
  let split: 'val' | 'test' = 'val';
  let seeds = 3;
  let limit = Infinity;
  let out = join(root, 'bench/results/merge-study-val.json');
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--split' && (value === 'val' || value === 'test')) split = value;
    else if (flag === '--seeds') seeds = Number(value);
    else if (flag === '--pairs') limit = Number(value);
    else if (flag === '--out') out = value;
    else throw new Error(`unknown argument “${flag} ${value}”`);
  }
  const data = readPairs(join(root, `bench/data/edit-pairs-${split}.bin.gz`));
  const engine = new InProcessEngine({
    decodeImage: decodeImageNode,
    pack: nodePackSource(DEFAULT_PACK_DIR),
  });
  const info = await engine.openPack();
  const rows: SeedRow[] = [];
  for (const pair of data.pairs.slice(0, limit)) {
    const ctx = pairContext(pair);
    for (let k = 0; k < seeds; k++) {
      const seed = pair.index + 1000 * k;
      const result = await engine.runEdit(
        {
          source: pair.source,
          view: pair.view,
          target: ctx.targetView,
          settings: { method: 'flowedit', kind: pair.kind, seed },
          merge: { rule: 'fixed', tau: 100, viewGate: true },
        },
        { previewEvery: 0 },
      );
      const { variants, outside } = await mergeVariants(engine, ctx, result);
      const scores: Record<string, Scores> = { raw: score(ctx, result.edited.occupancy) };
      for (const [name, grid] of Object.entries(variants)) scores[name] = score(ctx, grid);
      const rendered = renderView(result.result, pair.view);
      const viewMismatch = changedPixels(rendered, ctx.targetView, THRESHOLD).reduce((a, b) => a + b, 0);
      rows.push({
        pair: pair.index,
        kind: pair.kind,
        family: pair.family,
        seed,
        viewMismatch,
        outside,
        scores,
      });
      process.stdout.write(
        `pair ${pair.index} seed ${seed}: mismatch ${viewMismatch} px, region ${scores.gate.regionIoU.toFixed(3)}, outside ${scores.gate.outsideIoU.toFixed(4)}\n`,
      );
    }
  }

  const firstSeed = rows.filter((r) => r.seed === r.pair);
  const summary: Record<string, ReturnType<typeof summarizeScores>> = {};
  for (const name of Object.keys(firstSeed[0]?.scores ?? {})) {
    summary[name] = summarizeScores(firstSeed.map((r) => r.scores[name]));
  }
  const perPair = [...new Set(rows.map((r) => r.pair))].map((p) => rows.filter((r) => r.pair === p));
  const pick = (by: (r: SeedRow) => number) =>
    perPair.map((list) => list.reduce((best, r) => (by(r) < by(best) ? r : best)).scores.gate);
  summary[`best of ${seeds} seeds (fewest mismatched pixels)`] = summarizeScores(pick((r) => r.viewMismatch));
  summary[`oracle of ${seeds} seeds (best region IoU)`] = summarizeScores(
    pick((r) => -r.scores.gate.regionIoU),
  );

  const anatomy = firstSeed.reduce(
    (a, r) => ({
      changed: a.changed + r.outside.changed,
      added: a.added + r.outside.added,
      inFootprint: a.inFootprint + r.outside.inFootprint,
    }),
    { changed: 0, added: 0, inFootprint: 0 },
  );
  const lines = [
    `# Merge study (${split}, ${perPair.length} pairs, ${seeds} seed(s) each)`,
    '',
    `\`npm run eval -- merge-study ${args.join(' ')}\`; pack ${info.name}, ss_flow ${info.hash.slice(0, 12)}. Rows other than best/oracle use the first seed (= pair index, as in the pack eval).`,
    '',
    '| merge | n | edited-region IoU | outside IoU | outside kept 100% | success | region IoU ≥ 0.8 |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(summary).map(
      ([name, s]) =>
        `| ${name} | ${s.n} | ${s.regionIoU.toFixed(3)} | ${s.outsideIoU.toFixed(4)} | ${(100 * s.keptExactly).toFixed(0)}% | ${(100 * s.success).toFixed(0)}% | ${(100 * s.regionAtTarget).toFixed(0)}% |`,
    ),
    '',
    `Default merge, first seed: ${anatomy.changed} voxels changed outside the true edit region over all pairs; ` +
      `${anatomy.added} of them added, ${anatomy.inFootprint} inside the view gate's footprint.`,
    '',
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ split, seeds, pack: info.hash, summary, anatomy, rows }, null, 2)}\n`,
  );
  writeFileSync(out.replace(/\.json$/, '.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\nwrote ${relative(root, out)}\n`);
}
