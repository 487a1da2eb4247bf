import { describe, expect, it } from 'vitest';
import type { TriangleMesh } from '../../core/mesh';
import { decodeImageNode } from '../decode-image-node';
import { writeGlb } from '../export/glb-writer';
import {
  inputFile,
  writeGltfFiles,
  writeMtl,
  writeObj,
  writePly,
  writeStlAscii,
  writeStlBinary,
} from '../testing/format-writers';
import { addBox, cubeMesh, MeshBuilder } from '../testing/mesh-builder';
import { importMeshFiles } from './index';
import { triangleKeys } from './test-helpers';

const options = { decodeImage: decodeImageNode };

function checker(size: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = 4 * (y * size + x);
      data.set([x * 40, y * 40, (x + y) % 2 ? 255 : 0, 255], i);
    }
  }
  return { width: size, height: size, data };
}

/** Two boxes in two materials, vertex-coloured: exercises groups, colours and material colours. */
function twoPartMesh(): TriangleMesh {
  const builder = new MeshBuilder();
  addBox(builder, [0, 0, 0], [1, 0.2, 1], { color: [0.8, 0.2, 0.1], material: 0 });
  addBox(builder, [0.2, 0.2, 0.2], [0.4, 1.5, 0.4], { color: [10 / 255, 0.5, 0.9], material: 1 });
  return builder.build([{ color: [1, 1, 1] }, { color: [0.5, 0.25, 0.75] }]);
}

describe('importMeshFiles round trips', () => {
  it('reads a binary glb with vertex colours and two materials', async () => {
    const mesh = twoPartMesh();
    const result = await importMeshFiles([inputFile('parts.glb', await writeGlb(mesh))], options);
    expect(result.format).toBe('glb');
    expect(result.fileName).toBe('parts.glb');
    expect(result.mesh.indices.length / 3).toBe(24);
    expect(triangleKeys(result.mesh, { withColors: true })).toEqual(triangleKeys(mesh, { withColors: true }));
    expect(result.mesh.materials.map((m) => m.color.map((c) => Number(c.toFixed(4))))).toEqual([
      [1, 1, 1],
      [0.5, 0.25, 0.75],
    ]);
    // Each triangle keeps its material: the post (x within [0.2, 0.4]) is material 1.
    const ids = result.mesh.materialIds!;
    for (let t = 0; t < ids.length; t++) {
      const xs = [0, 1, 2].map((k) => result.mesh.positions[3 * result.mesh.indices[3 * t + k]]);
      expect(ids[t]).toBe(xs.every((x) => x > 0.19 && x < 0.41) ? 1 : 0);
    }
  });

  it('reads a textured glb and returns the texture pixels', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], {}, true);
    const texture = checker(4);
    const mesh = builder.build([{ color: [1, 1, 1], texture, textureOriginTopLeft: true }]);
    const result = await importMeshFiles([inputFile('crate.glb', await writeGlb(mesh))], options);
    const material = result.mesh.materials[0];
    expect(material.texture?.width).toBe(4);
    expect(material.texture?.height).toBe(4);
    expect(Array.from(material.texture!.data)).toEqual(Array.from(texture.data));
    expect(material.textureOriginTopLeft).toBe(true);
    expect(result.mesh.uvs).toBeDefined();
    expect(result.warnings).toEqual([]);
  });

  it('reads a .gltf with its .bin and an external texture, matched by name', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [2, 1, 1], {}, true);
    const mesh = builder.build([{ color: [0.2, 0.4, 0.6], texture: checker(2), textureOriginTopLeft: true }]);
    const files = await writeGltfFiles(mesh, 'scene', { externalImages: true });
    // A path from the author's disk and a different case still find the dropped file.
    files[2].name = 'C:\\textures\\SCENE_0.png';
    const result = await importMeshFiles(files, options);
    expect(result.format).toBe('gltf');
    expect(triangleKeys(result.mesh)).toEqual(triangleKeys(mesh));
    expect(result.mesh.materials[0].texture?.width).toBe(2);
    expect(result.mesh.materials[0].color.map((c) => Number(c.toFixed(4)))).toEqual([0.2, 0.4, 0.6]);
  });

  it('imports a .gltf without its texture, with a warning', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], {}, true);
    const mesh = builder.build([{ color: [1, 1, 1], texture: checker(2), textureOriginTopLeft: true }]);
    const files = await writeGltfFiles(mesh, 'lonely', { externalImages: true });
    const result = await importMeshFiles(files.slice(0, 2), options);
    expect(result.mesh.materials[0].texture).toBeUndefined();
    expect(result.warnings.join()).toMatch(/lonely_0\.png/);
  });

  it('reads a .gltf whose buffer is a data: URI', async () => {
    const mesh = cubeMesh({ colors: true });
    const files = await writeGltfFiles(mesh, 'inline');
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    json.buffers[0].uri = `data:application/octet-stream;base64,${Buffer.from(files[1].bytes).toString('base64')}`;
    const result = await importMeshFiles([inputFile('inline.gltf', JSON.stringify(json))], options);
    expect(triangleKeys(result.mesh, { withColors: true })).toEqual(triangleKeys(mesh, { withColors: true }));
  });

  it('reads OBJ + MTL with per-material colours and a map_Kd texture', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], { material: 0 }, true);
    addBox(builder, [0, 1, 0], [1, 2, 1], { material: 1 }, true);
    const texture = checker(4);
    const materials = [
      { color: [0.9, 0.1, 0.2] as [number, number, number] },
      { color: [1, 1, 1] as [number, number, number], texture },
    ];
    const mesh = builder.build(materials);
    const files = [
      inputFile('tower.obj', writeObj(mesh, { mtlFile: 'tower.mtl', materialNames: ['red', 'wood'] })),
      inputFile('tower.mtl', writeMtl(materials, ['red', 'wood'], [undefined, 'wood.png'])),
      inputFile('wood.png', await (await import('../export/png-encoder')).encodePng(texture)),
    ];
    const result = await importMeshFiles(files, options);
    expect(result.format).toBe('obj');
    expect(triangleKeys(result.mesh)).toEqual(triangleKeys(mesh));
    const red = result.mesh.materials.find((m) => m.color[1] < 0.5)!;
    expect(red.color.map((c) => Number(c.toFixed(4)))).toEqual([0.9, 0.1, 0.2]);
    const wood = result.mesh.materials.find((m) => m.texture)!;
    expect(Array.from(wood.texture!.data)).toEqual(Array.from(texture.data));
    expect(wood.textureOriginTopLeft).toBe(false);
    expect(result.warnings).toEqual([]);
  });

  it('reads OBJ vertex colours as sRGB and imports without a missing .mtl', async () => {
    const mesh = cubeMesh({ colors: true });
    const result = await importMeshFiles(
      [inputFile('cube.obj', writeObj(mesh, { mtlFile: 'gone.mtl' }))],
      options,
    );
    expect(triangleKeys(result.mesh, { withColors: true })).toEqual(triangleKeys(mesh, { withColors: true }));
    expect(result.mesh.materials).toHaveLength(1);
    expect(result.warnings.join()).toMatch(/gone\.mtl/);
  });

  it('reads ASCII and binary STL and welds the triangle soup', async () => {
    const mesh = cubeMesh();
    for (const [name, bytes] of [
      ['cube-ascii.stl', writeStlAscii(mesh)],
      ['cube-binary.stl', writeStlBinary(mesh)],
    ] as const) {
      const result = await importMeshFiles([inputFile(name, bytes)], options);
      expect(result.format).toBe('stl');
      expect(triangleKeys(result.mesh)).toEqual(triangleKeys(mesh));
      expect(result.mesh.positions.length / 3).toBe(8);
    }
  });

  it('reads ASCII and binary PLY with exact 8-bit vertex colours', async () => {
    const mesh = cubeMesh({ colors: true });
    // PLY stores bytes: start from colours on the byte grid so the round trip can be exact.
    mesh.colors = mesh.colors!.map((c) => Math.round(c * 255) / 255);
    // Dark shades are where a round trip through linear 8-bit would lose precision.
    mesh.colors[0] = 10 / 255;
    mesh.colors[1] = 1 / 255;
    for (const format of ['ascii', 'binary_little_endian'] as const) {
      const result = await importMeshFiles(
        [inputFile(`cube-${format}.ply`, writePly(mesh, format))],
        options,
      );
      expect(result.format).toBe('ply');
      expect(triangleKeys(result.mesh, { withColors: true, colorDigits: 5 })).toEqual(
        triangleKeys(mesh, { withColors: true, colorDigits: 5 }),
      );
    }
  });
});

describe('importMeshFiles textures that cannot be used', () => {
  it('keeps the mesh and warns when a texture does not decode', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], {}, true);
    const materials = [{ color: [0.3, 0.6, 0.9] as [number, number, number], texture: checker(2) }];
    const mesh = builder.build(materials);
    const files = [
      inputFile('box.obj', writeObj(mesh, { mtlFile: 'box.mtl', materialNames: ['paint'] })),
      inputFile('box.mtl', writeMtl(materials, ['paint'], ['paint.png'])),
      inputFile('paint.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])),
    ];
    const result = await importMeshFiles(files, options);
    expect(result.mesh.materials[0].texture).toBeUndefined();
    expect(result.mesh.materials[0].color.map((c) => Number(c.toFixed(4)))).toEqual([0.3, 0.6, 0.9]);
    expect(result.warnings.join()).toMatch(/paint\.png.*could not be decoded/);
  });

  it('reads a glb whose texture is addressed through a second uv set', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], {}, true);
    const mesh = builder.build([{ color: [1, 1, 1], texture: checker(2), textureOriginTopLeft: true }]);
    const { buildGltf, packGlb } = await import('../export/glb-writer');
    const { json, bin } = await buildGltf(mesh);
    // Same accessor as TEXCOORD_1 with zeros in TEXCOORD_0: only the set the texture names is carried.
    const primitive = json.meshes[0].primitives[0];
    primitive.attributes.TEXCOORD_1 = primitive.attributes.TEXCOORD_0;
    json.accessors.push({ componentType: 5126, count: 24, type: 'VEC2' });
    primitive.attributes.TEXCOORD_0 = json.accessors.length - 1;
    (json.materials[0].pbrMetallicRoughness as { baseColorTexture: object }).baseColorTexture = {
      index: 0,
      texCoord: 1,
    };
    const result = await importMeshFiles([inputFile('uv1.glb', packGlb(json, bin))], options);
    expect(result.mesh.materials[0].texture?.width).toBe(2);
    expect(Array.from(result.mesh.uvs!).some((v) => v !== 0)).toBe(true);
  });
});
