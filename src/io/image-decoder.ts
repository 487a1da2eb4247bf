/**
 * Texture images are decoded by an injected function, because the two places the importer runs
 * decode differently: a worker has createImageBitmap + OffscreenCanvas, Node has neither (pngjs and
 * jpeg-js there). three.js' own texture loaders need a DOM (or fetch of blob: URLs), so the
 * importer never lets them run; it hands the image bytes to one of these instead.
 */
import type { TextureImage } from '../core/mesh';

export type ImageDecoder = (bytes: Uint8Array, mimeType: string) => Promise<TextureImage>;

const EXTENSION_MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

export function mimeTypeFromName(name: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext ? EXTENSION_MIME[ext] : undefined;
}

/**
 * The type the bytes really are: files in the wild are often mislabelled (a .png that is a JPEG,
 * a glTF image with the wrong mimeType), and decoders dispatch on it.
 */
export function sniffImageMimeType(bytes: Uint8Array): string | undefined {
  const at = (i: number, values: number[]) => values.every((v, k) => bytes[i + k] === v);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  if (at(0, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (at(0, [0x42, 0x4d])) return 'image/bmp';
  return undefined;
}

/** Checks what a decoder returned, so a broken decoder cannot hand the voxelizer short pixel data. */
export function isTextureImage(value: unknown): value is TextureImage {
  if (typeof value !== 'object' || value === null) return false;
  const image = value as Partial<TextureImage>;
  return (
    typeof image.width === 'number' &&
    typeof image.height === 'number' &&
    image.width > 0 &&
    image.height > 0 &&
    image.data instanceof Uint8Array &&
    image.data.length === image.width * image.height * 4
  );
}
