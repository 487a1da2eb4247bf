import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../core/npy';
import { TINY_FLOW_PRESETS } from '../../model/onnx/tiny-flow-graph';
import { tinyPack } from '../../model/tiny-pack';
import type { CliIO } from '../cli-io';
import { main } from '../main';

let dir: string;

async function flowsmith(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  };
  const code = await main(args, io);
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowsmith-sample-'));
  const pack = await tinyPack('tiny-test', TINY_FLOW_PRESETS.test);
  for (const [name, bytes] of pack.files) writeFileSync(join(dir, name), bytes);
  const tokens = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i));
  writeFileSync(join(dir, 'cond.npy'), encodeNpy({ dtype: 'float32', shape: [4, 8], data: tokens }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowsmith sample', () => {
  it('samples a latent from a pack, repeatably from a seed', async () => {
    const a = join(dir, 'a.npy');
    const r = await flowsmith(
      'sample',
      '--pack',
      dir,
      '--steps',
      '5',
      '--seed',
      '3',
      '--cond',
      join(dir, 'cond.npy'),
      '-o',
      a,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tiny-test: 5 steps \(seed 3, cfg 3\) in \d+ ms/);
    const latent = decodeNpy(new Uint8Array(readFileSync(a)));
    expect(latent.shape).toEqual([16, 4]);
    expect((latent.data as Float32Array).every(Number.isFinite)).toBe(true);
    const b = join(dir, 'b.npy');
    await flowsmith(
      'sample',
      '--pack',
      dir,
      '--steps',
      '5',
      '--seed',
      '3',
      '--cond',
      join(dir, 'cond.npy'),
      '-o',
      b,
    );
    expect(readFileSync(b)).toEqual(readFileSync(a));
    const c = join(dir, 'c.npy');
    await flowsmith('sample', '--pack', dir, '--steps', '5', '--seed', '4', '-o', c);
    expect(readFileSync(c)).not.toEqual(readFileSync(a));
  });

  it('refuses a bad pack and bad options with typed, named errors', async () => {
    const noPack = await flowsmith('sample', '--pack', join(dir, 'nowhere'), '-o', join(dir, 'x.npy'));
    expect(noPack.code).toBe(1);
    expect(noPack.err).toMatch(/is not usable: manifest.json: the folder has no manifest.json/);
    const steps = await flowsmith('sample', '--pack', dir, '--steps', '0', '-o', join(dir, 'x.npy'));
    expect(steps.code).toBe(2);
    expect(steps.err).toMatch(/--steps must be a whole number from 1 to 10000; got “0”/);
    const noOut = await flowsmith('sample', '--pack', dir);
    expect(noOut.err).toMatch(/needs an output path/);
    writeFileSync(
      join(dir, 'bad-cond.npy'),
      encodeNpy({ dtype: 'float32', shape: [3], data: new Float32Array(3) }),
    );
    const cond = await flowsmith(
      'sample',
      '--pack',
      dir,
      '--cond',
      join(dir, 'bad-cond.npy'),
      '-o',
      join(dir, 'x.npy'),
    );
    expect(cond.err).toMatch(/takes float32 tokens of shape \(4, 8\)/);
  });
});
