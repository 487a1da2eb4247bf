/**
 * `npm run eval -- pack`: the default pack's quality report on held-out ground-truth edit pairs
 * (issue 5, part 7). Per pair, the person's view is the one where the edit shows most and the target
 * image is the TRUE edited shape rendered there — a perfect painting — so the numbers measure the
 * model and the method, not a person's brush. Every method runs through engine.runEdit exactly as
 * the studio and `flowsmith edit` run it (onnxruntime-node, CPU).
 *
 *   npm run eval -- pack [--pairs N] [--steps T] [--methods flowedit,regenerate] [--split test|val]
 *     [--set flowedit:nMax=15,flowedit:sTgt=9] [--merge fixed:100+gate] [--remerge fixed:100,adaptive:250]
 *     [--no-vae] [--sheet 12]
 *   --sheet N: a PNG beside the JSON with the first method's merged result on the first N pairs.
 *   A merge is rule:τ, with "+gate" for the view gate (core/edit/view-gate.ts; the studio's default).
 *     [--out bench/results/pack-eval.json] [--pack dir]
 *   npm run eval -- pack --from bench/results/pack-eval.json   (re-derive summary + table from the rows)
 *
 * Writes the JSON after every pair (partial: true until the end), and a markdown table beside it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { nodePackSource } from '../../src/cli/cli-pack';
import { DEFAULT_PACK_DIR } from '../../src/cli/commands/reconstruct';
import { EDIT_METHOD_NAMES, type EditMethodName, type EditOverrides } from '../../src/core/edit/settings';
import { viewFootprint } from '../../src/core/edit/view-gate';
import { TAU_RULES, type TauRule } from '../../src/core/merge';
import { voxelIoU } from '../../src/core/metrics';
import { InProcessEngine } from '../../src/engine/in-process-engine';
import { decodeImageNode } from '../../src/io/decode-image-node';
import { encodePng } from '../../src/io/export/png-encoder';
import { loadRuntime } from '../../src/model/backends/onnx';
import { openPack } from '../../src/model/manifest';
import { nodePackReader } from '../../src/model/pack-node';
import { openVae } from '../../src/model/vae';
import { DEFINITIONS, pairContext, type Row, score, summarize } from './pack-score';
import { contactSheet, SHEET_COLUMNS, type SheetRow } from './pack-sheet';
import { markdownReport, type ReportForTable } from './pack-table';
import { type EditPairData, readPairs } from './pairs';

const root = join(import.meta.dirname, '../..');

interface Options {
  pairs: number | null;
  steps: number | undefined;
  methods: EditMethodName[];
  split: 'test' | 'val';
  overrides: Partial<Record<EditMethodName, EditOverrides>>;
  merge: MergeSpec;
  remerge: MergeSpec[];
  vae: boolean;
  sheet: number;
  out: string;
  packDir: string;
}

interface MergeSpec {
  rule: TauRule;
  tau: number;
  viewGate: boolean;
  /** Experiment: also clip the kept components to the footprint, voxel by voxel ("+clip"). */
  clip?: boolean;
}

function parseMerge(text: string): MergeSpec {
  const clip = text.endsWith('+clip');
  const viewGate = clip || text.endsWith('+gate');
  const [rule, tau] = text.replace(/\+(gate|clip)$/, '').split(':');
  if (!TAU_RULES.includes(rule as TauRule) || !(Number(tau) > 0)) {
    throw new Error(`a merge is rule:τ[+gate] with rule fixed|adaptive, e.g. fixed:100+gate; got “${text}”`);
  }
  return { rule: rule as TauRule, tau: Number(tau), viewGate, clip };
}

/** Row name of a merge; ungated names are the ones reports had before the gate existed. */
const mergeName = (m: MergeSpec) =>
  `merged ${m.rule}:${m.tau}${m.clip ? '+clip' : m.viewGate ? '+gate' : ''}`;

function parseOverrides(text: string): Options['overrides'] {
  const out: Options['overrides'] = {};
  for (const item of text.split(',').filter(Boolean)) {
    const m = /^(\w+):(\w+)=(.+)$/.exec(item);
    const keys = ['steps', 'nMax', 'nAvg', 'sSrc', 'sTgt', 'lambda', 'variant', 'cfg'];
    if (!m || !(EDIT_METHOD_NAMES as readonly string[]).includes(m[1]) || !keys.includes(m[2])) {
      throw new Error(`--set takes method:key=value items (keys ${keys.join(', ')}); got “${item}”`);
    }
    const method = m[1] as EditMethodName;
    const value = m[2] === 'variant' ? m[3] : Number(m[3]);
    out[method] = { ...out[method], [m[2]]: value } as EditOverrides;
  }
  return out;
}

export function parseOptions(args: string[]): Options {
  const o: Options = {
    pairs: null,
    steps: undefined,
    methods: ['flowedit', 'regenerate'],
    split: 'test',
    overrides: {},
    merge: { rule: 'fixed', tau: 100, viewGate: true },
    remerge: [
      { rule: 'fixed', tau: 100, viewGate: false },
      { rule: 'adaptive', tau: 250, viewGate: true },
    ],
    vae: true,
    sheet: 12,
    out: join(root, 'bench/results/pack-eval.json'),
    packDir: DEFAULT_PACK_DIR,
  };
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${args[i - 1]} needs a value`);
      return v;
    };
    const a = args[i];
    if (a === '--pairs') o.pairs = Number(value());
    else if (a === '--steps') o.steps = Number(value());
    else if (a === '--methods') o.methods = value().split(',') as EditMethodName[];
    else if (a === '--split') o.split = value() as Options['split'];
    else if (a === '--set') o.overrides = parseOverrides(value());
    else if (a === '--merge') o.merge = parseMerge(value());
    else if (a === '--remerge') o.remerge = value().split(',').filter(Boolean).map(parseMerge);
    else if (a === '--no-vae') o.vae = false;
    else if (a === '--sheet') o.sheet = Number(value());
    else if (a === '--out') o.out = value();
    else if (a === '--pack') o.packDir = value();
    else throw new Error(`unknown argument “${a}”`);
  }
  for (const m of o.methods) {
    if (!(EDIT_METHOD_NAMES as readonly string[]).includes(m)) throw new Error(`unknown method “${m}”`);
  }
  if (o.split !== 'test' && o.split !== 'val') throw new Error('--split is test or val');
  return o;
}

/** add, remove, replace, add, …: any prefix of the list is balanced over the kinds. */
function interleaved(pairs: EditPairData[]): EditPairData[] {
  const byKind = ['add', 'remove', 'replace'].map((k) => pairs.filter((p) => p.kind === k));
  const out: EditPairData[] = [];
  for (let i = 0; out.length < pairs.length; i++) for (const list of byKind) if (list[i]) out.push(list[i]);
  return out;
}

const f3 = (x: number) => x.toFixed(3);

/** Rebuilds the summary and the table of a finished report from its stored per-pair rows. */
function resummarize(path: string): void {
  const report = JSON.parse(readFileSync(path, 'utf8')) as ReportForTable & {
    rows: Row[];
    resummarized?: string;
  };
  report.summary = summarize(report.rows);
  report.resummarized = `${new Date().toISOString()}: npm run eval -- pack --from ${relative(root, path)}`;
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.replace(/\.json$/, '.md'), markdownReport(report));
}

export default async function packEval(args: string[]): Promise<void> {
  if (args[0] === '--from') {
    // Nothing runs: for a table whose layout or definitions changed after the edits were measured.
    resummarize(args[1]);
    return;
  }
  const o = parseOptions(args);
  const started = new Date();
  const file = join(root, `bench/data/edit-pairs-${o.split}.bin.gz`);
  const data = readPairs(file);
  const pairs = interleaved(data.pairs).slice(0, o.pairs ?? undefined);
  const engine = new InProcessEngine({ decodeImage: decodeImageNode, pack: nodePackSource(o.packDir) });
  const info = await engine.openPack();
  const manifestSha = createHash('sha256')
    .update(readFileSync(join(o.packDir, 'manifest.json')))
    .digest('hex');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `pack ${info.name} (ss_flow ${info.hash.slice(0, 12)}, ${info.backend}); ${pairs.length} ${o.split} pairs`,
  );

  const vaePack = await openPack(nodePackReader(o.packDir), info.name, ['ss_encoder', 'ss_decoder']);
  const vae = await openVae(vaePack, info.name, await loadRuntime('node'));
  const rows: Row[] = [];
  const sheet: SheetRow[] = [];
  const vaeRows: { pair: number; grid: 'source' | 'target'; iou: number; ms: number }[] = [];

  const write = (partial: boolean) => {
    const vaeIous = vaeRows.map((r) => r.iou);
    const report = {
      title: 'Flowsmith default pack — quality report (issue 5, part 7)',
      partial,
      date: started.toISOString(),
      finished: partial ? null : new Date().toISOString(),
      command: `npm run eval -- pack ${args.join(' ')}`.trim(),
      pack: {
        name: info.name,
        dir: relative(root, o.packDir),
        ssFlowSha256: info.hash,
        manifestSha256: manifestSha,
      },
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? '',
        loadAverageAtStart: loadavg(),
        node: process.version,
      },
      data: {
        file: relative(root, file),
        split: data.split,
        generator: data.generator,
        pairs: pairs.length,
        seeds: pairs.map((p) => p.seed),
      },
      settings: {
        methods: o.methods,
        steps: o.steps ?? info.sampler.steps,
        sampler: info.sampler,
        overrides: o.overrides,
        tuned: Object.keys(o.overrides).length > 0,
        merge: o.merge,
        remerge: o.remerge,
        editSeed: 'the pair index in the file',
      },
      definitions: DEFINITIONS,
      vae: vaeIous.length
        ? {
            grids: vaeIous.length,
            iouMean: vaeIous.reduce((a, b) => a + b, 0) / vaeIous.length,
            iouMin: Math.min(...vaeIous),
            atLeast097: vaeIous.filter((x) => x >= 0.97).length / vaeIous.length,
          }
        : null,
      summary: summarize(rows),
      rows,
      vaeRows,
    };
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(o.out.replace(/\.json$/, '.md'), markdownReport(report));
  };

  for (const [n, pair] of pairs.entries()) {
    const ctx = pairContext(pair);
    const base = { pair: pair.index, family: pair.family, kind: pair.kind, seed: pair.seed, view: pair.view };
    log(
      `[${n + 1}/${pairs.length}] ${pair.kind} ${pair.family} seed ${pair.seed} ${pair.slot} ` +
        `${pair.sourceVariant}→${pair.targetVariant}, view ${pair.view}, ${pair.regionVoxels} voxels`,
    );
    rows.push({
      ...base,
      method: 'identity',
      output: 'source',
      scores: score(ctx, pair.source.occupancy),
      ms: null,
    });
    let recon: Uint8Array | null = null;
    if (o.vae) {
      for (const which of ['source', 'target'] as const) {
        const t0 = performance.now();
        const decoded = await vae.decode(await vae.encode(pair[which].occupancy));
        const ms = performance.now() - t0;
        const iou = voxelIoU(decoded, pair[which].occupancy);
        vaeRows.push({ pair: pair.index, grid: which, iou, ms });
        if (which === 'source') recon = decoded;
      }
      if (recon)
        rows.push({ ...base, method: 'reconstruction', output: 'raw', scores: score(ctx, recon), ms: null });
    }
    for (const method of o.methods) {
      const result = await engine.runEdit(
        {
          source: pair.source,
          view: pair.view,
          target: ctx.targetView,
          settings: { method, kind: pair.kind, seed: pair.index, steps: o.steps, ...o.overrides[method] },
          merge: o.merge,
        },
        { previewEvery: 0 },
      );
      const ms = result.timings.totalMs;
      if (method === o.methods[0] && sheet.length < o.sheet) {
        sheet.push({ view: pair.view, source: pair.source, target: pair.target, result: result.result });
      }
      const raw = score(ctx, result.edited.occupancy, result.edited.colors);
      const merged = score(ctx, result.result.occupancy, result.result.colors);
      rows.push({ ...base, method, output: 'raw', scores: raw, ms });
      rows.push({
        ...base,
        method,
        output: mergeName(o.merge),
        scores: merged,
        ms,
        voxelsChanged: result.merge.voxelsChanged,
        componentsKept: result.merge.kept.length,
      });
      const footprint =
        result.footprint ??
        viewFootprint(pair.source.resolution, pair.view, result.sourceView, ctx.targetView);
      for (const m of o.remerge) {
        if (!recon) break;
        const again = await engine.voxelMerge({
          source: recon.slice(),
          edited: result.edited.occupancy.slice(),
          base: pair.source.occupancy.slice(),
          resolution: pair.source.resolution,
          tau: m.tau,
          rule: m.rule,
          footprint: m.viewGate ? footprint.slice() : undefined,
        });
        if (m.clip) {
          let changed = 0;
          for (let v = 0; v < again.merged.length; v++) {
            again.merged[v] =
              again.mask[v] && footprint[v] ? result.edited.occupancy[v] : pair.source.occupancy[v];
            changed += again.merged[v] !== pair.source.occupancy[v] ? 1 : 0;
          }
          again.voxelsChanged = changed;
        }
        rows.push({
          ...base,
          method,
          output: mergeName(m),
          scores: score(ctx, again.merged),
          ms: null,
          voxelsChanged: again.voxelsChanged,
          componentsKept: again.kept.length,
        });
      }
      log(
        `  ${method.padEnd(10)} ${(ms / 1000).toFixed(1).padStart(5)} s (n_max ${result.resolved.nMax}/${result.resolved.T}) ` +
          `raw IoU ${f3(raw.iou)} region ${f3(raw.regionIoU)} outside ${f3(raw.outsideIoU)} sil ${f3(raw.silhouetteIoU)} | ` +
          `merged IoU ${f3(merged.iou)} region ${f3(merged.regionIoU)} outside ${f3(merged.outsideIoU)}, ` +
          `${result.merge.voxelsChanged} voxels changed in ${result.merge.kept.length} component(s)`,
      );
    }
    write(true);
  }
  await vae.release();
  write(false);
  if (sheet.length > 0) {
    const png = o.out.replace(/\.json$/, '-sheet.png');
    writeFileSync(png, await encodePng(contactSheet(sheet)));
    log(`wrote ${relative(root, png)} (${sheet.length} pairs; columns: ${SHEET_COLUMNS.join(' | ')})`);
  }
  log(`wrote ${relative(root, o.out)} and ${relative(root, o.out.replace(/\.json$/, '.md'))}`);
}
