/**
 * NumPy .npy (format 1.0) for the grids we exchange with Python tools (DESIGN §3): little-endian,
 * C order. We write uint8 and float32 and read the same, refusing anything else with a typed error.
 */
import { InvalidGridError } from './errors';

export type NpyDtype = 'uint8' | 'float32';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Uint8Array | Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const DESCR: Record<NpyDtype, string> = { uint8: '|u1', float32: '<f4' };

export function encodeNpy(array: NpyArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new InvalidGridError(
      `Shape (${array.shape.join(', ')}) holds ${count} values but the data has ${array.data.length}.`,
      'This is a bug in the caller; report it.',
    );
  }
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Header (with magic, version and length) is padded with spaces to a multiple of 64, ending in \n.
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const headerBytes = new TextEncoder().encode(header);
  const body = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + headerBytes.length + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  out.set(body, 10 + headerBytes.length);
  return out;
}

export function decodeNpy(bytes: Uint8Array, name = 'the file'): NpyArray {
  const bad = (what: string) =>
    new InvalidGridError(
      `${name} is not a valid .npy array: ${what}.`,
      'Save it with numpy.save(path, array).',
    );
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw bad('the NumPy magic bytes are missing');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw bad('the header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw bad('the header is malformed');
  if (fortran === 'True')
    throw bad('it is in Fortran order; save a C-ordered array (numpy.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(`the shape (${shapeText}) is not valid`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  let dtype: NpyDtype;
  if (descr === '|u1' || descr === '<u1' || descr === '|b1') dtype = 'uint8';
  else if (descr === '<f4') dtype = 'float32';
  else {
    throw new InvalidGridError(
      `${name} has dtype '${descr}'; Flowsmith reads uint8 grids and float32 features.`,
      'Convert it first, e.g. numpy.save(path, grid.astype(numpy.uint8)).',
    );
  }
  const itemSize = dtype === 'uint8' ? 1 : 4;
  if (bytes.length - start < count * itemSize) throw bad('the data is shorter than its shape says');
  const raw = bytes.slice(start, start + count * itemSize);
  const data = dtype === 'uint8' ? raw : new Float32Array(raw.buffer, 0, count);
  return { dtype, shape, data };
}
