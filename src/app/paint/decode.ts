import { CorruptFileError } from '../../core/errors';
import type { DecodedImage } from '../../core/paint';

/**
 * The browser's own decoder (PNG, JPEG, WebP and whatever else it knows), read back as straight RGBA
 * through an OffscreenCanvas. Colour-managed to sRGB, as the studio shows it.
 */
export async function decodeImageFile(file: File): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new CorruptFileError(file.name, 'the browser could not decode it as an image', { cause: error });
  }
  try {
    const { width, height } = bitmap;
    // An OffscreenCanvas cannot be 0 wide; checkTargetImage reports the empty size properly.
    if (width === 0 || height === 0) return { width, height, data: new Uint8Array(0) };
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new CorruptFileError(file.name, 'no 2D canvas was available to read its pixels');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height).data;
    return { width, height, data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength) };
  } finally {
    bitmap.close();
  }
}
