/**
 * Group commit: items (answers of webhook attempts) are buffered and written by `write` in few
 * statements, one at a time and in order, when `size` wait or `afterMs` after the first. `close()`
 * writes the rest and reports the first write error. Used by first attempts and manual attempts.
 */
export function groupCommit<T>(write: (batch: T[]) => Promise<void>, { size = 32, afterMs = 5 }: { size?: number; afterMs?: number } = {}) {
  let buffer: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = buffer;
    buffer = [];
    if (batch.length > 0) chain = chain.then(() => write(batch)).catch((error: unknown) => void (failure ??= error));
    return chain;
  };
  return {
    add(item: T) {
      buffer.push(item);
      if (buffer.length >= size) void flush();
      else timer ??= setTimeout(() => void flush(), afterMs);
    },
    async close() {
      await flush();
      if (failure) throw failure;
    },
  };
}
