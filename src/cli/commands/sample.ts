/**
 * `flowsmith sample`: draws one latent from a model pack's velocity graph (ss_flow) on
 * onnxruntime-node — the "regenerate" baseline of the studio, headless. The pack is validated and its
 * graph hashed before anything runs; the output is written only after the run succeeded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../../core/errors';
import { sample, UNCOND } from '../../core/flow';
import { decodeNpy, encodeNpy } from '../../core/npy';
import { openPack } from '../../model/manifest';
import { flowModelFromPack } from '../../model/pack';
import { nodePackReader } from '../../model/pack-node';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';

const usage =
  'flowsmith sample --pack <dir> [--steps 25] [--seed 0] [--cfg s] [--shift r] [--lambda 0] [--cond <tokens.npy>] -o <latent.npy>';

function parseNumber(
  values: Map<string, string>,
  name: string,
  fallback: number,
  test: (n: number) => boolean,
  rule: string,
): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !test(value)) {
    throw new UsageError(`--${name} must be ${rule}; got “${text}”.`, usage);
  }
  return value;
}

async function readTokens(path: string, expected: number, shape: string): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new InvalidArgumentError(
      `Cannot read “${path}”: ${reason}.`,
      'Check the path to the condition tokens.',
    );
  }
  const npy = decodeNpy(bytes, `“${path}”`);
  if (npy.dtype !== 'float32' || npy.data.length !== expected) {
    throw new InvalidArgumentError(
      `“${path}” holds ${npy.dtype} (${npy.shape.join(', ')}); the pack's ss_flow takes float32 tokens of shape ${shape}.`,
      'Save the encoder output with numpy.save(path, tokens.astype(numpy.float32)).',
    );
  }
  return npy.data as Float32Array;
}

export const sampleCommand: CliCommand = {
  name: 'sample',
  summary:
    'Sample a latent from a model pack’s velocity graph (rectified flow, Euler or SDE) and write it as float32 .npy.',
  usage,
  async run(args, io) {
    const { positionals, values } = parseArgs(
      args,
      { values: ['pack', 'steps', 'seed', 'cfg', 'shift', 'lambda', 'cond', 'o', 'output'] },
      usage,
    );
    if (positionals.length > 0) throw new UsageError(`Unexpected argument “${positionals[0]}”.`, usage);
    const dir = values.get('pack');
    if (!dir) throw new UsageError('sample needs a model pack: --pack <dir>.', usage);
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('sample needs an output path: -o <latent.npy>.', usage);
    const seed = parseNumber(
      values,
      'seed',
      0,
      (n) => Number.isSafeInteger(n) && n >= 0,
      'a whole number ≥ 0',
    );
    const lambda = parseNumber(values, 'lambda', 0, (n) => n >= 0, 'a number ≥ 0');

    const pack = await openPack(nodePackReader(dir), dir, ['ss_flow']);
    const defaults = pack.manifest.sampler;
    const T = parseNumber(
      values,
      'steps',
      defaults.steps,
      (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
      'a whole number from 1 to 10000',
    );
    const scale = parseNumber(values, 'cfg', defaults.cfg, (n) => n >= 0, 'a number ≥ 0');
    const shift = parseNumber(values, 'shift', defaults.shift, (n) => n > 0, 'a number > 0');

    const model = await flowModelFromPack(pack, dir, { backend: 'node' });
    try {
      const { condTokens, condDim, latent } = model.shape;
      const condPath = values.get('cond');
      const cond = condPath ? 'cond' : UNCOND;
      if (condPath)
        model.setCondition(cond, await readTokens(condPath, model.condSize, `(${condTokens}, ${condDim})`));
      const start = performance.now();
      const { x } = await sample(model, {
        T,
        shift,
        cond,
        scale,
        seed,
        lambda,
        guidanceInterval: defaults.guidanceInterval,
      });
      const ms = performance.now() - start;
      try {
        await writeFile(output, encodeNpy({ dtype: 'float32', shape: [...latent], data: x }));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'its folder does not exist' : String(error);
        throw new InvalidArgumentError(
          `Cannot write “${output}”: ${reason}.`,
          'Choose a writable output path.',
        );
      }
      const share = (100 * model.stats.runMs) / ms;
      io.out(
        `${pack.manifest.name}: ${T} steps (seed ${seed}, cfg ${scale}${condPath ? '' : ', unconditional'}) ` +
          `in ${ms.toFixed(0)} ms, ${(ms / T).toFixed(1)} ms/step, ${share.toFixed(0)}% in the model\n` +
          `wrote ${output} (float32, ${latent.join('×')})\n`,
      );
    } finally {
      await model.release();
    }
    return 0;
  },
};
