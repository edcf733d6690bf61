/**
 * Batching of one kind of small write (a hook event's completion) within a microtask checkpoint:
 * the first call queues a microtask that writes every call made until it runs (those made
 * synchronously with it, and by continuations already queued ahead of it) with one statement,
 * and each call's promise settles with that statement. A write that records an effect already made (a
 * hook that ran) should be durable before anything else runs: waiting a whole event-loop turn
 * for company would widen the window in which a crash makes the hook run again. Calls reached
 * together (the hooks of one batch of notifications) still share the statement.
 *
 * @module
 */

/**
 * Batch the arguments of calls made until a queued microtask runs into one `write(items)`.
 *
 * @example
 * ```ts
 * const complete = _microtaskBatch((ids: number[]) => pool.query('UPDATE … WHERE id = ANY($1)', [ids]));
 * await Promise.all([complete(1), complete(2)]); // one statement
 * ```
 */
export function _microtaskBatch<T>(write: (items: T[]) => Promise<unknown>): (item: T) => Promise<void> {
  let items: T[] = [];
  let waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  const flush = (): void => {
    const batch = items;
    const settle = waiting;
    items = [];
    waiting = [];
    write(batch).then(
      () => settle.forEach((w) => w.resolve()),
      (e: unknown) => settle.forEach((w) => w.reject(e)),
    );
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      items.push(item);
      if (waiting.push({ resolve, reject }) === 1) queueMicrotask(flush);
    });
}
