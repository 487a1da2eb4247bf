import { describe, expect, it } from 'vitest';
import { type FlowsmithError, InvalidTargetImageError } from '../errors';
import { createGrid, voxelIndex } from '../grid';
import type { RenderedView } from '../render/render-view';
import { renderView } from '../render/render-view';
import type { DecodedImage } from './image';
import { checkTargetImage, foregroundBox, resizeToView } from './target-image';
import { blank, block, rgbAt } from './test-support';

/** A real canonical view: a two-coloured box, shaded, so the resize sees genuine edges and gradients. */
function renderedBox(): RenderedView {
  const grid = createGrid();
  for (let z = 20; z < 44; z++) {
    for (let y = 14; y < 50; y++) {
      for (let x = 18; x < 46; x++) {
        const i = voxelIndex(64, x, y, z);
        grid.occupancy[i] = 1;
        grid.colors.set(y > 36 ? [200, 60, 40] : [40, 120, 210], 3 * i);
      }
    }
  }
  return renderView(grid, 1);
}

/** Each pixel becomes a k×k block. */
function enlarge(image: RenderedView, k: number): DecodedImage {
  const width = image.width * k;
  const height = image.height * k;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = 4 * (Math.floor(y / k) * image.width + Math.floor(x / k));
      data.set(image.data.subarray(s, s + 4), 4 * (y * width + x));
    }
  }
  return { width, height, data };
}

/** The image moved by (dx, dy), background filling in. */
function shifted(image: RenderedView, dx: number, dy: number): RenderedView {
  const out = blank(image.width, image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx < 0 || sy < 0 || sx >= image.width || sy >= image.height) continue;
      const s = 4 * (sy * image.width + sx);
      out.data.set(image.data.subarray(s, s + 4), 4 * (y * image.width + x));
    }
  }
  return out;
}

/** The image scaled by `s` about its centre (nearest neighbour). */
function scaled(image: RenderedView, s: number): RenderedView {
  const out = blank(image.width, image.height);
  const c = image.width / 2;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const sx = Math.floor((x + 0.5 - c) / s + c);
      const sy = Math.floor((y + 0.5 - c) / s + c);
      if (sx < 0 || sy < 0 || sx >= image.width || sy >= image.height) continue;
      const k = 4 * (sy * image.width + sx);
      out.data.set(image.data.subarray(k, k + 4), 4 * (y * image.width + x));
    }
  }
  return out;
}

function maxDifference(a: RenderedView, b: RenderedView): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

const framing = (warnings: string[]) => warnings.filter((w) => /source view/.test(w) && !/square/.test(w));

describe('checkTargetImage', () => {
  const source = renderedBox();

  it('accepts the source view itself unchanged and without warnings', () => {
    expect(foregroundBox(source)).not.toBeNull();
    const { image, warnings } = checkTargetImage(source, source);
    expect(warnings).toEqual([]);
    expect(maxDifference(image, source)).toBe(0);
  });

  it('brings a 2× (256²) and a 3× enlargement back to the 128² original exactly, warning only of the resize', () => {
    for (const k of [2, 3]) {
      const { image, warnings } = checkTargetImage(enlarge(source, k), source);
      expect(image.width).toBe(128);
      expect(image.height).toBe(128);
      expect(maxDifference(image, source)).toBe(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`${128 * k}×${128 * k}; it was resized to 128×128`));
    }
  });

  it('enlarges a smaller image bilinearly: flat regions stay exact, edges fall between the two sides', () => {
    const small = blank(64);
    block(small, 16, 16, 48, 48, [0, 0, 200]);
    const reference = blank(128);
    block(reference, 32, 32, 96, 96, [0, 0, 200]);
    const { image, warnings } = checkTargetImage(small, reference);
    expect(warnings).toEqual([expect.stringMatching(/64×64; it was resized/)]);
    expect(rgbAt(image, 64, 64)).toEqual([0, 0, 200]);
    expect(rgbAt(image, 5, 5)).toEqual([255, 255, 255]);
    // Output column 31's centre maps to source x = 15.25: ¾ of white column 15, ¼ of blue column 16.
    const [r, , b] = rgbAt(image, 31, 64);
    expect(r).toBe(Math.round(255 * 0.75));
    expect(b).toBe(Math.round(255 * 0.75 + 200 * 0.25));
    expect(rgbAt(image, 32, 64)).toEqual([64, 64, 214]);
  });

  it('composites transparency over the white background', () => {
    const decoded = blank(128);
    block(decoded, 40, 40, 90, 90, [0, 0, 0]);
    // Transparent black must read as white, half-transparent red as pink.
    for (let i = 0; i < decoded.data.length; i += 4)
      if (decoded.data[i] === 255) decoded.data.set([0, 0, 0, 0], i);
    decoded.data.set([255, 0, 0, 128], 4 * (60 * 128 + 60));
    const { image } = checkTargetImage(decoded, decoded);
    expect(rgbAt(image, 0, 0)).toEqual([255, 255, 255]);
    expect(rgbAt(image, 50, 50)).toEqual([0, 0, 0]);
    expect(rgbAt(image, 60, 60)).toEqual([255, 127, 127]);
    expect(image.data[3]).toBe(255);
  });

  it('pads a non-square image to a centred square and says so', () => {
    const wide = blank(256, 128);
    block(wide, 96, 32, 160, 96, [10, 10, 10]);
    const { image, warnings } = resizeAndCheck(wide);
    expect(warnings.some((w) => /256×128, not square; it was padded/.test(w))).toBe(true);
    expect(warnings.some((w) => /resized to 128×128/.test(w))).toBe(true);
    // The 256-wide square maps 2:1; the image's 128 rows sit in output rows 32–95.
    expect(foregroundBox(image)).toEqual({ x0: 48, y0: 48, x1: 80, y1: 80 });
  });

  it('warns of a shifted object, saying which way and what to do', () => {
    const { warnings } = checkTargetImage(shifted(source, 10, -4), source);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/shifted 10 px right and 4 px up compared with the source view/);
    expect(warnings[0]).toMatch(/render the view from Flowsmith and edit that/);
  });

  it('warns of a rescaled object, and not of a small shift', () => {
    const big = checkTargetImage(scaled(source, 1.5), source).warnings;
    expect(framing(big)).toEqual([expect.stringMatching(/1\.5\d× the size it has in the source view/)]);
    const small = checkTargetImage(scaled(source, 0.6), source).warnings;
    expect(framing(small)).toEqual([expect.stringMatching(/0\.6\d× the size.*shrink/)]);
    expect(checkTargetImage(shifted(source, 3, 3), source).warnings).toEqual([]);
  });

  it('does not compare framing against an empty source view', () => {
    expect(checkTargetImage(shifted(source, 30, 0), blank(128)).warnings).toEqual([]);
  });

  it('throws InvalidTargetImageError for empty, transparent, zero-size and malformed images', () => {
    const transparent: DecodedImage = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4) };
    const cases: [DecodedImage, RegExp][] = [
      [blank(128), /empty/],
      [transparent, /empty/],
      [{ width: 0, height: 0, data: new Uint8Array(0) }, /no pixels/],
      [{ width: 10, height: 0, data: new Uint8Array(0) }, /no pixels/],
      [{ width: 4, height: 4, data: new Uint8Array(10) }, /bytes/],
    ];
    for (const [decoded, message] of cases) {
      let caught: unknown;
      try {
        checkTargetImage(decoded, source);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidTargetImageError);
      expect((caught as FlowsmithError).code).toBe('invalid-target-image');
      expect((caught as FlowsmithError).message).toMatch(message);
      expect((caught as FlowsmithError).hint.length).toBeGreaterThan(0);
    }
  });

  it('treats faint near-white specks as empty (JPEG noise is not an edit)', () => {
    const noisy = blank(128, 128, [250, 252, 249]);
    expect(() => checkTargetImage(noisy, source)).toThrow(InvalidTargetImageError);
  });
});

function resizeAndCheck(decoded: DecodedImage) {
  const reference = resizeToView(decoded);
  return checkTargetImage(decoded, reference);
}
