import validator, { type ValidationReport } from 'gltf-validator';
import { describe, expect, it } from 'vitest';
import { FlowsmithError } from '../../core/errors';
import { createGrid } from '../../core/grid';
import type { TriangleMesh } from '../../core/mesh';
import { extractBlocky, extractSurface } from '../../core/surface';
import { sphereShell } from '../../core/surface/testing';
import { srgbToLinear } from '../color-space';
import { decodeImageNode } from '../decode-image-node';
import { importMeshFiles } from '../import';
import { inputFile } from '../testing/format-writers';
import { addBox, MeshBuilder } from '../testing/mesh-builder';
import { EmptyExportError, exportGlb, writeGlb } from './glb-writer';

async function validate(glb: Uint8Array): Promise<ValidationReport> {
  const report = await validator.validateBytes(glb, { maxIssues: 0, writeTimestamp: false });
  // Anything short of an error is printed, so a new warning is seen without failing the run.
  for (const m of report.issues.messages) {
    console.info(
      `gltf-validator ${['error', 'warning', 'info', 'hint'][m.severity]}: ${m.code} ${m.pointer ?? ''} ${m.message}`,
    );
  }
  return report;
}

interface ParsedGlb {
  json: {
    asset: { generator: string };
    accessors: { bufferView: number; componentType: number; count: number; min?: number[]; max?: number[] }[];
    bufferViews: { byteOffset: number; byteLength: number }[];
    meshes: { primitives: { attributes: Record<string, number>; indices: number }[] }[];
  };
  bin: Uint8Array;
}

function parseGlb(glb: Uint8Array): ParsedGlb {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength)));
  const binLength = view.getUint32(20 + jsonLength, true);
  const bin = glb.slice(28 + jsonLength, 28 + jsonLength + binLength);
  return { json, bin };
}

function floats(glb: ParsedGlb, accessor: number): Float32Array {
  const a = glb.json.accessors[accessor];
  const v = glb.json.bufferViews[a.bufferView];
  return new Float32Array(glb.bin.buffer, v.byteOffset, v.byteLength / 4);
}

/** Position (float32, exact) → colour, for comparing meshes whatever their vertex order. */
function colourByPosition(mesh: TriangleMesh): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (let v = 0; v < mesh.positions.length / 3; v++) {
    map.set(
      Array.from(mesh.positions.subarray(3 * v, 3 * v + 3)).join(),
      Array.from(mesh.colors!.subarray(3 * v, 3 * v + 3)),
    );
  }
  return map;
}

function checker(size: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++)
    data.set([(i * 37) % 256, (i * 91) % 256, i % 2 ? 255 : 0, 255], 4 * i);
  return { width: size, height: size, data };
}

describe('exportGlb', () => {
  const surface = extractSurface(sphereShell(64, 0.4, (x) => (x < 32 ? [230, 20, 10] : [10, 40, 220])));

  it('writes an extracted surface the Khronos validator passes with no errors and no warnings', async () => {
    const glb = exportGlb(surface);
    const report = await validate(glb);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
    expect(report.info).toMatchObject({
      generator: 'Flowsmith',
      totalTriangleCount: surface.indices.length / 3,
    });

    const parsed = parseGlb(glb);
    const { attributes, indices } = parsed.json.meshes[0].primitives[0];
    expect(Object.keys(attributes).sort()).toEqual(['COLOR_0', 'NORMAL', 'POSITION']);
    // Fewer than 65535 vertices: uint16 indices.
    expect(parsed.json.accessors[indices].componentType).toBe(5123);
    // COLOR_0 is linear: our sRGB colours, decoded.
    const linear = floats(parsed, attributes.COLOR_0);
    let worst = 0;
    for (let i = 0; i < linear.length; i++)
      worst = Math.max(worst, Math.abs(linear[i] - srgbToLinear(surface.colors![i])));
    expect(worst).toBeLessThan(1e-6);
    // Normals are unit length and point outward from the sphere's centre.
    const normals = floats(parsed, attributes.NORMAL);
    let outward = 0;
    for (let v = 0; v < normals.length / 3; v++) {
      const n = normals.subarray(3 * v, 3 * v + 3);
      expect(Math.abs(Math.hypot(n[0], n[1], n[2]) - 1)).toBeLessThan(1e-5);
      const p = surface.positions.subarray(3 * v, 3 * v + 3);
      if (n[0] * p[0] + n[1] * p[1] + n[2] * p[2] > 0.9 * Math.hypot(p[0], p[1], p[2])) outward++;
    }
    expect(outward).toBe(normals.length / 3);
    const position = parsed.json.accessors[attributes.POSITION];
    expect(position.min).toHaveLength(3);
    expect(position.max![1]).toBeCloseTo(0.4, 1);
  });

  it('round-trips through the importer: same triangles, same positions, same colours', async () => {
    const result = await importMeshFiles([inputFile('surface.glb', exportGlb(surface))], {
      decodeImage: decodeImageNode,
    });
    expect(result.mesh.indices.length).toBe(surface.indices.length);
    const original = colourByPosition(surface);
    const imported = colourByPosition(result.mesh);
    expect(imported.size).toBe(original.size);
    let worst = 0;
    for (const [key, colour] of imported) {
      const expected = original.get(key);
      expect(expected).toBeDefined();
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(colour[k] - expected![k]));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('uses uint32 indices past 65534 vertices and still validates', async () => {
    const blocky = extractBlocky(sphereShell(64, 0.45));
    expect(blocky.positions.length / 3).toBeGreaterThan(65535);
    const glb = exportGlb(blocky);
    const parsed = parseGlb(glb);
    expect(parsed.json.accessors[parsed.json.meshes[0].primitives[0].indices].componentType).toBe(5125);
    expect((await validate(glb)).issues.numErrors).toBe(0);
  });

  it('writes textured, multi-material meshes that validate and re-import with their pixels', async () => {
    const builder = new MeshBuilder();
    addBox(builder, [0, 0, 0], [1, 1, 1], { material: 0 }, true);
    addBox(builder, [1.5, 0, 0], [2, 2, 0.5], { material: 1 }, true);
    const texture = checker(4);
    const mesh = builder.build([
      { color: [1, 1, 1], texture, textureOriginTopLeft: true },
      { color: [0.2, 0.6, 0.3] },
    ]);
    for (const glb of [
      exportGlb(mesh),
      await writeGlb(mesh),
      exportGlb(mesh, { normals: false, name: 'crate' }),
    ]) {
      const report = await validate(glb);
      expect(report.issues.numErrors).toBe(0);
      expect(report.info).toMatchObject({ materialCount: 2, hasTextures: true, drawCallCount: 2 });
      const result = await importMeshFiles([inputFile('crate.glb', glb)], { decodeImage: decodeImageNode });
      expect(Array.from(result.mesh.materials[0].texture!.data)).toEqual(Array.from(texture.data));
      expect(result.mesh.materials[1].color.map((c) => Number(c.toFixed(4)))).toEqual([0.2, 0.6, 0.3]);
    }
  });

  it('refuses an empty mesh with a typed error that says what is wrong', async () => {
    const empty = extractSurface(createGrid(8));
    expect(empty.indices.length).toBe(0);
    expect(() => exportGlb(empty)).toThrow(EmptyExportError);
    await expect(writeGlb(empty)).rejects.toBeInstanceOf(EmptyExportError);
    try {
      exportGlb(empty);
    } catch (error) {
      expect(error).toBeInstanceOf(FlowsmithError);
      expect((error as FlowsmithError).code).toBe('empty-mesh');
      expect((error as FlowsmithError).message).toMatch(/nothing to export.*no triangles/);
    }
  });
});
