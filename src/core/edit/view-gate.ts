/**
 * The view gate: Voxel-Merge keeps a changed component only if the person's change can explain it,
 * that is, if some voxel of it projects onto a pixel where the target view differs from c_src.
 *
 * Why: Voxel-Merge alone trusts the model's diff, so a component larger than τ that the model
 * changed somewhere the person never touched (a thicker leg on the far side of the chair) is merged
 * in, and "everything they did not touch kept exactly as it was" fails. The person's change is known
 * in one view only, so the gate is a cylinder through the painted pixels along the view ray: it cannot
 * tell a change in front of the paint from one behind it, but it rejects every change elsewhere. This
 * is our addition to Nano3D's merge (which uses τ alone); the pack's quality report measures both.
 */
import { VIEW_SPEC } from '../render/view-spec';
import type { ViewImage } from './colorize';
import { voxelPixels } from './voxel-pixels';

export interface ViewGateOptions {
  /** A pixel counts as changed when a channel differs by more than this (0–255): re-encoded images drift. */
  threshold?: number;
  /** Chebyshev radius in pixels the changed pixels grow by: a voxel is about 1.1 pixels wide. */
  dilate?: number;
}

export const VIEW_GATE_DEFAULTS: Required<ViewGateOptions> = { threshold: 8, dilate: 3 };

/** 1 where the target view differs from the source view (any RGB channel by more than `threshold`). */
export function changedPixels(sourceView: ViewImage, targetView: ViewImage, threshold: number): Uint8Array {
  if (sourceView.width !== targetView.width || sourceView.height !== targetView.height) {
    throw new RangeError(
      `changedPixels: the views are ${sourceView.width}×${sourceView.height} and ${targetView.width}×${targetView.height}.`,
    );
  }
  const n = targetView.width * targetView.height;
  const out = new Uint8Array(n);
  const a = sourceView.data;
  const b = targetView.data;
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    const d = Math.max(Math.abs(a[p] - b[p]), Math.abs(a[p + 1] - b[p + 1]), Math.abs(a[p + 2] - b[p + 2]));
    out[i] = d > threshold ? 1 : 0;
  }
  return out;
}

/** 1-D dilation of `length` samples at start + k·stride: a sample is set within `radius` of a set one. */
function dilateLine(
  src: Uint8Array,
  dst: Uint8Array,
  start: number,
  stride: number,
  length: number,
  radius: number,
) {
  // Forward, the nearest set sample before; backward, the nearest after.
  let last = -Infinity;
  for (let k = 0; k < length; k++) {
    if (src[start + k * stride]) last = k;
    if (k - last <= radius) dst[start + k * stride] = 1;
  }
  last = Infinity;
  for (let k = length - 1; k >= 0; k--) {
    if (src[start + k * stride]) last = k;
    if (last - k <= radius) dst[start + k * stride] = 1;
  }
}

/** Square (Chebyshev) dilation of a binary image, separably: rows, then columns. */
export function dilatePixels(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) dilateLine(mask, rows, y * width, 1, width, radius);
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) dilateLine(rows, out, x, width, height, radius);
  return out;
}

/**
 * The voxels (R³, x fastest) whose centre projects onto a changed pixel of `view`, dilated: the only
 * voxels through which the person's change reaches the grid. Empty when the views are equal.
 */
export function viewFootprint(
  resolution: number,
  view: number,
  sourceView: ViewImage,
  targetView: ViewImage,
  options: ViewGateOptions = {},
): Uint8Array {
  const { threshold, dilate } = { ...VIEW_GATE_DEFAULTS, ...options };
  const size = VIEW_SPEC.imageSize;
  if (targetView.width !== size || targetView.height !== size) {
    throw new RangeError(
      `viewFootprint: canonical views are ${size}² pixels; got ${targetView.width}×${targetView.height}.`,
    );
  }
  const changed = dilatePixels(changedPixels(sourceView, targetView, threshold), size, size, dilate);
  const pixels = voxelPixels(resolution, view);
  const footprint = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) if (pixels[i] >= 0 && changed[pixels[i]]) footprint[i] = 1;
  return footprint;
}
