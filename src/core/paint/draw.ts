/**
 * Raster operations of the paint editor. All paint hard-edged, opaque pixels: the model was trained on
 * flat-colour regions (render-view's `flat` augmentation), and an antialiased fringe would be a colour
 * that belongs to neither the object nor the edit. They change the image in place (a stroke touches
 * it once per pointer move) and clip to its bounds.
 */
import type { RenderedView } from '../render/render-view';
import { BACKGROUND, type Point, type Rgb, rgbToHex } from './image';

/** Slack for the coverage tests, so a pixel centre exactly on the edge is always inside. */
const EPS = 1e-9;

function setPixel(data: Uint8Array, i: number, [r, g, b]: Rgb): void {
  data[i] = r;
  data[i + 1] = g;
  data[i + 2] = b;
  data[i + 3] = 255;
}

/**
 * Where a round stamp of this radius must be centred so it is symmetric on the pixel grid: odd
 * diameters on a pixel centre (diameter 1 paints exactly one pixel), even ones on a pixel corner
 * (diameter 2 paints a 2×2 block). Unsnapped, a 1-pixel brush between centres would paint nothing.
 */
export function snapBrushPoint(p: Point, radius: number): Point {
  const diameter = Math.max(1, Math.round(2 * radius));
  if (diameter % 2 === 1) return { x: Math.floor(p.x) + 0.5, y: Math.floor(p.y) + 0.5 };
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

/**
 * Round stamps swept from `from` to `to`: every pixel whose centre lies within `radius` of the segment
 * (the union of all stamps along it, so fast pointer moves leave no gaps).
 */
export function strokeBrush(image: RenderedView, from: Point, to: Point, radius: number, color: Rgb): void {
  const { width, height, data } = image;
  const x0 = Math.max(0, Math.floor(Math.min(from.x, to.x) - radius));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(from.x, to.x) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(from.y, to.y) - radius));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(from.y, to.y) + radius));
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const lengthSq = dx * dx + dy * dy;
  const limit = radius * radius + EPS;
  for (let j = y0; j <= y1; j++) {
    const cy = j + 0.5;
    for (let i = x0; i <= x1; i++) {
      const cx = i + 0.5;
      // Projection of the centre onto the segment, clamped to its ends.
      const t =
        lengthSq === 0 ? 0 : Math.min(1, Math.max(0, ((cx - from.x) * dx + (cy - from.y) * dy) / lengthSq));
      const ex = cx - (from.x + t * dx);
      const ey = cy - (from.y + t * dy);
      if (ex * ex + ey * ey <= limit) setPixel(data, 4 * (j * width + i), color);
    }
  }
}

/** The eraser paints the background: to the model, background means "nothing here", i.e. remove it. */
export function strokeEraser(image: RenderedView, from: Point, to: Point, radius: number): void {
  strokeBrush(image, from, to, radius, BACKGROUND);
}

/** Inclusive pixel rectangle spanned by the pixels under two corner points. */
function pixelSpan(a: Point, b: Point): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.floor(Math.min(a.x, b.x)),
    y0: Math.floor(Math.min(a.y, b.y)),
    x1: Math.floor(Math.max(a.x, b.x)),
    y1: Math.floor(Math.max(a.y, b.y)),
  };
}

/** Fills every pixel from the one under `a` to the one under `b`, both included. */
export function fillRect(image: RenderedView, a: Point, b: Point, color: Rgb): void {
  const { width, height, data } = image;
  const s = pixelSpan(a, b);
  for (let j = Math.max(0, s.y0); j <= Math.min(height - 1, s.y1); j++) {
    for (let i = Math.max(0, s.x0); i <= Math.min(width - 1, s.x1); i++) {
      setPixel(data, 4 * (j * width + i), color);
    }
  }
}

/** Fills the pixels whose centres lie in the ellipse inscribed in fillRect's rectangle for `a`, `b`. */
export function fillEllipse(image: RenderedView, a: Point, b: Point, color: Rgb): void {
  const { width, height, data } = image;
  const s = pixelSpan(a, b);
  const ex = (s.x0 + s.x1 + 1) / 2;
  const ey = (s.y0 + s.y1 + 1) / 2;
  const rx = (s.x1 - s.x0 + 1) / 2;
  const ry = (s.y1 - s.y0 + 1) / 2;
  for (let j = Math.max(0, s.y0); j <= Math.min(height - 1, s.y1); j++) {
    const v = (j + 0.5 - ey) / ry;
    for (let i = Math.max(0, s.x0); i <= Math.min(width - 1, s.x1); i++) {
      const u = (i + 0.5 - ex) / rx;
      if (u * u + v * v <= 1 + EPS) setPixel(data, 4 * (j * width + i), color);
    }
  }
}

/** The colour under `p` as `#rrggbb`; points outside the image read the nearest edge pixel. */
export function pickColor(image: RenderedView, p: Point): string {
  const i = Math.min(image.width - 1, Math.max(0, Math.floor(p.x)));
  const j = Math.min(image.height - 1, Math.max(0, Math.floor(p.y)));
  const k = 4 * (j * image.width + i);
  return rgbToHex([image.data[k], image.data[k + 1], image.data[k + 2]]);
}
