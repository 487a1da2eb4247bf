/**
 * Where voxel centres land in a canonical view: the one projection the paint colouring and the view
 * gate share, so a voxel the colouring paints is a voxel the gate lets change.
 */
import { VIEW_SPEC, viewCamera } from '../render/view-spec';

/** The projection of `view` at `resolution`: (x, y, z) → [column, row], or null outside the image. */
function projector(
  resolution: number,
  view: number,
): (x: number, y: number, z: number) => [number, number] | null {
  const { right, up } = viewCamera(view);
  const half = VIEW_SPEC.halfExtent;
  const size = VIEW_SPEC.imageSize;
  return (x, y, z) => {
    const cx = -0.5 + (x + 0.5) / resolution;
    const cy = -0.5 + (y + 0.5) / resolution;
    const cz = -0.5 + (z + 0.5) / resolution;
    const u = cx * right[0] + cy * right[1] + cz * right[2];
    const v = cx * up[0] + cy * up[1] + cz * up[2];
    const col = Math.floor(((u + half) / (2 * half)) * size);
    const row = Math.floor(((half - v) / (2 * half)) * size);
    if (col < 0 || row < 0 || col >= size || row >= size) return null;
    return [col, row];
  };
}

/** Pixel (column, row) a voxel centre falls on in a canonical view, or null outside the image. */
export function projectVoxel(
  resolution: number,
  view: number,
  x: number,
  y: number,
  z: number,
): [number, number] | null {
  return projector(resolution, view)(x, y, z);
}

const cache = new Map<string, Int32Array>();

/**
 * Per voxel (R³, x fastest), the index row·size + column of the pixel its centre falls on, -1 outside
 * the image. Kept per (resolution, view): every edit and every gate of a session reuses it.
 */
export function voxelPixels(resolution: number, view: number): Int32Array {
  const key = `${resolution}:${view}`;
  let pixels = cache.get(key);
  if (!pixels) {
    const project = projector(resolution, view);
    const size = VIEW_SPEC.imageSize;
    pixels = new Int32Array(resolution ** 3);
    let i = 0;
    for (let z = 0; z < resolution; z++) {
      for (let y = 0; y < resolution; y++) {
        for (let x = 0; x < resolution; x++, i++) {
          const p = project(x, y, z);
          pixels[i] = p ? p[1] * size + p[0] : -1;
        }
      }
    }
    cache.set(key, pixels);
  }
  return pixels;
}
