import * as jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { CorruptFileError, UnsupportedFormatError } from '../core/errors';
import { decodeImageNode } from './decode-image-node';
import { encodePng } from './export/png-encoder';
import { sniffImageMimeType } from './image-decoder';

const gradient = (width: number, height: number) => {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    data.set([(i * 13) % 256, (i * 7) % 256, 255 - (i % 256), 128 + (i % 128)], 4 * i);
  return { width, height, data };
};

describe('decodeImageNode', () => {
  it('decodes our PNG encoder’s output exactly, alpha included', async () => {
    const image = gradient(17, 5);
    const png = await encodePng(image);
    expect(sniffImageMimeType(png)).toBe('image/png');
    const decoded = await decodeImageNode(png, 'image/png');
    expect(decoded.width).toBe(17);
    expect(decoded.height).toBe(5);
    expect(Array.from(decoded.data)).toEqual(Array.from(image.data));
  });

  it('decodes a JPEG to RGBA, whatever mime type it was labelled with', async () => {
    const flat = {
      width: 8,
      height: 8,
      data: new Uint8Array(256).fill(0).map((_, i) => (i % 4 === 0 ? 200 : i % 4 === 3 ? 255 : 60)),
    };
    const bytes = new Uint8Array(jpeg.encode(flat, 95).data);
    const decoded = await decodeImageNode(bytes, 'image/png');
    expect(decoded.data.length).toBe(8 * 8 * 4);
    expect(Math.abs(decoded.data[0] - 200)).toBeLessThan(6);
    expect(Math.abs(decoded.data[1] - 60)).toBeLessThan(6);
    expect(decoded.data[3]).toBe(255);
  });

  it('throws typed errors for broken and unsupported images', async () => {
    const png = await encodePng(gradient(4, 4));
    await expect(decodeImageNode(png.slice(0, 40), 'image/png')).rejects.toBeInstanceOf(CorruptFileError);
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
    await expect(decodeImageNode(webp, 'image/webp')).rejects.toBeInstanceOf(UnsupportedFormatError);
  });
});
