/**
 * A small PNG encoder (RGBA8, no filtering) that runs anywhere: the zlib stream comes from the
 * platform's CompressionStream('deflate'), which browsers, workers and Node 18+ all have, so the
 * GLB writer needs no image library and no canvas. `encodePngStored` is the synchronous variant
 * for synchronous callers: the same PNG with uncompressed ("stored") deflate blocks, larger but
 * valid for every decoder.
 */
import type { TextureImage } from '../../core/mesh';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The zlib stream of `data` as stored (uncompressed) deflate blocks of at most 65535 bytes. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + 5 * blocks + data.length + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no preset dictionary, fastest; (0x78 << 8 | 0x01) % 31 === 0 as zlib requires
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const length = Math.min(65535, data.length - start);
    out[o] = b === blocks - 1 ? 1 : 0; // BFINAL on the last block, BTYPE 00 (stored)
    out[o + 1] = length & 0xff;
    out[o + 2] = length >>> 8;
    out[o + 3] = ~length & 0xff;
    out[o + 4] = (~length >>> 8) & 0xff;
    out.set(data.subarray(start, start + length), o + 5);
    o += 5 + length;
  }
  let a = 1;
  let s2 = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    s2 = (s2 + a) % 65521;
  }
  new DataView(out.buffer).setUint32(o, ((s2 << 16) | a) >>> 0);
  return out;
}

function pngParts(image: TextureImage): { header: Uint8Array; raw: Uint8Array } {
  const { width, height, data } = image;
  const rowBytes = width * 4;
  const raw = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (rowBytes + 1)] = 0; // filter type "None" per row
    raw.set(data.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  return { header, raw };
}

function assemble(header: Uint8Array, zlib: Uint8Array): Uint8Array {
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function encodePng(image: TextureImage): Promise<Uint8Array> {
  const { header, raw } = pngParts(image);
  return assemble(header, await zlibDeflate(raw));
}

export function encodePngStored(image: TextureImage): Uint8Array {
  const { header, raw } = pngParts(image);
  return assemble(header, zlibStored(raw));
}
