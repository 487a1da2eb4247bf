/// <reference lib="webworker" />
/**
 * The studio's service worker: precaches the built app, the default model pack and the samples at
 * install, serves them cache-first, and answers every navigation with the precached index.html, so
 * an installed studio starts and runs with no network at all.
 */
import { clientsClaim } from 'workbox-core';
import type { WorkboxPlugin } from 'workbox-core/types';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

/**
 * Threaded wasm needs SharedArrayBuffer, which needs a cross-origin isolated page; the isolation
 * headers of the page and of its workers come from whatever response loaded them, here ours. A
 * response stored by the cache keeps the headers its server sent, which may not be these (a plain
 * static host, or an entry cached before they were set), so every response is rebuilt with them.
 */
const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function withIsolationHeaders(response: Response): Response {
  // Opaque responses cannot be read or rebuilt; the app makes none (same origin only).
  if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  let changed = false;
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
    if (headers.get(name) !== value) {
      headers.set(name, value);
      changed = true;
    }
  }
  if (!changed && !response.redirected) return response;
  // A redirected response may not answer a navigation; rebuilding also clears that flag.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = {
  // Runs last on every precache response (cache hit, network fallback and navigation fallback alike).
  handlerWillRespond: async ({ response }) => withIsolationHeaders(response),
};

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any in-app path (a reload, a deep link) starts the single-page app from the precached shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL(`${import.meta.env.BASE_URL}index.html`)));

// The first install takes over the open page at once, so it is usable offline without a reload.
// Updates wait until the page asks (see src/app/pwa.ts), so a running edit is never swapped mid-job.
clientsClaim();
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
