/**
 * Keeps the session across reloads: restores the saved one at start, then saves after every change
 * that matters (debounced). A failed save (storage full) is shown as an error, never swallowed.
 */
import { autosave, loadSession } from '../state/persist';
import { restoreSnapshot, toSnapshot } from '../state/session-persist';
import type { SessionState, SessionStore } from '../state/session-store';

const WATCHED: (keyof SessionState)[] = ['source', 'target', 'edit', 'viewIndex', 'settings', 'tau', 'rule'];

export async function startPersistence(store: SessionStore): Promise<void> {
  const state = () => store.getState();
  try {
    const saved = await loadSession();
    if (saved && (await restoreSnapshot(store, saved))) {
      store.setState({ notice: { id: Date.now(), text: 'Restored your last session.' } });
    }
  } catch (error) {
    state().actions.reportError(error);
  }
  document.documentElement.dataset.session = 'restored';
  const saver = autosave(() => toSnapshot(state()), 400, {
    onError: (error) => state().actions.reportError(error),
    onSaved: () => {
      document.documentElement.dataset.saved = String(Date.now());
    },
  });
  store.subscribe((next, previous) => {
    if (WATCHED.some((key) => next[key] !== previous[key])) saver.schedule();
  });
  addEventListener('pagehide', () => void saver.flush());
}
