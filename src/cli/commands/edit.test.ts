import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateBytes } from 'gltf-validator';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../core/npy';
import { main } from '../main';
import { captureIo } from '../testing';
import { DEFAULT_PACK_DIR } from './reconstruct';

const capture = captureIo;

const sample = join(import.meta.dirname, '../../../public/samples/chair.glb');
const present = existsSync(join(DEFAULT_PACK_DIR, 'manifest.json'));

describe.skipIf(!present)('flowsmith edit (default pack)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edit-'));

  it('edits a sample headless and writes a valid GLB and the whole bundle', async () => {
    const viewPath = join(dir, 'view.png');
    expect(await main(['render', sample, '--view', '2', '-o', viewPath], capture())).toBe(0);
    const png = PNG.sync.read(readFileSync(viewPath));
    for (let y = 20; y < 50; y++)
      for (let x = 80; x < 110; x++) png.data.set([30, 90, 200, 255], 4 * (y * 128 + x));
    const targetPath = join(dir, 'target.png');
    writeFileSync(targetPath, PNG.sync.write(png));

    const io = capture();
    const out = join(dir, 'out.glb');
    const bundle = join(dir, 'bundle');
    const args = ['edit', sample, '--view', '2', '--target', targetPath, '--method', 'stm', '--kind', 'add'];
    const code = await main(
      [...args, '--steps', '5', '--seed', '7', '-o', out, '--bundle', bundle, '--json'],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const summary = JSON.parse(io.stdout);
    expect(summary).toMatchObject({
      method: 'stm',
      kind: 'add',
      view: 2,
      seed: 7,
      steps: 5,
      backend: 'node',
    });

    const report = await validateBytes(new Uint8Array(readFileSync(out)));
    expect(report.issues.numErrors).toBe(0);
    for (const name of ['source.glb', 'target.glb']) {
      expect((await validateBytes(new Uint8Array(readFileSync(join(bundle, name))))).issues.numErrors).toBe(
        0,
      );
    }
    const source = decodeNpy(readFileSync(join(bundle, 'source.npy')));
    const target = decodeNpy(readFileSync(join(bundle, 'target.npy')));
    const mask = decodeNpy(readFileSync(join(bundle, 'mask.npy')));
    for (const grid of [source, target, mask]) {
      expect(grid.dtype).toBe('uint8');
      expect(grid.shape).toEqual([64, 64, 64]);
    }
    // Outside the mask the target is the source, voxel for voxel.
    let outside = 0;
    let changed = 0;
    for (let i = 0; i < source.data.length; i++) {
      if (source.data[i] !== target.data[i]) {
        changed++;
        if (mask.data[i] === 0) outside++;
      }
    }
    expect(outside).toBe(0);
    expect(changed).toBe(summary.voxelsChanged);
    expect(PNG.sync.read(readFileSync(join(bundle, 'c_tgt.png'))).data).toEqual(png.data);
    const params = JSON.parse(readFileSync(join(bundle, 'params.json'), 'utf8'));
    expect(params).toMatchObject({ method: 'stm', kind: 'add', seed: 7, T: 5, view: 2, lambda: 0.6 });
    expect(params.pack.ss_flow_sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 180_000);

  it('refuses a target image of the wrong size before running anything', async () => {
    const small = new PNG({ width: 64, height: 64 });
    const path = join(dir, 'small.png');
    writeFileSync(path, PNG.sync.write(small));
    const io = capture();
    const code = await main(['edit', sample, '--view', '0', '--target', path, '-o', join(dir, 'x.glb')], io);
    expect(code).not.toBe(0);
    expect(io.stderr).toContain('128×128');
    expect(existsSync(join(dir, 'x.glb'))).toBe(false);
  });

  it('names a bad method', async () => {
    const io = capture();
    const code = await main(
      ['edit', sample, '--view', '0', '--target', 'x.png', '--method', 'magic', '-o', 'y.glb'],
      io,
    );
    expect(code).not.toBe(0);
    expect(io.stderr).toContain('flowedit, anchorflow, stm, regenerate');
  });
});
