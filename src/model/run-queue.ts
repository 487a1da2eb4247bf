/**
 * A FIFO of async jobs, one at a time. ORT sessions must not run concurrently (DESIGN §6); every
 * create/run/release goes through a runtime's queue, so callers can fire calls freely.
 */
export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job).finally(() => {
      this.pending--;
    });
    // A failed job must not block the ones behind it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
