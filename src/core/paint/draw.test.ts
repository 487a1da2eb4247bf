import { describe, expect, it } from 'vitest';
import { VIEW_SPEC } from '../render/view-spec';
import { fillEllipse, fillRect, pickColor, snapBrushPoint, strokeBrush, strokeEraser } from './draw';
import { hexToRgb, type Rgb, rgbToHex } from './image';
import { blank, block, mask, rgbAt } from './test-support';

const RED: Rgb = [255, 0, 0];

describe('brush', () => {
  it('a 1-pixel stamp paints exactly the pixel under the pointer, wherever in it the pointer is', () => {
    for (const p of [
      { x: 2.01, y: 3.99 },
      { x: 2.5, y: 3.5 },
      { x: 2.99, y: 3.0 },
    ]) {
      const image = blank(6);
      const c = snapBrushPoint(p, 0.5);
      strokeBrush(image, c, c, 0.5, RED);
      expect(mask(image, RED)).toEqual(['......', '......', '......', '..#...', '......', '......']);
    }
  });

  it('even diameters centre on pixel corners: diameter 2 is a 2×2 block, diameter 3 a 3×3 square', () => {
    const two = blank(5);
    const c2 = snapBrushPoint({ x: 2.2, y: 1.9 }, 1);
    strokeBrush(two, c2, c2, 1, RED);
    expect(mask(two, RED)).toEqual(['.....', '.##..', '.##..', '.....', '.....']);
    const three = blank(5);
    const c3 = snapBrushPoint({ x: 2.2, y: 2.7 }, 1.5);
    strokeBrush(three, c3, c3, 1.5, RED);
    expect(mask(three, RED)).toEqual(['.....', '.###.', '.###.', '.###.', '.....']);
  });

  it('a round stamp leaves the corners of its bounding square unpainted', () => {
    const image = blank(9);
    strokeBrush(image, { x: 4.5, y: 4.5 }, { x: 4.5, y: 4.5 }, 3.5, RED);
    expect(mask(image, RED)).toEqual([
      '.........',
      '...###...',
      '..#####..',
      '.#######.',
      '.#######.',
      '.#######.',
      '..#####..',
      '...###...',
      '.........',
    ]);
  });

  it('a segment covers every pixel between its ends with no gaps, and nothing beyond its radius', () => {
    const image = blank(32);
    strokeBrush(image, { x: 2.5, y: 10.5 }, { x: 29.5, y: 10.5 }, 1.5, RED);
    for (let x = 1; x <= 30; x++) for (const y of [9, 10, 11]) expect(rgbAt(image, x, y)).toEqual(RED);
    for (let x = 0; x < 32; x++) {
      expect(rgbAt(image, x, 8)).toEqual([255, 255, 255]);
      expect(rgbAt(image, x, 12)).toEqual([255, 255, 255]);
    }
    expect(rgbAt(image, 0, 10)).toEqual([255, 255, 255]);
    expect(rgbAt(image, 31, 10)).toEqual([255, 255, 255]);
  });

  it('a diagonal segment is continuous and paints opaque, unblended pixels', () => {
    const image = blank(16, 16, [10, 20, 30]);
    image.data[3] = 0;
    strokeBrush(image, { x: 0.5, y: 0.5 }, { x: 15.5, y: 15.5 }, 0.5, RED);
    for (let i = 0; i < 16; i++) expect(rgbAt(image, i, i)).toEqual(RED);
    expect(image.data[3]).toBe(255);
    const colours = new Set<string>();
    for (let k = 0; k < image.data.length; k += 4)
      colours.add(rgbToHex([image.data[k], image.data[k + 1], image.data[k + 2]]));
    expect([...colours].sort()).toEqual(['#0a141e', '#ff0000']);
  });

  it('clips at the image edges', () => {
    const image = blank(4);
    strokeBrush(image, { x: -3, y: -3 }, { x: 10, y: -3 }, 3.6, RED);
    expect(mask(image, RED)).toEqual(['####', '....', '....', '....']);
  });
});

describe('eraser', () => {
  it('paints the exact background colour, alpha 255', () => {
    const image = blank(8, 8, [40, 90, 160]);
    strokeEraser(image, { x: 1.5, y: 4.5 }, { x: 6.5, y: 4.5 }, 0.5);
    for (let x = 1; x <= 6; x++) {
      expect(rgbAt(image, x, 4)).toEqual([...VIEW_SPEC.background]);
      expect(image.data[4 * (4 * 8 + x) + 3]).toBe(255);
    }
    expect(rgbAt(image, 0, 4)).toEqual([40, 90, 160]);
    expect(rgbAt(image, 3, 3)).toEqual([40, 90, 160]);
  });
});

describe('shapes', () => {
  it('fillRect fills the inclusive pixel span between the corners, in either drag direction', () => {
    const a = blank(6);
    fillRect(a, { x: 1.2, y: 1.7 }, { x: 3.9, y: 2.1 }, RED);
    const b = blank(6);
    fillRect(b, { x: 3.9, y: 2.1 }, { x: 1.2, y: 1.7 }, RED);
    const expected = ['......', '.###..', '.###..', '......', '......', '......'];
    expect(mask(a, RED)).toEqual(expected);
    expect(mask(b, RED)).toEqual(expected);
  });

  it('fillRect clips to the image', () => {
    const image = blank(4);
    fillRect(image, { x: -5, y: 2.5 }, { x: 1.5, y: 20 }, RED);
    expect(mask(image, RED)).toEqual(['....', '....', '##..', '##..']);
  });

  it('fillEllipse: 1×1 is a pixel, 5×5 a disc, 7×3 a flat ellipse', () => {
    const one = blank(3);
    fillEllipse(one, { x: 1.5, y: 1.5 }, { x: 1.5, y: 1.5 }, RED);
    expect(mask(one, RED)).toEqual(['...', '.#.', '...']);

    const disc = blank(7);
    fillEllipse(disc, { x: 1, y: 1 }, { x: 5.9, y: 5.9 }, RED);
    expect(mask(disc, RED)).toEqual([
      '.......',
      '..###..',
      '.#####.',
      '.#####.',
      '.#####.',
      '..###..',
      '.......',
    ]);

    const flat = blank(7, 3);
    fillEllipse(flat, { x: 6.5, y: 2.5 }, { x: 0, y: 0 }, RED);
    expect(mask(flat, RED)).toEqual(['.#####.', '#######', '.#####.']);
  });
});

describe('colour picker', () => {
  it('reads the pixel under the point as #rrggbb, clamping outside points to the edge', () => {
    const image = blank(4);
    block(image, 3, 0, 4, 1, [1, 171, 255]);
    expect(pickColor(image, { x: 3.2, y: 0.9 })).toBe('#01abff');
    expect(pickColor(image, { x: 9, y: -2 })).toBe('#01abff');
    expect(pickColor(image, { x: 0, y: 0 })).toBe('#ffffff');
  });

  it('hex and rgb convert both ways', () => {
    expect(hexToRgb('#01abff')).toEqual([1, 171, 255]);
    expect(hexToRgb('#F80')).toEqual([255, 136, 0]);
    expect(rgbToHex([255, 136, 0])).toBe('#ff8800');
    expect(() => hexToRgb('red')).toThrow(/not a colour/);
  });
});
