/**
 * The saved session in IndexedDB: one record with the JSON part and the list of arrays, one record
 * per array. Every save replaces all of them in a single transaction, so a crash, a closed tab or a
 * full disk leaves the previous save whole, never half of each.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB } from 'idb';
import { StorageError } from '../../core/errors';
import {
  type ArrayRecord,
  checkFormat,
  decodeSession,
  encodeSession,
  type PersistedSession,
  type SessionRecord,
  snapshotBytes,
} from './snapshot';
import { mapStorageError } from './storage-errors';

interface PersistSchema extends DBSchema {
  session: { key: string; value: SessionRecord };
  arrays: { key: string; value: ArrayRecord };
}

type StoreName = 'session' | 'arrays';
type WriteTx = IDBPTransaction<PersistSchema, StoreName[], 'readwrite'>;

/** IndexedDB schema version (object stores); the record layout has its own STORAGE_FORMAT. */
const DB_VERSION = 1;
const CURRENT = 'current';
export const DEFAULT_DB_NAME = 'flowsmith';

const OPEN = 'Opening the browser storage';
const SAVE = 'Saving the session';
const LOAD = 'Loading the saved session';
const CLEAR = 'Clearing the saved session';

export interface SessionPersistence {
  saveSession(snapshot: PersistedSession): Promise<void>;
  loadSession(): Promise<PersistedSession | null>;
  clearSession(): Promise<void>;
  /** Closes the connection; the next call reopens it. */
  close(): void;
}

function abortQuietly(tx: WriteTx): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted: nothing left to undo.
  }
}

export function createSessionPersistence(dbName = DEFAULT_DB_NAME): SessionPersistence {
  let connection: Promise<IDBPDatabase<PersistSchema>> | null = null;

  const open = (): Promise<IDBPDatabase<PersistSchema>> => {
    if (typeof indexedDB === 'undefined') {
      return Promise.reject(new StorageError(OPEN, 'this browser offers no IndexedDB'));
    }
    connection ??= openDB<PersistSchema>(dbName, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('session');
        database.createObjectStore('arrays');
      },
      // Another tab runs a newer Flowsmith that upgrades the schema: step aside instead of blocking it.
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
        connection = null;
      },
      terminated() {
        connection = null;
      },
    }).catch((error: unknown) => {
      connection = null;
      throw mapStorageError(error, OPEN);
    });
    return connection;
  };

  return {
    async saveSession(snapshot) {
      // Invalid snapshots fail here, before anything is touched.
      const { session, arrays } = encodeSession(snapshot);
      const bytes = snapshotBytes(snapshot);
      const database = await open();
      let tx: WriteTx | null = null;
      const requests: Promise<unknown>[] = [];
      try {
        tx = database.transaction(['session', 'arrays'], 'readwrite');
        const arrayStore = tx.objectStore('arrays');
        requests.push(arrayStore.clear());
        for (const [name, record] of arrays) requests.push(arrayStore.put(record, name));
        requests.push(tx.objectStore('session').put(session, CURRENT));
        await Promise.all([...requests, tx.done]);
      } catch (error) {
        if (!tx) throw mapStorageError(error, SAVE, bytes);
        abortQuietly(tx);
        // The requests issued before a synchronous throw now fail with AbortError; the error that
        // matters is reported below, so theirs are only observed, not lost as unhandled rejections.
        for (const request of requests) request.catch(() => undefined);
        await tx.done.catch(() => undefined);
        // A failed request often rejects with a bare AbortError; the transaction holds the real cause
        // (QuotaExceededError). After our own abort() it is null and `error` is the cause.
        throw mapStorageError(tx.error ?? error, SAVE, bytes);
      }
    },

    async loadSession() {
      const database = await open();
      try {
        const tx = database.transaction(['session', 'arrays'], 'readonly');
        const record = await tx.objectStore('session').get(CURRENT);
        if (!record) {
          await tx.done;
          return null;
        }
        checkFormat(record);
        const arrayStore = tx.objectStore('arrays');
        const entries = await Promise.all(
          record.arrays.map(async (entry) => [entry.name, await arrayStore.get(entry.name)] as const),
        );
        await tx.done;
        return decodeSession(record, new Map(entries));
      } catch (error) {
        throw mapStorageError(error, LOAD);
      }
    },

    async clearSession() {
      const database = await open();
      try {
        const tx = database.transaction(['session', 'arrays'], 'readwrite');
        await Promise.all([tx.objectStore('session').clear(), tx.objectStore('arrays').clear(), tx.done]);
      } catch (error) {
        throw mapStorageError(error, CLEAR);
      }
    },

    close() {
      const pending = connection;
      connection = null;
      void pending?.then((database) => database.close()).catch(() => undefined);
    },
  };
}

let shared: SessionPersistence | null = null;
const persistence = (): SessionPersistence => {
  shared ??= createSessionPersistence();
  return shared;
};

/** Replaces the saved session atomically. Rejects with StorageQuotaError or StorageError. */
export function saveSession(snapshot: PersistedSession): Promise<void> {
  return persistence().saveSession(snapshot);
}

/** The saved session, or null when there is none. Rejects with StorageError when it is unreadable. */
export function loadSession(): Promise<PersistedSession | null> {
  return persistence().loadSession();
}

export function clearSession(): Promise<void> {
  return persistence().clearSession();
}
