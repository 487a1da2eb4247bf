/** Checks on extracted surfaces, shared by the tests and the benchmark. */
import type { TriangleMesh } from '../mesh';

/** Volume enclosed by a closed mesh (divergence theorem); positive when faces wind outward. */
export function signedVolume(mesh: TriangleMesh): number {
  const p = mesh.positions;
  const t = mesh.indices;
  let sum = 0;
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f];
    const b = 3 * t[f + 1];
    const c = 3 * t[f + 2];
    sum +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return sum / 6;
}

export interface EdgeReport {
  /** Undirected edges. */
  edges: number;
  /** Edges in exactly one triangle (holes). */
  boundary: number;
  /** Edges in more than two triangles. */
  nonManifold: number;
  /** Edges whose two triangles traverse them in the same direction (inconsistent winding). */
  misoriented: number;
}

/** Edge incidence: a closed, consistently wound 2-manifold has boundary = nonManifold = misoriented = 0. */
export function edgeReport(mesh: TriangleMesh): EdgeReport {
  const t = mesh.indices;
  const n = mesh.positions.length / 3;
  // Each directed half-edge as one key; an edge (a, b) is fine when a→b and b→a each occur once.
  const directed = new Map<number, number>();
  for (let f = 0; f < t.length; f += 3) {
    for (let k = 0; k < 3; k++) {
      const a = t[f + k];
      const b = t[f + ((k + 1) % 3)];
      const key = a * n + b;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  const report: EdgeReport = { edges: 0, boundary: 0, nonManifold: 0, misoriented: 0 };
  for (const [key, forward] of directed) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const backward = directed.get(b * n + a) ?? 0;
    if (backward > 0 && a > b) continue; // counted from the other direction
    report.edges++;
    const uses = forward + backward;
    if (uses === 1) report.boundary++;
    else if (uses > 2) report.nonManifold++;
    else if (forward !== 1 || backward !== 1) report.misoriented++;
  }
  return report;
}

/** Smallest triangle area (world units²). */
export function minTriangleArea(mesh: TriangleMesh): number {
  const p = mesh.positions;
  const t = mesh.indices;
  let min = Infinity;
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f];
    const b = 3 * t[f + 1];
    const c = 3 * t[f + 2];
    const ux = p[b] - p[a];
    const uy = p[b + 1] - p[a + 1];
    const uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a];
    const vy = p[c + 1] - p[a + 1];
    const vz = p[c + 2] - p[a + 2];
    const area = 0.5 * Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
    if (area < min) min = area;
  }
  return min;
}

/** Area-weighted unit normal per vertex; (0, 0, 0) for a vertex in no triangle of non-zero area. */
export function vertexNormals(mesh: TriangleMesh): Float32Array {
  const p = mesh.positions;
  const t = mesh.indices;
  const sums = new Float64Array(p.length);
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f];
    const b = 3 * t[f + 1];
    const c = 3 * t[f + 2];
    const ux = p[b] - p[a];
    const uy = p[b + 1] - p[a + 1];
    const uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a];
    const vy = p[c + 1] - p[a + 1];
    const vz = p[c + 2] - p[a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      sums[v] += nx;
      sums[v + 1] += ny;
      sums[v + 2] += nz;
    }
  }
  const normals = new Float32Array(p.length);
  for (let v = 0; v < p.length; v += 3) {
    const len = Math.hypot(sums[v], sums[v + 1], sums[v + 2]);
    if (len > 0) {
      normals[v] = sums[v] / len;
      normals[v + 1] = sums[v + 1] / len;
      normals[v + 2] = sums[v + 2] / len;
    }
  }
  return normals;
}
