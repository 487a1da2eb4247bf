/**
 * Debounced autosave: a burst of changes (painting, dragging a slider) becomes one save `delayMs`
 * after it settles, and a change that never settles is still saved every `maxWaitMs`. Saves run
 * one after another, each with the snapshot of its own moment, so an older one never lands last.
 */
import type { FlowsmithError } from '../../core/errors';
import { saveSession } from './idb-store';
import type { PersistedSession } from './snapshot';
import { mapStorageError } from './storage-errors';

export interface AutosaveOptions {
  /** Where snapshots go; the IndexedDB store unless a test or another backend says otherwise. */
  save?: (snapshot: PersistedSession) => Promise<void>;
  /**
   * Gets the typed error of a save the timer started (`flush()` rejects instead). Without it the
   * error is rethrown outside, as an uncaught error: a failed save must never pass unnoticed.
   */
  onError?: (error: FlowsmithError) => void;
  onSaved?: (snapshot: PersistedSession) => void;
  /** Longest a pending change waits while changes keep coming; 5 × delayMs unless given. */
  maxWaitMs?: number;
}

export interface Autosave {
  /** Marks the session changed. */
  schedule(): void;
  /** Saves a pending change now and resolves once it (and any save before it) is written. */
  flush(): Promise<void>;
  /** Drops a pending change without saving it (e.g. after the saved session was cleared). */
  cancel(): void;
  readonly pending: boolean;
}

/** `getSnapshot` returning null means there is nothing worth saving right now. */
export function autosave(
  getSnapshot: () => PersistedSession | null,
  delayMs: number,
  options: AutosaveOptions = {},
): Autosave {
  const save = options.save ?? saveSession;
  const maxWaitMs = options.maxWaitMs ?? delayMs * 5;
  const report =
    options.onError ??
    ((error: FlowsmithError) => {
      setTimeout(() => {
        throw error;
      });
    });
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstChangeAt: number | null = null;
  let chain: Promise<void> = Promise.resolve();

  const stopTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    firstChangeAt = null;
  };

  const run = (): Promise<void> => {
    stopTimer();
    const next = chain.then(async () => {
      try {
        const snapshot = getSnapshot();
        if (!snapshot) return;
        await save(snapshot);
        options.onSaved?.(snapshot);
      } catch (error) {
        throw mapStorageError(error, 'Saving the session');
      }
    });
    // A failed save must not wedge the ones after it; its error goes to whoever awaits `next`.
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    schedule() {
      const now = Date.now();
      firstChangeAt ??= now;
      if (timer !== null) clearTimeout(timer);
      const wait = Math.max(0, Math.min(delayMs, firstChangeAt + maxWaitMs - now));
      timer = setTimeout(() => {
        run().catch((error: FlowsmithError) => report(error));
      }, wait);
    },
    flush() {
      return timer === null ? chain : run();
    },
    cancel() {
      stopTimer();
    },
    get pending() {
      return timer !== null;
    },
  };
}
