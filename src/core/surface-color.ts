/**
 * Colour of a mesh surface at a point, for per-voxel colours (DESIGN §3): the voxelizer picks, for
 * each occupied voxel, the point of the overlapping triangles closest to the voxel centre, and this
 * module turns (triangle, barycentric coordinates) into a colour.
 *
 * Colours stay in the mesh's encoding (sRGB values in [0, 1], see mesh.ts) and the factors are
 * multiplied there: vertex colour × material colour × texture. That keeps a flat-coloured part's
 * colour byte-exact through voxelization, which the edit tests compare against.
 */
import type { TextureImage, TriangleMesh } from './mesh';

/**
 * Closest point of triangle `tri` (9 numbers: a, b, c as xyz) to p, as barycentric weights written
 * to out[0..2] (for a, b, c); returns the squared distance. Float64, after Ericson, Real-Time
 * Collision Detection §5.1.5, with a fallback to the three edges for zero-area triangles, where its
 * divisions are undefined. The triangle comes as an array because V8 boxes double arguments.
 */
export function closestPointOnTriangle(
  tri: Float64Array,
  px: number,
  py: number,
  pz: number,
  out: Float64Array,
): number {
  const ax = tri[0];
  const ay = tri[1];
  const az = tri[2];
  const bx = tri[3];
  const by = tri[4];
  const bz = tri[5];
  const cx = tri[6];
  const cy = tri[7];
  const cz = tri[8];
  const abx = bx - ax;
  const aby = by - ay;
  const abz = bz - az;
  const acx = cx - ax;
  const acy = cy - ay;
  const acz = cz - az;
  const apx = px - ax;
  const apy = py - ay;
  const apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  const nx = aby * acz - abz * acy;
  const ny = abz * acx - abx * acz;
  const nz = abx * acy - aby * acx;
  const degenerate = nx * nx + ny * ny + nz * nz === 0;
  let u = 1;
  let v = 0;
  let w = 0;
  if (degenerate) {
    closestOnEdges(px, py, pz, ax, ay, az, bx, by, bz, cx, cy, cz, out);
    u = out[0];
    v = out[1];
    w = out[2];
  } else if (d1 <= 0 && d2 <= 0) {
    // Vertex region a: (1, 0, 0).
  } else {
    const bpx = px - bx;
    const bpy = py - by;
    const bpz = pz - bz;
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - cx;
    const cpy = py - cy;
    const cpz = pz - cz;
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      u = 0;
      v = 1;
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      const t = d1 / (d1 - d3);
      u = 1 - t;
      v = t;
    } else if (d6 >= 0 && d5 <= d6) {
      u = 0;
      w = 1;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      const t = d2 / (d2 - d6);
      u = 1 - t;
      w = t;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const t = (d4 - d3) / (d4 - d3 + (d5 - d6));
      u = 0;
      v = 1 - t;
      w = t;
    } else {
      const sum = va + vb + vc;
      if (sum > 0) {
        v = vb / sum;
        w = vc / sum;
        u = 1 - v - w;
      } else {
        // Nearly degenerate: rounding left no interior; the edges give the answer.
        closestOnEdges(px, py, pz, ax, ay, az, bx, by, bz, cx, cy, cz, out);
        u = out[0];
        v = out[1];
        w = out[2];
      }
    }
  }
  out[0] = u;
  out[1] = v;
  out[2] = w;
  const qx = u * ax + v * bx + w * cx - px;
  const qy = u * ay + v * by + w * cy - py;
  const qz = u * az + v * bz + w * cz - pz;
  return qx * qx + qy * qy + qz * qz;
}

function closestOnEdges(
  px: number,
  py: number,
  pz: number,
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  cx: number,
  cy: number,
  cz: number,
  out: Float64Array,
): void {
  let best = Infinity;
  const edges: Array<[number, number, number, number, number, number, number, number]> = [
    [ax, ay, az, bx, by, bz, 0, 1],
    [bx, by, bz, cx, cy, cz, 1, 2],
    [cx, cy, cz, ax, ay, az, 2, 0],
  ];
  for (const [sx, sy, sz, ex, ey, ez, i, j] of edges) {
    const dx = ex - sx;
    const dy = ey - sy;
    const dz = ez - sz;
    const len2 = dx * dx + dy * dy + dz * dz;
    const raw = len2 > 0 ? ((px - sx) * dx + (py - sy) * dy + (pz - sz) * dz) / len2 : 0;
    const t = Math.min(1, Math.max(0, raw));
    const qx = sx + t * dx - px;
    const qy = sy + t * dy - py;
    const qz = sz + t * dz - pz;
    const dist2 = qx * qx + qy * qy + qz * qz;
    if (dist2 < best) {
      best = dist2;
      out[0] = out[1] = out[2] = 0;
      out[i] = 1 - t;
      out[j] = t;
    }
  }
}

export type TextureFilter = 'nearest' | 'bilinear';

/**
 * RGB of `texture` at uv, in [0, 1], written to out[0..2]; wraps with repeat. Row 0 of the image is
 * its top; `originTopLeft` says whether uv (0, 0) is the top-left pixel (glTF) or the bottom-left one
 * (OBJ). Pixel centres sit at (i + ½)/width. Alpha is ignored: voxels carry no opacity.
 */
export function sampleTexture(
  texture: TextureImage,
  u: number,
  v: number,
  originTopLeft: boolean,
  filter: TextureFilter,
  out: Float64Array,
): void {
  const { width, height, data } = texture;
  const su = Number.isFinite(u) ? u : 0;
  const sv = Number.isFinite(v) ? v : 0;
  const x = su * width;
  const y = (originTopLeft ? sv : 1 - sv) * height;
  if (filter === 'nearest') {
    const i = 4 * (wrap(Math.floor(x), width) + width * wrap(Math.floor(y), height));
    out[0] = data[i] / 255;
    out[1] = data[i + 1] / 255;
    out[2] = data[i + 2] / 255;
    return;
  }
  const fx = x - 0.5;
  const fy = y - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const tx = fx - x0;
  const ty = fy - y0;
  const c0 = wrap(x0, width);
  const c1 = wrap(x0 + 1, width);
  const r0 = width * wrap(y0, height);
  const r1 = width * wrap(y0 + 1, height);
  for (let k = 0; k < 3; k++) {
    const top = data[4 * (r0 + c0) + k] * (1 - tx) + data[4 * (r0 + c1) + k] * tx;
    const bottom = data[4 * (r1 + c0) + k] * (1 - tx) + data[4 * (r1 + c1) + k] * tx;
    out[k] = (top * (1 - ty) + bottom * ty) / 255;
  }
}

function wrap(i: number, n: number): number {
  const r = i % n;
  return r < 0 ? r + n : r;
}

/**
 * Colour of triangle `tri` at barycentric (w0, w1, w2): interpolated vertex colour (white when the
 * mesh has none) × material colour × texture at the interpolated uv (uv (0, 0) when the mesh has no
 * uvs). Writes RGB in [0, 1] to out[0..2]. `scratch` holds at least 3 numbers.
 */
export function surfaceColor(
  mesh: TriangleMesh,
  tri: number,
  w0: number,
  w1: number,
  w2: number,
  filter: TextureFilter,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const i0 = mesh.indices[3 * tri];
  const i1 = mesh.indices[3 * tri + 1];
  const i2 = mesh.indices[3 * tri + 2];
  const material = mesh.materials[mesh.materialIds?.[tri] ?? 0] ?? mesh.materials[0];
  const colors = mesh.colors;
  for (let k = 0; k < 3; k++) {
    const vertex = colors ? w0 * colors[3 * i0 + k] + w1 * colors[3 * i1 + k] + w2 * colors[3 * i2 + k] : 1;
    out[k] = vertex * (material ? material.color[k] : 1);
  }
  if (material?.texture) {
    const uvs = mesh.uvs;
    const u = uvs ? w0 * uvs[2 * i0] + w1 * uvs[2 * i1] + w2 * uvs[2 * i2] : 0;
    const v = uvs ? w0 * uvs[2 * i0 + 1] + w1 * uvs[2 * i1 + 1] + w2 * uvs[2 * i2 + 1] : 0;
    sampleTexture(material.texture, u, v, material.textureOriginTopLeft === true, filter, scratch);
    for (let k = 0; k < 3; k++) out[k] *= scratch[k];
  }
}

/** [0, 1] → byte, clamped, rounded to nearest. */
export function toByte(value: number): number {
  const v = Math.round(value * 255);
  return v < 0 ? 0 : v > 255 ? 255 : Number.isNaN(v) ? 0 : v;
}
