/**
 * Image decoding for the browser and its workers (no DOM needed): createImageBitmap on a Blob, then
 * OffscreenCanvas.getImageData. Colour-space conversion and alpha premultiplication are switched
 * off so the pixels are the file's own sRGB bytes, the same numbers the Node decoder returns.
 */
import { CorruptFileError } from '../core/errors';
import type { ImageDecoder } from './image-decoder';
import { sniffImageMimeType } from './image-decoder';

export const decodeImageBrowser: ImageDecoder = async (bytes, mimeType) => {
  const type = sniffImageMimeType(bytes) ?? mimeType;
  // Copy into a fresh ArrayBuffer: the bytes may be a view into a larger (possibly shared) buffer.
  const blob = new Blob([bytes.slice()], { type });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      imageOrientation: 'from-image',
    });
  } catch (error) {
    throw new CorruptFileError('texture image', `the ${type} image could not be decoded`, { cause: error });
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new CorruptFileError('texture image', 'no 2D canvas is available to read its pixels');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    return { width, height, data: new Uint8Array(pixels.data.buffer, 0, width * height * 4) };
  } finally {
    bitmap.close();
  }
};
