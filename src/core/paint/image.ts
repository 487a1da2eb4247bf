/**
 * Shared vocabulary of the paint editor: images are `RenderedView`s (RGBA8, row 0 at the top), points
 * are continuous image coordinates where pixel (i, j) covers [i, i + 1) × [j, j + 1), so a pointer
 * position maps to a point by plain scaling and pixel centres sit at (i + ½, j + ½).
 */
import { InvalidArgumentError } from '../errors';
import type { RenderedView } from '../render/render-view';
import { VIEW_SPEC } from '../render/view-spec';

export interface Point {
  x: number;
  y: number;
}

export type Rgb = readonly [number, number, number];

/** What an image decoder hands over: straight (not premultiplied) RGBA8, row 0 at the top. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export const BACKGROUND: Rgb = VIEW_SPEC.background;

/**
 * A pixel counts as object when some channel is this far from the background. Exact renders need 0,
 * but JPEG ringing and the grey fringe left by resizing must not move a bounding box.
 */
export const BACKGROUND_TOLERANCE = 24;

export function cloneView(image: RenderedView): RenderedView {
  return { width: image.width, height: image.height, data: image.data.slice() };
}

export function sameSize(a: RenderedView, b: RenderedView): boolean {
  return a.width === b.width && a.height === b.height;
}

export function samePixels(a: RenderedView, b: RenderedView): boolean {
  if (!sameSize(a, b) || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

export function assertImage(image: RenderedView, what: string): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InvalidArgumentError(
      `${what} must have a positive integer size; got ${width}×${height}.`,
      'Pass a rendered view (128×128 RGBA).',
    );
  }
  if (data.length !== width * height * 4) {
    throw new InvalidArgumentError(
      `${what} holds ${data.length} bytes; a ${width}×${height} RGBA image needs ${width * height * 4}.`,
      'Pass a rendered view (128×128 RGBA).',
    );
  }
}

/** True when the RGB at byte offset `i` is within `tolerance` of the background on every channel. */
export function isBackgroundAt(
  data: ArrayLike<number>,
  i: number,
  tolerance = BACKGROUND_TOLERANCE,
): boolean {
  return (
    Math.abs(data[i] - BACKGROUND[0]) <= tolerance &&
    Math.abs(data[i + 1] - BACKGROUND[1]) <= tolerance &&
    Math.abs(data[i + 2] - BACKGROUND[2]) <= tolerance
  );
}

export function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Parses `#rrggbb` (what `<input type="color">` yields) or `#rgb`. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) {
    throw new InvalidArgumentError(`“${hex}” is not a colour.`, 'Write colours as #rrggbb, e.g. #ff8800.');
  }
  const digits = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [
    Number.parseInt(digits.slice(0, 2), 16),
    Number.parseInt(digits.slice(2, 4), 16),
    Number.parseInt(digits.slice(4, 6), 16),
  ];
}
