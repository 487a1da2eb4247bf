/**
 * `flowsmith edit`: the studio's whole edit, headless — voxelize the mesh, show the model the chosen
 * canonical view and the target image, run the method, Voxel-Merge, and write the edited object as
 * GLB (and, with --bundle, the edit-pair bundle as a folder). Every input is read and checked before
 * the model runs, and nothing is written until the edit succeeded.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EDIT_METHOD_NAMES, type EditMethodName } from '../../core/edit/settings';
import { InvalidArgumentError } from '../../core/errors';
import { EDIT_KINDS, type EditKind } from '../../core/flow';
import { DEFAULT_TAU, TAU_RULES, type TauRule } from '../../core/merge';
import { VIEW_SPEC } from '../../core/render';
import type { ImageRGBA } from '../../engine/engine-api';
import { InProcessEngine } from '../../engine/in-process-engine';
import { decodeImageNode } from '../../io/decode-image-node';
import { buildBundle, gridGlb } from '../../io/export/bundle';
import { writeAtomically } from '../cli-files';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';
import { nodePackSource } from '../cli-pack';
import { readMeshFiles } from '../mesh-files';
import { DEFAULT_PACK_DIR } from './reconstruct';

const usage =
  'flowsmith edit <mesh> [side files...] --view <0-7> --target <png> --method flowedit|anchorflow|stm|regenerate ' +
  '[--kind remove|add|replace|pose|style] [--tau <n>] [--rule fixed|adaptive] [--no-view-gate] [--seed <n>] [--steps <n>] ' +
  '-o <out.glb> [--bundle <dir>] [--pack <dir>] [--json]';

function wholeNumber(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got “${text}”.`, usage);
  }
  return n;
}

async function readTarget(path: string): Promise<ImageRGBA> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new InvalidArgumentError(`Cannot read the target image “${path}”: ${reason}.`, 'Check the path.');
  }
  const image = await decodeImageNode(bytes, 'image/png');
  const size = VIEW_SPEC.imageSize;
  if (image.width !== size || image.height !== size) {
    throw new InvalidArgumentError(
      `The target image “${path}” is ${image.width}×${image.height}; the model takes ${size}×${size} canonical views.`,
      `Render the view with \`flowsmith render <mesh> --view <i> -o view.png\`, edit that image, and pass it back.`,
    );
  }
  return { width: image.width, height: image.height, data: image.data };
}

export const editCommand: CliCommand = {
  name: 'edit',
  summary:
    'Edit a mesh headless: the chosen view and a target image in, the edited object (GLB) and optionally the edit-pair bundle out.',
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      {
        values: [
          'view',
          'target',
          'method',
          'kind',
          'tau',
          'rule',
          'seed',
          'steps',
          'o',
          'output',
          'bundle',
          'pack',
        ],
        flags: ['json', 'no-view-gate'],
      },
      usage,
    );
    if (positionals.length === 0) throw new UsageError('edit needs a mesh.', usage);
    const view = wholeNumber(values.get('view'), 'view', 0, 7);
    if (view === undefined)
      throw new UsageError('edit needs the view the target shows: --view <0-7>.', usage);
    const targetPath = values.get('target');
    if (!targetPath) throw new UsageError('edit needs the target image: --target <png>.', usage);
    const method = values.get('method') ?? 'flowedit';
    if (!(EDIT_METHOD_NAMES as readonly string[]).includes(method)) {
      throw new UsageError(
        `--method must be one of ${EDIT_METHOD_NAMES.join(', ')}; got “${method}”.`,
        usage,
      );
    }
    const kind = values.get('kind') ?? 'replace';
    if (!(EDIT_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`--kind must be one of ${EDIT_KINDS.join(', ')}; got “${kind}”.`, usage);
    }
    const rule = values.get('rule') ?? 'fixed';
    if (!TAU_RULES.includes(rule as TauRule)) {
      throw new UsageError(`--rule must be fixed or adaptive; got “${rule}”.`, usage);
    }
    const tauText = values.get('tau');
    const tau = tauText === undefined ? DEFAULT_TAU[rule as TauRule] : Number(tauText);
    if (!(tau > 0)) throw new UsageError(`--tau must be a number greater than 0; got “${tauText}”.`, usage);
    const seed = wholeNumber(values.get('seed'), 'seed', 0, 2 ** 31) ?? 0;
    const steps = wholeNumber(values.get('steps'), 'steps', 1, 1000);
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('edit needs an output path: -o <out.glb>.', usage);
    const bundleDir = values.get('bundle');
    const packDir = values.get('pack') ?? DEFAULT_PACK_DIR;

    const [meshPath, ...sidePaths] = positionals;
    const target = await readTarget(targetPath);
    const engine = new InProcessEngine({ decodeImage: decodeImageNode, pack: nodePackSource(packDir) });
    const source = await engine.loadSource(await readMeshFiles(meshPath, sidePaths));
    const pack = await engine.openPack();
    const result = await engine.runEdit(
      {
        source: source.grid,
        view,
        target,
        settings: { method: method as EditMethodName, kind: kind as EditKind, seed, steps },
        merge: { tau, rule: rule as TauRule, viewGate: !flags.has('no-view-gate') },
      },
      { previewEvery: 0 },
    );
    const glbStarted = performance.now();
    const glb = gridGlb(result.result, 'flowsmith-edit');
    const glbMs = performance.now() - glbStarted;
    const params = {
      ...result.resolved,
      tau: result.merge.tau,
      rule: result.merge.rule,
      viewGate: result.footprint !== null,
      view,
      pack: { name: pack.name, ss_flow_sha256: pack.hash },
      source: meshPath,
      target: targetPath,
    };
    if (bundleDir) {
      const files = await buildBundle({
        source: source.grid,
        result: result.result,
        mask: result.merge.mask,
        sourceView: result.sourceView,
        targetView: target,
        params,
      });
      await mkdir(bundleDir, { recursive: true });
      for (const [name, bytes] of Object.entries(files)) await writeAtomically(join(bundleDir, name), bytes);
    }
    await writeAtomically(output, glb);
    const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
    const summary = {
      method,
      kind,
      view,
      seed,
      steps: result.resolved.T,
      nMax: result.resolved.nMax,
      sourceVoxels: count(source.grid.occupancy),
      editedVoxels: count(result.edited.occupancy),
      resultVoxels: count(result.result.occupancy),
      voxelsChanged: result.merge.voxelsChanged,
      componentsKept: result.merge.kept.length,
      tau: result.merge.tau,
      rule: result.merge.rule,
      viewGate: result.footprint !== null,
      runMs: result.timings.totalMs,
      glbMs,
      backend: result.backend,
      output,
      bundle: bundleDir ?? null,
    };
    if (flags.has('json')) io.out(`${JSON.stringify(summary)}\n`);
    else {
      io.out(
        `${meshPath}: ${method} (${kind}, view ${view}, seed ${seed}, n_max ${summary.nMax}/${summary.steps}) → ` +
          `${summary.voxelsChanged} voxels changed in ${summary.componentsKept} component(s), τ ${summary.tau} ${summary.rule}; ` +
          `${(summary.runMs / 1000).toFixed(1)} s on ${summary.backend}\nwrote ${output}${bundleDir ? ` and ${bundleDir}/` : ''}\n`,
      );
    }
    return 0;
  },
};
