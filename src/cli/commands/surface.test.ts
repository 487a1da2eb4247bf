import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import validator from 'gltf-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/npy';
import { sphereShell } from '../../core/surface/testing';
import { decodeImageNode } from '../../io/decode-image-node';
import { importMeshFiles } from '../../io/import';
import { inputFile } from '../../io/testing/format-writers';
import type { CliIO } from '../cli-io';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'flowsmith-surface-'));
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

/** A 24³ sphere shell, red on the left half and blue on the right, as grid and colour .npy files. */
function writeSphere(): { grid: string; colors: string } {
  const r = 24;
  const g = sphereShell(r, 0.35, (x) => (x < 12 ? [255, 0, 0] : [0, 0, 255]));
  const grid = join(dir, 'sphere.npy');
  const colors = join(dir, 'sphere.colors.npy');
  writeFileSync(grid, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: g.occupancy }));
  writeFileSync(colors, encodeNpy({ dtype: 'uint8', shape: [r, r, r, 3], data: g.colors }));
  return { grid, colors };
}

describe('flowsmith surface', () => {
  it('writes a GLB that validates and re-imports with the grid’s colours', async () => {
    const { grid, colors } = writeSphere();
    const output = join(dir, 'sphere.glb');
    const res = await cli(['surface', grid, '--colors', colors, '-o', output, '--json']);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const report = JSON.parse(res.out);
    expect(report).toMatchObject({ resolution: 24 });
    expect(report.triangles).toBeGreaterThan(1000);

    const glb = new Uint8Array(readFileSync(output));
    expect(report.bytes).toBe(glb.byteLength);
    const validation = await validator.validateBytes(glb, { writeTimestamp: false });
    expect(validation.issues.numErrors).toBe(0);
    expect(validation.issues.numWarnings).toBe(0);

    const { mesh } = await importMeshFiles([inputFile('sphere.glb', glb)], { decodeImage: decodeImageNode });
    expect(mesh.indices.length / 3).toBe(report.triangles);
    const reds = new Set<string>();
    for (let v = 0; v < mesh.positions.length / 3; v++) {
      const x = mesh.positions[3 * v];
      const rgb = Array.from(mesh.colors!.subarray(3 * v, 3 * v + 3), (c) => Math.round(c * 255)).join();
      if (x < -0.1) reds.add(rgb);
    }
    expect([...reds]).toEqual(['255,0,0']);
  });

  it('paints a grid without colours grey, honours --smoothing and --blocky, and prints a summary', async () => {
    const { grid } = writeSphere();
    const smooth = await cli(['surface', grid, '-o', join(dir, 'grey.glb'), '--smoothing', '0']);
    expect(smooth.code).toBe(0);
    expect(smooth.out).toMatch(
      /24³ grid → smooth surface: [\d,]+ vertices, [\d,]+ triangles \(\d+ ms\) → .*grey\.glb/,
    );
    const blocky = await cli(['surface', grid, '--blocky', '-o', join(dir, 'blocky.glb'), '--json']);
    expect(blocky.code).toBe(0);
    const { mesh } = await importMeshFiles([inputFile('grey.glb', readFileSync(join(dir, 'grey.glb')))], {
      decodeImage: decodeImageNode,
    });
    expect(new Set(Array.from(mesh.colors!, (c) => Math.round(c * 255)))).toEqual(new Set([200]));
    expect(JSON.parse(blocky.out).vertices).toBeGreaterThan(mesh.positions.length / 3);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const { grid } = writeSphere();
    const r = 8;
    const empty = join(dir, 'empty.npy');
    writeFileSync(empty, encodeNpy({ dtype: 'uint8', shape: [r, r, r], data: new Uint8Array(r ** 3) }));
    const floats = join(dir, 'floats.npy');
    writeFileSync(floats, encodeNpy({ dtype: 'float32', shape: [r, r, r], data: new Float32Array(r ** 3) }));
    const wrongColors = join(dir, 'wrong-colors.npy');
    writeFileSync(
      wrongColors,
      encodeNpy({ dtype: 'uint8', shape: [r, r, r, 3], data: new Uint8Array(3 * r ** 3) }),
    );
    const cases: [string[], RegExp, number][] = [
      [[empty], /nothing to export: the mesh has no triangles/, 1],
      [[floats], /float32 of shape \(8, 8, 8\); a grid must be uint8/, 1],
      [[grid, '--colors', wrongColors], /colours of a 24³ grid must be uint8 of shape \(24, 24, 24, 3\)/, 1],
      [[join(dir, 'missing.npy')], /Cannot read .*missing\.npy.*no such file/, 2],
      [[grid, '--smoothing', 'lots'], /--smoothing must be a whole number/, 2],
      [[grid, '--blocky', '--smoothing', '3'], /--smoothing applies to the smooth surface/, 2],
      [[grid, grid], /one grid \.npy; got 2/, 2],
    ];
    for (const [args, message, code] of cases) {
      const output = join(dir, 'never.glb');
      const res = await cli(['surface', ...args, '-o', output]);
      expect(res.err, args.join(' ')).toMatch(message);
      expect(res.code, args.join(' ')).toBe(code);
      expect(existsSync(output)).toBe(false);
    }
    expect((await cli(['surface', grid])).err).toMatch(/needs an output path/);
  });

  it('runs as `node bin/flowsmith.mjs surface`', () => {
    const { grid, colors } = writeSphere();
    const output = join(dir, 'bin.glb');
    const stdout = execFileSync(
      process.execPath,
      ['bin/flowsmith.mjs', 'surface', grid, '--colors', colors, '-o', output, '--json'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(stdout).triangles).toBeGreaterThan(1000);
    expect(readFileSync(output).subarray(0, 4).toString('latin1')).toBe('glTF');
  });
});
