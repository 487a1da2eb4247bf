/**
 * Procedural meshes for tests and the bundled samples: a small builder plus a few primitives
 * (box, cylinder, sphere, torus) placed by translation, so fixtures are generated, never committed.
 */
import type { MeshMaterial, TriangleMesh } from '../../core/mesh';

export type Vec3 = [number, number, number];
export type Rgb = [number, number, number];

export interface PartStyle {
  /** Vertex colour (sRGB 0..1) for every vertex of the part. */
  color?: Rgb;
  /** Material index for every triangle of the part. */
  material?: number;
}

export class MeshBuilder {
  private readonly positions: number[] = [];
  private readonly colors: number[] = [];
  private readonly uvs: number[] = [];
  private readonly indices: number[] = [];
  private readonly materialIds: number[] = [];
  private hasColors = false;
  private hasUvs = false;

  vertex(p: Vec3, color?: Rgb, uv?: [number, number]): number {
    this.positions.push(...p);
    this.colors.push(...(color ?? [1, 1, 1]));
    this.uvs.push(...(uv ?? [0, 0]));
    this.hasColors ||= color !== undefined;
    this.hasUvs ||= uv !== undefined;
    return this.positions.length / 3 - 1;
  }

  triangle(a: number, b: number, c: number, material = 0): void {
    this.indices.push(a, b, c);
    this.materialIds.push(material);
  }

  quad(a: number, b: number, c: number, d: number, material = 0): void {
    this.triangle(a, b, c, material);
    this.triangle(a, c, d, material);
  }

  build(materials: MeshMaterial[] = [{ color: [1, 1, 1] }]): TriangleMesh {
    const mesh: TriangleMesh = {
      positions: new Float32Array(this.positions),
      indices: new Uint32Array(this.indices),
      materials,
    };
    if (this.hasColors) mesh.colors = new Float32Array(this.colors);
    if (this.hasUvs) mesh.uvs = new Float32Array(this.uvs);
    if (materials.length > 1) mesh.materialIds = new Uint16Array(this.materialIds);
    return mesh;
  }
}

/** Axis-aligned box, 4 vertices per face so each face carries its own uv square (0..1). */
export function addBox(
  builder: MeshBuilder,
  min: Vec3,
  max: Vec3,
  style: PartStyle = {},
  withUvs = false,
): void {
  const faces: { axis: number; sign: 1 | -1 }[] = [
    { axis: 0, sign: 1 },
    { axis: 0, sign: -1 },
    { axis: 1, sign: 1 },
    { axis: 1, sign: -1 },
    { axis: 2, sign: 1 },
    { axis: 2, sign: -1 },
  ];
  for (const { axis, sign } of faces) {
    // u, v axes chosen so (u × v) points along the outward normal: counter-clockwise from outside.
    const u = sign > 0 ? (axis + 1) % 3 : (axis + 2) % 3;
    const v = sign > 0 ? (axis + 2) % 3 : (axis + 1) % 3;
    const corner = (cu: number, cv: number): number => {
      const p: Vec3 = [0, 0, 0];
      p[axis] = sign > 0 ? max[axis] : min[axis];
      p[u] = cu ? max[u] : min[u];
      p[v] = cv ? max[v] : min[v];
      return builder.vertex(p, style.color, withUvs ? [cu, cv] : undefined);
    };
    builder.quad(corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1), style.material);
  }
}

/** Closed cylinder along y. */
export function addCylinder(
  builder: MeshBuilder,
  center: Vec3,
  radius: number,
  height: number,
  segments: number,
  style: PartStyle = {},
): void {
  const [cx, cy, cz] = center;
  const y0 = cy - height / 2;
  const y1 = cy + height / 2;
  const ring = (y: number) =>
    Array.from({ length: segments }, (_, i) => {
      const a = (2 * Math.PI * i) / segments;
      return builder.vertex([cx + radius * Math.cos(a), y, cz - radius * Math.sin(a)], style.color);
    });
  const bottom = ring(y0);
  const top = ring(y1);
  const bottomCenter = builder.vertex([cx, y0, cz], style.color);
  const topCenter = builder.vertex([cx, y1, cz], style.color);
  for (let i = 0; i < segments; i++) {
    const j = (i + 1) % segments;
    builder.quad(bottom[i], bottom[j], top[j], top[i], style.material);
    builder.triangle(topCenter, top[i], top[j], style.material);
    builder.triangle(bottomCenter, bottom[j], bottom[i], style.material);
  }
}

/** UV sphere, optionally squashed per axis (scale). */
export function addSphere(
  builder: MeshBuilder,
  center: Vec3,
  radius: number,
  segments: number,
  style: PartStyle = {},
  scale: Vec3 = [1, 1, 1],
): void {
  const rings = Math.max(3, Math.floor(segments / 2));
  const grid: number[][] = [];
  for (let r = 0; r <= rings; r++) {
    const phi = (Math.PI * r) / rings;
    const row: number[] = [];
    for (let s = 0; s < segments; s++) {
      const theta = (2 * Math.PI * s) / segments;
      row.push(
        builder.vertex(
          [
            center[0] + radius * scale[0] * Math.sin(phi) * Math.cos(theta),
            center[1] + radius * scale[1] * Math.cos(phi),
            center[2] - radius * scale[2] * Math.sin(phi) * Math.sin(theta),
          ],
          style.color,
        ),
      );
    }
    grid.push(row);
  }
  for (let r = 0; r < rings; r++) {
    for (let s = 0; s < segments; s++) {
      const t = (s + 1) % segments;
      builder.quad(grid[r][s], grid[r + 1][s], grid[r + 1][t], grid[r][t], style.material);
    }
  }
}

/** Torus in the plane spanned by `axisU` and `axisV` (unit vectors). */
export function addTorus(
  builder: MeshBuilder,
  center: Vec3,
  major: number,
  minor: number,
  segments: number,
  style: PartStyle = {},
  axisU: Vec3 = [1, 0, 0],
  axisV: Vec3 = [0, 1, 0],
  arc = 2 * Math.PI,
): void {
  const normal: Vec3 = [
    axisU[1] * axisV[2] - axisU[2] * axisV[1],
    axisU[2] * axisV[0] - axisU[0] * axisV[2],
    axisU[0] * axisV[1] - axisU[1] * axisV[0],
  ];
  const closed = arc >= 2 * Math.PI - 1e-9;
  const around = closed ? segments : segments + 1;
  const tube = Math.max(6, Math.floor(segments / 2));
  const grid: number[][] = [];
  for (let i = 0; i < around; i++) {
    const a = (arc * i) / segments;
    const dir: Vec3 = [0, 1, 2].map((k) => Math.cos(a) * axisU[k] + Math.sin(a) * axisV[k]) as Vec3;
    const row: number[] = [];
    for (let j = 0; j < tube; j++) {
      const b = (2 * Math.PI * j) / tube;
      const p = [0, 1, 2].map(
        (k) => center[k] + (major + minor * Math.cos(b)) * dir[k] + minor * Math.sin(b) * normal[k],
      ) as Vec3;
      row.push(builder.vertex(p, style.color));
    }
    grid.push(row);
  }
  const last = closed ? around : around - 1;
  for (let i = 0; i < last; i++) {
    const n = (i + 1) % around;
    for (let j = 0; j < tube; j++) {
      const m = (j + 1) % tube;
      builder.quad(grid[i][j], grid[n][j], grid[n][m], grid[i][m], style.material);
    }
  }
}

/** The unit cube [0, 1]³ as 8 shared vertices and 12 triangles, optionally coloured per vertex. */
export function cubeMesh(options: { colors?: boolean; size?: number } = {}): TriangleMesh {
  const s = options.size ?? 1;
  const builder = new MeshBuilder();
  for (let i = 0; i < 8; i++) {
    const p: Vec3 = [(i & 1) * s, ((i >> 1) & 1) * s, ((i >> 2) & 1) * s];
    builder.vertex(
      p,
      options.colors ? [i & 1 ? 0.8 : 0.2, (i >> 1) & 1 ? 0.6 : 0.1, (i >> 2) & 1 ? 0.9 : 0.3] : undefined,
    );
  }
  const quads = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  for (const [a, b, c, d] of quads) builder.quad(a, b, c, d);
  return builder.build();
}

/**
 * Surface of revolution about the vertical axis through `center`: `profile` lists (radius, height)
 * points; each profile segment may carry its own style. A zero radius closes the surface in a fan.
 */
export function addLathe(
  builder: MeshBuilder,
  center: Vec3,
  profile: [number, number][],
  segments: number,
  styles: PartStyle | PartStyle[] = {},
): void {
  const styleOf = (i: number): PartStyle =>
    Array.isArray(styles) ? (styles[i] ?? styles[styles.length - 1]) : styles;
  for (let p = 0; p + 1 < profile.length; p++) {
    const style = styleOf(p);
    const ring = ([r, y]: [number, number]) =>
      Array.from({ length: r === 0 ? 1 : segments }, (_, i) => {
        const a = (2 * Math.PI * i) / segments;
        return builder.vertex(
          [center[0] + r * Math.cos(a), center[1] + y, center[2] - r * Math.sin(a)],
          style.color,
        );
      });
    const a = ring(profile[p]);
    const b = ring(profile[p + 1]);
    for (let i = 0; i < segments; i++) {
      const j = (i + 1) % segments;
      if (a.length === 1 && b.length === 1) break;
      if (a.length === 1) builder.triangle(a[0], b[j], b[i], style.material);
      else if (b.length === 1) builder.triangle(a[i], a[j], b[0], style.material);
      else builder.quad(a[i], a[j], b[j], b[i], style.material);
    }
  }
}
