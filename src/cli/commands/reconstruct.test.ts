import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSparseGrid } from '../../../tests/support/golden-fixtures';
import { decodeNpy, encodeNpy } from '../../core/npy';
import { main } from '../main';
import { captureIo } from '../testing';
import { DEFAULT_PACK_DIR } from './reconstruct';

const capture = captureIo;

const present = existsSync(join(DEFAULT_PACK_DIR, 'manifest.json'));

describe.skipIf(!present)('flowsmith reconstruct (default pack)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reconstruct-'));

  it('round-trips a corpus grid through the VAE and reports the IoU', async () => {
    const grid = loadSparseGrid('chair-3');
    const input = join(dir, 'chair.npy');
    writeFileSync(input, encodeNpy({ dtype: 'uint8', shape: [64, 64, 64], data: grid.occupancy }));
    const io = capture();
    const code = await main(['reconstruct', input, '-o', join(dir, 'out.npy'), '--json'], io);
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdout) as { iou: number; inputVoxels: number; outputVoxels: number };
    expect(summary.inputVoxels).toBe(grid.occupancy.reduce((a, b) => a + b, 0));
    expect(summary.iou).toBeGreaterThan(0.8);
    const out = decodeNpy(readFileSync(join(dir, 'out.npy')));
    expect(out.shape).toEqual([64, 64, 64]);
    expect(Array.from(out.data).reduce((a, b) => a + b, 0)).toBe(summary.outputVoxels);
  });

  it('refuses a grid of the wrong size and a broken pack, writing nothing', async () => {
    const small = join(dir, 'small.npy');
    writeFileSync(small, encodeNpy({ dtype: 'uint8', shape: [32, 32, 32], data: new Uint8Array(32 ** 3) }));
    const io = capture();
    expect(await main(['reconstruct', small, '-o', join(dir, 'no.npy')], io)).not.toBe(0);
    expect(io.stderr).toMatch(/64³/);
    expect(existsSync(join(dir, 'no.npy'))).toBe(false);

    const emptyPack = mkdtempSync(join(tmpdir(), 'nopack-'));
    const io2 = capture();
    const grid = join(dir, 'chair.npy');
    expect(await main(['reconstruct', grid, '-o', join(dir, 'no2.npy'), '--pack', emptyPack], io2)).not.toBe(
      0,
    );
    expect(io2.stderr).toMatch(/model pack/);
    expect(existsSync(join(dir, 'no2.npy'))).toBe(false);
  });
});
