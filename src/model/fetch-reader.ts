/**
 * A pack reader over fetch (the studio's worker reads the pack from its own origin or the service
 * worker's cache). A fetch that fails at the network level is retried: the pack is fetched while the
 * page may be busy (a 100 MB mesh being parsed, a server restarting), and one dropped request should
 * not cost the person their model. What still fails becomes a typed error that says what to do.
 */
import { FlowsmithError } from '../core/errors';
import type { PackReader } from './manifest';

export interface FetchReaderOptions {
  /** Waits before each retry, in ms; their count is the number of retries. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [250, 1000, 3000] as const;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function fetchReader(base: URL, options: FetchReaderOptions = {}): PackReader {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  return {
    async read(path) {
      const url = new URL(path, base);
      let lastError: unknown;
      for (let attempt = 0; attempt <= delays.length; attempt++) {
        if (attempt > 0) await sleep(delays[attempt - 1]);
        let response: Response;
        try {
          response = await fetch(url);
        } catch (error) {
          // fetch rejects only for network failures (and aborts); HTTP errors come back as responses.
          lastError = error;
          continue;
        }
        if (response.status === 404) return null;
        if (response.status >= 500) {
          lastError = new Error(`HTTP ${response.status}`);
          continue;
        }
        if (!response.ok) {
          throw new FlowsmithError(
            'missing-resource',
            `The model pack file “${path}” could not be fetched: HTTP ${response.status}.`,
            'Reload the studio. If it keeps happening, the installed copy is incomplete: reinstall it while online.',
          );
        }
        try {
          return new Uint8Array(await response.arrayBuffer());
        } catch (error) {
          // The body can fail after a 200 header: Chromium's ERR_CACHE_WRITE_FAILURE when the service
          // worker's precache fetches the same file at the same moment (seen in the e2e traces).
          lastError = error;
        }
      }
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new FlowsmithError(
        'missing-resource',
        `The model pack file “${path}” could not be fetched after ${delays.length + 1} tries (${reason}).`,
        'Check that the studio’s server is still running (or, offline, that the app was installed while online), then reload.',
        { cause: lastError },
      );
    },
  };
}
