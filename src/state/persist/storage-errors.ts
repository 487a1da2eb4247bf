/**
 * Maps what IndexedDB throws (DOMExceptions, idb's rejected `done` promises) to our typed errors.
 * Quota is singled out because the person can act on it; everything else is a StorageError that
 * keeps the browser's own words in its message and the original as `cause`.
 */
import { FlowsmithError, StorageError, StorageQuotaError } from '../../core/errors';

/** DOMException's legacy code for QuotaExceededError (some engines still only set the code). */
const QUOTA_EXCEEDED_CODE = 22;

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

const FRIENDLY: Record<string, string> = {
  SecurityError:
    'the browser blocks site storage here (a private window, or storage turned off for this site)',
  VersionError: 'the saved data was written by a newer Flowsmith',
  InvalidStateError: 'the browser closed the storage connection (the tab may be closing)',
  DataCloneError: 'part of the session cannot be stored',
  UnknownError: 'the browser reported an internal storage error (its profile or disk may be damaged or full)',
};

function describe(error: unknown): { name: string; code: number | undefined; message: string } {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : '',
      code: typeof e.code === 'number' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : String(error),
    };
  }
  return { name: '', code: undefined, message: String(error) };
}

export function isQuotaError(error: unknown): boolean {
  const { name, code } = describe(error);
  const legacy = typeof DOMException !== 'undefined' && error instanceof DOMException;
  return QUOTA_NAMES.has(name) || (legacy && code === QUOTA_EXCEEDED_CODE);
}

/**
 * `action` reads as the subject of "… failed" ("Saving the session"); `bytes` is what a save needed,
 * reported with quota errors. Errors that are already ours pass through unchanged.
 */
export function mapStorageError(error: unknown, action: string, bytes?: number): FlowsmithError {
  if (error instanceof FlowsmithError) return error;
  if (isQuotaError(error)) return new StorageQuotaError('the session', bytes, { cause: error });
  const { name, message } = describe(error);
  const friendly = FRIENDLY[name];
  const detail = friendly
    ? `${friendly}${message ? ` (${message})` : ''}`
    : `${name && name !== 'Error' ? `${name}: ` : ''}${message || 'no reason given'}`;
  return new StorageError(action, detail, { cause: error });
}
