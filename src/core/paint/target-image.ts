/**
 * Turns an image a person made elsewhere into a target condition c_tgt: over the white background,
 * square, 128². It only refuses images with nothing in them; everything it can repair it repairs and
 * says so, because the model reads any mismatch in framing as part of the requested edit.
 */
import { InvalidTargetImageError } from '../errors';
import type { RenderedView } from '../render/render-view';
import { VIEW_SPEC } from '../render/view-spec';
import { BACKGROUND, type DecodedImage, isBackgroundAt } from './image';

export interface TargetImageCheck {
  image: RenderedView;
  warnings: string[];
}

/** Axis-aligned box of object pixels, in pixels, max exclusive. */
export interface ForegroundBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Framing is "the same" within these: a few pixels of slack for painted edits at the silhouette. */
export const MAX_CENTRE_OFFSET_PX = 6;
export const MIN_SIZE_RATIO = 0.8;
export const MAX_SIZE_RATIO = 1.25;

const RENDER_IT = 'If that is not your edit, render the view from Flowsmith and edit that image instead.';

/** Per output pixel of one axis, the source pixels it reads; index −1 stands for background. */
type AxisTaps = { index: Int32Array; weight: Float64Array }[];

/**
 * The image occupies `length` pixels centred on a padded axis of `padded` pixels, which maps onto
 * `size` output pixels. Shrinking averages areas (each output pixel is the mean of what it covers, so
 * a 2× nearest-neighbour enlargement comes back exactly); enlarging is bilinear between centres.
 */
function axisTaps(length: number, padded: number, size: number): AxisTaps {
  const pad = (padded - length) / 2;
  const scale = padded / size;
  const taps: AxisTaps = [];
  for (let o = 0; o < size; o++) {
    const index: number[] = [];
    const weight: number[] = [];
    const add = (i: number, w: number) => {
      if (w <= 0) return;
      const k = i < 0 || i >= length ? -1 : i;
      const at = index.indexOf(k);
      if (at >= 0) weight[at] += w;
      else {
        index.push(k);
        weight.push(w);
      }
    };
    if (scale > 1) {
      const a = o * scale - pad;
      const b = (o + 1) * scale - pad;
      for (let i = Math.floor(a); i < Math.ceil(b); i++)
        add(i, (Math.min(b, i + 1) - Math.max(a, i)) / scale);
    } else {
      const c = (o + 0.5) * scale - 0.5 - pad;
      const clamp = (i: number) => (pad > 0 ? i : Math.min(length - 1, Math.max(0, i)));
      const i0 = Math.floor(c);
      const f = c - i0;
      add(clamp(i0), 1 - f);
      add(clamp(i0 + 1), f);
    }
    taps.push({ index: Int32Array.from(index), weight: Float64Array.from(weight) });
  }
  return taps;
}

/**
 * Composites straight alpha over the background, pads to a square (centred, background fill, so
 * shapes are not stretched) and resamples to `size`² RGBA with alpha 255.
 */
export function resizeToView(decoded: DecodedImage, size: number = VIEW_SPEC.imageSize): RenderedView {
  const { width, height, data } = decoded;
  const padded = Math.max(width, height);
  const xTaps = axisTaps(width, padded, size);
  const yTaps = axisTaps(height, padded, size);
  // Horizontal pass over every source row into `size` columns, RGB in float.
  const rows = new Float64Array(height * size * 3);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < size; o++) {
      const { index, weight } = xTaps[o];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = 0; t < index.length; t++) {
        const w = weight[t];
        if (index[t] < 0) {
          r += w * BACKGROUND[0];
          g += w * BACKGROUND[1];
          b += w * BACKGROUND[2];
          continue;
        }
        const s = 4 * (y * width + index[t]);
        const alpha = data[s + 3] / 255;
        r += w * (data[s] * alpha + BACKGROUND[0] * (1 - alpha));
        g += w * (data[s + 1] * alpha + BACKGROUND[1] * (1 - alpha));
        b += w * (data[s + 2] * alpha + BACKGROUND[2] * (1 - alpha));
      }
      const k = 3 * (y * size + o);
      rows[k] = r;
      rows[k + 1] = g;
      rows[k + 2] = b;
    }
  }
  const out = new Uint8Array(size * size * 4);
  for (let oy = 0; oy < size; oy++) {
    const { index, weight } = yTaps[oy];
    for (let ox = 0; ox < size; ox++) {
      const rgb = [0, 0, 0];
      for (let t = 0; t < index.length; t++) {
        for (let c = 0; c < 3; c++) {
          rgb[c] += weight[t] * (index[t] < 0 ? BACKGROUND[c] : rows[3 * (index[t] * size + ox) + c]);
        }
      }
      const k = 4 * (oy * size + ox);
      for (let c = 0; c < 3; c++) out[k + c] = Math.min(255, Math.max(0, Math.round(rgb[c])));
      out[k + 3] = 255;
    }
  }
  return { width: size, height: size, data: out };
}

/** Bounding box of the pixels that are not background, or null when there are none. */
export function foregroundBox(image: RenderedView): ForegroundBox | null {
  let x0 = image.width;
  let y0 = image.height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (isBackgroundAt(image.data, 4 * (y * image.width + x))) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

function framingWarnings(target: ForegroundBox, source: ForegroundBox): string[] {
  const warnings: string[] = [];
  const dx = (target.x0 + target.x1 - source.x0 - source.x1) / 2;
  const dy = (target.y0 + target.y1 - source.y0 - source.y1) / 2;
  if (Math.hypot(dx, dy) > MAX_CENTRE_OFFSET_PX) {
    const parts = [
      dx !== 0 ? `${Math.abs(dx)} px ${dx > 0 ? 'right' : 'left'}` : '',
      dy !== 0 ? `${Math.abs(dy)} px ${dy > 0 ? 'down' : 'up'}` : '',
    ].filter(Boolean);
    warnings.push(
      `The object is shifted ${parts.join(' and ')} compared with the source view (the framing differs), so the edit may move the whole object. ${RENDER_IT}`,
    );
  }
  // Geometric mean of the two axes: uniform rescaling shows fully, a part added on one side half as much.
  const ratio = Math.sqrt(
    ((target.x1 - target.x0) / (source.x1 - source.x0)) * ((target.y1 - target.y0) / (source.y1 - source.y0)),
  );
  if (ratio < MIN_SIZE_RATIO || ratio > MAX_SIZE_RATIO) {
    warnings.push(
      `The object is ${ratio.toFixed(2)}× the size it has in the source view (the framing differs), so the edit may ${ratio > 1 ? 'enlarge' : 'shrink'} the whole object. ${RENDER_IT}`,
    );
  }
  return warnings;
}

/**
 * Checks and normalizes a decoded image for use as c_tgt against the chosen source view. Throws
 * InvalidTargetImageError only when there is nothing to use; size, aspect and framing problems are
 * repaired where possible and reported as warnings.
 */
export function checkTargetImage(decoded: DecodedImage, sourceView: RenderedView): TargetImageCheck {
  const { width, height, data } = decoded;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidTargetImageError(
      `The image has no pixels (${width}×${height}).`,
      'Export the edited view again as a PNG, JPEG or WebP and drop that.',
    );
  }
  if (data.length !== width * height * 4) {
    throw new InvalidTargetImageError(
      `The decoded image holds ${data.length} bytes; ${width}×${height} RGBA needs ${width * height * 4}.`,
      'The file may be truncated. Export it again and drop the new file.',
    );
  }
  const size = sourceView.width;
  const warnings: string[] = [];
  if (width !== height) {
    warnings.push(
      `The image is ${width}×${height}, not square; it was padded with white to a square, so the object may not line up with the source view. Crop it to the square view, or render the view from Flowsmith and edit that.`,
    );
  }
  if (width !== size || height !== size) {
    warnings.push(
      `The image is ${width}×${height}; it was resized to ${size}×${size}, the size the model reads.`,
    );
  }
  const image = resizeToView(decoded, size);
  const target = foregroundBox(image);
  if (!target) {
    throw new InvalidTargetImageError(
      'The image is empty: every pixel is background (white or transparent).',
      'Paint the edit on the view, or drop the edited view with the object still in it.',
    );
  }
  const source = foregroundBox(sourceView);
  if (source) warnings.push(...framingWarnings(target, source));
  return { image, warnings };
}
