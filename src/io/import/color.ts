/**
 * Colour spaces at the three.js boundary. The mesh contract stores sRGB-encoded values; three.js
 * (r152+, ColorManagement enabled, linear working space) converts what it parses into linear.
 * How each loader of r187 stores colour, from its source:
 *
 * - GLTFLoader: COLOR_0 is linear by the glTF spec and three keeps it as is (it only warns when the
 *   working space is not linear); baseColorFactor is linear too (`setRGB(..., LinearSRGBColorSpace)`).
 *   So glTF colours come out linear and we encode them to sRGB ourselves (`linearToSrgb`).
 * - OBJLoader (`v x y z r g b`), STLLoader (binary colour words, COLOR= header), PLYLoader (vertex
 *   and face red/green/blue) and MTLLoader (Kd) call `setRGB(..., SRGBColorSpace)` or
 *   `ColorManagement.colorSpaceToWorking(..., SRGBColorSpace)`: they take the file's values as sRGB
 *   and convert to linear. PLY then rounds 8-bit colours *in linear* back to integers, which loses
 *   dark shades (sRGB 10/255 comes back as 13/255). So we run these parsers, which are synchronous,
 *   with ColorManagement switched off (`withRawColors`): every conversion becomes the identity and
 *   the values are the file's own sRGB numbers, exactly. It is switched back on before any other
 *   code can run, since a synchronous call cannot be interleaved with anything else.
 */
import { Color, ColorManagement } from 'three';
import { linearToSrgb } from '../color-space';

export type LoaderColorSpace = 'linear' | 'srgb';

/** Brings a colour three.js produced into sRGB in [0, 1], from the space that loader left it in. */
export function toSrgb(c: number, space: LoaderColorSpace): number {
  if (space === 'linear') return linearToSrgb(c);
  return c > 0 ? Math.min(c, 1) : 0;
}

export function withRawColors<T>(parse: () => T): T {
  const previous = ColorManagement.enabled;
  ColorManagement.enabled = false;
  try {
    return parse();
  } finally {
    ColorManagement.enabled = previous;
  }
}

/**
 * three's PLYLoader (r187) turns per-face uchar colours into r/255·255 and stores that in a
 * Uint8 attribute, which truncates: 45 comes back as 44 for 24 of the 256 values. (Per-vertex
 * colours are rounded and are fine.) A bias far below one step, added while the loader's
 * synchronous parse runs, makes the truncation land on the file's own value.
 */
export function withExactFaceColors<T>(parse: () => T): T {
  const setRGB = Color.prototype.setRGB;
  const bias = 1e-7;
  Color.prototype.setRGB = function (this: Color, r: number, g: number, b: number, space?: string) {
    return setRGB.call(this, r + bias, g + bias, b + bias, space);
  };
  try {
    return parse();
  } finally {
    Color.prototype.setRGB = setRGB;
  }
}
