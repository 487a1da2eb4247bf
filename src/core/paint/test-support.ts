/** Small image builders shared by the paint tests (not imported by production code). */
import type { RenderedView } from '../render/render-view';
import type { Rgb } from './image';

export function blank(width: number, height = width, [r, g, b]: Rgb = [255, 255, 255]): RenderedView {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = r;
    data[i + 1] = g;
    data[i + 2] = b;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

export function rgbAt(image: RenderedView, x: number, y: number): number[] {
  const i = 4 * (y * image.width + x);
  return [image.data[i], image.data[i + 1], image.data[i + 2]];
}

/** The image as rows of '#' (pixel equal to `color`) and '.' (anything else), for exact shape checks. */
export function mask(image: RenderedView, [r, g, b]: Rgb): string[] {
  const rows: string[] = [];
  for (let y = 0; y < image.height; y++) {
    let row = '';
    for (let x = 0; x < image.width; x++) {
      const [pr, pg, pb] = rgbAt(image, x, y);
      row += pr === r && pg === g && pb === b ? '#' : '.';
    }
    rows.push(row);
  }
  return rows;
}

/** Paints an opaque axis-aligned block [x0, x1) × [y0, y1), clipped. */
export function block(
  image: RenderedView,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  [r, g, b]: Rgb,
): void {
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++) {
      const i = 4 * (y * image.width + x);
      image.data.set([r, g, b, 255], i);
    }
  }
}
