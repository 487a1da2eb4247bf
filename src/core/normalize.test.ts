import { describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  DegenerateMeshError,
  EmptyMeshError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  NonFiniteVerticesError,
} from './errors';
import { computeBounds, type TriangleMesh } from './mesh';
import { normalizeMesh } from './normalize';

/** mulberry32: a tiny seeded PRNG for reproducible test meshes (not the product's noise generator). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function box(min: number[], size: number[]): TriangleMesh {
  const positions: number[] = [];
  for (let i = 0; i < 8; i++)
    for (let k = 0; k < 3; k++) positions.push(min[k] + ((i >> k) & 1 ? size[k] : 0));
  return {
    positions: new Float32Array(positions),
    indices: new Uint32Array([
      0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7,
      3,
    ]),
    colors: new Float32Array(24).fill(0.5),
    materials: [{ color: [1, 0, 0] }],
  };
}

function extents(b: { min: number[]; max: number[] }): number[] {
  return [0, 1, 2].map((k) => b.max[k] - b.min[k]);
}

describe('normalizeMesh', () => {
  it('maps a box of any size and offset onto exactly ±0.5 along its longest side, centred', () => {
    const source = box([-3.7, 12.1, 100.3], [2.3, 7.9, 0.61]);
    const { mesh, scale, offset, sourceBounds, bounds } = normalizeMesh(source, 'box.obj');
    expect(bounds.min[1]).toBe(-0.5);
    expect(bounds.max[1]).toBe(0.5);
    for (const k of [0, 2]) expect(bounds.min[k] + bounds.max[k]).toBeCloseTo(0, 7);
    // Aspect ratio kept.
    const before = extents(sourceBounds);
    const after = extents(bounds);
    for (const k of [0, 2]) expect(after[k] / after[1]).toBeCloseTo(before[k] / before[1], 6);
    // The reported transform is the one applied.
    for (let i = 0; i < mesh.positions.length; i++) {
      expect(mesh.positions[i]).toBeCloseTo((source.positions[i] + offset[i % 3]) * scale, 6);
    }
    expect(sourceBounds).toEqual(computeBounds(source.positions));
    expect(bounds).toEqual(computeBounds(mesh.positions));
  });

  it('returns new positions and leaves the input alone', () => {
    const source = box([1, 2, 3], [4, 5, 6]);
    const copy = source.positions.slice();
    const { mesh } = normalizeMesh(source, 'box.obj');
    expect(mesh.positions).not.toBe(source.positions);
    expect(source.positions).toEqual(copy);
    expect(mesh.indices).toBe(source.indices);
    expect(mesh.colors).toBe(source.colors);
    expect(mesh.materials).toBe(source.materials);
  });

  it('never leaves the cube and always reaches ±0.5, whatever the scale', () => {
    const rand = mulberry32(11);
    for (let trial = 0; trial < 300; trial++) {
      const magnitude = 10 ** Math.floor(rand() * 40 - 20);
      const origin = (rand() - 0.5) * magnitude * 100;
      const positions = new Float32Array(3 * 30).map(
        () => origin + (rand() - 0.5) * magnitude * (1 + rand() * 3),
      );
      const indices = new Uint32Array(30).map((_, i) => i);
      const { bounds } = normalizeMesh({ positions, indices, materials: [{ color: [1, 1, 1] }] }, 'r.ply');
      for (const k of [0, 1, 2]) {
        expect(bounds.min[k]).toBeGreaterThanOrEqual(-0.5);
        expect(bounds.max[k]).toBeLessThanOrEqual(0.5);
        expect(bounds.min[k] + bounds.max[k]).toBeCloseTo(0, 6);
      }
      expect(Math.max(...extents(bounds))).toBe(1);
    }
  });

  it('throws the validation errors', () => {
    const good = box([0, 0, 0], [1, 1, 1]);
    expect(() => normalizeMesh({ ...good, indices: new Uint32Array(0) }, 'e.obj')).toThrow(EmptyMeshError);
    expect(() => normalizeMesh({ ...good, indices: new Uint32Array([0, 1]) }, 'c.obj')).toThrow(
      CorruptFileError,
    );
    expect(() => normalizeMesh({ ...good, indices: new Uint32Array([0, 1, 99]) }, 'c.obj')).toThrow(
      CorruptFileError,
    );
    expect(() =>
      normalizeMesh({ ...good, indices: new Uint32Array(3 * (MAX_TRIANGLES + 1)) }, 'l.obj'),
    ).toThrow(MeshTooLargeError);
    const nan = good.positions.slice();
    nan[4] = Number.NaN;
    expect(() => normalizeMesh({ ...good, positions: nan }, 'n.obj')).toThrow(NonFiniteVerticesError);
    const flat = { ...good, indices: new Uint32Array([0, 0, 1, 2, 2, 2]) };
    expect(() => normalizeMesh(flat, 'd.obj')).toThrow(DegenerateMeshError);
  });
});
