/** Comparisons for import tests: meshes are compared as sets of triangles, since loaders may reorder. */
import type { TriangleMesh } from '../../core/mesh';

const round = (x: number) => (Math.abs(x) < 5e-6 ? 0 : Number(x.toFixed(5)));

/** One string per triangle: its corners' positions (and colours, with `withColors`), sorted. */
export function triangleKeys(
  mesh: TriangleMesh,
  options: { withColors?: boolean; colorDigits?: number } = {},
): string[] {
  const keys: string[] = [];
  const digits = options.colorDigits ?? 3;
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    const corners: string[] = [];
    for (let k = 0; k < 3; k++) {
      const v = mesh.indices[3 * t + k];
      let key = Array.from(mesh.positions.subarray(3 * v, 3 * v + 3), round).join(',');
      if (options.withColors) {
        const c = mesh.colors
          ? Array.from(mesh.colors.subarray(3 * v, 3 * v + 3), (x) => x.toFixed(digits))
          : ['none'];
        key += `|${c.join(',')}`;
      }
      corners.push(key);
    }
    keys.push(corners.join(' '));
  }
  return keys.sort();
}
