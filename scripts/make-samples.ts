/**
 * Generates the bundled sample meshes into public/samples/ (run: `npx tsx scripts/make-samples.ts`).
 * Every sample is made here from primitives, so their provenance is this file; each exercises one
 * import path of the studio: per-material colours (chair.glb), OBJ + MTL (mug), PLY vertex colours
 * (duck), an embedded PNG texture (crate.glb) and a .gltf with its .bin side file (lamp).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeshMaterial, TextureImage, TriangleMesh } from '../src/core/mesh';
import { writeGlb } from '../src/io/export/glb-writer';
import { writeGltfFiles, writeMtl, writeObj, writePly } from '../src/io/testing/format-writers';
import {
  addBox,
  addCylinder,
  addLathe,
  addSphere,
  addTorus,
  MeshBuilder,
  type Rgb,
} from '../src/io/testing/mesh-builder';

interface SampleEntry {
  name: string;
  file: string;
  sideFiles: string[];
  format: string;
  triangles: number;
  description: string;
}

const out = join(import.meta.dirname, '../public/samples');
const material = (color: Rgb, texture?: TextureImage): MeshMaterial =>
  texture ? { color, texture, textureOriginTopLeft: true } : { color };

function chair(): TriangleMesh {
  const b = new MeshBuilder();
  const [frame, cushion, slat] = [0, 1, 2];
  for (const x of [-0.4, 0.32]) {
    for (const z of [-0.4, 0.32]) addBox(b, [x, 0, z], [x + 0.08, 0.45, z + 0.08], { material: frame });
  }
  addBox(b, [-0.42, 0.45, -0.42], [0.42, 0.52, 0.42], { material: frame });
  addBox(b, [-0.38, 0.52, -0.36], [0.38, 0.6, 0.38], { material: cushion });
  // The back is at -z: the chair faces +z (DESIGN §3).
  for (const x of [-0.42, 0.34]) addBox(b, [x, 0.52, -0.42], [x + 0.08, 1.25, -0.34], { material: frame });
  addBox(b, [-0.42, 1.15, -0.42], [0.42, 1.25, -0.34], { material: frame });
  for (const x of [-0.24, -0.05, 0.14])
    addBox(b, [x, 0.6, -0.41], [x + 0.1, 1.15, -0.35], { material: slat });
  return b.build([material([0.36, 0.22, 0.12]), material([0.72, 0.1, 0.14]), material([0.8, 0.62, 0.38])]);
}

function mug(): TriangleMesh {
  const b = new MeshBuilder();
  const [glaze, inside] = [0, 1];
  addLathe(
    b,
    [0, 0, 0],
    [
      [0, 0],
      [0.4, 0],
      [0.42, 0.05],
      [0.42, 1],
      [0.37, 1],
      [0.37, 0.08],
      [0, 0.08],
    ],
    48,
    [
      { material: glaze },
      { material: glaze },
      { material: glaze },
      { material: inside },
      { material: inside },
      { material: inside },
    ],
  );
  addTorus(b, [0.42, 0.52, 0], 0.25, 0.05, 24, { material: glaze }, [0, 1, 0], [1, 0, 0], Math.PI);
  return b.build([material([0.16, 0.36, 0.66]), material([0.94, 0.91, 0.84])]);
}

function duck(): TriangleMesh {
  const b = new MeshBuilder();
  const yellow: Rgb = [0.98, 0.8, 0.14];
  addSphere(b, [0, 0.45, 0], 0.5, 40, { color: yellow }, [1, 0.7, 1.25]);
  addSphere(b, [0, 0.95, 0.42], 0.3, 32, { color: yellow });
  addSphere(b, [0, 0.9, 0.74], 0.12, 20, { color: [0.96, 0.45, 0.08] }, [1.1, 0.45, 1.3]);
  for (const x of [-0.13, 0.13]) addSphere(b, [x, 1.03, 0.66], 0.05, 12, { color: [0.05, 0.05, 0.07] });
  addSphere(b, [0, 0.62, -0.62], 0.14, 16, { color: [0.93, 0.72, 0.1] }, [1, 0.6, 1.4]);
  return b.build();
}

function planks(size: number): TextureImage {
  const data = new Uint8Array(size * size * 4);
  const hash = (x: number) => {
    const s = Math.sin(x * 127.1) * 43758.5453;
    return s - Math.floor(s);
  };
  const plank = size / 4;
  for (let y = 0; y < size; y++) {
    const row = Math.floor(y / plank);
    for (let x = 0; x < size; x++) {
      const grain = 0.85 + 0.15 * Math.sin((x + 7 * hash(row)) * 0.9 + 3 * Math.sin(y * 0.7 + row));
      const edge = y % plank === 0 || x === 0 || x === size - 1 ? 0.45 : 1;
      const tone = (0.9 + 0.2 * hash(row + 11)) * grain * edge;
      data.set(
        [Math.min(255, 190 * tone), Math.min(255, 130 * tone), Math.min(255, 70 * tone), 255],
        4 * (y * size + x),
      );
    }
  }
  return { width: size, height: size, data };
}

function crate(): TriangleMesh {
  const b = new MeshBuilder();
  addBox(b, [-0.5, 0, -0.5], [0.5, 1, 0.5], {}, true);
  return b.build([material([1, 1, 1], planks(64))]);
}

function lamp(): TriangleMesh {
  const b = new MeshBuilder();
  addLathe(
    b,
    [0, 0, 0],
    [
      [0, 0],
      [0.35, 0],
      [0.35, 0.05],
      [0.12, 0.12],
      [0, 0.12],
    ],
    40,
    { color: [0.12, 0.12, 0.14] },
  );
  addCylinder(b, [0, 0.7, 0], 0.035, 1.16, 16, { color: [0.78, 0.6, 0.22] });
  const shade: Rgb = [0.96, 0.88, 0.68];
  addLathe(
    b,
    [0, 1.1, 0],
    [
      [0.45, 0],
      [0.2, 0.45],
    ],
    40,
    { color: shade },
  );
  addTorus(b, [0, 1.1, 0], 0.45, 0.015, 40, { color: shade }, [1, 0, 0], [0, 0, -1]);
  return b.build();
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const entries: SampleEntry[] = [];
  const add = (
    name: string,
    file: string,
    sideFiles: string[],
    format: string,
    mesh: TriangleMesh,
    description: string,
  ) => entries.push({ name, file, sideFiles, format, triangles: mesh.indices.length / 3, description });
  const save = (name: string, bytes: Uint8Array | string) => writeFileSync(join(out, name), bytes);

  const chairMesh = chair();
  save('chair.glb', await writeGlb(chairMesh, { name: 'chair' }));
  add(
    'chair',
    'chair.glb',
    [],
    'glb',
    chairMesh,
    'A slatted wooden chair with a red cushion; one material per part.',
  );

  const mugMesh = mug();
  const mugNames = ['glaze', 'inside'];
  save('mug.obj', writeObj(mugMesh, { mtlFile: 'mug.mtl', materialNames: mugNames }));
  save('mug.mtl', writeMtl(mugMesh.materials, mugNames));
  add(
    'mug',
    'mug.obj',
    ['mug.mtl'],
    'obj',
    mugMesh,
    'A blue glazed mug with a cream inside; OBJ with an MTL file.',
  );

  const duckMesh = duck();
  save('duck.ply', writePly(duckMesh, 'binary_little_endian'));
  add(
    'duck',
    'duck.ply',
    [],
    'ply',
    duckMesh,
    'A rubber duck made of spheres; binary PLY with vertex colours.',
  );

  const crateMesh = crate();
  save('crate.glb', await writeGlb(crateMesh, { name: 'crate' }));
  add(
    'crate',
    'crate.glb',
    [],
    'glb',
    crateMesh,
    'A wooden crate; one box with an embedded 64×64 plank texture.',
  );

  const lampMesh = lamp();
  const lampFiles = await writeGltfFiles(lampMesh, 'lamp');
  for (const file of lampFiles) save(file.name, new Uint8Array(file.bytes));
  add(
    'lamp',
    'lamp.gltf',
    lampFiles.slice(1).map((f) => f.name),
    'gltf',
    lampMesh,
    'A table lamp; .gltf with a .bin, vertex colours.',
  );

  save('index.json', `${JSON.stringify(entries, null, 2)}\n`);
  for (const e of entries) process.stdout.write(`${e.file}: ${e.triangles} triangles\n`);
}

await main();
