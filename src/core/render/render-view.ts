/**
 * Canonical view renderer, CPU twin of training/render.py (spec: view-spec.ts, training/RENDERER.md).
 * It renders the voxel grid, not the mesh, so the studio shows the model exactly what training did.
 *
 * Orthographic rays, one per pixel centre, walk the grid by 3D DDA (Amanatides–Woo) to the first
 * occupied voxel. The arithmetic is float32: every operation is rounded with Math.fround, which gives
 * exactly IEEE float32 results for + − × ÷ (float64 has more than twice float32's precision), in the
 * same order as the NumPy float32 code that builds training's traversal tables. So both pick the same
 * voxel on every ray, including rays through voxel edges and corners, and images agree bit for bit.
 */
import type { VoxelGrid } from '../grid';
import { faceShades, VIEW_SPEC, viewCamera } from './view-spec';

export interface RenderOptions {
  /** The voxel colour unshaded (the augmentation that puts flat painted regions in distribution). */
  flat?: boolean;
}

/** RGBA8 pixels, row 0 at the top (a TextureImage, so it goes straight to encodePng). */
export interface RenderedView {
  width: number;
  height: number;
  data: Uint8Array;
}

const f32 = Math.fround;

export function renderView(grid: VoxelGrid, view: number, options: RenderOptions = {}): RenderedView {
  const R = grid.resolution;
  const size = VIEW_SPEC.imageSize;
  const { forward, right, up } = viewCamera(view);
  const half = f32(VIEW_SPEC.halfExtent);
  const shades = faceShades();
  const flat = options.flat === true;
  const [bgR, bgG, bgB] = VIEW_SPEC.background;
  const data = new Uint8Array(size * size * 4);
  const origin = [0, 0, 0];
  const vox = [0, 0, 0];
  const tMax = [0, 0, 0];
  const tNearAxis = [0, 0, 0];
  const maxSteps = 3 * R - 2;
  const { occupancy, colors } = grid;

  const boundary = (axis: number): number => {
    const d = forward[axis];
    if (d === 0) return Infinity;
    return f32(f32(vox[axis] + (d > 0 ? 1 : 0) - origin[axis]) / d);
  };

  for (let j = 0; j < size; j++) {
    // Pixel centres in [-1, 1]; (2k + 1)/size − 1 is exact in float32.
    const sy = f32(f32(1 - (2 * j + 1) / size) * half);
    for (let i = 0; i < size; i++) {
      const sx = f32(f32((2 * i + 1) / size - 1) * half);
      for (let a = 0; a < 3; a++) {
        const p = f32(f32(sx * right[a]) + f32(sy * up[a]));
        origin[a] = f32(f32(p * R) + R / 2);
      }
      const out = 4 * (j * size + i);
      data[out] = bgR;
      data[out + 1] = bgG;
      data[out + 2] = bgB;
      data[out + 3] = 255;

      // Slab entry into [0, R]³; a ray parallel to an axis must start inside that axis' range.
      let tNear = -Infinity;
      let tFar = Infinity;
      let inside = true;
      for (let a = 0; a < 3; a++) {
        const o = origin[a];
        const d = forward[a];
        if (d === 0) {
          if (!(o >= 0 && o < R)) inside = false;
          tNearAxis[a] = -Infinity;
          continue;
        }
        const t1 = f32(-o / d);
        const t2 = f32(f32(R - o) / d);
        const lo = Math.min(t1, t2);
        const hi = Math.max(t1, t2);
        tNearAxis[a] = lo;
        if (lo > tNear) tNear = lo;
        if (hi < tFar) tFar = hi;
      }
      if (!inside || !(tNear < tFar)) continue;
      let entry = 0;
      while (forward[entry] === 0 || tNearAxis[entry] !== tNear) entry++;
      for (let a = 0; a < 3; a++) {
        const d = forward[a];
        if (d === 0) vox[a] = Math.floor(origin[a]);
        else if (a === entry) vox[a] = d > 0 ? 0 : R - 1;
        else {
          const p = f32(origin[a] + f32(tNear * d));
          vox[a] = Math.min(R - 1, Math.max(0, Math.floor(p)));
        }
      }
      let face = 2 * entry + (forward[entry] < 0 ? 1 : 0);
      for (let a = 0; a < 3; a++) tMax[a] = boundary(a);

      for (let s = 0; s < maxSteps; s++) {
        const index = vox[0] + R * (vox[1] + R * vox[2]);
        if (occupancy[index] !== 0) {
          for (let c = 0; c < 3; c++) {
            const value = colors[3 * index + c];
            data[out + c] = flat ? value : Math.floor(f32(f32(value * shades[face]) + 0.5));
          }
          break;
        }
        // Ties step the lower axis first (x, then y, then z), as training's tables do.
        const m = tMax[0] <= tMax[1] && tMax[0] <= tMax[2] ? 0 : tMax[1] <= tMax[2] ? 1 : 2;
        const step = forward[m] > 0 ? 1 : -1;
        vox[m] += step;
        if (vox[m] < 0 || vox[m] >= R) break;
        face = 2 * m + (step < 0 ? 1 : 0);
        tMax[m] = boundary(m);
      }
    }
  }
  return { width: size, height: size, data };
}
