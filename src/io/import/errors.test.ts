import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  CorruptFileError,
  EmptyMeshError,
  InvalidArgumentError,
  MeshTooLargeError,
  MissingResourceError,
  UnsupportedFormatError,
} from '../../core/errors';
import { decodeImageNode } from '../decode-image-node';
import { writeGlb } from '../export/glb-writer';
import { inputFile, writeGltfFiles, writePly, writeStlBinary } from '../testing/format-writers';
import { cubeMesh } from '../testing/mesh-builder';
import { importMeshFiles } from './index';

const options = { decodeImage: decodeImageNode };
const importOne = (name: string, content: Uint8Array | string) =>
  importMeshFiles([inputFile(name, content)], options);

describe('importMeshFiles failures', () => {
  it('names the missing .bin of a .gltf', async () => {
    const files = await writeGltfFiles(cubeMesh(), 'model');
    const error = await importMeshFiles([files[0]], options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingResourceError);
    expect((error as Error).message).toContain('model.bin');
  });

  it('refuses a truncated glb as corrupt', async () => {
    const glb = await writeGlb(cubeMesh({ colors: true }));
    await expect(importOne('cut.glb', glb.slice(0, glb.length - 40))).rejects.toBeInstanceOf(
      CorruptFileError,
    );
    await expect(importOne('cut.glb', glb.slice(0, 12))).rejects.toBeInstanceOf(CorruptFileError);
  });

  it('refuses a glb whose header length is right but whose tables point past the data', async () => {
    const glb = await writeGlb(cubeMesh());
    const cut = glb.slice(0, glb.length - 40);
    new DataView(cut.buffer).setUint32(8, cut.length, true);
    await expect(importOne('lying.glb', cut)).rejects.toBeInstanceOf(CorruptFileError);
  });

  it('refuses garbage as corrupt', async () => {
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expect(importOne('noise.obj', noise)).rejects.toBeInstanceOf(CorruptFileError);
    await expect(
      importOne('prose.obj', 'Dear reader,\nthis is not a mesh.\nIt is a letter.\n'),
    ).rejects.toBeInstanceOf(CorruptFileError);
    await expect(importOne('noise.glb', noise)).rejects.toBeInstanceOf(CorruptFileError);
    await expect(importOne('noise.gltf', '{"asset": ')).rejects.toBeInstanceOf(CorruptFileError);
    await expect(importOne('noise.ply', noise)).rejects.toBeInstanceOf(CorruptFileError);
  });

  it('refuses a truncated binary STL and PLY as corrupt', async () => {
    const stl = writeStlBinary(cubeMesh());
    await expect(importOne('cut.stl', stl.slice(0, stl.length - 25))).rejects.toBeInstanceOf(
      CorruptFileError,
    );
    await expect(importOne('tiny.stl', stl.slice(0, 40))).rejects.toBeInstanceOf(CorruptFileError);
    const ply = writePly(cubeMesh(), 'binary_little_endian');
    await expect(importOne('cut.ply', ply.slice(0, ply.length - 20))).rejects.toBeInstanceOf(
      CorruptFileError,
    );
  });

  it('refuses an unknown extension', async () => {
    await expect(importOne('notes.txt', 'hello')).rejects.toBeInstanceOf(UnsupportedFormatError);
    await expect(importOne('scene.fbx', new Uint8Array(10))).rejects.toBeInstanceOf(UnsupportedFormatError);
  });

  it('refuses two meshes at once and an empty drop', async () => {
    const stl = writeStlBinary(cubeMesh());
    await expect(
      importMeshFiles([inputFile('a.stl', stl), inputFile('b.stl', stl)], options),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(importMeshFiles([], options)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('calls a points-only PLY and a face-less OBJ empty', async () => {
    await expect(
      importOne('scan.ply', writePly(cubeMesh(), 'ascii', { pointsOnly: true })),
    ).rejects.toBeInstanceOf(EmptyMeshError);
    await expect(
      importOne('scan.ply', writePly(cubeMesh(), 'binary_little_endian', { pointsOnly: true })),
    ).rejects.toBeInstanceOf(EmptyMeshError);
    await expect(importOne('lines.obj', 'v 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2 3\n')).rejects.toBeInstanceOf(
      EmptyMeshError,
    );
  });

  it('calls a glTF of points empty', async () => {
    const files = await writeGltfFiles(cubeMesh(), 'dots');
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    json.meshes[0].primitives[0].mode = 0;
    await expect(
      importMeshFiles([inputFile('dots.gltf', JSON.stringify(json)), files[1]], options),
    ).rejects.toBeInstanceOf(EmptyMeshError);
  });

  it('stops with CancelledError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const files = [inputFile('cube.stl', writeStlBinary(cubeMesh()))];
    await expect(importMeshFiles(files, { ...options, signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });

  it('refuses a binary STL whose header claims 6M triangles, without reading further', async () => {
    const header = writeStlBinary(cubeMesh(), 6_000_000);
    const started = performance.now();
    const error = await importOne('huge.stl', header).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeshTooLargeError);
    expect((error as Error).message).toContain('6,000,000');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses huge PLY and glTF by their declared counts', async () => {
    const ply =
      'ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 6000000\nproperty list uchar int vertex_indices\nend_header\n';
    await expect(importOne('huge.ply', ply)).rejects.toBeInstanceOf(MeshTooLargeError);
    const files = await writeGltfFiles(cubeMesh(), 'huge');
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    json.accessors[json.meshes[0].primitives[0].indices].count = 18_000_000;
    await expect(
      importMeshFiles([inputFile('huge.gltf', JSON.stringify(json)), files[1]], options),
    ).rejects.toBeInstanceOf(MeshTooLargeError);
  });
});
