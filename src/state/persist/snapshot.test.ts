import { describe, expect, it } from 'vitest';
import { StorageError } from '../../core/errors';
import {
  type ArrayRecord,
  checkFormat,
  decodeSession,
  encodeArray,
  encodeSession,
  type PersistedSession,
  type SessionRecord,
  STORAGE_FORMAT,
  snapshotBytes,
} from './snapshot';

function snapshot(overrides: Partial<PersistedSession> = {}): PersistedSession {
  const grid = new Uint8Array(64 ** 3);
  for (let i = 0; i < grid.length; i += 7) grid[i] = 1;
  return {
    version: 3,
    savedAt: '2025-01-02T03:04:05.000Z',
    meta: { source: { name: 'chair.glb', triangles: 1200 }, display: 'voxels', tags: [1, 'a', null, true] },
    arrays: { grid, latent: new Float32Array([0.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) },
    ...overrides,
  };
}

function roundTrip(input: PersistedSession): PersistedSession {
  const { session, arrays } = encodeSession(input);
  // IndexedDB stores records by structured clone; do the same so no reference survives by accident.
  return decodeSession(structuredClone(session), structuredClone(arrays));
}

describe('session snapshot encoding', () => {
  it('round-trips meta, a 64³ grid and float data bit for bit (NaN and Infinity included)', () => {
    const input = snapshot();
    const output = roundTrip(input);
    expect(output.version).toBe(3);
    expect(output.savedAt).toBe(input.savedAt);
    expect(output.meta).toEqual(input.meta);
    expect(output.arrays.grid).toBeInstanceOf(Uint8Array);
    // Byte comparison: toEqual walks 262,144 elements one by one (over a second).
    expect(Buffer.from(output.arrays.grid.buffer).equals(Buffer.from(input.arrays.grid.buffer))).toBe(true);
    expect(output.arrays.latent).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(output.arrays.latent.buffer)).toEqual(new Uint8Array(input.arrays.latent.buffer));
  });

  it('stores only a view’s own bytes, not its whole backing buffer', () => {
    const backing = new Float32Array(1000).map((_, i) => i);
    const view = backing.subarray(10, 14);
    const record = encodeArray(view);
    expect(record.dtype).toBe('float32');
    expect(record.data.byteLength).toBe(16);
    expect([...new Float32Array(record.data)]).toEqual([10, 11, 12, 13]);
  });

  it('copies arrays on shared memory (which IndexedDB cannot store)', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8)).fill(9);
    const record = encodeArray(shared);
    expect(record.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(record.data)]).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
  });

  it('refuses meta that JSON would change, naming where it is', () => {
    const bad = (meta: unknown) => () => encodeSession(snapshot({ meta: meta as PersistedSession['meta'] }));
    expect(bad({ a: { b: undefined } })).toThrow(/meta\.a\.b is a undefined/);
    expect(bad({ list: [1, Number.NaN] })).toThrow(/meta\.list\[1\] is NaN/);
    expect(bad({ when: new Date() })).toThrow(/meta\.when is a Date/);
    expect(bad({ grid: new Uint8Array(2) })).toThrow(/meta\.grid is a Uint8Array.*arrays/);
    expect(bad({ f: () => 1 })).toThrow(StorageError);
  });

  it('refuses a bad version, date, array name or array type', () => {
    expect(() => encodeSession(snapshot({ version: 1.5 }))).toThrow(/version 1.5/);
    expect(() => encodeSession(snapshot({ version: -1 }))).toThrow(/version -1/);
    expect(() => encodeSession(snapshot({ savedAt: 'yesterday' }))).toThrow(/savedAt/);
    expect(() => encodeSession(snapshot({ arrays: { '': new Uint8Array(1) } }))).toThrow(/empty name/);
    const ints = { labels: new Int32Array(4) } as unknown as PersistedSession['arrays'];
    expect(() => encodeSession(snapshot({ arrays: ints }))).toThrow(/Int32Array/);
  });

  it('records the storage format and each array’s type and length', () => {
    const { session } = encodeSession(snapshot());
    expect(session.format).toBe(STORAGE_FORMAT);
    expect(session.arrays).toEqual([
      { name: 'grid', dtype: 'uint8', length: 64 ** 3 },
      { name: 'latent', dtype: 'float32', length: 4 },
    ]);
  });

  it('reports its size as the arrays’ bytes plus the JSON', () => {
    const s = snapshot();
    expect(snapshotBytes(s)).toBe(64 ** 3 + 16 + JSON.stringify(s.meta).length);
  });
});

describe('loading checks', () => {
  const encoded = () => encodeSession(snapshot());

  it('refuses a save from a newer storage format and says to update', () => {
    const { session } = encoded();
    const newer: SessionRecord = { ...session, format: STORAGE_FORMAT + 1 };
    expect(() => checkFormat(newer)).toThrow(/newer Flowsmith.*Update Flowsmith/);
    expect(() => checkFormat({ ...session, format: STORAGE_FORMAT })).not.toThrow();
  });

  it('refuses a record that is not a session', () => {
    expect(() => checkFormat({ hello: 1 } as unknown as SessionRecord)).toThrow(/not a Flowsmith session/);
  });

  it('names a missing, retyped or truncated array instead of returning garbage', () => {
    const { session, arrays } = encoded();
    const without = new Map(arrays);
    without.delete('grid');
    expect(() => decodeSession(session, without)).toThrow(/array “grid” is missing/);

    const retyped = new Map(arrays);
    retyped.set('latent', { dtype: 'uint8', data: new ArrayBuffer(16) } satisfies ArrayRecord);
    expect(() => decodeSession(session, retyped)).toThrow(/“latent” is not the float32 data/);

    const short = new Map(arrays);
    short.set('grid', { dtype: 'uint8', data: new ArrayBuffer(10) });
    expect(() => decodeSession(session, short)).toThrow(/“grid” has 10 bytes; 262144 were saved/);
  });

  it('load errors are StorageErrors with the storage-failed code', () => {
    try {
      checkFormat({ ...encoded().session, format: 99 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).code).toBe('storage-failed');
      expect((error as StorageError).message).toMatch(/^Loading the saved session failed/);
    }
  });
});
