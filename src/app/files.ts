import type { InputFile } from '../engine/engine-api';

/** Browser Files → the Engine's InputFiles (the buffers will be transferred to the worker). */
export async function readFiles(files: Iterable<File>): Promise<InputFile[]> {
  return Promise.all([...files].map(async (file) => ({ name: file.name, bytes: await file.arrayBuffer() })));
}

export const ACCEPTED_EXTENSIONS = [
  '.glb',
  '.gltf',
  '.bin',
  '.obj',
  '.mtl',
  '.stl',
  '.ply',
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
];
