/**
 * Service worker registration and its status for the UI ("ready to work offline", "update ready").
 * Only production builds register: the dev server (and the GPU tests that run on it) must never be
 * controlled by a worker serving stale precached modules.
 */

export type PwaStatus =
  /** Dev build, or the browser has no service workers: the studio works, just not offline. */
  | 'disabled'
  /** Registered; the app, the default model pack and the samples are being precached. */
  | 'installing'
  /** Everything is precached and a worker is active: the studio starts with no network. */
  | 'offline-ready'
  /** A new version is precached and waits; `applyUpdate()` switches to it (reloads the page). */
  | 'update-available'
  /** Registration or precaching failed (e.g. storage full); the studio still works online. */
  | 'failed';

type Listener = (status: PwaStatus) => void;

let status: PwaStatus = 'disabled';
const listeners = new Set<Listener>();
let skipWaiting: (() => void) | null = null;

function setStatus(next: PwaStatus): void {
  // An update found after the worker became ready must not be hidden by that earlier event.
  if (status === 'update-available' && next === 'offline-ready') return;
  status = next;
  // Mirrored on <html> so CSS and end-to-end tests can see it without reaching into modules.
  document.documentElement.dataset.pwa = next;
  for (const listener of listeners) listener(next);
}

export function getPwaStatus(): PwaStatus {
  return status;
}

/** Shaped for React's useSyncExternalStore: returns the unsubscribe function. */
export function subscribePwaStatus(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Activates the waiting version; the page reloads once it has taken control. No-op otherwise. */
export function applyUpdate(): void {
  skipWaiting?.();
}

export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
    setStatus('disabled');
    return;
  }
  setStatus('installing');
  try {
    // Loaded only here so development builds carry no workbox code at all.
    const { Workbox } = await import('workbox-window');
    const wb = new Workbox(`${import.meta.env.BASE_URL}service-worker.js`, {
      scope: import.meta.env.BASE_URL,
    });
    wb.addEventListener('waiting', () => {
      skipWaiting = () => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      };
      setStatus('update-available');
    });
    wb.addEventListener('redundant', (event) => {
      // Our own new worker turning redundant before activating means its install (precache) failed.
      if (!event.isExternal && status === 'installing') setStatus('failed');
    });
    const registration = await wb.register();
    if (!registration) throw new Error('service worker registration returned nothing');
    // `ready` resolves once a worker is active, i.e. after its install event finished precaching;
    // this also covers a page that an active worker does not control (after a hard reload).
    await navigator.serviceWorker.ready;
    setStatus('offline-ready');
  } catch (error) {
    setStatus('failed');
    // Offline support is an extra: report it for debugging, but never break the studio over it.
    console.warn('Flowsmith could not enable offline use:', error);
  }
}
