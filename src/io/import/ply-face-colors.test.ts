import { describe, expect, it } from 'vitest';
import { decodeImageNode } from '../decode-image-node';
import { importMeshFiles } from './index';

/** 256 separate triangles; face f has colour (f, 255 − f, 7f mod 256), so every byte value occurs. */
function facePly(format: 'ascii' | 'binary'): Uint8Array {
  const faces = 256;
  const header = [
    'ply',
    `format ${format === 'ascii' ? 'ascii' : 'binary_little_endian'} 1.0`,
    `element vertex ${faces * 3}`,
    'property float x',
    'property float y',
    'property float z',
    `element face ${faces}`,
    'property list uchar int vertex_indices',
    'property uchar red',
    'property uchar green',
    'property uchar blue',
    'end_header',
  ].join('\n');
  const vertex = (f: number, k: number) => [
    (f % 16) + (k === 1 ? 0.9 : 0),
    Math.floor(f / 16) + (k === 2 ? 0.9 : 0),
    k * 0.1,
  ];
  const colour = (f: number) => [f, 255 - f, (7 * f) % 256];
  if (format === 'ascii') {
    const lines = [header];
    for (let f = 0; f < faces; f++) for (let k = 0; k < 3; k++) lines.push(vertex(f, k).join(' '));
    for (let f = 0; f < faces; f++) lines.push(`3 ${3 * f} ${3 * f + 1} ${3 * f + 2} ${colour(f).join(' ')}`);
    return new TextEncoder().encode(`${lines.join('\n')}\n`);
  }
  const head = new TextEncoder().encode(`${header}\n`);
  const out = new Uint8Array(head.length + faces * 3 * 12 + faces * 16);
  out.set(head);
  const view = new DataView(out.buffer);
  let at = head.length;
  for (let f = 0; f < faces; f++) {
    for (let k = 0; k < 3; k++) {
      for (const c of vertex(f, k)) {
        view.setFloat32(at, c, true);
        at += 4;
      }
    }
  }
  for (let f = 0; f < faces; f++) {
    out[at++] = 3;
    for (let k = 0; k < 3; k++) {
      view.setInt32(at, 3 * f + k, true);
      at += 4;
    }
    out.set(colour(f), at);
    at += 3;
  }
  return out;
}

describe('PLY per-face colours', () => {
  for (const format of ['ascii', 'binary'] as const) {
    it(`keep every byte value exactly (${format})`, async () => {
      const bytes = facePly(format);
      const { mesh } = await importMeshFiles(
        [{ name: `faces-${format}.ply`, bytes: bytes.buffer as ArrayBuffer }],
        {
          decodeImage: decodeImageNode,
        },
      );
      expect(mesh.colors).toBeDefined();
      const colors = mesh.colors!;
      const seen = new Map<string, number[]>();
      for (let t = 0; t < mesh.indices.length / 3; t++) {
        const v = mesh.indices[3 * t];
        const rgb = [0, 1, 2].map((c) => Math.round(colors[3 * v + c] * 255));
        const x = mesh.positions[3 * v];
        const y = mesh.positions[3 * v + 1];
        seen.set(`${Math.round(x)},${Math.round(y)}`, rgb);
      }
      for (let f = 0; f < 256; f++) {
        expect(seen.get(`${f % 16},${Math.floor(f / 16)}`)).toEqual([f, 255 - f, (7 * f) % 256]);
      }
    });
  }
});
