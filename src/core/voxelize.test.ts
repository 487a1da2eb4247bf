import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, InvalidArgumentError } from './errors';
import { countOccupied, voxelIndex, voxelLower } from './grid';
import type { MeshMaterial, TextureImage, TriangleMesh } from './mesh';
import { normalizeMesh } from './normalize';
import { toByte } from './surface-color';
import { triangleBoxOverlap } from './tri-box';
import { triBoxOverlapByClipping } from './tri-box-reference';
import { voxelize } from './voxelize';

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

const white: MeshMaterial = { color: [1, 1, 1] };

function mesh(positions: number[], indices: number[], extra: Partial<TriangleMesh> = {}): TriangleMesh {
  return {
    positions: new Float32Array(positions),
    indices: new Uint32Array(indices),
    materials: [white],
    ...extra,
  };
}

function unitCube(): TriangleMesh {
  const p: number[] = [];
  for (let i = 0; i < 8; i++) p.push(i & 1 ? 0.5 : -0.5, i & 2 ? 0.5 : -0.5, i & 4 ? 0.5 : -0.5);
  // Two triangles per face, as corner indices (bit 0 = x, bit 1 = y, bit 2 = z).
  const faces = [
    [0, 2, 6, 4],
    [1, 5, 7, 3],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 1, 3, 2],
    [4, 6, 7, 5],
  ];
  return mesh(
    p,
    faces.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]),
  );
}

function uvSphere(rings: number, segments: number): TriangleMesh {
  const p: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i <= rings; i++) {
    const theta = (Math.PI * i) / rings;
    for (let j = 0; j < segments; j++) {
      const phi = (2 * Math.PI * j) / segments;
      p.push(Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi));
    }
  }
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < segments; j++) {
      const a = i * segments + j;
      const b = i * segments + ((j + 1) % segments);
      const c = a + segments;
      const d = b + segments;
      if (i > 0) idx.push(a, b, c);
      if (i < rings - 1) idx.push(b, d, c);
    }
  }
  return normalizeMesh(mesh(p, idx), 'sphere').mesh;
}

function occupiedSet(occupancy: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < occupancy.length; i++) if (occupancy[i]) out.push(i);
  return out;
}

/**
 * Every (triangle, voxel) pair, with world-space closed voxel boxes, through `overlap`: 'sat' is
 * tri-box.ts, 'clip' the exact clipping reference, or a function of (triangle, box min, box max).
 */
function bruteForce(
  m: TriangleMesh,
  R: number,
  overlap: 'sat' | 'clip' | ((tri: Float64Array, min: number[], max: number[]) => boolean),
): number[] {
  const occupied = new Uint8Array(R ** 3);
  const tri = new Float64Array(9);
  for (let t = 0; t < m.indices.length / 3; t++) {
    for (let k = 0; k < 9; k++) tri[k] = m.positions[3 * m.indices[3 * t + Math.floor(k / 3)] + (k % 3)];
    const [a, b, c] = [tri.subarray(0, 3), tri.subarray(3, 6), tri.subarray(6, 9)];
    for (let z = 0; z < R; z++) {
      for (let y = 0; y < R; y++) {
        for (let x = 0; x < R; x++) {
          const index = voxelIndex(R, x, y, z);
          if (occupied[index]) continue;
          const min = [voxelLower(R, x), voxelLower(R, y), voxelLower(R, z)];
          const max = [voxelLower(R, x + 1), voxelLower(R, y + 1), voxelLower(R, z + 1)];
          const hit =
            overlap === 'sat'
              ? triangleBoxOverlap(tri, min[0], min[1], min[2], max[0], max[1], max[2])
              : overlap === 'clip'
                ? triBoxOverlapByClipping(a, b, c, min, max)
                : overlap(tri, min, max);
          if (hit) occupied[index] = 1;
        }
      }
    }
  }
  return occupiedSet(occupied);
}

/** Random triangles in the cube: some small, some large, many corners on voxel boundaries k/R − 0.5. */
function randomMesh(seed: number, R: number, triangles: number): TriangleMesh {
  const rand = mulberry32(seed);
  const p: number[] = [];
  const coord = () => (rand() < 0.5 ? Math.floor(rand() * (R + 1)) / R - 0.5 : rand() - 0.5);
  for (let t = 0; t < triangles; t++) {
    const kind = rand();
    if (kind < 0.4) {
      // Small: within about one voxel of an anchor.
      const anchor = [coord(), coord(), coord()];
      for (let v = 0; v < 3; v++) {
        for (const a of anchor) {
          const snapped = rand() < 0.5;
          const q = snapped ? a + Math.round((rand() - 0.5) * 2) / R : a + ((rand() - 0.5) * 2) / R;
          p.push(Math.min(0.5, Math.max(-0.5, q)));
        }
      }
    } else if (kind < 0.6) {
      // In a voxel boundary plane.
      const axis = Math.floor(rand() * 3);
      const plane = Math.floor(rand() * (R + 1)) / R - 0.5;
      for (let v = 0; v < 3; v++) for (let k = 0; k < 3; k++) p.push(k === axis ? plane : coord());
    } else {
      for (let v = 0; v < 9; v++) p.push(coord());
    }
  }
  return mesh(
    p,
    p.slice(0, p.length / 3).map((_, i) => i),
  );
}

/**
 * Makes every performance.now() call 50 ms later than the last, so the yielder's time budget is
 * always spent and the voxelizer yields at every check, however fast the machine is.
 */
function fastClock(): void {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += 50));
}

describe('voxelize', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives the exact 64³ − 62³ shell for the unit cube', async () => {
    const cube = normalizeMesh(unitCube(), 'cube').mesh;
    const grid = await voxelize(cube);
    expect(grid.resolution).toBe(64);
    expect(countOccupied(grid.occupancy)).toBe(64 ** 3 - 62 ** 3);
    let wrong = 0;
    for (let z = 0; z < 64; z++) {
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          const onShell = x === 0 || x === 63 || y === 0 || y === 63 || z === 0 || z === 63;
          if (grid.occupancy[voxelIndex(64, x, y, z)] !== (onShell ? 1 : 0)) wrong++;
        }
      }
    }
    expect(wrong).toBe(0);
  });

  it('matches brute force on a UV sphere, and stays near radius 0.5', async () => {
    const R = 32;
    const sphere = uvSphere(10, 16);
    const grid = await voxelize(sphere, { resolution: R });
    const got = occupiedSet(grid.occupancy);
    expect(got).toEqual(bruteForce(sphere, R, 'sat'));
    // Flattest facet of the inscribed polyhedron is within cos(π/10)·cos(π/16) of the radius.
    const inner = 0.5 * Math.cos(Math.PI / 10) * Math.cos(Math.PI / 16) - Math.sqrt(3) / 2 / R;
    const outer = 0.5 + Math.sqrt(3) / 2 / R;
    for (const i of got) {
      const [x, y, z] = [i % R, Math.floor(i / R) % R, Math.floor(i / R / R)];
      const r = Math.hypot(...[x, y, z].map((c) => voxelLower(R, c) + 0.5 / R));
      expect(r).toBeGreaterThanOrEqual(inner);
      expect(r).toBeLessThanOrEqual(outer);
    }
  });

  it('matches exact clipping on every (triangle, voxel) pair of random meshes', async () => {
    for (const [seed, R, triangles] of [
      [1, 8, 40],
      [2, 8, 40],
      [3, 12, 25],
      [4, 16, 20],
      [5, 16, 20],
    ]) {
      const m = randomMesh(seed, R, triangles);
      const grid = await voxelize(m, { resolution: R });
      const want = bruteForce(m, R, 'clip');
      expect(occupiedSet(grid.occupancy), `seed ${seed}, R ${R}`).toEqual(want);
      // The meshes must exercise the closed-box rule: some voxels are only touched, not entered.
      const shrink = 1e-7;
      const entered = bruteForce(m, R, (tri, min, max) =>
        triangleBoxOverlap(
          tri,
          min[0] + shrink,
          min[1] + shrink,
          min[2] + shrink,
          max[0] - shrink,
          max[1] - shrink,
          max[2] - shrink,
        ),
      );
      if (R !== 12) expect(want.length - entered.length, `seed ${seed}, R ${R}`).toBeGreaterThan(10);
    }
  });

  it('gives the same grid with slab clipping and a plain bounding-box scan', async () => {
    for (const [m, R] of [
      [uvSphere(24, 40), 64],
      [randomMesh(7, 32, 40), 32],
      [randomMesh(8, 32, 40), 32],
    ] as const) {
      const slab = await voxelize(m, { resolution: R });
      const bbox = await voxelize(m, { resolution: R, candidates: 'bbox' });
      // Buffer.compare: vitest's deep equality takes seconds on arrays this long.
      expect(Buffer.compare(slab.occupancy, bbox.occupancy)).toBe(0);
      expect(Buffer.compare(slab.colors, bbox.colors)).toBe(0);
      expect(countOccupied(slab.occupancy)).toBeGreaterThan(100);
    }
  });

  it('colours each region with its material', async () => {
    // A square at z = 0.1 split at x = 0 into a red (material 0) and a blue (material 1) half.
    const m = mesh(
      [-0.5, -0.5, 0.1, 0, -0.5, 0.1, 0, 0.5, 0.1, -0.5, 0.5, 0.1, 0.5, -0.5, 0.1, 0.5, 0.5, 0.1],
      [0, 1, 2, 0, 2, 3, 1, 4, 5, 1, 5, 2],
      {
        materialIds: new Uint16Array([0, 0, 1, 1]),
        materials: [{ color: [1, 0, 0] }, { color: [0, 0, 1] }],
      },
    );
    const grid = await voxelize(m);
    const z = Math.floor((0.1 + 0.5) * 64);
    expect(countOccupied(grid.occupancy)).toBe(64 * 64);
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        const i = voxelIndex(64, x, y, z);
        expect(grid.occupancy[i]).toBe(1);
        expect(Array.from(grid.colors.subarray(3 * i, 3 * i + 3))).toEqual(
          x < 32 ? [255, 0, 0] : [0, 0, 255],
        );
      }
    }
    const empty = voxelIndex(64, 0, 0, 0);
    expect(Array.from(grid.colors.subarray(3 * empty, 3 * empty + 3))).toEqual([0, 0, 0]);
  });

  it('interpolates vertex colours', async () => {
    // Black along x = −0.5, white along x = +0.5: the voxel colour follows x linearly.
    const m = mesh([-0.5, -0.5, 0, 0.5, -0.5, 0, 0.5, 0.5, 0, -0.5, 0.5, 0], [0, 1, 2, 0, 2, 3], {
      colors: new Float32Array([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]),
      materials: [{ color: [1, 0.5, 1] }],
    });
    const grid = await voxelize(m);
    for (const z of [31, 32]) {
      for (let y = 0; y < 64; y += 7) {
        for (let x = 0; x < 64; x++) {
          const i = voxelIndex(64, x, y, z);
          const g = (x + 0.5) / 64;
          expect(Array.from(grid.colors.subarray(3 * i, 3 * i + 3))).toEqual([
            toByte(g),
            toByte(g * 0.5),
            toByte(g),
          ]);
        }
      }
    }
  });

  describe('textures', () => {
    // A 4×4 texture with a distinct colour per texel: (column·60, row·60, 200), row 0 at the top.
    const texture: TextureImage = { width: 4, height: 4, data: new Uint8Array(64) };
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 4; col++) texture.data.set([col * 60, row * 60, 200, 255], 4 * (row * 4 + col));
    }
    // A square at z = 0 with uv = (x, y) + 0.5.
    const quad = (originTopLeft: boolean): TriangleMesh =>
      mesh([-0.5, -0.5, 0, 0.5, -0.5, 0, 0.5, 0.5, 0, -0.5, 0.5, 0], [0, 1, 2, 0, 2, 3], {
        uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
        materials: [{ color: [1, 1, 1], texture, textureOriginTopLeft: originTopLeft }],
      });

    for (const originTopLeft of [false, true]) {
      it(`samples the right texel with nearest filtering (origin ${originTopLeft ? 'top' : 'bottom'}-left)`, async () => {
        const grid = await voxelize(quad(originTopLeft), { textureFilter: 'nearest' });
        for (let y = 0; y < 64; y++) {
          for (let x = 0; x < 64; x++) {
            const i = voxelIndex(64, x, y, 32);
            const col = Math.floor(x / 16);
            // v grows with y; with a bottom-left origin v = 0 is the image's last row.
            const row = originTopLeft ? Math.floor(y / 16) : 3 - Math.floor(y / 16);
            expect(Array.from(grid.colors.subarray(3 * i, 3 * i + 3))).toEqual([col * 60, row * 60, 200]);
          }
        }
      });

      it(`filters bilinearly between texel centres (origin ${originTopLeft ? 'top' : 'bottom'}-left)`, async () => {
        const grid = await voxelize(quad(originTopLeft));
        for (const [x, y] of [
          [10, 20],
          [40, 5],
          [63, 63],
        ]) {
          const i = voxelIndex(64, x, y, 32);
          // Pixel-space sample position, clamped like repeat-wrapping does at the far edge.
          const u = ((x + 0.5) / 64) * 4 - 0.5;
          const vy = originTopLeft ? (y + 0.5) / 64 : 1 - (y + 0.5) / 64;
          const v = vy * 4 - 0.5;
          const red = [Math.floor(u), Math.floor(u) + 1].map((c) => ((c + 4) % 4) * 60);
          const green = [Math.floor(v), Math.floor(v) + 1].map((r) => ((r + 4) % 4) * 60);
          const tx = u - Math.floor(u);
          const ty = v - Math.floor(v);
          const want = [red[0] * (1 - tx) + red[1] * tx, green[0] * (1 - ty) + green[1] * ty, 200];
          expect(Array.from(grid.colors.subarray(3 * i, 3 * i + 3))).toEqual(
            want.map((c) => toByte(c / 255)),
          );
        }
      });
    }
  });

  it('rejects with CancelledError when aborted, before or during the run', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(voxelize(unitCube(), { signal: aborted.signal })).rejects.toBeInstanceOf(CancelledError);

    fastClock();
    const big = uvSphere(100, 100);
    const controller = new AbortController();
    let calls = 0;
    const run = voxelize(big, {
      signal: controller.signal,
      onProgress: () => {
        calls++;
        controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(1);
  });

  it('reports progress in [0, 1], non-decreasing, ending at 1', async () => {
    const fractions: number[] = [];
    fastClock();
    await voxelize(uvSphere(100, 100), { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(0);
  });

  it('skips non-finite triangles instead of failing on them', async () => {
    const good = [-0.5, -0.5, 0, 0.5, -0.5, 0, 0, 0.5, 0];
    const m = mesh(
      [...good, Number.NaN, 0, 0, 0.5, 0.5, 0.5, 0, 0, Number.POSITIVE_INFINITY],
      [3, 4, 5, 0, 1, 2],
    );
    const alone = await voxelize(mesh(good, [0, 1, 2]));
    for (const candidates of ['slab', 'bbox'] as const) {
      const grid = await voxelize(m, { candidates });
      expect(Buffer.compare(grid.occupancy, alone.occupancy)).toBe(0);
    }
  });

  it('refuses a bad resolution', async () => {
    await expect(voxelize(unitCube(), { resolution: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(voxelize(unitCube(), { resolution: 2.5 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
