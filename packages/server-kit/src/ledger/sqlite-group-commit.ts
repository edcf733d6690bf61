// Group commit for the SQLite ledger's hottest writes: the payment notification (§4: the gateway
// retries, and a storm of retries is exactly when the merchant's server must keep up) and the
// completion of the hook event it claimed.
//
// Each write is its own unit of work, but writes submitted in the same event-loop turn share one
// SQLite transaction: a notification runs in a savepoint of it (better-sqlite3 nests
// `db.transaction` functions as SAVEPOINTs), so one that throws rolls back alone, and the batch
// is written to the WAL by a single COMMIT. A caller's promise settles only after that COMMIT,
// so `success` is still answered only for what is durably stored. On the 2-core reference
// machine a notification row costs 55–75 µs in a transaction of its own and 30–40 µs in batches
// of 4–8. Completing events in the batch too (they were one autocommit each), with the event
// written already claimed and partial indexes, took a first delivery's ledger work (apply, claim,
// complete; 64 in flight) from 129–131 µs to 65–67 µs of CPU (/tmp micro-benchmark, issue 17).
import type { Database } from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What {@link _groupCommit} returns. */
export interface _GroupCommit {
  /**
   * Queue one unit of work for the next batch; settles with its result after the batch's
   * COMMIT. `work` runs inside the batch's transaction: make it a `db.transaction` function
   * (a savepoint) when it has several statements that must stand or fall together; a single
   * statement is atomic by itself.
   */
  submit<O>(work: () => O): Promise<O>;
  /**
   * Like {@link _GroupCommit.submit}, for writes that record an effect already made outside the
   * database (a hook that ran). They are committed in a transaction of their own by a microtask
   * the first of them queues (not a loop turn later), so nothing that runs after (a crash, a
   * failure in the turn's batch) can undo them and make the hook run again; writes reached
   * before that microtask runs (the hooks of one batch of notifications) share its COMMIT.
   */
  submitFirst<O>(work: () => O): Promise<O>;
  /** Run whatever is queued now (synchronously), e.g. before the database is closed. */
  flush(): void;
}

/**
 * Batch the writes submitted in the same event-loop turn into one `BEGIN IMMEDIATE`
 * transaction, run on `setImmediate`; those submitted with `submitFirst` into another, run on
 * `queueMicrotask`.
 *
 * If a batch's own transaction fails (the COMMIT, or an error after which SQLite rolled the
 * whole transaction back), every call of that batch rejects with the error: none of their
 * writes were kept, so each caller reports failure and the gateway retries it.
 *
 * @example
 * ```ts
 * const writes = _groupCommit(db);
 * const result = await writes.submit(() => applyOne(input)); // settles after COMMIT
 * ```
 */
export function _groupCommit(db: Database): _GroupCommit {
  let first: Pending[] = [];
  let rest: Pending[] = [];
  const settled: Array<{ ok: boolean; value: unknown }> = [];
  const batch = db.transaction((items: Pending[]) => {
    settled.length = 0;
    for (const item of items) {
      try {
        settled.push({ ok: true, value: item.work() });
      } catch (e) {
        // The savepoint (or statement) was rolled back; if SQLite dropped the whole transaction, nothing of the batch stays.
        if (!db.inTransaction) throw e;
        settled.push({ ok: false, value: e });
      }
    }
  });
  function commit(items: Pending[]): void {
    if (items.length === 0) return;
    try {
      // IMMEDIATE: the write lock is taken before the first read, so another process writing the
      // same file makes this batch wait (busy_timeout) rather than fail on a stale snapshot.
      batch.immediate(items);
    } catch (e) {
      for (const item of items) item.reject(e);
      return;
    }
    items.forEach((item, i) => {
      const r = settled[i]!;
      if (r.ok) item.resolve(r.value);
      else item.reject(r.value);
    });
  }
  function flush(): void {
    flushFirst();
    const b = rest;
    rest = [];
    commit(b);
  }
  function flushFirst(): void {
    const a = first;
    first = [];
    commit(a);
  }
  return {
    submit: <O>(work: () => O): Promise<O> =>
      new Promise<O>((resolve, reject) => {
        if (rest.push({ work, resolve: resolve as (v: unknown) => void, reject }) === 1) setImmediate(flush);
      }),
    submitFirst: <O>(work: () => O): Promise<O> =>
      new Promise<O>((resolve, reject) => {
        if (first.push({ work, resolve: resolve as (v: unknown) => void, reject }) === 1) queueMicrotask(flushFirst);
      }),
    flush,
  };
}
