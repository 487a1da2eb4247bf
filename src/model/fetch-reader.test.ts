import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowsmithError } from '../core/errors';
import { fetchReader } from './fetch-reader';

const base = new URL('http://127.0.0.1/models/default/');
const ok = (bytes: number[]) => new Response(new Uint8Array(bytes));

describe('fetchReader', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('retries a dropped request and returns the bytes of the one that arrives', async () => {
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(new Response('', { status: 503 }))
      .mockResolvedValueOnce(ok([1, 2, 3]));
    vi.stubGlobal('fetch', fetch);
    const bytes = await fetchReader(base, { retryDelaysMs: [0, 0, 0] }).read('ss_flow.onnx');
    expect(bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(String(fetch.mock.calls[0][0])).toBe('http://127.0.0.1/models/default/ss_flow.onnx');
  });

  it('retries when the body fails after a 200 header (a cache write failure mid-read)', async () => {
    const broken = new Response(
      new ReadableStream({
        start(controller) {
          controller.error(new TypeError('Failed to fetch'));
        },
      }),
    );
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(broken)
      .mockResolvedValueOnce(ok([7, 8]));
    vi.stubGlobal('fetch', fetch);
    const bytes = await fetchReader(base, { retryDelaysMs: [0] }).read('ss_flow.onnx');
    expect(bytes).toEqual(new Uint8Array([7, 8]));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('reports a missing file as null, without retrying', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response('', { status: 404 }));
    vi.stubGlobal('fetch', fetch);
    expect(await fetchReader(base, { retryDelaysMs: [0] }).read('nope.onnx')).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('gives up with a typed error that names the file and what to do', async () => {
    const fetch = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    vi.stubGlobal('fetch', fetch);
    const read = fetchReader(base, { retryDelaysMs: [0, 0] }).read('manifest.json');
    await expect(read).rejects.toBeInstanceOf(FlowsmithError);
    await expect(read).rejects.toMatchObject({ code: 'missing-resource' });
    await expect(read).rejects.toThrow(/manifest\.json.*3 tries.*Failed to fetch/);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('does not retry a client error', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response('', { status: 403 }));
    vi.stubGlobal('fetch', fetch);
    await expect(fetchReader(base, { retryDelaysMs: [0, 0] }).read('a.onnx')).rejects.toThrow(/HTTP 403/);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
