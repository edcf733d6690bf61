/**
 * How the PostgreSQL ledger talks to its pool: the structural types it needs of `pg` (so that the
 * ledger's types never require `@types/pg`), the retry of statements the server asks to retry,
 * and the `BEGIN … COMMIT` wrapper on one checked-out connection.
 *
 * @module
 */

/** A connection checked out of a {@link PgPoolLike} (what the ledger uses of `pg.PoolClient`). */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** A query config: `name` makes it a prepared statement, parsed and planned once per connection. */
  query(config: PgQueryConfig): Promise<{ rows: unknown[] }>;
  release(destroy?: boolean): void;
}

/**
 * What the ledger uses of a `pg.Pool`: declared here so that the ledger's types never require
 * `@types/pg`. A `pg.Pool` satisfies it.
 */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  query(config: PgQueryConfig): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/** What the ledger passes to `pg`'s `query(config)`. */
export interface PgQueryConfig {
  text: string;
  values?: unknown[];
  /** A prepared statement's name, unique per text on a connection. */
  name?: string;
}

/** A database row as `pg` returns it. */
export type _Row = Record<string, unknown>;
/** One statement, its rows; with `name`, a prepared statement (parsed and planned once per connection). */
export type _Query = (text: string, values?: unknown[], name?: string) => Promise<_Row[]>;

/** serialization_failure, deadlock_detected: the database asks for the statement to be retried. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Run `fn`, again (up to four times, with a short jittered pause) while it fails with a retryable code. */
export async function _retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= 4 || !RETRYABLE.has((e as { code?: unknown })?.code as string)) throw e;
      await new Promise((r) => setTimeout(r, attempt * 10 + Math.random() * 20));
    }
  }
}

/**
 * How every ledger transaction begins. READ COMMITTED explicitly: the compare-and-set relies on
 * a blocked UPDATE re-checking the committed row, whatever the database's default isolation.
 * `enable_seqscan = off` (for this transaction only): every statement the ledger sends inside a
 * transaction looks rows up by key (an order, its events, a batch of ids), so an index is always
 * the right path — but PostgreSQL plans a prepared statement once, generically, at its sixth
 * execution on a connection and keeps that plan until the next ANALYZE of the table. On a new
 * ledger the tables are nearly empty then, the generic plan was a sequential scan, and a busy
 * first minute scanned every order and event per statement (P7: hook completions alone cost the
 * database 100–130 µs a notification more than an index lookup). With sequential scans priced
 * out while it plans, the generic plan uses the index whatever the table's size. Planning at each
 * execution instead (`plan_cache_mode = force_custom_plan`) fixed it too but cost the database
 * more per notification in batches of 14 (`IN_FLIGHT=14 ledger-write-cost.mjs`: 113 against
 * 89–102 µs).
 */
export const _BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL enable_seqscan = off';

/**
 * BEGIN … COMMIT on one connection ({@link _BEGIN}); ROLLBACK on any error. A connection that
 * cannot even roll back is discarded.
 */
export const _transaction =
  (pool: PgPoolLike) =>
  <T>(fn: (q: _Query) => Promise<T>): Promise<T> =>
    _retrying(async () => {
      const client = await pool.connect();
      const q: _Query = async (text, values, name) =>
        (await client.query(name === undefined ? { text, values } : { name, text, values })).rows as _Row[];
      let broken = false;
      try {
        await client.query(_BEGIN);
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      } finally {
        client.release(broken);
      }
    });
