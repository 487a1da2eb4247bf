import { describe, expect, it } from 'vitest';
import { CancelledError, StorageError, StorageQuotaError, toErrorInfo } from '../../core/errors';
import { isQuotaError, mapStorageError } from './storage-errors';

describe('storage error mapping', () => {
  it('maps QuotaExceededError DOMExceptions to StorageQuotaError with the bytes and the cause', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const error = mapStorageError(quota, 'Saving the session', 3 * 1024 * 1024);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect(error.code).toBe('storage-quota');
    expect(error.message).toContain('3.0 MB');
    expect(error.message).toContain('previous save is kept');
    expect(error.hint).toMatch(/Export/);
    expect(error.hint).toMatch(/free space/);
    expect(error.cause).toBe(quota);
    expect((error as StorageQuotaError).bytes).toBe(3 * 1024 * 1024);
  });

  it('recognises quota errors by name (Firefox’s too) and by the legacy DOMException code', () => {
    expect(isQuotaError({ name: 'QuotaExceededError', message: '' })).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isQuotaError({ name: 'Whatever', code: 22 })).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });

  it('maps every other failure to StorageError, keeping the browser’s words and the cause', () => {
    const unknown = new DOMException('Internal error opening backing store', 'UnknownError');
    const error = mapStorageError(unknown, 'Saving the session');
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe('storage-failed');
    expect(error.message).toMatch(/^Saving the session failed: .*internal storage error/);
    expect(error.message).toContain('Internal error opening backing store');
    expect(error.cause).toBe(unknown);
    expect(error.hint).toMatch(/Export/);

    const blocked = mapStorageError(
      new DOMException('denied', 'SecurityError'),
      'Opening the browser storage',
    );
    expect(blocked.message).toMatch(/private window/);

    const plain = mapStorageError(new TypeError('x is not a function'), 'Loading the saved session');
    expect(plain.message).toBe('Loading the saved session failed: TypeError: x is not a function.');
    expect(mapStorageError('odd', 'Clearing').message).toBe('Clearing failed: odd.');
  });

  it('passes our own typed errors through untouched', () => {
    const ours = new CancelledError('Saving');
    expect(mapStorageError(ours, 'Saving the session')).toBe(ours);
    const quota = new StorageQuotaError('the session', 10);
    expect(mapStorageError(quota, 'Saving the session')).toBe(quota);
  });

  it('crosses the worker boundary as ErrorInfo with its code and hint', () => {
    const info = toErrorInfo(mapStorageError(new DOMException('', 'QuotaExceededError'), 'Saving'));
    expect(info).toMatchObject({ code: 'storage-quota', name: 'StorageQuotaError' });
    expect(info.message).toBe(
      "Saving the session failed: the browser's storage for Flowsmith is full. The previous save is kept.",
    );
  });
});
