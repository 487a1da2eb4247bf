/**
 * Session persistence: save, load and clear the one saved session (IndexedDB, atomic), and a
 * debounced autosave. Failures are typed: StorageQuotaError when storage is full, StorageError
 * otherwise (both in src/core/errors.ts).
 */
export { type Autosave, type AutosaveOptions, autosave } from './autosave';
export {
  clearSession,
  createSessionPersistence,
  DEFAULT_DB_NAME,
  loadSession,
  type SessionPersistence,
  saveSession,
} from './idb-store';
export {
  type JsonValue,
  type PersistedArray,
  type PersistedSession,
  STORAGE_FORMAT,
  snapshotBytes,
} from './snapshot';
export { isQuotaError, mapStorageError } from './storage-errors';
