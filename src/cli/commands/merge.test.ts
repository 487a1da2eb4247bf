import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { perturb, randomGrid, seededRandom } from '../../core/merge/testing';
import { decodeNpy, encodeNpy } from '../../core/npy';
import type { CliIO } from '../cli-io';
import { main } from '../main';

const python = '/usr/bin/python3';
const hasScipy =
  existsSync(python) &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import scipy.ndimage'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const dir = mkdtempSync(join(tmpdir(), 'flowsmith-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function writeGrid(data: Uint8Array | Float32Array, shape: number[]): string {
  const path = join(dir, `grid-${fileCount++}.npy`);
  const dtype = data instanceof Float32Array ? 'float32' : 'uint8';
  writeFileSync(path, encodeNpy({ dtype, shape, data }));
  return path;
}

function readGrid(path: string): Uint8Array {
  return decodeNpy(new Uint8Array(readFileSync(path))).data as Uint8Array;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
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

/** A 16³ source slab, an edit adding a 3×3×3 block (27 voxels) and flipping one far voxel. */
function scene() {
  const r = 16;
  const src = new Uint8Array(r ** 3);
  for (let i = 0; i < r * r * 4; i++) src[i] = 1; // z = 0…3
  const edited = src.slice();
  for (let z = 4; z < 7; z++)
    for (let y = 5; y < 8; y++) for (let x = 5; x < 8; x++) edited[x + r * (y + r * z)] = 1;
  edited[15 + r * (15 + r * 15)] = 1;
  return { r, src, edited };
}

describe('flowsmith merge', () => {
  it('writes the merged grid and mask and reports components as JSON', async () => {
    const { r, src, edited } = scene();
    const out = join(dir, 'merged-a.npy');
    const mask = join(dir, 'mask-a.npy');
    const shape = [r, r, r];
    const res = await cli([
      'merge',
      writeGrid(src, shape),
      writeGrid(edited, shape),
      '--tau',
      '10',
      '-o',
      out,
      '--mask',
      mask,
      '--json',
    ]);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const report = JSON.parse(res.out);
    expect(report).toEqual({
      components: [
        { size: 27, added: 27, removed: 0, bbox: { min: [5, 5, 4], max: [7, 7, 6] } },
        { size: 1, added: 1, removed: 0, bbox: { min: [15, 15, 15], max: [15, 15, 15] } },
      ],
      kept: [0],
      tau: 10,
      voxelsChanged: 27,
    });
    const merged = readGrid(out);
    const expected = edited.slice();
    expected[15 + r * (15 + r * 15)] = 0;
    expect(Buffer.compare(merged, expected)).toBe(0);
    expect(readGrid(mask).reduce((a, b) => a + b, 0)).toBe(27);
    expect(decodeNpy(new Uint8Array(readFileSync(out))).shape).toEqual(shape);
  });

  it('defaults to the fixed rule with τ = 100 and prints a summary; adaptive halves from 250', async () => {
    const { r, src, edited } = scene();
    const a = writeGrid(src, [r, r, r]);
    const b = writeGrid(edited, [r, r, r]);
    const fixed = await cli(['merge', a, b, '-o', join(dir, 'merged-b.npy')]);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/2 component\(s\) differ; kept 0 \(fixed, τ = 100\); 0 voxel\(s\) changed/);
    const adaptive = await cli([
      'merge',
      a,
      b,
      '--rule',
      'adaptive',
      '-o',
      join(dir, 'merged-c.npy'),
      '--json',
    ]);
    expect(JSON.parse(adaptive.out)).toMatchObject({ kept: [0], tau: 15.625, voxelsChanged: 27 });
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const { r, src, edited } = scene();
    const good = writeGrid(src, [r, r, r]);
    const twos = edited.slice();
    twos[7] = 2;
    const cases: [string[], RegExp, number][] = [
      [[good, join(dir, 'missing.npy')], /Cannot read .*missing\.npy.*no such file/, 2],
      [
        [good, writeGrid(twos, [r, r, r])],
        /not binary: 1 voxel has values other than 0 or 1 \(first at x=7, y=0, z=0/,
        1,
      ],
      [[good, writeGrid(new Uint8Array(8 ** 3), [8, 8, 8])], /is 16³ but .* is 8³/, 1],
      [[good, writeGrid(new Float32Array(r ** 3), [r, r, r])], /dtype float32/, 1],
      [[good, writeGrid(new Uint8Array(16 * 16 * 8), [8, 16, 16])], /shape \(8, 16, 16\).*cubic/, 1],
      [[good, good, '--tau', '0'], /--tau must be a number greater than 0; got “0”/, 2],
      [[good, good, '--tau', '-5'], /--tau must be/, 2],
      [[good, good, '--tau', 'lots'], /--tau must be/, 2],
      [[good, good, '--rule', 'median'], /--rule must be fixed or adaptive/, 2],
      [[good], /two grids/, 2],
    ];
    for (const [args, message, code] of cases) {
      const out = join(dir, `never-${fileCount++}.npy`);
      const mask = join(dir, `never-mask-${fileCount++}.npy`);
      const res = await cli(['merge', ...args, '-o', out, '--mask', mask]);
      expect(res.err, args.join(' ')).toMatch(message);
      expect(res.code, args.join(' ')).toBe(code);
      expect(existsSync(out) || existsSync(mask)).toBe(false);
    }
    const noOutput = await cli(['merge', good, good]);
    expect(noOutput.err).toMatch(/needs an output path/);
    // An unwritable mask path: the merged grid written just before it is removed again.
    const out = join(dir, 'merged-orphan.npy');
    const res = await cli(['merge', good, good, '-o', out, '--mask', join(dir, 'no-such-folder', 'm.npy')]);
    expect(res.err).toMatch(/Cannot write .*m\.npy.*folder does not exist/);
    expect(existsSync(out)).toBe(false);
  });

  it('runs as `node bin/flowsmith.mjs merge`', () => {
    const { r, src, edited } = scene();
    const out = join(dir, 'merged-bin.npy');
    const stdout = execFileSync(
      process.execPath,
      [
        'bin/flowsmith.mjs',
        'merge',
        writeGrid(src, [r, r, r]),
        writeGrid(edited, [r, r, r]),
        '--tau',
        '27',
        '-o',
        out,
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(stdout)).toMatchObject({ kept: [0], voxelsChanged: 27 });
    expect(readGrid(out).reduce((a, b) => a + b, 0)).toBe(src.reduce((a, b) => a + b, 0) + 27);
  });

  it.runIf(hasScipy)('equals a scipy ndimage.label merge exactly, for both rules', async () => {
    const random = seededRandom(2024);
    type Case = { src: string; edited: string; tau: string; rule: string; output: string; mask: string };
    const cases: (Case & {
      report: { tau: number; kept: number[]; voxelsChanged: number; components: unknown[] };
    })[] = [];
    for (const r of [24, 40, 64]) {
      for (const [density, flip] of [
        [0.2, 0.05],
        [0.4, 0.15],
        [0.3, 0.3],
      ]) {
        const src = writeGrid(randomGrid(r, density, random), [r, r, r]);
        const edited = writeGrid(perturb(readGrid(src), flip, random), [r, r, r]);
        for (const rule of ['fixed', 'adaptive'] as const) {
          for (const tau of rule === 'fixed' ? ['2', '7', '100'] : ['250', '3', '10000']) {
            const output = join(dir, `ours-${fileCount++}.npy`);
            const mask = join(dir, `ours-mask-${fileCount++}.npy`);
            const res = await cli([
              'merge',
              src,
              edited,
              '--tau',
              tau,
              '--rule',
              rule,
              '-o',
              output,
              '--mask',
              mask,
              '--json',
            ]);
            expect(res.code).toBe(0);
            cases.push({ src, edited, tau, rule, output, mask, report: JSON.parse(res.out) });
          }
        }
      }
    }
    // One Python process for all cases: scipy's import dominates a single merge.
    const manifest = join(dir, 'scipy-cases.json');
    const theirs = cases.map((c, k) => ({
      ...c,
      report: undefined,
      output: join(dir, `scipy-${k}.npy`),
      mask: join(dir, `scipy-mask-${k}.npy`),
    }));
    writeFileSync(manifest, JSON.stringify(theirs));
    const script = join(process.cwd(), 'bench/scipy_merge.py');
    const scipy = JSON.parse(execFileSync(python, [script, 'merge-many', manifest], { encoding: 'utf8' }));
    expect(scipy.length).toBe(54);
    cases.forEach((c, k) => {
      const what = `${c.src} ${c.rule} τ=${c.tau}`;
      expect(Buffer.compare(readGrid(c.output), readGrid(theirs[k].output)), what).toBe(0);
      expect(Buffer.compare(readGrid(c.mask), readGrid(theirs[k].mask)), what).toBe(0);
      // scipy numbers labels by C-order scan of first voxels, i.e. by ascending smallest index: our ids + 1.
      const { tau, kept, voxelsChanged } = c.report;
      expect({ tau, kept, voxelsChanged, n: c.report.components.length }, what).toEqual({
        tau: scipy[k].tau,
        kept: scipy[k].kept,
        voxelsChanged: scipy[k].voxelsChanged,
        n: scipy[k].components,
      });
    });
    // The cases must exercise the adaptive halving, not only its first step.
    expect(cases.some((c) => c.rule === 'adaptive' && c.report.tau < Number(c.tau) / 2)).toBe(true);
  });
});
