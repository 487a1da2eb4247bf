/**
 * Long CPU loops in the worker must let the event loop run now and then, or a cancel message
 * (and progress delivery) waits until the loop is over. `createYielder` yields about every `budgetMs`.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createYielder(budgetMs = 30): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < budgetMs) return undefined;
    last = now;
    return yieldToEventLoop();
  };
}
