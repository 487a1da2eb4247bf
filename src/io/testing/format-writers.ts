/**
 * Writers of the text and binary mesh formats the importer reads, for generated test fixtures and
 * samples. They aim at the common dialect each loader expects, not at every option of the format.
 */
import type { MeshMaterial, TriangleMesh } from '../../core/mesh';
import type { InputFile } from '../../engine/engine-api';
import { buildGltf } from '../export/glb-writer';

export function inputFile(name: string, content: Uint8Array | string): InputFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return { name, bytes: buffer };
}

function corner(mesh: TriangleMesh, t: number, k: number): [number, number, number] {
  const v = mesh.indices[3 * t + k];
  return [mesh.positions[3 * v], mesh.positions[3 * v + 1], mesh.positions[3 * v + 2]];
}

function normalOf(a: number[], b: number[], c: number[]): [number, number, number] {
  const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
  const n: [number, number, number] = [
    u[1] * v[2] - u[2] * v[1],
    u[2] * v[0] - u[0] * v[2],
    u[0] * v[1] - u[1] * v[0],
  ];
  const length = Math.hypot(...n) || 1;
  return [n[0] / length, n[1] / length, n[2] / length];
}

export function writeStlAscii(mesh: TriangleMesh, name = 'mesh'): string {
  const lines = [`solid ${name}`];
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    const [a, b, c] = [0, 1, 2].map((k) => corner(mesh, t, k));
    lines.push(`  facet normal ${normalOf(a, b, c).join(' ')}`, '    outer loop');
    for (const p of [a, b, c]) lines.push(`      vertex ${p.join(' ')}`);
    lines.push('    endloop', '  endfacet');
  }
  lines.push(`endsolid ${name}`);
  return `${lines.join('\n')}\n`;
}

/** Binary STL; `declaredTriangles` overrides the header count (to fake huge or truncated files). */
export function writeStlBinary(mesh: TriangleMesh, declaredTriangles?: number): Uint8Array {
  const triangles = mesh.indices.length / 3;
  const out = new Uint8Array(84 + 50 * triangles);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('Flowsmith generated binary STL'.padEnd(80, ' ')), 0);
  view.setUint32(80, declaredTriangles ?? triangles, true);
  for (let t = 0; t < triangles; t++) {
    const at = 84 + 50 * t;
    const [a, b, c] = [0, 1, 2].map((k) => corner(mesh, t, k));
    [...normalOf(a, b, c), ...a, ...b, ...c].forEach((value, i) => {
      view.setFloat32(at + 4 * i, value, true);
    });
  }
  return out;
}

const byte = (c: number) => Math.max(0, Math.min(255, Math.round(c * 255)));

/** PLY with per-vertex uchar colours (when the mesh has them); `pointsOnly` drops the faces. */
export function writePly(
  mesh: TriangleMesh,
  format: 'ascii' | 'binary_little_endian',
  options: { pointsOnly?: boolean } = {},
): Uint8Array {
  const vertices = mesh.positions.length / 3;
  const faces = options.pointsOnly ? 0 : mesh.indices.length / 3;
  const colors = mesh.colors;
  const header = [
    'ply',
    `format ${format} 1.0`,
    'comment Flowsmith generated',
    `element vertex ${vertices}`,
    'property float x',
    'property float y',
    'property float z',
    ...(colors ? ['property uchar red', 'property uchar green', 'property uchar blue'] : []),
    ...(faces > 0 ? [`element face ${faces}`, 'property list uchar int vertex_indices'] : []),
    'end_header',
    '',
  ].join('\n');
  const headerBytes = new TextEncoder().encode(header);
  if (format === 'ascii') {
    const lines: string[] = [];
    for (let v = 0; v < vertices; v++) {
      const p = Array.from(mesh.positions.subarray(3 * v, 3 * v + 3));
      const c = colors ? Array.from(colors.subarray(3 * v, 3 * v + 3), byte) : [];
      lines.push([...p, ...c].join(' '));
    }
    for (let f = 0; f < faces; f++) lines.push(`3 ${mesh.indices.subarray(3 * f, 3 * f + 3).join(' ')}`);
    const body = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const out = new Uint8Array(headerBytes.length + body.length);
    out.set(headerBytes);
    out.set(body, headerBytes.length);
    return out;
  }
  const vertexBytes = 12 + (colors ? 3 : 0);
  const out = new Uint8Array(headerBytes.length + vertices * vertexBytes + faces * 13);
  out.set(headerBytes);
  const view = new DataView(out.buffer);
  let at = headerBytes.length;
  for (let v = 0; v < vertices; v++) {
    for (let k = 0; k < 3; k++) view.setFloat32(at + 4 * k, mesh.positions[3 * v + k], true);
    at += 12;
    if (colors) for (let k = 0; k < 3; k++) out[at++] = byte(colors[3 * v + k]);
  }
  for (let f = 0; f < faces; f++) {
    out[at++] = 3;
    for (let k = 0; k < 3; k++) {
      view.setInt32(at, mesh.indices[3 * f + k], true);
      at += 4;
    }
  }
  return out;
}

/** OBJ text: `v x y z [r g b]`, `vt` when the mesh has uvs, faces grouped by material. */
export function writeObj(
  mesh: TriangleMesh,
  options: { mtlFile?: string; materialNames?: string[] } = {},
): string {
  const lines = ['# Flowsmith generated'];
  if (options.mtlFile) lines.push(`mtllib ${options.mtlFile}`);
  const vertices = mesh.positions.length / 3;
  for (let v = 0; v < vertices; v++) {
    const p = Array.from(mesh.positions.subarray(3 * v, 3 * v + 3));
    const c = mesh.colors ? Array.from(mesh.colors.subarray(3 * v, 3 * v + 3), (x) => x.toFixed(6)) : [];
    lines.push(`v ${[...p, ...c].join(' ')}`);
  }
  if (mesh.uvs) for (let v = 0; v < vertices; v++) lines.push(`vt ${mesh.uvs[2 * v]} ${mesh.uvs[2 * v + 1]}`);
  const names = options.materialNames ?? mesh.materials.map((_, i) => `material_${i}`);
  let current = -1;
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    const material = mesh.materialIds?.[t] ?? 0;
    if (material !== current && options.mtlFile) {
      lines.push(`usemtl ${names[material]}`);
      current = material;
    }
    const corners = Array.from(mesh.indices.subarray(3 * t, 3 * t + 3), (i) =>
      mesh.uvs ? `${i + 1}/${i + 1}` : `${i + 1}`,
    );
    lines.push(`f ${corners.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeMtl(
  materials: MeshMaterial[],
  names: string[],
  textureFiles: (string | undefined)[] = [],
): string {
  const lines = ['# Flowsmith generated'];
  materials.forEach((material, i) => {
    lines.push(
      `newmtl ${names[i]}`,
      `Kd ${material.color.map((c) => c.toFixed(6)).join(' ')}`,
      'Ka 0 0 0',
      'Ks 0 0 0',
      'd 1',
    );
    if (textureFiles[i]) lines.push(`map_Kd ${textureFiles[i]}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * A .gltf with its buffer in a separate .bin and, with `externalImages`, its images as separate
 * files (named `<base>_<n>.png`), as exporters write them.
 */
export async function writeGltfFiles(
  mesh: TriangleMesh,
  base: string,
  options: { externalImages?: boolean } = {},
): Promise<InputFile[]> {
  const { json, bin } = await buildGltf(mesh);
  const files: InputFile[] = [];
  if (options.externalImages && json.images) {
    json.images = json.images.map((image, i) => {
      const view = json.bufferViews[image.bufferView ?? 0];
      const name = `${base}_${i}.png`;
      files.push(inputFile(name, bin.slice(view.byteOffset, view.byteOffset + view.byteLength)));
      return { uri: name, mimeType: image.mimeType };
    });
  }
  json.buffers = [{ byteLength: bin.byteLength, uri: `${base}.bin` }];
  files.unshift(inputFile(`${base}.gltf`, JSON.stringify(json, null, 1)), inputFile(`${base}.bin`, bin));
  return files;
}
