/**
 * The CLI as a person runs it: `node bin/flowsmith.mjs ...` in a child process, on generated files
 * in a temporary folder, checked with NumPy where Python has it (and with our own .npy reader too).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../core/npy';
import { writeGlb } from '../io/export/glb-writer';
import { encodePng } from '../io/export/png-encoder';
import { writeGltfFiles, writeMtl, writeObj, writeStlBinary } from '../io/testing/format-writers';
import { addBox, cubeMesh, MeshBuilder } from '../io/testing/mesh-builder';

const root = join(import.meta.dirname, '../..');
let dir: string;

function flowsmith(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/flowsmith.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function sum(data: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i];
  return total;
}

function hasNumpy(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowsmith-cli-'));
  writeFileSync(join(dir, 'cube.stl'), writeStlBinary(cubeMesh()));
  writeFileSync(
    join(dir, 'garbage.stl'),
    'solid broken\n  facet normal 0 0 1\n    outer loop\n      vertex 0 0',
  );
  for (const file of await writeGltfFiles(cubeMesh({ colors: true }), 'scene')) {
    writeFileSync(join(dir, file.name), new Uint8Array(file.bytes));
  }
  const builder = new MeshBuilder();
  addBox(builder, [0, 0, 0], [1, 1, 1], {}, true);
  const texture = { width: 2, height: 2, data: new Uint8Array(16).fill(200) };
  const materials = [{ color: [1, 1, 1] as [number, number, number], texture }];
  const crate = builder.build(materials);
  writeFileSync(join(dir, 'crate.obj'), writeObj(crate, { mtlFile: 'crate.mtl', materialNames: ['wood'] }));
  writeFileSync(join(dir, 'crate.mtl'), writeMtl(materials, ['wood'], ['wood.png']));
  writeFileSync(join(dir, 'wood.png'), await encodePng(texture));
  writeFileSync(join(dir, 'red.glb'), await writeGlb(cubeMesh({ colors: true })));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('flowsmith voxelize', () => {
  it('writes a (64,64,64) uint8 shell of a cube and its colours', () => {
    const run = flowsmith('voxelize', 'cube.stl', '-o', 'grid.npy', '--colors', 'colors.npy');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('23,816 voxels occupied');
    const grid = decodeNpy(new Uint8Array(readFileSync(join(dir, 'grid.npy'))));
    expect(grid.shape).toEqual([64, 64, 64]);
    expect(grid.dtype).toBe('uint8');
    expect(sum(grid.data)).toBe(23816);
    const colors = decodeNpy(new Uint8Array(readFileSync(join(dir, 'colors.npy'))));
    expect(colors.shape).toEqual([64, 64, 64, 3]);
    if (hasNumpy()) {
      const script =
        'import numpy as n, sys; g = n.load(sys.argv[1]); c = n.load(sys.argv[2]); ' +
        'print(g.shape, g.dtype, int(g.sum()), c.shape, c.dtype, int(g[0].sum()), int(g[:, :, 0].sum()))';
      const out = execFileSync(
        '/usr/bin/python3',
        ['-c', script, join(dir, 'grid.npy'), join(dir, 'colors.npy')],
        {
          encoding: 'utf8',
        },
      );
      // The cube's faces fill whole outer layers: 64² voxels on the z = 0 and on the x = 0 slices.
      expect(out.trim()).toBe('(64, 64, 64) uint8 23816 (64, 64, 64, 3) uint8 4096 4096');
    }
  });

  it('honours --resolution', () => {
    const run = flowsmith('voxelize', 'red.glb', '-o', 'small.npy', '--resolution', '16');
    expect(run.code).toBe(0);
    const grid = decodeNpy(new Uint8Array(readFileSync(join(dir, 'small.npy'))));
    expect(grid.shape).toEqual([16, 16, 16]);
    expect(sum(grid.data)).toBe(16 ** 3 - 14 ** 3);
  });

  it('fails with a message on stderr, a non-zero exit and no output file', () => {
    const run = flowsmith('voxelize', 'garbage.stl', '-o', 'never.npy', '--colors', 'never-colors.npy');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^flowsmith: error: “garbage\.stl” could not be read/);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
    expect(existsSync(join(dir, 'never-colors.npy'))).toBe(false);
  });

  it('reports a missing output path and a missing file as usage errors', () => {
    expect(flowsmith('voxelize', 'cube.stl').code).toBe(2);
    const missing = flowsmith('voxelize', 'nothing-here.stl', '-o', 'x.npy');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nothing-here.stl');
  });
});

describe('flowsmith info', () => {
  it('prints format, counts and bounds', () => {
    const run = flowsmith('info', 'cube.stl');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/format\s+stl/);
    expect(run.stdout).toMatch(/triangles\s+12\n/);
    expect(run.stdout).toMatch(/vertices\s+8\n/);
    expect(run.stdout).toContain('source      min (0, 0, 0)  max (1, 1, 1)');
    expect(run.stdout).toContain('normalized  min (-0.5, -0.5, -0.5)  max (0.5, 0.5, 0.5)');
    expect(run.stdout).toMatch(/texture\s+no/);
  });

  it('picks referenced side files from the mesh’s folder', () => {
    const gltf = flowsmith('info', 'scene.gltf', '--json');
    expect(gltf.code).toBe(0);
    const stats = JSON.parse(gltf.stdout);
    expect(stats).toMatchObject({
      format: 'gltf',
      triangles: 12,
      hasVertexColors: true,
      sideFiles: ['scene.bin'],
    });
    const obj = flowsmith('info', 'crate.obj');
    expect(obj.code).toBe(0);
    expect(obj.stdout).toMatch(/texture\s+yes/);
    expect(obj.stdout).toMatch(/side files\s+crate\.mtl, wood\.png/);
  });
});
