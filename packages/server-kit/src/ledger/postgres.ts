/**
 * The multi-instance ledger: PostgreSQL through `pg`. Several server processes with no shared
 * memory can use one database: every transition is a compare-and-set `UPDATE … WHERE status =
 * $expected RETURNING` inside a transaction with its history and outbox rows, so exactly one
 * caller, in any process, sees `changed: true`; unique constraints back that up (one `paid`,
 * one `closed` event per order, one `refunded` event per refund). Hook events are claimed with
 * `FOR UPDATE SKIP LOCKED`, so two processes never run the same hook. No in-process locks.
 *
 * A new refund is recorded in a transaction that first locks its order row (`SELECT … FOR
 * UPDATE`), then sums the order's refunds that are not `failed` and inserts: concurrent
 * `createRefund` calls of one order, from any process, check the remainder one at a time.
 *
 * The schema is created or migrated at start (`postgres-schema.ts`: idempotent DDL under a
 * transaction-level advisory lock, so processes starting together do not race on the catalog).
 * Row mapping is in `postgres-rows.ts`, the pool types and transaction wrapper in
 * `postgres-connection.ts`; this file holds the ledger's queries and transactions.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { _loadDriver } from './optional-module.js';
import { AlipayLedgerError } from '@alipay-kit/core';
import { _migrate } from './postgres-schema.js';
import {
  _pgCheckPaymentRows,
  _pgCountPaidInRange,
  _pgOrderFactsByIds,
  _pgRefundsByIds,
  _pgRefundsInRange,
} from './postgres-reconcile.js';
import { _pgGroupCommit } from './postgres-group-commit.js';
import { _microtaskBatch } from './microtask-batch.js';
import { _applyFreshPayments, _freshPaymentsSql } from './postgres-fresh-payments.js';
import { _recordRepeatedPayments, _repeatedPaymentsSql } from './postgres-repeated-payments.js';
import {
  _retrying as retrying,
  _transaction,
  type _Query as Query,
  type _Row as Row,
  type PgPoolLike,
} from './postgres-connection.js';
import {
  _iso as iso,
  _num as num,
  _storable as storable,
  _str as str,
  _text as text,
  _toEvent as toEvent,
  _toNotification as toNotification,
  _toOrder as toOrder,
  _toRefund as toRefund,
} from './postgres-rows.js';
import {
  _checkNewRefund,
  _expiresInput,
  _FAILED_MOVES_FROM,
  _notFound,
  _openRefundInput,
  _REFUND_MOVES_FROM,
  _refundedTarget,
  _rejectionInput,
  _REQUEST_STATUS_FROM,
  _sameRefund,
  _settleTarget,
  _SUCCEEDED_MOVES_FROM,
  _syncClaimInput,
  _syncDue,
} from './rules.js';
import {
  OPEN_REFUND_STATES,
  REJECTION_RING_SIZE,
  type EventClaim,
  type HookEvent,
  type Ledger,
  type NewNotification,
  type NewOrder,
  type NewRefund,
  type NotificationRecord,
  type OrderFilter,
  type OrderRecord,
  type OrderStatus,
  type PaymentNotificationInput,
  type PaymentNotificationResult,
  type RefundRecord,
  type RefundTransitionResult,
  type RejectionRecord,
  type StateChange,
  type TransitionResult,
} from './types.js';

/** Options of {@link createPostgresLedger}. Give `connectionString` or `pool`, not both. */
export interface PostgresLedgerOptions {
  /** `postgres://user:password@host:port/database`. The ledger owns (and closes) its pool. */
  connectionString?: string;
  /** An existing `pg.Pool` (the caller keeps owning it: `close()` does not end it). */
  pool?: PgPoolLike;
  /** Schema holding the ledger's tables, created if missing. Default `alipay_kit`. */
  schema?: string;
  /** Pool size when the ledger creates the pool. Default 10. */
  max?: number;
  /** Clock for timestamps and hook claims. Default `() => new Date()`. */
  now?: () => Date;
}

export type { PgClientLike, PgPoolLike } from './postgres-connection.js';

/** A {@link Ledger} on PostgreSQL, plus a way to wait for (and fail fast on) the schema setup. */
export interface PostgresLedger extends Ledger {
  /** Resolves once the schema exists; rejects if the database is unreachable or setup failed. */
  ready(): Promise<void>;
}

/** The claim clock in SQL: `$2` (an injected clock, ms) or the database's own clock, ms since the epoch. */
const CLAIM_CLOCK = `COALESCE($2::bigint, (extract(epoch from clock_timestamp()) * 1000)::bigint)`;
/** The same clock as parameter `$13` of the notification statement. */
const NOTIFY_CLOCK = CLAIM_CLOCK.replace('$2', '$13');
const quote = (id: string) => `"${id}"`;

/**
 * Open a PostgreSQL ledger. The schema is created in the background; every call waits for it,
 * and `ready()` lets a server fail fast at startup.
 *
 * @example
 * ```ts
 * const ledger = createPostgresLedger({ connectionString: process.env.DATABASE_URL })
 * await ledger.ready() // optional: fail at startup rather than on the first notification
 * app.use('/alipay', alipayRouter({ client, ledger, ... }))
 * ```
 */
export function createPostgresLedger(options: PostgresLedgerOptions): PostgresLedger {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createPostgresLedger: options must be an object');
  const { connectionString, schema = 'alipay_kit', max = 10 } = options;
  if ((connectionString === undefined) === (options.pool === undefined))
    throw new TypeError('createPostgresLedger: give exactly one of connectionString or pool');
  if (
    connectionString !== undefined &&
    (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//i.test(connectionString))
  ) {
    throw new TypeError('createPostgresLedger: connectionString must be a postgres:// or postgresql:// URL');
  }
  if (
    options.pool !== undefined &&
    (typeof options.pool !== 'object' || options.pool === null || typeof options.pool.connect !== 'function')
  )
    throw new TypeError('createPostgresLedger: pool must be a pg.Pool');
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new TypeError('createPostgresLedger: schema must be a lower-case SQL identifier (a-z, 0-9, _; at most 63)');
  if (!Number.isInteger(max) || max < 1) throw new RangeError('createPostgresLedger: max must be a positive integer');
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new TypeError('createPostgresLedger: now must be a function returning a Date');
  const now = options.now ?? (() => new Date());
  // Hook claims are stamped and judged stale by ONE clock, or two instances whose clocks differ
  // by more than the stale window would each take the other's live claim as abandoned and run
  // the hook twice (found by the invariant suite). Without an injected clock that is the
  // database's; an injected clock (tests) is used as given.
  const claimClockValue = (): number | null => (options.now === undefined ? null : now().getTime());
  const stamp = () => now().toISOString();

  const owned = options.pool === undefined;
  // A bounded connect timeout: a notification handler must fail (and be retried by the gateway)
  // rather than hang on an unreachable database (pg's default is to wait forever).
  const pool: PgPoolLike =
    options.pool ??
    new (_loadDriver<typeof pg>('pg@8', 'createPostgresLedger').Pool)({
      connectionString,
      max,
      connectionTimeoutMillis: 10_000,
    });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would kill
  // the process. The next query gets a fresh connection (or a proper error).
  if (owned) pool.on('error', () => {});
  const s = quote(schema);
  /**
   * A statement in autocommit on the pool. Never prepared, whatever name a caller passes: a
   * prepared statement keeps the plan made at its sixth execution on a connection, and outside a
   * ledger transaction nothing prices sequential scans out (`_BEGIN`), so that plan could be a
   * scan of a table that was small then. Inside a transaction the same statements are prepared.
   */
  const run: Query = async (text, values) => (await pool.query({ text, values })).rows as Row[];
  /**
   * Prepared in autocommit: reconciliation's batch check only, whose thousands of executions run
   * while the tables hold still.
   */
  const runPrepared: Query = async (text, values, name) =>
    (await pool.query(name === undefined ? { text, values } : { name, text, values })).rows as Row[];
  // Prepared statements are per connection and per name: the schema's hash keeps two ledgers
  // (two schemas) on one caller's pool from colliding.
  const tag = createHash('sha256').update(schema).digest('hex').slice(0, 12);
  const names = {
    selectOrder: `ak_${tag}_order`,
    notification: `ak_${tag}_notification`,
    settleNotification: `ak_${tag}_settle_notification`,
    claim: `ak_${tag}_claim`,
    readOrders: `ak_${tag}_read_orders`,
    freshPayments: `ak_${tag}_fresh_payments`,
    repeatedPayments: `ak_${tag}_repeated_payments`,
    checkPayments: `ak_${tag}_check_payments`,
  };

  const migrate = (): Promise<void> => _migrate(pool, s, schema);
  // Started now; a failed setup (database not up yet) is retried by the next call rather than
  // leaving the ledger broken for the life of the process.
  let setup: Promise<void> | undefined;
  const ensureReady = (): Promise<void> =>
    (setup ??= migrate().catch((e: unknown) => {
      setup = undefined;
      throw e;
    }));
  ensureReady().catch(() => {}); // surfaced by ready() and by every call, never as unhandled

  const tx = _transaction(pool);

  const selectOrder = async (q: Query, id: string): Promise<OrderRecord | undefined> => {
    const [r] = await q(`SELECT * FROM ${s}.orders WHERE out_trade_no = $1`, [id], names.selectOrder);
    return r ? toOrder(r) : undefined;
  };
  const selectRefund = async (q: Query, id: string): Promise<RefundRecord | undefined> => {
    const [r] = await q(`SELECT * FROM ${s}.refunds WHERE out_return_no = $1`, [id]);
    return r ? toRefund(r) : undefined;
  };
  const addHistory = (q: Query, id: string, from: OrderStatus | null, to: OrderStatus, source: string, at: string) =>
    q(`INSERT INTO ${s}.history (out_trade_no, from_status, to_status, source, at) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      from,
      to,
      source,
      at,
    ]);
  const addEvent = (q: Query, kind: HookEvent['kind'], id: string, returnNo: string | null) =>
    q(`INSERT INTO ${s}.events (kind, out_trade_no, out_return_no, state) VALUES ($1, $2, $3, 'pending')`, [
      kind,
      id,
      returnNo,
    ]);

  /**
   * Compare-and-set `from → to`. Under READ COMMITTED a concurrent writer of the same row makes
   * this UPDATE wait, then re-check `status = from` against the committed row: one winner.
   */
  async function move(
    q: Query,
    id: string,
    from: OrderStatus,
    to: OrderStatus,
    source: string,
    extra: { trade_no?: string | null; paid?: boolean } = {},
  ): Promise<OrderRecord | undefined> {
    const at = stamp();
    const [r] = await q(
      `UPDATE ${s}.orders SET status = $3, updated_at = $4, trade_no = COALESCE($5, trade_no), paid_at = COALESCE($6, paid_at)
       WHERE out_trade_no = $1 AND status = $2 RETURNING *`,
      [id, from, to, at, extra.trade_no ?? null, extra.paid ? at : null],
    );
    if (!r) return undefined;
    await addHistory(q, id, from, to, source, at);
    return toOrder(r);
  }

  /**
   * The settle transition as data-modifying CTEs: `moved` (the compare-and-set), `h` (history)
   * and `e` (outbox). Parameters: $1 out_trade_no, $2 'paid' | 'closed', $3 at, $4 trade_no,
   * $5 paid_at, $6 source. Encodes `_settleTarget`: `created → $2`, and for a payment `closed →
   * paid_after_close` (event `late_paid`). The history row's `from` follows from the new state,
   * which only one old state leads to. Under READ COMMITTED an UPDATE blocked by a concurrent
   * writer re-checks its WHERE and re-computes its SET on the committed row, so a close and a
   * payment racing on a `created` order end `paid_after_close` (or `paid`), never lost.
   */
  const settleCtes = `
    moved AS (
      UPDATE ${s}.orders SET status = CASE WHEN status = 'closed' THEN 'paid_after_close' ELSE $2::text END,
        updated_at = $3, trade_no = COALESCE($4, trade_no), paid_at = COALESCE($5, paid_at)
      WHERE out_trade_no = $1 AND (status = 'created' OR ($2::text = 'paid' AND status = 'closed')) RETURNING *),
    h AS (INSERT INTO ${s}.history (out_trade_no, from_status, to_status, source, at)
          SELECT out_trade_no, CASE WHEN status = 'paid_after_close' THEN 'closed' ELSE 'created' END, status, $6, $3 FROM moved),
    e AS (INSERT INTO ${s}.events (kind, out_trade_no, out_return_no, state)
          SELECT CASE WHEN status = 'paid_after_close' THEN 'late_paid' ELSE status END, out_trade_no, NULL, 'pending' FROM moved)`;

  /**
   * `created → paid | closed`, `closed → paid_after_close` in ONE statement: the compare-and-set
   * UPDATE and its history and outbox INSERTs commit or fail together (a statement is its own
   * transaction) in one round trip — this is the hot path of every notification. The losers
   * (already moved, by this or another process) read the order afterwards.
   */
  async function transition(
    id: string,
    to: 'paid' | 'closed',
    source: string,
    trade_no: string | null,
  ): Promise<TransitionResult> {
    if (!storable(id)) throw _notFound('order', id);
    const at = stamp();
    const paid = to === 'paid';
    const [moved] = await retrying(() =>
      run(`WITH ${settleCtes} SELECT * FROM moved`, [id, to, at, paid ? trade_no : null, paid ? at : null, source]),
    );
    if (moved) return { changed: true, order: toOrder(moved) };
    const order = await selectOrder(run, id);
    if (!order) throw _notFound('order', id);
    return { changed: false, order };
  }

  /**
   * A refund just moved to `succeeded`: add it to the order's sums, move the order
   * (`paid | paid_after_close | partially_refunded → partially_refunded | refunded`), outbox
   * `refunded`. The sums UPDATE row-locks the order: concurrent results add up one at a time.
   * Which sum a refund joins is `_refundIsRmb` in SQL (orders priced with `rmb_fee`: the CNY one).
   */
  async function addSucceeded(q: Query, refund: RefundRecord, source: string, at: string): Promise<void> {
    const [o] = await q(
      `UPDATE ${s}.orders SET refunded_minor = refunded_minor + CASE WHEN total_fee_minor IS NULL THEN 0 ELSE $2::bigint END,
         refunded_rmb_minor = refunded_rmb_minor + CASE WHEN total_fee_minor IS NULL THEN $2::bigint ELSE 0 END, updated_at = $3
       WHERE out_trade_no = $1 RETURNING *`,
      [refund.out_trade_no, refund.amount_minor, at],
    );
    const after = toOrder(o!);
    const to = _refundedTarget(after);
    if (_REFUND_MOVES_FROM.includes(after.status)) {
      if (after.status !== to) await move(q, after.out_trade_no, after.status, to, source);
      else await addHistory(q, after.out_trade_no, after.status, to, source, at); // another partial refund: still a history entry
    }
    await addEvent(q, 'refunded', after.out_trade_no, refund.out_return_no);
  }

  async function applyRefund(
    id: string,
    status: 'succeeded' | 'failed',
    error_code: string | null,
    source: string,
  ): Promise<RefundTransitionResult> {
    if (!storable(id)) throw _notFound('refund', id);
    return tx(async (q) => {
      const refund = await selectRefund(q, id);
      if (!refund) throw _notFound('refund', id);
      const at = stamp();
      const from = status === 'succeeded' ? _SUCCEEDED_MOVES_FROM : _FAILED_MOVES_FROM;
      const [r] = await q(
        `UPDATE ${s}.refunds SET status = $2, error_code = CASE WHEN $2 = 'succeeded' THEN $3 ELSE COALESCE($3, error_code) END, updated_at = $4
         WHERE out_return_no = $1 AND status = ANY($5::text[]) RETURNING *`,
        [id, status, error_code, at, from],
      );
      if (!r)
        return {
          changed: false,
          refund: (await selectRefund(q, id))!,
          order: (await selectOrder(q, refund.out_trade_no))!,
        };
      if (status === 'succeeded') await addSucceeded(q, refund, source, at);
      return { changed: true, refund: toRefund(r), order: (await selectOrder(q, refund.out_trade_no))! };
    });
  }

  const sameTerms = (existing: OrderRecord, o: NewOrder) =>
    existing.status === 'created' &&
    existing.currency === o.currency &&
    existing.subject === o.subject &&
    existing.total_fee_minor === (o.total_fee_minor ?? null) &&
    existing.rmb_fee_minor === (o.rmb_fee_minor ?? null);

  async function createOrder(o: NewOrder): Promise<{ order: OrderRecord; created: boolean }> {
    return tx(async (q) => {
      const at = stamp();
      // ON CONFLICT DO NOTHING waits for a concurrent inserter of the same id, then yields to it.
      const [r] = await q(
        `INSERT INTO ${s}.orders (out_trade_no, subject, body, currency, total_fee_minor, rmb_fee_minor, variant, status, created_at, updated_at, metadata, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', $8, $8, $9, $10) ON CONFLICT (out_trade_no) DO NOTHING RETURNING *`,
        [
          o.out_trade_no,
          o.subject,
          o.body ?? null,
          o.currency,
          o.total_fee_minor ?? null,
          o.rmb_fee_minor ?? null,
          o.variant ?? 'web',
          at,
          o.metadata ?? null,
          o.expires_at ?? null,
        ],
      );
      if (r) {
        await addHistory(q, o.out_trade_no, null, 'created', 'checkout', at);
        return { order: toOrder(r), created: true };
      }
      const existing = (await selectOrder(q, o.out_trade_no))!;
      if (!sameTerms(existing, o))
        throw new AlipayLedgerError(
          'ERR_ORDER_CONFLICT',
          `order ${JSON.stringify(o.out_trade_no.slice(0, 64))} already exists with other terms or is no longer pending`,
          { status: 409 },
        );
      return { order: existing, created: false };
    });
  }

  /**
   * Lock the order row, then (each a statement of its own, so under READ COMMITTED each sees
   * what the previous lock holder committed — a subquery in the locking SELECT would still read
   * the snapshot taken before the wait) look for a retry, sum the committed refunds and insert.
   */
  async function createRefund(r: NewRefund): Promise<{ refund: RefundRecord; created: boolean }> {
    return tx(async (q) => {
      const [locked] = await q(`SELECT * FROM ${s}.orders WHERE out_trade_no = $1 FOR UPDATE`, [r.out_trade_no]);
      const existing = await selectRefund(q, r.out_return_no);
      if (existing) return _sameRefund(existing, r);
      if (!locked) throw _notFound('order', r.out_trade_no);
      const order = toOrder(locked);
      const [sum] = await q(
        `SELECT COALESCE(SUM(amount_minor), 0) AS s FROM ${s}.refunds WHERE out_trade_no = $1 AND currency = $2 AND status <> 'failed'`,
        [r.out_trade_no, r.currency],
      );
      _checkNewRefund(order, r, () => num(sum!.s));
      // ON CONFLICT: the same id inserted concurrently for ANOTHER order (a lock we do not hold).
      const [row] = await q(
        `INSERT INTO ${s}.refunds (out_return_no, out_trade_no, currency, amount_minor, status, reason, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $6) ON CONFLICT (out_return_no) DO NOTHING RETURNING *`,
        [r.out_return_no, r.out_trade_no, r.currency, r.amount_minor, r.reason ?? null, stamp()],
      );
      return row ? { refund: toRefund(row), created: true } : _sameRefund((await selectRefund(q, r.out_return_no))!, r);
    });
  }

  /**
   * The sweeper's claim in one statement: the due orders are locked `FOR UPDATE SKIP LOCKED`
   * (an order another sweeper is claiming right now is simply not ours, and once it commits the
   * re-checked WHERE excludes it) and stamped. Oldest first.
   *
   * The pick is a CTE, which PostgreSQL runs exactly once. Written as `WHERE out_trade_no IN
   * (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` the planner may rescan the subquery for each row
   * (a nested loop), and each rescan skips the rows this very statement has just updated and
   * picks n more: the LIMIT stops limiting (seen here: limit 2 stamped all 12 due orders).
   */
  async function claimForSync(o: {
    createdBefore: string;
    minIntervalMs: number;
    limit: number;
  }): Promise<OrderRecord[]> {
    const t = now();
    const due = _syncDue(t.getTime(), o.minIntervalMs);
    const rows = await retrying(() =>
      run(
        `WITH picked AS MATERIALIZED (
           SELECT out_trade_no FROM ${s}.orders
           WHERE status = 'created' AND created_at <= $2 AND (synced_at IS NULL OR synced_at <= $3::timestamptz)
           ORDER BY created_at, out_trade_no LIMIT $4 FOR UPDATE SKIP LOCKED)
         UPDATE ${s}.orders o SET synced_at = $1 FROM picked
         WHERE o.out_trade_no = picked.out_trade_no AND o.status = 'created' AND (o.synced_at IS NULL OR o.synced_at <= $3::timestamptz)
         RETURNING o.*`,
        [t.toISOString(), o.createdBefore, due, o.limit],
      ),
    );
    return rows
      .map(toOrder)
      .sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.out_trade_no < b.out_trade_no ? -1 : 1,
      );
  }

  /**
   * One statement: the counter's upsert (row-locked until commit, so concurrent rejections from
   * any process take consecutive numbers) feeds the ring slot's upsert.
   */
  async function recordRejection(code: string, source: string | null): Promise<void> {
    await retrying(() =>
      run(
        `WITH c AS (INSERT INTO ${s}.rejection_total (id, total) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET total = ${s}.rejection_total.total + 1 RETURNING total)
         INSERT INTO ${s}.rejections (slot, seq, code, source, at) SELECT ((total - 1) % ${REJECTION_RING_SIZE})::int, total, $1, $2, $3 FROM c
         ON CONFLICT (slot) DO UPDATE SET seq = EXCLUDED.seq, code = EXCLUDED.code, source = EXCLUDED.source, at = EXCLUDED.at`,
        [text(code), text(source), stamp()],
      ),
    );
  }

  /** One statement, one snapshot: the total and the ring agree. */
  async function listRejections(): Promise<{ total: number; recent: RejectionRecord[] }> {
    const rows = await run(
      `SELECT t.total, r.code, r.source, r.at FROM ${s}.rejection_total t LEFT JOIN ${s}.rejections r ON true WHERE t.id = 1 ORDER BY r.seq DESC`,
    );
    return {
      total: rows.length ? num(rows[0]!.total) : 0,
      recent: rows
        .filter((r) => r.code !== null)
        .map((r) => ({ code: r.code as string, source: (r.source as string | null) ?? null, at: iso(r.at) })),
    };
  }

  /**
   * Claim an order's pending (and stale) events and, in the same statement, list the events
   * that are not done but not ours: claimed less than `staleMs` ago, or pending but locked by a
   * concurrent claimer (SKIP LOCKED). Both CTEs see the same snapshot.
   */
  async function claim(id: string, staleMs: number, q: Query = run): Promise<EventClaim> {
    if (!storable(id)) return { claimed: [], busy: [] };
    // SKIP LOCKED: an event another process is claiming right now is simply not ours. Once it
    // commits, the re-checked WHERE (state / claimed_at) excludes it too.
    // Inside a batch (q given) a retry must not happen here: the batch's savepoint handles the failure.
    const rows = await (q === run ? retrying : (f: () => Promise<Row[]>) => f())(() =>
      q(
        `WITH c AS (
           UPDATE ${s}.events SET state = 'claimed', claimed_at = ${CLAIM_CLOCK}
           WHERE id IN (SELECT id FROM ${s}.events
                        WHERE out_trade_no = $1 AND (state = 'pending' OR (state = 'claimed' AND claimed_at < ${CLAIM_CLOCK} - $3))
                        ORDER BY id FOR UPDATE SKIP LOCKED)
             AND (state = 'pending' OR (state = 'claimed' AND claimed_at < ${CLAIM_CLOCK} - $3))
           RETURNING id, kind, out_trade_no, out_return_no)
         SELECT true AS mine, * FROM c
         UNION ALL
         SELECT false, id, kind, out_trade_no, out_return_no FROM ${s}.events
         WHERE out_trade_no = $1 AND state <> 'done' AND id NOT IN (SELECT id FROM c)`,
        [id, claimClockValue(), staleMs],
        names.claim,
      ),
    );
    const claimed: HookEvent[] = [];
    const busy: HookEvent[] = [];
    for (const r of rows) (r.mine ? claimed : busy).push(toEvent(r));
    const byId = (a: HookEvent, b: HookEvent) => a.id - b.id;
    return { claimed: claimed.sort(byId), busy: busy.sort(byId) };
  }

  /**
   * One payment notification, inside a batch's transaction and savepoint (`postgres-group-commit.ts`):
   * the cross-check against the batch's read of its orders, then the compare-and-set, its history and outbox rows and the
   * notification row in ONE statement (data-modifying CTEs run once whether read or not), then
   * the claim. Every statement is a named (prepared) one, parsed and planned once per connection.
   */
  async function applyOne(
    q: Query,
    input: PaymentNotificationInput,
    read: Map<string, OrderRecord>,
  ): Promise<PaymentNotificationResult> {
    const id = input.out_trade_no;
    const order = read.get(id);
    if (!order) throw _notFound('order', id);
    input.check?.(order);
    const n = input.notification;
    const nv = [
      text(n.notify_id),
      text(n.notify_type),
      text(n.out_trade_no),
      text(n.out_return_no),
      text(n.status),
      JSON.stringify(n.params),
    ];
    const at = stamp();
    let result: TransitionResult;
    let outcome: PaymentNotificationResult['outcome'];
    if (input.to === null || _settleTarget(order.status, input.to) === null) {
      outcome = input.to === null ? 'ignored' : 'duplicate';
      await q(SQL.notification, [at, ...nv, outcome], names.notification);
      result = { changed: false, order };
    } else {
      const paid = input.to === 'paid';
      // The transition, its rows, the notification row and (input.claim) the claim of the order's
      // events: one statement, one round trip. Rows: 'o' the moved order (as JSON), 'c' events
      // claimed (the new one is inserted already claimed), 'b' events busy elsewhere.
      const claiming = input.claim !== undefined;
      const rows = await q(
        SQL.settleNotification,
        [
          id,
          input.to,
          at,
          paid ? (input.trade_no ?? null) : null,
          paid ? at : null,
          input.source,
          ...nv,
          claimClockValue(),
          input.claim?.staleMs ?? 300_000,
          claiming,
        ],
        names.settleNotification,
      );
      const moved = rows.find((r) => r.part === 'o')?.o as Row | undefined;
      // Not moved: another caller moved it since the read; read what it left.
      result = moved
        ? { changed: true, order: toOrder(moved) }
        : { changed: false, order: (await selectOrder(q, id))! };
      outcome = moved ? 'applied' : 'duplicate';
      if (claiming) {
        const byId = (a: HookEvent, b: HookEvent) => a.id - b.id;
        const events = {
          claimed: rows
            .filter((r) => r.part === 'c')
            .map(toEvent)
            .sort(byId),
          busy: rows
            .filter((r) => r.part === 'b')
            .map(toEvent)
            .sort(byId),
        };
        return { ...result, outcome, events };
      }
      return { ...result, outcome };
    }
    return {
      ...result,
      outcome,
      ...(input.claim ? { events: await claim(id, input.claim.staleMs ?? 300_000, q) } : {}),
    };
  }
  const SQL = {
    notification: `INSERT INTO ${s}.notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    // $13 claim clock, $14 staleMs, $15 claim? The UPDATE `c` and the busy list read the snapshot
    // from before this statement, so neither sees the event `e` inserts (already claimed by us).
    settleNotification: `WITH ${settleCtes
      .replace(
        `out_trade_no, NULL, 'pending' FROM moved)`,
        `out_trade_no, NULL, CASE WHEN $15::boolean THEN 'claimed' ELSE 'pending' END, CASE WHEN $15::boolean THEN ${NOTIFY_CLOCK} END FROM moved
          RETURNING id, kind, out_trade_no, out_return_no)`,
      )
      .replace(
        `${s}.events (kind, out_trade_no, out_return_no, state)`,
        `${s}.events (kind, out_trade_no, out_return_no, state, claimed_at)`,
      )},
      n AS (INSERT INTO ${s}.notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome)
            SELECT $3, $7::text, $8::text, $9::text, $10::text, $11::text, $12::json, CASE WHEN EXISTS (SELECT 1 FROM moved) THEN 'applied' ELSE 'duplicate' END),
      c AS (UPDATE ${s}.events SET state = 'claimed', claimed_at = ${NOTIFY_CLOCK}
            WHERE $15::boolean AND id IN (SELECT id FROM ${s}.events
                         WHERE out_trade_no = $1 AND (state = 'pending' OR (state = 'claimed' AND claimed_at < ${NOTIFY_CLOCK} - $14))
                         ORDER BY id FOR UPDATE SKIP LOCKED)
              AND (state = 'pending' OR (state = 'claimed' AND claimed_at < ${NOTIFY_CLOCK} - $14))
            RETURNING id, kind, out_trade_no, out_return_no)
      SELECT 'o' AS part, to_jsonb(moved) AS o, NULL::bigint AS id, NULL::text AS kind, NULL::text AS out_trade_no, NULL::text AS out_return_no FROM moved
      UNION ALL SELECT 'c', NULL, id, kind, out_trade_no, out_return_no FROM e WHERE $15::boolean
      UNION ALL SELECT 'c', NULL, id, kind, out_trade_no, out_return_no FROM c
      UNION ALL SELECT 'b', NULL, id, kind, out_trade_no, out_return_no FROM ${s}.events
        WHERE $15::boolean AND out_trade_no = $1 AND state <> 'done' AND id NOT IN (SELECT id FROM c)`,
  };
  // Notifications of one event-loop turn share a transaction; a deadlock or serialization
  // failure of one item (rolled back alone) is retried in a later batch.
  // The batch's orders are read in one statement before its items run, and locked in
  // out_trade_no order (so the set-based step never waits on a lock taken in another order, and
  // two batches sharing orders queue rather than deadlock); an order an earlier item of the batch
  // moved is seen as read, and its compare-and-set then reports the duplicate.
  const readOrders = async (q: Query, inputs: PaymentNotificationInput[]): Promise<Map<string, OrderRecord>> =>
    new Map(
      (
        await q(
          `SELECT * FROM ${s}.orders WHERE out_trade_no = ANY($1::text[]) ORDER BY out_trade_no FOR UPDATE`,
          [[...new Set(inputs.map((i) => i.out_trade_no))]],
          names.readOrders,
        )
      ).map((r) => [r.out_trade_no as string, toOrder(r)]),
    );
  const fresh = { sql: _freshPaymentsSql(s), name: names.freshPayments };
  const repeated = { sql: _repeatedPaymentsSql(s), name: names.repeatedPayments };
  /** A batch's set-based steps: its first deliveries, then the notifications that move nothing. */
  const bulk = async (q: Query, inputs: PaymentNotificationInput[], read: Map<string, OrderRecord>) => {
    const at = stamp();
    const done = await _applyFreshPayments(q, fresh, inputs, read, at, claimClockValue());
    for (const [i, r] of await _recordRepeatedPayments(q, repeated, inputs, read, new Set(done.keys()), at))
      done.set(i, r);
    return done;
  };
  const notifications = _pgGroupCommit(pool, {
    unit: applyOne,
    prepare: readOrders,
    bulk,
    order: (input: PaymentNotificationInput) => input.out_trade_no,
    parallel: options.pool === undefined ? max : 10,
    minBatch: 128,
  });
  const applyPaymentNotification = (input: PaymentNotificationInput): Promise<PaymentNotificationResult> => {
    if (!storable(input.out_trade_no)) return Promise.reject(_notFound('order', input.out_trade_no));
    return retrying(() => notifications.submit(input));
  };

  // Hook completions reached together (the hooks of one batch) share one autocommit statement.
  const completeEvents = _microtaskBatch((ids: number[]) =>
    run(`UPDATE ${s}.events SET state = 'done' WHERE id = ANY($1::bigint[])`, [ids]),
  );
  const releaseEvents = _microtaskBatch((ids: number[]) =>
    run(
      `UPDATE ${s}.events SET state = 'pending', claimed_at = NULL WHERE id = ANY($1::bigint[]) AND state = 'claimed'`,
      [ids],
    ),
  );

  let closed = false;
  let closing: Promise<void> | undefined;
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new AlipayLedgerError('ERR_CONFIG', 'ledger is closed');
    await ensureReady();
    return fn();
  };

  return {
    ready: () => ensureReady(),
    createOrder: (o) =>
      guard(async () => {
        str(o?.out_trade_no, 'out_trade_no');
        str(o.subject, 'subject');
        str(o.currency, 'currency');
        if ((o.total_fee_minor == null) === (o.rmb_fee_minor == null))
          throw new TypeError('exactly one of total_fee_minor / rmb_fee_minor is required');
        for (const k of ['total_fee_minor', 'rmb_fee_minor'] as const)
          if (o[k] != null && (!Number.isSafeInteger(o[k]) || o[k]! <= 0))
            throw new RangeError(`${k} must be a positive integer`);
        for (const k of ['body', 'metadata'] as const)
          if (typeof o[k] === 'string' && o[k].includes('\0')) throw new TypeError(`${k} must not contain NUL`);
        return createOrder({ ...o, expires_at: _expiresInput(o.expires_at) });
      }),
    getOrder: (id) => guard(async () => (storable(id) ? selectOrder(run, id) : undefined)),
    getOrderFactsByIds: (ids) => guard(() => _pgOrderFactsByIds(run, s, ids)),
    checkPaymentRows: (rows, range) =>
      guard(() => _pgCheckPaymentRows(runPrepared, s, rows, range, names.checkPayments)),
    getRefundsByIds: (ids) => guard(() => _pgRefundsByIds(run, s, ids)),
    countOrdersPaidInRange: (r) => guard(() => _pgCountPaidInRange(run, s, r)),
    listRefundsInRange: (r) => guard(() => _pgRefundsInRange(run, s, r)),
    listOrders: (f: OrderFilter = {}) =>
      guard(async () => {
        const where: string[] = [];
        const args: unknown[] = [];
        const add = (cond: (p: string) => string, v: unknown) => (args.push(v), where.push(cond(`$${args.length}`)));
        if (f.paidFrom) add((p) => `paid_at >= ${p}`, f.paidFrom);
        if (f.paidTo) add((p) => `paid_at < ${p}`, f.paidTo);
        if (f.createdFrom) add((p) => `created_at >= ${p}`, f.createdFrom);
        if (f.createdTo) add((p) => `created_at < ${p}`, f.createdTo);
        if (f.status) add((p) => `status = ANY(${p}::text[])`, [...f.status]);
        const rows = await run(
          `SELECT * FROM ${s}.orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, out_trade_no`,
          args,
        );
        return rows.map(toOrder);
      }),
    markPaid: (id, c) => guard(() => transition(id, 'paid', c.source, c.trade_no ?? null)),
    markClosed: (id, c) => guard(() => transition(id, 'closed', c.source, null)),
    createRefund: (r) =>
      guard(async () => {
        str(r?.out_return_no, 'out_return_no');
        str(r.out_trade_no, 'out_trade_no');
        if (!Number.isSafeInteger(r.amount_minor) || r.amount_minor <= 0)
          throw new RangeError('amount_minor must be a positive integer');
        str(r.currency, 'currency');
        if (typeof r.reason === 'string' && r.reason.includes('\0')) throw new TypeError('reason must not contain NUL');
        return createRefund(r);
      }),
    getRefund: (id) => guard(async () => (storable(id) ? selectRefund(run, id) : undefined)),
    listRefunds: (id) =>
      guard(async () =>
        (id === undefined
          ? await run(`SELECT * FROM ${s}.refunds ORDER BY created_at, out_return_no`)
          : storable(id)
            ? await run(`SELECT * FROM ${s}.refunds WHERE out_trade_no = $1 ORDER BY created_at, out_return_no`, [id])
            : []
        ).map(toRefund),
      ),
    listOpenRefunds: (f) =>
      guard(async () => {
        const { updatedBefore, limit } = _openRefundInput(f);
        const rows = await run(
          `SELECT * FROM ${s}.refunds WHERE status = ANY($1::text[]) AND ($2::timestamptz IS NULL OR updated_at <= $2::timestamptz)
           ORDER BY created_at, out_return_no LIMIT $3`,
          [[...OPEN_REFUND_STATES], updatedBefore, limit],
        );
        return rows.map(toRefund);
      }),
    setRefundRequestStatus: (id, status, error_code) =>
      guard(async () => {
        if (!(status in _REQUEST_STATUS_FROM)) throw new TypeError('status must be accepted, possibly_done or failed');
        if (!storable(id)) throw _notFound('refund', id);
        // One statement: the CAS on the allowed states, or (not allowed) the row as it is.
        const [r] = await run(
          `WITH u AS (UPDATE ${s}.refunds SET status = $2, error_code = COALESCE($3, error_code), updated_at = $4 WHERE out_return_no = $1 AND status = ANY($5::text[]) RETURNING *)
           SELECT * FROM u UNION ALL SELECT * FROM ${s}.refunds WHERE out_return_no = $1 AND NOT EXISTS (SELECT 1 FROM u)`,
          [id, status, text(error_code ?? null), stamp(), _REQUEST_STATUS_FROM[status]],
        );
        if (!r) throw _notFound('refund', id);
        return toRefund(r);
      }),
    applyRefundResult: (id, r) => guard(() => applyRefund(id, r.status, r.error_code ?? null, r.source)),
    recordNotification: (n: NewNotification) =>
      guard(async () => {
        const [r] = await run(
          `INSERT INTO ${s}.notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            stamp(),
            text(n.notify_id),
            text(n.notify_type),
            text(n.out_trade_no),
            text(n.out_return_no),
            text(n.status),
            JSON.stringify(n.params),
            text(n.outcome),
          ],
        );
        return { id: num(r!.id) };
      }),
    recordRejection: (r) =>
      guard(async () => {
        const { code, source } = _rejectionInput(r);
        await recordRejection(code, source);
      }),
    listRejections: () => guard(listRejections),
    claimOrdersForSync: (o) => guard(() => claimForSync(_syncClaimInput(o))),
    listNotifications: (f = {}) =>
      guard(async () => {
        const rows =
          f.out_trade_no !== undefined
            ? await run(`SELECT * FROM ${s}.notifications WHERE out_trade_no = $1 ORDER BY id`, [text(f.out_trade_no)])
            : f.out_return_no !== undefined
              ? await run(`SELECT * FROM ${s}.notifications WHERE out_return_no = $1 ORDER BY id`, [
                  text(f.out_return_no),
                ])
              : await run(`SELECT * FROM ${s}.notifications ORDER BY id`);
        return rows.map(toNotification);
      }),
    history: (id) =>
      guard(async () => {
        if (!storable(id)) return [];
        const rows = await run(
          `SELECT out_trade_no, from_status, to_status, source, at FROM ${s}.history WHERE out_trade_no = $1 ORDER BY id`,
          [id],
        );
        return rows.map((r): StateChange => ({
          out_trade_no: r.out_trade_no as string,
          from: (r.from_status as OrderStatus | null) ?? null,
          to: r.to_status as OrderStatus,
          source: r.source as string,
          at: iso(r.at),
        }));
      }),
    claimEvents: (id, o = {}) => guard(async () => (await claim(id, o.staleMs ?? 300_000)).claimed),
    claimOrderEvents: (id, o = {}) => guard(() => claim(id, o.staleMs ?? 300_000)),
    listOrdersWithOpenEvents: (o = {}) =>
      guard(async () =>
        (
          await run(
            `SELECT DISTINCT out_trade_no FROM ${s}.events WHERE state = 'pending' OR (state = 'claimed' AND claimed_at < ${CLAIM_CLOCK.replace('$2', '$1')} - $2) ORDER BY out_trade_no`,
            [claimClockValue(), o.staleMs ?? 300_000],
          )
        ).map((r) => r.out_trade_no as string),
      ),
    applyPaymentNotification: (input) => guard(() => applyPaymentNotification(input)),
    completeEvent: (id) => guard(() => completeEvents(id)),
    releaseEvent: (id) => guard(() => releaseEvents(id)),
    close: () => {
      if (!closing) {
        closed = true;
        // Let the schema setup finish (or fail) before ending the pool it runs on.
        // Notifications already accepted are committed (flushed), not dropped, before the pool ends.
        closing = (setup ?? Promise.resolve())
          .catch(() => {})
          .then(() => notifications.flush())
          .then(() => (owned ? pool.end() : undefined));
      }
      return closing;
    },
  };
}
