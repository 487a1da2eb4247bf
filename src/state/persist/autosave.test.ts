import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FlowsmithError, StorageQuotaError } from '../../core/errors';
import { autosave } from './autosave';
import type { PersistedSession } from './snapshot';

const at = (n: number): PersistedSession => ({
  version: 1,
  savedAt: new Date(n).toISOString(),
  meta: { n },
  arrays: {},
});

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves once, delayMs after the last of a burst of changes, with the latest snapshot', async () => {
    let n = 0;
    const saved: number[] = [];
    const save = vi.fn(async (s: PersistedSession) => {
      saved.push((s.meta as { n: number }).n);
    });
    const auto = autosave(() => at(n), 100, { save });
    for (let i = 0; i < 5; i++) {
      n = i;
      auto.schedule();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(save).not.toHaveBeenCalled();
    expect(auto.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(saved).toEqual([4]);
    expect(auto.pending).toBe(false);
  });

  it('still saves every maxWaitMs while changes keep coming', async () => {
    const save = vi.fn(async () => {});
    const auto = autosave(() => at(0), 100, { save, maxWaitMs: 300 });
    for (let t = 0; t < 1000; t += 50) {
      auto.schedule();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(save.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('flush() saves a pending change at once; cancel() drops it', async () => {
    const save = vi.fn(async () => {});
    const auto = autosave(() => at(1), 1000, { save });
    auto.schedule();
    await auto.flush();
    expect(save).toHaveBeenCalledTimes(1);
    auto.schedule();
    auto.cancel();
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    await auto.flush(); // nothing pending: resolves without saving
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('skips a save when there is nothing to save', async () => {
    const save = vi.fn(async () => {});
    const auto = autosave(() => null, 10, { save });
    auto.schedule();
    await vi.advanceTimersByTimeAsync(20);
    expect(save).not.toHaveBeenCalled();
  });

  it('runs saves one after another, so an older snapshot never lands last', async () => {
    let n = 0;
    const order: string[] = [];
    const save = async (s: PersistedSession) => {
      const k = (s.meta as { n: number }).n;
      order.push(`start ${k}`);
      await new Promise((resolve) => setTimeout(resolve, k === 1 ? 500 : 10));
      order.push(`end ${k}`);
    };
    const auto = autosave(() => at(n), 10, { save });
    n = 1;
    auto.schedule();
    await vi.advanceTimersByTimeAsync(20);
    n = 2;
    auto.schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('reports a failed timed save as a typed error, and keeps saving afterwards', async () => {
    const errors: FlowsmithError[] = [];
    let fail = true;
    const save = vi.fn(async () => {
      if (fail) throw new DOMException('full', 'QuotaExceededError');
    });
    const auto = autosave(() => at(0), 10, { save, onError: (e) => errors.push(e) });
    auto.schedule();
    await vi.advanceTimersByTimeAsync(20);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StorageQuotaError);
    fail = false;
    auto.schedule();
    await vi.advanceTimersByTimeAsync(20);
    expect(save).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(1);
  });

  it('flush() rejects with the typed error instead of reporting it', async () => {
    const onError = vi.fn();
    const save = async () => {
      throw new DOMException('gone', 'UnknownError');
    };
    const auto = autosave(() => at(0), 10, { save, onError });
    auto.schedule();
    await expect(auto.flush()).rejects.toMatchObject({ code: 'storage-failed' });
    expect(onError).not.toHaveBeenCalled();
  });

  it('without onError, a failed save surfaces as an uncaught error rather than vanishing', async () => {
    const save = async () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const auto = autosave(() => at(0), 10, { save });
    auto.schedule();
    // The save fails at 10 ms; its error is thrown from a timer of its own right after.
    await expect(vi.advanceTimersByTimeAsync(20)).rejects.toBeInstanceOf(StorageQuotaError);
  });
});
