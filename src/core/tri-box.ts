/**
 * Triangle vs CLOSED axis-aligned box overlap by the separating axis theorem (Akenine-Möller,
 * "Fast 3D Triangle-Box Overlap Testing", 2001): the 3 box face normals, the triangle normal and the
 * 9 cross products of box axes with triangle edges. Touching counts as overlap: an axis separates
 * only when the projections are strictly apart, so a triangle lying in a face plane, or meeting the
 * box at one corner or along one edge, overlaps.
 *
 * Arithmetic is float64. On inputs whose products stay exact in float64 (e.g. coordinates on a
 * dyadic lattice such as voxel corners k/64) the answer is exact; elsewhere only configurations
 * within rounding distance (~1e-16 relative) of touching can be misjudged. Degenerate triangles
 * (segments, points) are handled: their zero axes never separate, and the remaining axes are the
 * complete set for a segment or point.
 */

/**
 * Overlap of the triangle `tri` (9 numbers: a, b, c as xyz) with the closed box [min, max].
 * The triangle travels in a Float64Array and the box as separate numbers because V8 boxes double
 * arguments of calls it does not inline: 15 double arguments made this 4× slower. Voxel boxes have
 * integer corners in grid units, which V8 passes unboxed.
 */
export function triangleBoxOverlap(
  tri: Float64Array,
  minX: number,
  minY: number,
  minZ: number,
  maxX: number,
  maxY: number,
  maxZ: number,
): boolean {
  // Work relative to the box centre so the box projects symmetrically onto every axis.
  const ox = (minX + maxX) * 0.5;
  const oy = (minY + maxY) * 0.5;
  const oz = (minZ + maxZ) * 0.5;
  const hx = (maxX - minX) * 0.5;
  const hy = (maxY - minY) * 0.5;
  const hz = (maxZ - minZ) * 0.5;
  const v0x = tri[0] - ox;
  const v0y = tri[1] - oy;
  const v0z = tri[2] - oz;
  const v1x = tri[3] - ox;
  const v1y = tri[4] - oy;
  const v1z = tri[5] - oz;
  const v2x = tri[6] - ox;
  const v2y = tri[7] - oy;
  const v2z = tri[8] - oz;

  // Box face normals first: cheapest, and they reject most candidates from a bounding-box scan.
  if (separates(v0x, v1x, v2x, hx)) return false;
  if (separates(v0y, v1y, v2y, hy)) return false;
  if (separates(v0z, v1z, v2z, hz)) return false;

  const e0x = v1x - v0x;
  const e0y = v1y - v0y;
  const e0z = v1z - v0z;
  const e1x = v2x - v1x;
  const e1y = v2y - v1y;
  const e1z = v2z - v1z;
  const e2x = v0x - v2x;
  const e2y = v0y - v2y;
  const e2z = v0z - v2z;

  // The nine axes unit_k × edge. All three vertices are projected (not two, as in the original) so
  // the result does not depend on which vertex rounding favours, nor on the vertex order.
  for (let j = 0; j < 3; j++) {
    const ex = j === 0 ? e0x : j === 1 ? e1x : e2x;
    const ey = j === 0 ? e0y : j === 1 ? e1y : e2y;
    const ez = j === 0 ? e0z : j === 1 ? e1z : e2z;
    const fx = Math.abs(ex);
    const fy = Math.abs(ey);
    const fz = Math.abs(ez);
    // X × e = (0, -ez, ey)
    let p0 = ey * v0z - ez * v0y;
    let p1 = ey * v1z - ez * v1y;
    let p2 = ey * v2z - ez * v2y;
    let r = hy * fz + hz * fy;
    if (separates(p0, p1, p2, r)) return false;
    // Y × e = (ez, 0, -ex)
    p0 = ez * v0x - ex * v0z;
    p1 = ez * v1x - ex * v1z;
    p2 = ez * v2x - ex * v2z;
    r = hx * fz + hz * fx;
    if (separates(p0, p1, p2, r)) return false;
    // Z × e = (-ey, ex, 0)
    p0 = ex * v0y - ey * v0x;
    p1 = ex * v1y - ey * v1x;
    p2 = ex * v2y - ey * v2x;
    r = hx * fy + hy * fx;
    if (separates(p0, p1, p2, r)) return false;
  }

  // Triangle normal: the box spans [-r, r] along it. All three vertices are projected rather than one:
  // with a rounded normal they no longer project to one value, and a vertex lying exactly on the box
  // (the commonest touching case) must be judged by its own projection, which is then exact.
  const nx = e0y * e1z - e0z * e1y;
  const ny = e0z * e1x - e0x * e1z;
  const nz = e0x * e1y - e0y * e1x;
  const d0 = nx * v0x + ny * v0y + nz * v0z;
  const d1 = nx * v1x + ny * v1y + nz * v1z;
  const d2 = nx * v2x + ny * v2y + nz * v2z;
  const r = hx * Math.abs(nx) + hy * Math.abs(ny) + hz * Math.abs(nz);
  return !separates(d0, d1, d2, r);
}

/** Convenience form for tests and callers that hold vertices as arrays. */
export function triBoxOverlap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  min: ArrayLike<number>,
  max: ArrayLike<number>,
): boolean {
  const tri = new Float64Array([a[0], a[1], a[2], b[0], b[1], b[2], c[0], c[1], c[2]]);
  return triangleBoxOverlap(tri, min[0], min[1], min[2], max[0], max[1], max[2]);
}

/**
 * True when all three projections lie strictly beyond the box's [-r, r] on one side. Written as
 * short-circuit comparisons rather than min/max: on mixed inputs it mispredicts fewer branches
 * (measured 90 vs 130 ns per test in V8).
 */
function separates(p0: number, p1: number, p2: number, r: number): boolean {
  return (p0 > r && p1 > r && p2 > r) || (p0 < -r && p1 < -r && p2 < -r);
}
