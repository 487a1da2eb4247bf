/**
 * Indexes non-indexed geometry (STL, OBJ and face-coloured PLY come out of three.js as triangle
 * soup, three vertices per triangle) by merging vertices whose every attribute is bit-identical.
 * Only exact duplicates merge, so nothing about the surface changes; a soup of n triangles
 * typically shrinks from 3n vertices to about n/2. A typed open-addressing table keeps this
 * linear and allocation-light, which matters for meshes of millions of triangles.
 */
export interface VertexStreams {
  positions: Float32Array;
  colors?: Float32Array;
  uvs?: Float32Array;
}

export interface WeldedStreams extends VertexStreams {
  index: Uint32Array;
}

export function weldVertices(streams: VertexStreams): WeldedStreams {
  const n = streams.positions.length / 3;
  const words: { bits: Uint32Array; size: number }[] = [{ bits: bitsOf(streams.positions), size: 3 }];
  if (streams.colors) words.push({ bits: bitsOf(streams.colors), size: 3 });
  if (streams.uvs) words.push({ bits: bitsOf(streams.uvs), size: 2 });

  let tableSize = 16;
  while (tableSize < n * 2) tableSize *= 2;
  const mask = tableSize - 1;
  const table = new Int32Array(tableSize).fill(-1);
  const index = new Uint32Array(n);
  const firstSource = new Uint32Array(n);
  let unique = 0;

  const same = (a: number, b: number): boolean => {
    for (const { bits, size } of words) {
      for (let k = 0; k < size; k++) if (bits[a * size + k] !== bits[b * size + k]) return false;
    }
    return true;
  };

  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (const { bits, size } of words) {
      for (let k = 0; k < size; k++) {
        h = Math.imul(h ^ bits[i * size + k], 0x01000193);
        h ^= h >>> 15;
      }
    }
    let slot = h & mask;
    for (;;) {
      const id = table[slot];
      if (id === -1) {
        table[slot] = unique;
        firstSource[unique] = i;
        index[i] = unique++;
        break;
      }
      if (same(firstSource[id], i)) {
        index[i] = id;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }

  const gather = (source: Float32Array, size: number): Float32Array => {
    const out = new Float32Array(unique * size);
    for (let u = 0; u < unique; u++) {
      const s = firstSource[u] * size;
      for (let k = 0; k < size; k++) out[u * size + k] = source[s + k];
    }
    return out;
  };
  return {
    positions: gather(streams.positions, 3),
    colors: streams.colors ? gather(streams.colors, 3) : undefined,
    uvs: streams.uvs ? gather(streams.uvs, 2) : undefined,
    index,
  };
}

function bitsOf(array: Float32Array): Uint32Array {
  return new Uint32Array(array.buffer, array.byteOffset, array.length);
}
