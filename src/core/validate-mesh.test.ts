import { describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  DegenerateMeshError,
  EmptyMeshError,
  FlowsmithError,
  MAX_TRIANGLES,
  MeshTooLargeError,
  NonFiniteVerticesError,
} from './errors';
import type { TriangleMesh } from './mesh';
import { validateMesh } from './validate-mesh';

function mesh(positions: number[], indices: number[], extra: Partial<TriangleMesh> = {}): TriangleMesh {
  return {
    positions: new Float32Array(positions),
    indices: new Uint32Array(indices),
    materials: [{ color: [1, 1, 1] }],
    ...extra,
  };
}

const triangle = [0, 0, 0, 1, 0, 0, 0, 1, 0];

function thrown(fn: () => void): FlowsmithError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlowsmithError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('validateMesh', () => {
  it('accepts a plain triangle, and a tiny but real one', () => {
    expect(() => validateMesh(mesh(triangle, [0, 1, 2]), 'a.obj')).not.toThrow();
    expect(() => validateMesh(mesh([0, 0, 0, 1e-30, 0, 0, 0, 1e-30, 0], [0, 1, 2]), 'a.obj')).not.toThrow();
  });

  it('refuses a mesh without triangles', () => {
    const error = thrown(() => validateMesh(mesh(triangle, []), 'points.ply'));
    expect(error).toBeInstanceOf(EmptyMeshError);
    expect(error.message).toContain('points.ply');
  });

  it('refuses an index list that is not whole triangles', () => {
    const error = thrown(() => validateMesh(mesh(triangle, [0, 1, 2, 0]), 'cut.stl'));
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error.message).toContain('not a multiple of 3');
  });

  it('refuses more than MAX_TRIANGLES before scanning anything', () => {
    const big: TriangleMesh = {
      positions: new Float32Array(triangle),
      indices: new Uint32Array(3 * (MAX_TRIANGLES + 1)),
      materials: [{ color: [1, 1, 1] }],
    };
    expect(thrown(() => validateMesh(big, 'huge.glb'))).toBeInstanceOf(MeshTooLargeError);
  });

  it('refuses indices past the last vertex, saying which', () => {
    const error = thrown(() => validateMesh(mesh(triangle, [0, 1, 2, 0, 2, 7]), 'bad.obj'));
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error.message).toContain('7 at position 5');
    expect(error.message).toContain('3 vertices');
  });

  it('refuses inconsistent attribute arrays and material ids', () => {
    const cases: Array<[Partial<TriangleMesh>, string]> = [
      [{ colors: new Float32Array(6) }, 'vertex colour'],
      [{ uvs: new Float32Array(5) }, 'texture coordinate'],
      [{ materialIds: new Uint16Array(2) }, 'material assignments'],
      [{ materialIds: new Uint16Array([1]) }, 'uses material 1'],
      [{ materials: [] }, 'no material'],
    ];
    for (const [extra, words] of cases) {
      const error = thrown(() => validateMesh(mesh(triangle, [0, 1, 2], extra), 'x.glb'));
      expect(error).toBeInstanceOf(CorruptFileError);
      expect(error.message).toContain(words);
    }
  });

  it('counts NaN and infinite coordinates, used or not', () => {
    const positions = [...triangle, Number.NaN, Number.POSITIVE_INFINITY, 0, Number.NEGATIVE_INFINITY, 0, 0];
    const error = thrown(() => validateMesh(mesh(positions, [0, 1, 2]), 'nan.ply'));
    expect(error).toBeInstanceOf(NonFiniteVerticesError);
    expect(error.message).toContain('3 vertex coordinates');
    expect(error.code).toBe('non-finite-vertices');
  });

  it('refuses a mesh whose every triangle has zero area', () => {
    // A repeated corner, a collinear triple, and a point.
    const positions = [0, 0, 0, 1, 1, 1, 2, 2, 2, 5, 5, 5];
    const error = thrown(() => validateMesh(mesh(positions, [0, 0, 1, 0, 1, 2, 3, 3, 3]), 'flat.stl'));
    expect(error).toBeInstanceOf(DegenerateMeshError);
    expect(error.message).toContain('all 3 triangles have zero area');
    // One real triangle among them is enough.
    expect(() =>
      validateMesh(mesh([...positions, 0, 1, 0], [0, 0, 1, 0, 1, 2, 0, 1, 4]), 'ok.stl'),
    ).not.toThrow();
  });
});
