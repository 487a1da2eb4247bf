import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_FIXTURES, GOLDEN_RENDERS, loadSparseGrid } from '../../../tests/support/golden-fixtures';
import { encodeNpy } from '../../core/npy';
import { faceShades } from '../../core/render/view-spec';
import type { CliIO } from '../cli-io';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'flowsmith-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** Pixels whose RGB differs (alpha is 255 in both). */
function differingPixels(a: PNG, b: PNG): number {
  let count = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (
      a.data[4 * i] !== b.data[4 * i] ||
      a.data[4 * i + 1] !== b.data[4 * i + 1] ||
      a.data[4 * i + 2] !== b.data[4 * i + 2]
    )
      count++;
  }
  return count;
}

function writeDenseGrid(name: string): { grid: string; colors: string } {
  const g = loadSparseGrid(name);
  const r = g.resolution;
  const grid = join(dir, `${name}.npy`);
  const colors = join(dir, `${name}.colors.npy`);
  writeFileSync(grid, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: g.occupancy }));
  writeFileSync(colors, encodeNpy({ dtype: 'uint8', shape: [r, r, r, 3], data: g.colors }));
  return { grid, colors };
}

describe('flowsmith render', () => {
  it('renders a mesh (import, normalize, voxelize) exactly as training renders it', async () => {
    const output = join(dir, 'chair.png');
    const run = await cli(['render', join(CORPUS_FIXTURES, 'chair-3.ply'), '--view', '0', '-o', output]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('9,772 voxels of 64³ → view 0 (shaded), 128×128');
    const image = readPng(output);
    expect([image.width, image.height]).toEqual([128, 128]);
    expect(differingPixels(image, readPng(join(GOLDEN_RENDERS, 'chair-3-v0-shaded.png')))).toBe(0);
  });

  it('renders a grid .npy with its colours, flat', async () => {
    const { grid, colors } = writeDenseGrid('house-6');
    const output = join(dir, 'house.png');
    const run = await cli(['render', grid, '--colors', colors, '--view', '3', '--flat', '-o', output]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('view 3 (flat)');
    expect(differingPixels(readPng(output), readPng(join(GOLDEN_RENDERS, 'house-6-v3-flat.png')))).toBe(0);
  });

  it('paints a grid given without colours grey, shaded by face', async () => {
    const { grid } = writeDenseGrid('mug-4');
    const output = join(dir, 'mug-grey.png');
    const run = await cli(['render', grid, '-o', output]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('view 0 (shaded)');
    const image = readPng(output);
    const allowed = new Set(
      [...faceShades()].map((s) => Math.floor(Math.fround(Math.fround(200 * s) + 0.5))),
    );
    allowed.add(255);
    for (let i = 0; i < 128 * 128; i++) {
      expect(image.data[4 * i]).toBe(image.data[4 * i + 2]);
      expect(allowed.has(image.data[4 * i])).toBe(true);
    }
  });

  it('refuses bad arguments and bad grids, writing nothing', async () => {
    const output = join(dir, 'never.png');
    const mesh = join(CORPUS_FIXTURES, 'mug-4.ply');
    const badView = await cli(['render', mesh, '--view', '8', '-o', output]);
    expect(badView.code).toBe(2);
    expect(badView.err).toContain('--view must be a whole number from 0 to 7');
    expect((await cli(['render', mesh, '--view', '1'])).err).toContain('-o <view.png>');
    expect((await cli(['render', mesh, '--colors', 'c.npy', '-o', output])).code).toBe(2);

    const flatGrid = join(dir, 'flat.npy');
    writeFileSync(flatGrid, encodeNpy({ dtype: 'uint8', shape: [4, 16], data: new Uint8Array(64) }));
    const badGrid = await cli(['render', flatGrid, '-o', output]);
    expect(badGrid.code).toBe(1);
    expect(badGrid.err).toContain('a grid must be uint8 of shape (R, R, R)');

    const { grid } = writeDenseGrid('airplane-4');
    const wrongColors = join(dir, 'wrong-colors.npy');
    writeFileSync(
      wrongColors,
      encodeNpy({ dtype: 'uint8', shape: [64, 64, 64], data: new Uint8Array(64 ** 3) }),
    );
    const badColors = await cli(['render', grid, '--colors', wrongColors, '-o', output]);
    expect(badColors.code).toBe(1);
    expect(badColors.err).toContain('must be uint8 of shape (64, 64, 64, 3)');

    const missing = await cli(['render', join(dir, 'nope.npy'), '-o', output]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
    expect(existsSync(output)).toBe(false);
  });
});
