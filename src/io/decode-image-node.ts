/**
 * Image decoding for Node (CLI, tests, scripts): PNG through pngjs, JPEG through jpeg-js, both pure
 * JavaScript. Other formats (WebP, AVIF) have no decoder here; the importer then drops the texture
 * with a warning rather than failing the whole mesh.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { CorruptFileError, UnsupportedFormatError } from '../core/errors';
import type { TextureImage } from '../core/mesh';
import { type ImageDecoder, sniffImageMimeType } from './image-decoder';

export const decodeImageNode: ImageDecoder = async (bytes, mimeType) => {
  const type = sniffImageMimeType(bytes) ?? mimeType;
  if (type === 'image/png') {
    try {
      // pngjs rescales 16-bit channels to 8 bits and expands palettes and grey to RGBA.
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return copyImage(png.width, png.height, png.data);
    } catch (error) {
      throw new CorruptFileError('texture image', `the PNG could not be decoded (${messageOf(error)})`, {
        cause: error,
      });
    }
  }
  if (type === 'image/jpeg') {
    try {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return copyImage(image.width, image.height, image.data);
    } catch (error) {
      throw new CorruptFileError('texture image', `the JPEG could not be decoded (${messageOf(error)})`, {
        cause: error,
      });
    }
  }
  throw new UnsupportedFormatError(`texture (${type})`, 'only PNG and JPEG textures can be decoded in Node');
};

/** A fresh, exactly sized Uint8Array: Node Buffers may be views into a shared pool. */
function copyImage(width: number, height: number, data: Uint8Array): TextureImage {
  const out = new Uint8Array(width * height * 4);
  out.set(data.subarray(0, out.length));
  return { width, height, data: out };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
