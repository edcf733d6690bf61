/**
 * Group commit for the PostgreSQL ledger's hottest write, the payment notification (the same
 * contract as `sqlite-group-commit.ts`). Notifications that arrive in one event-loop turn share
 * one transaction on one connection: each runs after `SAVEPOINT item`, so one that fails is
 * rolled back alone (`ROLLBACK TO SAVEPOINT item`) and rejects alone; the batch is made durable
 * by a single COMMIT, and every promise settles only after it, so `success` is still answered
 * only for what is stored. If the transaction itself fails (BEGIN, COMMIT, or a savepoint that
 * cannot be rolled back to), every item of the batch rejects with that error: none of their
 * writes were kept.
 *
 * Items run in `out_trade_no` order, so two batches that touch the same orders lock them in the
 * same order and do not deadlock each other. Items inside a batch run one after another on one
 * connection, so a turn's queue is split into up to `parallel` batches (the pool size) that run
 * concurrently, each on its own connection, as do the batches of successive turns. A batch
 * first runs `prepare` once for all its items (e.g. one read of every order of the batch).
 *
 * @module
 */
import type { _Query, _Row, PgPoolLike } from './postgres-connection.js';

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
    order: (input: I) => string;
    parallel: number;
  },
): _PgGroupCommit<I, O> {
  const { unit, prepare, order, parallel } = o;
  let queue: Array<Pending<I, O>> = [];
  const running = new Set<Promise<void>>();

  async function runBatch(items: Array<Pending<I, O>>): Promise<void> {
    items.sort((a, b) => (order(a.input) < order(b.input) ? -1 : order(a.input) > order(b.input) ? 1 : 0));
    const settled: Array<{ ok: boolean; value: unknown }> = [];
    let client;
    try {
      client = await pool.connect();
    } catch (e) {
      for (const item of items) item.reject(e);
      return;
    }
    const c = client;
    const q: _Query = async (text, values, name) =>
      (await c.query(name === undefined ? { text, values } : { name, text, values })).rows as _Row[];
    let broken = false;
    try {
      // One round trip opens the transaction and the first item's savepoint (simple protocol).
      await c.query({ text: 'BEGIN ISOLATION LEVEL READ COMMITTED; SAVEPOINT item' });
      const context = await prepare(
        q,
        items.map((item) => item.input),
      );
      for (let i = 0; i < items.length; i++) {
        const last = i === items.length - 1;
        try {
          settled.push({ ok: true, value: await unit(q, items[i]!.input, context) });
          // Keep the item's writes and open the next item's savepoint in one round trip.
          if (!last) await c.query({ text: 'RELEASE SAVEPOINT item; SAVEPOINT item' });
        } catch (e) {
          settled.push({ ok: false, value: e });
          // ROLLBACK TO keeps the savepoint: it serves the next item as it is. If this fails the
          // transaction is lost and the outer catch rejects the whole batch.
          await c.query({ text: 'ROLLBACK TO SAVEPOINT item' });
        }
      }
      await c.query({ text: 'COMMIT' });
    } catch (e) {
      await c.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
      for (const item of items) item.reject(e);
      return;
    } finally {
      c.release(broken);
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
    const size = Math.ceil(items.length / Math.max(1, parallel));
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
