/**
 * Group commit for the PostgreSQL ledger's hottest write, the payment notification (the same
 * contract as `sqlite-group-commit.ts`). Notifications that arrive in one event-loop turn share
 * one transaction on one connection, made durable by a single COMMIT; every promise settles only
 * after it, so `success` is still answered only for what is stored.
 *
 * Each item must stand or fall alone. A batch first runs optimistically without savepoints (a
 * savepoint is a round trip and a subtransaction per item): an item that fails before sending
 * any statement (the cross-check, an unknown order) rejects alone and the batch goes on. An item
 * that fails after it wrote leaves the transaction with a partial item (or aborted), so the
 * whole batch is rolled back and run again with `SAVEPOINT item` before each item, where a
 * failure is rolled back alone (`ROLLBACK TO SAVEPOINT item`) and rejects alone. If the
 * transaction itself fails (BEGIN, COMMIT, or a savepoint that cannot be rolled back to), every
 * item of the batch rejects with that error: none of their writes were kept.
 *
 * Items run in `out_trade_no` order, so two batches that touch the same orders lock them in the
 * same order and do not deadlock each other. Items inside a batch run one after another on one
 * connection, so a turn's queue is split into up to `parallel` batches (the pool size) that run
 * concurrently, each on its own connection, as do the batches of successive turns. A batch
 * first runs `prepare` once for all its items (e.g. one read of every order of the batch).
 *
 * @module
 */
import {
  _BEGIN,
  type _Query,
  type _Row,
  type PgClientLike as PgClient,
  type PgPoolLike,
} from './postgres-connection.js';

interface Pending<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** What {@link _pgGroupCommit} returns. */
export interface _PgGroupCommit<I, O> {
  /** Queue one unit of work for the next batch; settles after the batch's COMMIT. */
  submit(input: I): Promise<O>;
  /** Start whatever is queued now and resolve when every batch started so far has settled. */
  flush(): Promise<void>;
}

/**
 * Batch calls of `unit` made in one event-loop turn into one READ COMMITTED transaction, started
 * on `setImmediate`. `order` gives each input's sort key (lock order).
 */
export function _pgGroupCommit<I, O, C>(
  pool: PgPoolLike,
  o: {
    unit: (q: _Query, input: I, context: C) => Promise<O>;
    prepare: (q: _Query, inputs: I[]) => Promise<C>;
    /**
     * Optional set-based step of the optimistic run, after `prepare`: applies the items it can
     * in one go and returns their results by index; the others run through `unit`. Not used in
     * the savepoint run.
     */
    bulk?: (q: _Query, inputs: I[], context: C) => Promise<Map<number, O>>;
    order: (input: I) => string;
    parallel: number;
    /** A turn's queue is split over `parallel` connections only into batches of at least this many. Default 1. */
    minBatch?: number;
  },
): _PgGroupCommit<I, O> {
  const { unit, prepare, bulk, order, parallel, minBatch = 1 } = o;
  let queue: Array<Pending<I, O>> = [];
  const running = new Set<Promise<void>>();

  /** A unit failed (`cause`) after it sent a statement: the batch must run again with savepoints. */
  class Dirty extends Error {}

  /**
   * One transaction for `items`. Resolves with each item's outcome, or throws: {@link Dirty} (fast
   * path only: roll back and use savepoints) or the transaction's own error.
   */
  async function attempt(
    c: PgClient,
    items: Array<Pending<I, O>>,
    savepoints: boolean,
  ): Promise<Array<{ ok: boolean; value: unknown }>> {
    const settled: Array<{ ok: boolean; value: unknown }> = [];
    let sent = 0;
    const q: _Query = async (text, values, name) => {
      sent++;
      return (await c.query(name === undefined ? { text, values } : { name, text, values })).rows as _Row[];
    };
    // One round trip opens the transaction (and the first item's savepoint: simple protocol).
    await c.query({
      text: savepoints ? `${_BEGIN}; SAVEPOINT item` : _BEGIN,
    });
    const inputs = items.map((item) => item.input);
    const context = await prepare(q, inputs);
    let done: Map<number, O> | undefined;
    if (bulk && !savepoints) {
      try {
        done = await bulk(q, inputs, context);
      } catch (e) {
        throw new Dirty('set-based step failed', { cause: e });
      }
    }
    for (let i = 0; i < items.length; i++) {
      const last = i === items.length - 1;
      sent = 0;
      if (done?.has(i)) {
        settled.push({ ok: true, value: done.get(i) });
        continue;
      }
      try {
        settled.push({ ok: true, value: await unit(q, items[i]!.input, context) });
        // Keep the item's writes and open the next item's savepoint in one round trip.
        if (savepoints && !last) await c.query({ text: 'RELEASE SAVEPOINT item; SAVEPOINT item' });
      } catch (e) {
        if (!savepoints && sent > 0) throw new Dirty('item failed after writing', { cause: e });
        settled.push({ ok: false, value: e });
        // ROLLBACK TO keeps the savepoint: it serves the next item as it is. If this fails the
        // transaction is lost and the caller rejects the whole batch.
        if (savepoints) await c.query({ text: 'ROLLBACK TO SAVEPOINT item' });
      }
    }
    await c.query({ text: 'COMMIT' });
    return settled;
  }

  async function runBatch(items: Array<Pending<I, O>>): Promise<void> {
    items.sort((a, b) => (order(a.input) < order(b.input) ? -1 : order(a.input) > order(b.input) ? 1 : 0));
    let client: PgClient;
    try {
      client = await pool.connect();
    } catch (e) {
      for (const item of items) item.reject(e);
      return;
    }
    let broken = false;
    let settled: Array<{ ok: boolean; value: unknown }>;
    try {
      try {
        settled = await attempt(client, items, false);
      } catch (e) {
        await client.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
        if (!(e instanceof Dirty)) throw e;
        if (broken) throw e.cause;
        settled = await attempt(client, items, true);
      }
    } catch (e) {
      await client.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
      for (const item of items) item.reject(e);
      return;
    } finally {
      client.release(broken);
    }
    items.forEach((item, i) => {
      const r = settled[i]!;
      if (r.ok) item.resolve(r.value as O);
      else item.reject(r.value);
    });
  }

  function start(): void {
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    const size = Math.max(minBatch, Math.ceil(items.length / Math.max(1, parallel)));
    for (let i = 0; i < items.length; i += size) {
      const p = runBatch(items.slice(i, i + size)).finally(() => running.delete(p));
      running.add(p);
    }
  }

  return {
    submit(input) {
      return new Promise<O>((resolve, reject) => {
        if (queue.push({ input, resolve, reject }) === 1) setImmediate(start);
      });
    },
    async flush() {
      start();
      await Promise.all([...running]);
    },
  };
}
