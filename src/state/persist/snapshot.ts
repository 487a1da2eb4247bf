/**
 * What a saved session is, and how it is laid out in storage. Pure (no IndexedDB), so Node tests
 * cover it: the store in idb-store.ts only moves these records in and out of one transaction.
 *
 * Small, structured state (`meta`) is JSON, so it can also be exported and diffed; big numeric
 * state (64³ grids, images, latents) stays binary in separate records, never inflated into JSON.
 */
import { StorageError } from '../../core/errors';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type PersistedArray = Uint8Array | Float32Array;

export interface PersistedSession {
  /** The caller's schema version of `meta` and `arrays`; the caller migrates older ones. */
  version: number;
  /** ISO 8601 time of the save. */
  savedAt: string;
  meta: JsonValue;
  arrays: Record<string, PersistedArray>;
}

/**
 * Layout of the records themselves (not of the session inside them). Bump it when the records
 * change shape; a build that finds a newer layout refuses it rather than misreading it.
 */
export const STORAGE_FORMAT = 1;

export type ArrayDtype = 'uint8' | 'float32';

export interface ArrayEntry {
  name: string;
  dtype: ArrayDtype;
  length: number;
}

export interface SessionRecord {
  format: number;
  version: number;
  savedAt: string;
  meta: JsonValue;
  /** The arrays this save wrote; a load checks every one is there, intact. */
  arrays: ArrayEntry[];
}

export interface ArrayRecord {
  dtype: ArrayDtype;
  /** Exactly the array's bytes: a view's whole backing buffer would otherwise be stored. */
  data: ArrayBuffer;
}

const SAVE = 'Saving the session';
const LOAD = 'Loading the saved session';

/** Throws unless `value` survives JSON unchanged: no undefined, NaN, functions, dates or typed arrays. */
export function assertJson(value: unknown, path = 'meta'): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StorageError(SAVE, `${path} is ${value}, which JSON cannot hold`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      assertJson(item, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJson(item, `${path}.${key}`);
    return;
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new StorageError(SAVE, `${path} is a ${kind}, not JSON (put big arrays in \`arrays\`)`);
}

export function dtypeOf(array: PersistedArray): ArrayDtype {
  if (array instanceof Uint8Array) return 'uint8';
  if (array instanceof Float32Array) return 'float32';
  const kind = (array as object).constructor?.name ?? typeof array;
  throw new StorageError(SAVE, `an array is a ${kind}; only Uint8Array and Float32Array are stored`);
}

export function encodeArray(array: PersistedArray): ArrayRecord {
  const dtype = dtypeOf(array);
  const exact =
    array.buffer instanceof ArrayBuffer &&
    array.byteOffset === 0 &&
    array.byteLength === array.buffer.byteLength;
  // slice() copies into a fresh, exact, non-shared ArrayBuffer (SharedArrayBuffers cannot be stored).
  const data = exact ? (array.buffer as ArrayBuffer) : (array.slice().buffer as ArrayBuffer);
  return { dtype, data };
}

export function decodeArray(
  name: string,
  entry: ArrayEntry,
  record: ArrayRecord | undefined,
): PersistedArray {
  if (!record) throw new StorageError(LOAD, `the save is incomplete: array “${name}” is missing`);
  const bytesPer = entry.dtype === 'uint8' ? 1 : 4;
  if (record.dtype !== entry.dtype || !(record.data instanceof ArrayBuffer)) {
    throw new StorageError(LOAD, `array “${name}” is not the ${entry.dtype} data that was saved`);
  }
  if (record.data.byteLength !== entry.length * bytesPer) {
    throw new StorageError(
      LOAD,
      `array “${name}” has ${record.data.byteLength} bytes; ${entry.length * bytesPer} were saved`,
    );
  }
  return entry.dtype === 'uint8' ? new Uint8Array(record.data) : new Float32Array(record.data);
}

/** Validates a snapshot and splits it into the records one save writes. */
export function encodeSession(snapshot: PersistedSession): {
  session: SessionRecord;
  arrays: Map<string, ArrayRecord>;
} {
  if (!Number.isInteger(snapshot.version) || snapshot.version < 0) {
    throw new StorageError(SAVE, `version ${snapshot.version} is not a whole number ≥ 0`);
  }
  if (Number.isNaN(Date.parse(snapshot.savedAt))) {
    throw new StorageError(SAVE, `savedAt “${snapshot.savedAt}” is not a date`);
  }
  assertJson(snapshot.meta);
  const arrays = new Map<string, ArrayRecord>();
  const entries: ArrayEntry[] = [];
  for (const [name, array] of Object.entries(snapshot.arrays)) {
    if (name.length === 0) throw new StorageError(SAVE, 'an array has an empty name');
    const record = encodeArray(array);
    arrays.set(name, record);
    entries.push({ name, dtype: record.dtype, length: array.length });
  }
  return {
    session: {
      format: STORAGE_FORMAT,
      version: snapshot.version,
      savedAt: snapshot.savedAt,
      meta: snapshot.meta,
      arrays: entries,
    },
    arrays,
  };
}

/** Throws unless this build can read a record of that layout. */
export function checkFormat(record: SessionRecord): void {
  if (typeof record.format !== 'number' || !Array.isArray(record.arrays)) {
    throw new StorageError(LOAD, 'the saved data is not a Flowsmith session');
  }
  if (record.format > STORAGE_FORMAT) {
    throw new StorageError(
      LOAD,
      `it was saved by a newer Flowsmith (storage format ${record.format}; this version reads up to ${STORAGE_FORMAT}). Update Flowsmith to open it`,
    );
  }
}

/** Reassembles a snapshot from its records; `arrays` maps each saved name to its record. */
export function decodeSession(
  record: SessionRecord,
  arrays: ReadonlyMap<string, ArrayRecord | undefined>,
): PersistedSession {
  checkFormat(record);
  const out: Record<string, PersistedArray> = {};
  for (const entry of record.arrays) out[entry.name] = decodeArray(entry.name, entry, arrays.get(entry.name));
  return { version: record.version, savedAt: record.savedAt, meta: record.meta, arrays: out };
}

/** Approximate bytes a save writes: what a quota error reports as needed. */
export function snapshotBytes(snapshot: PersistedSession): number {
  let bytes = JSON.stringify(snapshot.meta)?.length ?? 0;
  for (const array of Object.values(snapshot.arrays)) bytes += array.byteLength;
  return bytes;
}
