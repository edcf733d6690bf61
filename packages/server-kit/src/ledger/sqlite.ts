/**
 * The embedded default ledger: one SQLite file (better-sqlite3, WAL). Transitions are
 * compare-and-set UPDATEs inside one transaction with their history and outbox rows.
 *
 * Every write transaction starts with `BEGIN IMMEDIATE`: it takes the file's write lock before
 * its first read, so two processes sharing the file serialise on the lock (waiting up to
 * `busy_timeout`) instead of one failing with `SQLITE_BUSY` when it upgrades a read snapshot
 * the other has just made stale. That is what makes the refund remainder check of
 * `createRefund` hold across processes.
 *
 * A file made by an older version is migrated in place when opened (missing columns added,
 * new tables and indexes created), under the same lock.
 *
 * @module
 */
import type Database from 'better-sqlite3';
import { _loadDriver } from './optional-module.js';
import { AlipayLedgerError } from '@alipay-kit/core';
import { _orderFromRow, _refundFromRow, type _Row, type _TimeMapping } from './rows.js';
import {
  _checkNewRefund,
  _expiresInput,
  _FAILED_MOVES_FROM,
  _notFound,
  _openRefundInput,
  _REFUND_MOVES_FROM,
  _refundedTarget,
  _refundIsRmb,
  _rejectionInput,
  _REQUEST_STATUS_FROM,
  _sameRefund,
  _settleEventKind,
  _settleTarget,
  _SUCCEEDED_MOVES_FROM,
  _syncClaimInput,
  _syncDue,
} from './rules.js';
import { _groupCommit } from './sqlite-group-commit.js';
import {
  _sqliteCountPaidInRange,
  _sqliteOrderFactsByIds,
  _sqliteCheckPaymentRows,
  _sqliteRefundsByIds,
  _sqliteRefundsInRange,
} from './sqlite-reconcile.js';
import { _ensureSqliteFolder } from './sqlite-folder.js';
import { _sqliteReader } from './sqlite-reader.js';
import { _sqliteListOrdersQuery } from './sqlite-list-orders.js';
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
  type SyncClaimOptions,
  type TransitionResult,
} from './types.js';

/** Options of {@link createSqliteLedger}. */
export interface SqliteLedgerOptions {
  /** Database file (created if missing). `':memory:'` for throw-away use. */
  file: string;
  /** Clock for timestamps. Default `() => new Date()`. */
  now?: () => Date;
}

// Timestamps are ISO text from the injectable clock (`toISOString()`, so they compare as text).
const TABLES = `
CREATE TABLE IF NOT EXISTS orders (
  out_trade_no TEXT PRIMARY KEY, subject TEXT NOT NULL, body TEXT, currency TEXT NOT NULL,
  total_fee_minor INTEGER, rmb_fee_minor INTEGER, variant TEXT NOT NULL, status TEXT NOT NULL,
  trade_no TEXT, refunded_minor INTEGER NOT NULL DEFAULT 0, refunded_rmb_minor INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, paid_at TEXT, metadata TEXT,
  expires_at TEXT, synced_at TEXT);
CREATE TABLE IF NOT EXISTS refunds (
  out_return_no TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL REFERENCES orders(out_trade_no),
  currency TEXT NOT NULL, amount_minor INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, error_code TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refunds_trade ON refunds(out_trade_no);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, notify_id TEXT, notify_type TEXT,
  out_trade_no TEXT, out_return_no TEXT, status TEXT, params TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_trade ON notifications(out_trade_no);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, out_trade_no TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
  source TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_trade ON history(out_trade_no);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, out_trade_no TEXT NOT NULL, out_return_no TEXT,
  state TEXT NOT NULL, claimed_at INTEGER);
-- The rejection ring: at most REJECTION_RING_SIZE rows, slot = (seq - 1) % size, plus one counter row.
CREATE TABLE IF NOT EXISTS rejections (slot INTEGER PRIMARY KEY, seq INTEGER NOT NULL, code TEXT NOT NULL, source TEXT, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejection_total (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL);
`;

/** Order columns added after the first release, added to older files by {@link migrate}. */
const ADDED_ORDER_COLUMNS = [
  ['expires_at', 'TEXT'],
  ['synced_at', 'TEXT'],
] as const;

// After the columns exist. Partial indexes hold only the rows their queries can want, so a
// payment (created → paid) deletes one entry and inserts two instead of moving three, and a
// completed event leaves the outbox index (issue 17: the notification path's write cost).
const INDEXES = `
-- The sweeper's claim: orders still created, oldest first.
CREATE INDEX IF NOT EXISTS orders_created_open ON orders(created_at, out_trade_no) WHERE status = 'created';
-- Reconciliation: orders paid in a range per status (count) and in a range (list); listOrders' sort.
CREATE INDEX IF NOT EXISTS orders_paid_status ON orders(status, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_paid ON orders(paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_created ON orders(created_at, out_trade_no);
-- Open refunds; refunds updated in a range.
CREATE INDEX IF NOT EXISTS refunds_status ON refunds(status, created_at);
CREATE INDEX IF NOT EXISTS refunds_status_updated ON refunds(status, updated_at);
-- The outbox: events not done, per order and overall.
CREATE INDEX IF NOT EXISTS events_open ON events(out_trade_no) WHERE state <> 'done';
`;

/** Indexes of earlier releases that {@link INDEXES} replaces: dropped when a file is opened. */
const RETIRED_INDEXES = [
  'orders_paid_at',
  'orders_status_created',
  'orders_status_paid',
  'orders_created_at',
  'events_trade',
];

/**
 * Create the schema, or bring a file made by an older version up to date: missing order columns
 * are added with `ALTER TABLE … ADD COLUMN` (NULL in existing rows), replaced indexes dropped
 * and their successors built. One IMMEDIATE transaction,
 * so processes opening the same file at once do not both add a column.
 */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(TABLES);
    const have = new Set((db.pragma('table_info(orders)') as Array<{ name: string }>).map((c) => c.name));
    for (const [name, type] of ADDED_ORDER_COLUMNS)
      if (!have.has(name)) db.exec(`ALTER TABLE orders ADD COLUMN ${name} ${type}`);
    for (const name of RETIRED_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
    db.exec(INDEXES);
  }).immediate();
}

// Stored as ISO text already.
const TIME: _TimeMapping = { iso: (v) => v as string, isoOrNull: (v) => (v ?? null) as string | null };
const toOrder = (r: unknown): OrderRecord | undefined => (r ? _orderFromRow(r as _Row, TIME) : undefined);
const toRefund = (r: unknown): RefundRecord | undefined => (r ? _refundFromRow(r as _Row, TIME) : undefined);

/**
 * Open (or create) a SQLite ledger.
 *
 * @example
 * ```ts
 * const ledger = createSqliteLedger({ file: path.join(dataDir, 'alipay.db') })
 * ```
 */
export function createSqliteLedger(options: SqliteLedgerOptions): Ledger {
  if (typeof options !== 'object' || options === null || typeof options.file !== 'string' || options.file === '') {
    throw new TypeError('createSqliteLedger: file must be a path');
  }
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const BetterSqlite = _loadDriver<typeof Database>('better-sqlite3@12', 'createSqliteLedger');
  _ensureSqliteFolder(options.file);
  const db = new BetterSqlite(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  // Each notification of a group commit runs in a savepoint: a page it changes that the batch
  // already changed is first copied to the statement journal, a temporary file by default (a
  // write syscall per page). In memory it is a copy: a first delivery's ledger work, 64 in flight,
  // went from 87-89 to 42-44 µs of CPU (bench/lib/ledger-write-cost.mjs). Durability is the WAL's
  // alone; the statement journal only undoes a savepoint of the open transaction. Set after the
  // migration, whose index builds on a large file sort through temporary files, not memory.
  db.pragma('temp_store = MEMORY');
  const reader = _sqliteReader(options.file);
  /** A write transaction: `BEGIN IMMEDIATE` (see the module doc); a SAVEPOINT when nested. */
  const tx = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => db.transaction(fn).immediate;

  const q = {
    getOrder: db.prepare('SELECT * FROM orders WHERE out_trade_no = ?'),
    insertOrder: db.prepare(
      `INSERT INTO orders (out_trade_no, subject, body, currency, total_fee_minor, rmb_fee_minor, variant, status, created_at, updated_at, metadata, expires_at)
       VALUES (@out_trade_no, @subject, @body, @currency, @total_fee_minor, @rmb_fee_minor, @variant, 'created', @at, @at, @metadata, @expires_at)`,
    ),
    setStatus: db.prepare(
      'UPDATE orders SET status = @to, updated_at = @at, trade_no = COALESCE(@trade_no, trade_no), paid_at = COALESCE(@paid_at, paid_at) WHERE out_trade_no = @id AND status = @from',
    ),
    addRefunded: db.prepare(
      'UPDATE orders SET refunded_minor = refunded_minor + @minor, refunded_rmb_minor = refunded_rmb_minor + @rmb, updated_at = @at WHERE out_trade_no = @id',
    ),
    history: db.prepare(
      'INSERT INTO history (out_trade_no, from_status, to_status, source, at) VALUES (?, ?, ?, ?, ?)',
    ),
    event: db.prepare(`INSERT INTO events (kind, out_trade_no, out_return_no, state) VALUES (?, ?, ?, 'pending')`),
    // The event of a transition whose caller runs the hook right after the commit: written claimed.
    claimedEvent: db.prepare(
      `INSERT INTO events (kind, out_trade_no, out_return_no, state, claimed_at) VALUES (?, ?, NULL, 'claimed', ?)`,
    ),
    getRefund: db.prepare('SELECT * FROM refunds WHERE out_return_no = ?'),
    insertRefund: db.prepare(
      `INSERT INTO refunds (out_return_no, out_trade_no, currency, amount_minor, status, reason, created_at, updated_at)
       VALUES (@out_return_no, @out_trade_no, @currency, @amount_minor, 'requested', @reason, @at, @at)`,
    ),
    setRefund: db.prepare(
      'UPDATE refunds SET status = @status, error_code = COALESCE(@error_code, error_code), updated_at = @at WHERE out_return_no = @id AND status IN (SELECT value FROM json_each(@from))',
    ),
    // A refund result; `from` lists the states it moves (a succeeded one clears the error code).
    applyRefund: db.prepare(
      `UPDATE refunds SET status = @status, error_code = CASE WHEN @status = 'succeeded' THEN @error_code ELSE COALESCE(@error_code, error_code) END, updated_at = @at
       WHERE out_return_no = @id AND status IN (SELECT value FROM json_each(@from))`,
    ),
    // Every refund of the order that is not failed, in one currency: what the remainder check counts.
    committed: db.prepare(
      `SELECT COALESCE(SUM(amount_minor), 0) AS s FROM refunds WHERE out_trade_no = ? AND currency = ? AND status <> 'failed'`,
    ),
    openRefunds: db.prepare(
      `SELECT * FROM refunds WHERE status IN (SELECT value FROM json_each(@open)) AND (@before IS NULL OR updated_at <= @before)
       ORDER BY created_at, out_return_no LIMIT @limit`,
    ),
    syncDue: db.prepare(
      `SELECT * FROM orders WHERE status = 'created' AND created_at <= @before AND (synced_at IS NULL OR synced_at <= @due)
       ORDER BY created_at, out_trade_no LIMIT @limit`,
    ),
    stampSynced: db.prepare('UPDATE orders SET synced_at = ? WHERE out_trade_no = ?'),
    countRejection: db.prepare(
      'INSERT INTO rejection_total (id, total) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET total = total + 1 RETURNING total',
    ),
    putRejection: db.prepare(
      `INSERT INTO rejections (slot, seq, code, source, at) VALUES (@slot, @seq, @code, @source, @at)
       ON CONFLICT (slot) DO UPDATE SET seq = excluded.seq, code = excluded.code, source = excluded.source, at = excluded.at`,
    ),
    // One statement, one snapshot: the total and the ring agree.
    listRejections: db.prepare(
      'SELECT t.total, r.code, r.source, r.at FROM rejection_total t LEFT JOIN rejections r ON 1 WHERE t.id = 1 ORDER BY r.seq DESC',
    ),
    openEvents: db.prepare(
      `SELECT id, kind, out_trade_no, out_return_no, state, claimed_at FROM events WHERE out_trade_no = ? AND state <> 'done' ORDER BY id`,
    ),
    claimEvent: db.prepare(`UPDATE events SET state = 'claimed', claimed_at = ? WHERE id = ?`),
    completeEvent: db.prepare(`UPDATE events SET state = 'done' WHERE id = ?`),
    releaseEvent: db.prepare(
      `UPDATE events SET state = 'pending', claimed_at = NULL WHERE id = ? AND state = 'claimed'`,
    ),
    openEventOrders: db.prepare(
      `SELECT DISTINCT out_trade_no FROM events WHERE state <> 'done' AND (state = 'pending' OR claimed_at < ?) ORDER BY out_trade_no`,
    ),
    refundsOf: db.prepare('SELECT * FROM refunds WHERE out_trade_no = ? ORDER BY created_at'),
    allRefunds: db.prepare('SELECT * FROM refunds ORDER BY created_at'),
    insertNotification: db.prepare(
      `INSERT INTO notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome)
       VALUES (@at, @notify_id, @notify_type, @out_trade_no, @out_return_no, @status, @params, @outcome)`,
    ),
  };

  const getOrder = (id: string): OrderRecord | undefined => toOrder(q.getOrder.get(id));
  const getRefund = (id: string): RefundRecord | undefined => toRefund(q.getRefund.get(id));

  /** CAS from → to, history + outbox rows, all in the caller's transaction. */
  function move(
    id: string,
    from: OrderStatus,
    to: OrderStatus,
    source: string,
    extra: { trade_no?: string | null; paid?: boolean } = {},
  ): boolean {
    const at = iso();
    const r = q.setStatus.run({ id, from, to, at, trade_no: extra.trade_no ?? null, paid_at: extra.paid ? at : null });
    if (r.changes !== 1) return false;
    q.history.run(id, from, to, source, at);
    return true;
  }

  /**
   * `created → paid | closed` or `closed → paid_after_close` for an order already read in this
   * transaction: one CAS UPDATE, history and outbox rows, and the new row built from the read
   * one (no second read).
   */
  function settle(
    order: OrderRecord,
    to: 'paid' | 'closed',
    source: string,
    trade_no: string | null,
    claimed?: HookEvent[],
  ): TransitionResult {
    const target = _settleTarget(order.status, to);
    if (target === null) return { changed: false, order };
    const id = order.out_trade_no;
    const at = iso();
    const paid = to === 'paid';
    const r = q.setStatus.run({
      id,
      from: order.status,
      to: target,
      at,
      trade_no: paid ? trade_no : null,
      paid_at: paid ? at : null,
    });
    if (r.changes !== 1) return { changed: false, order: getOrder(id)! }; // another process moved it first
    q.history.run(id, order.status, target, source, at);
    const kind = _settleEventKind(target);
    if (claimed) {
      const ev = Number(q.claimedEvent.run(kind, id, now().getTime()).lastInsertRowid);
      claimed.push({ id: ev, kind, out_trade_no: id, out_return_no: null });
    } else q.event.run(kind, id, null);
    return {
      changed: true,
      order: {
        ...order,
        status: target,
        updated_at: at,
        trade_no: (paid ? trade_no : null) ?? order.trade_no,
        paid_at: paid ? at : order.paid_at,
      },
    };
  }
  const orderOrThrow = (id: string): OrderRecord => {
    const order = getOrder(id);
    if (!order) throw _notFound('order', id);
    return order;
  };
  const markPaid = tx((id: string, trade_no: string | null, source: string): TransitionResult =>
    settle(orderOrThrow(id), 'paid', source, trade_no),
  );
  const markClosed = tx((id: string, source: string): TransitionResult =>
    settle(orderOrThrow(id), 'closed', source, null),
  );

  /** Claim an order's pending (and stale) events; report the others that are not done. Caller's transaction. */
  function claimIn(id: string, staleMs: number): EventClaim {
    const rows = q.openEvents.all(id) as Array<HookEvent & { state: string; claimed_at: number | null }>;
    if (rows.length === 0) return { claimed: [], busy: [] };
    const t = now().getTime();
    const claimed: HookEvent[] = [];
    const busy: HookEvent[] = [];
    for (const { state, claimed_at, ...ev } of rows) {
      if (state === 'pending' || (claimed_at ?? 0) < t - staleMs) {
        q.claimEvent.run(t, ev.id);
        claimed.push(ev);
      } else busy.push(ev);
    }
    return { claimed, busy };
  }
  const claimTx = tx(claimIn);
  /** The common case (every event done) reads once and opens no write transaction. */
  const claim = (id: string, staleMs: number): EventClaim =>
    (q.openEvents.get(id) as unknown) === undefined ? { claimed: [], busy: [] } : claimTx(id, staleMs);

  const insertNotification = (n: NewNotification): number =>
    Number(q.insertNotification.run({ ...n, params: JSON.stringify(n.params), at: iso() }).lastInsertRowid);

  const applyPaymentNotification = db.transaction((input: PaymentNotificationInput): PaymentNotificationResult => {
    const order = orderOrThrow(input.out_trade_no);
    input.check?.(order);
    // An order leaving `created` has no earlier events (only transitions out of `created` write
    // them), so the claim of its new event is the whole claim: written claimed, no second look.
    const fresh = input.claim && order.status === 'created' ? ([] as HookEvent[]) : undefined;
    const t =
      input.to === null
        ? { changed: false, order }
        : settle(order, input.to, input.source, input.trade_no ?? null, fresh);
    const outcome = input.to === null ? 'ignored' : t.changed ? 'applied' : 'duplicate';
    insertNotification({ ...input.notification, outcome });
    if (!input.claim) return { ...t, outcome };
    const events =
      fresh && t.changed ? { claimed: fresh, busy: [] } : claimIn(order.out_trade_no, input.claim.staleMs ?? 300_000);
    return { ...t, outcome, events };
  });
  /** The notifications of one event-loop turn share one transaction; event completions, see `submitFirst`. */
  const writes = _groupCommit(db);
  /** A refund just moved to `succeeded`: add it to the order's sums, move the order, outbox `refunded`. Caller's transaction. */
  function addSucceeded(refund: RefundRecord, source: string, at: string): void {
    const order = getOrder(refund.out_trade_no)!;
    const rmb = _refundIsRmb(order);
    q.addRefunded.run({
      id: order.out_trade_no,
      minor: rmb ? 0 : refund.amount_minor,
      rmb: rmb ? refund.amount_minor : 0,
      at,
    });
    const after = getOrder(order.out_trade_no)!;
    const to = _refundedTarget(after);
    if (_REFUND_MOVES_FROM.includes(after.status)) {
      if (after.status !== to) move(order.out_trade_no, after.status, to, source);
      else q.history.run(order.out_trade_no, after.status, to, source, at); // another partial refund: still a history entry
    }
    q.event.run('refunded', order.out_trade_no, refund.out_return_no);
  }
  const applyRefund = tx(
    (id: string, status: 'succeeded' | 'failed', error_code: string | null, source: string): RefundTransitionResult => {
      const refund = getRefund(id);
      if (!refund) throw _notFound('refund', id);
      const at = iso();
      const from = status === 'succeeded' ? _SUCCEEDED_MOVES_FROM : _FAILED_MOVES_FROM;
      const changed = q.applyRefund.run({ id, status, error_code, at, from: JSON.stringify(from) }).changes === 1;
      if (changed && status === 'succeeded') addSucceeded(refund, source, at);
      return { changed, refund: getRefund(id)!, order: getOrder(refund.out_trade_no)! };
    },
  );
  const setRequestStatus = tx(
    (id: string, status: 'accepted' | 'possibly_done' | 'failed', error_code: string | null): RefundRecord => {
      if (!getRefund(id)) throw _notFound('refund', id);
      q.setRefund.run({ id, status, error_code, at: iso(), from: JSON.stringify(_REQUEST_STATUS_FROM[status]) });
      return getRefund(id)!;
    },
  );
  const createOrder = tx((o: NewOrder): { order: OrderRecord; created: boolean } => {
    const existing = getOrder(o.out_trade_no);
    if (existing) {
      const same =
        existing.status === 'created' &&
        existing.currency === o.currency &&
        existing.subject === o.subject &&
        existing.total_fee_minor === (o.total_fee_minor ?? null) &&
        existing.rmb_fee_minor === (o.rmb_fee_minor ?? null);
      if (!same)
        throw new AlipayLedgerError(
          'ERR_ORDER_CONFLICT',
          `order ${JSON.stringify(o.out_trade_no.slice(0, 64))} already exists with other terms or is no longer pending`,
          { status: 409 },
        );
      return { order: existing, created: false };
    }
    const at = iso();
    q.insertOrder.run({
      out_trade_no: o.out_trade_no,
      subject: o.subject,
      body: o.body ?? null,
      currency: o.currency,
      total_fee_minor: o.total_fee_minor ?? null,
      rmb_fee_minor: o.rmb_fee_minor ?? null,
      variant: o.variant ?? 'web',
      metadata: o.metadata ?? null,
      expires_at: o.expires_at ?? null,
      at,
    });
    q.history.run(o.out_trade_no, null, 'created', 'checkout', at);
    return { order: getOrder(o.out_trade_no)!, created: true };
  });
  /**
   * The remainder check and the insert in one IMMEDIATE transaction: no other connection, in
   * this process or another, can add a refund of the order between the sum and the insert.
   */
  const createRefund = tx((r: NewRefund): { refund: RefundRecord; created: boolean } => {
    const existing = getRefund(r.out_return_no);
    if (existing) return _sameRefund(existing, r);
    const order = getOrder(r.out_trade_no);
    if (!order) throw _notFound('order', r.out_trade_no);
    _checkNewRefund(order, r, () => (q.committed.get(order.out_trade_no, r.currency) as { s: number }).s);
    q.insertRefund.run({ ...r, reason: r.reason ?? null, at: iso() });
    return { refund: getRefund(r.out_return_no)!, created: true };
  });
  /** Select the due orders and stamp their `synced_at`, under the write lock: no other sweeper gets them this interval. */
  const claimForSync = tx((o: SyncClaimOptions): OrderRecord[] => {
    const t = now();
    const stamp = t.toISOString();
    const rows = q.syncDue.all({
      before: o.createdBefore,
      due: _syncDue(t.getTime(), o.minIntervalMs),
      limit: o.limit,
    }) as _Row[];
    for (const r of rows) q.stampSynced.run(stamp, r.out_trade_no);
    return rows.map((r) => ({ ...toOrder(r)!, synced_at: stamp }));
  });
  const recordRejection = tx((code: string, source: string | null): void => {
    const { total } = q.countRejection.get() as { total: number };
    q.putRejection.run({ slot: (total - 1) % REJECTION_RING_SIZE, seq: total, code, source, at: iso() });
  });
  const listRejections = (): { total: number; recent: RejectionRecord[] } => {
    const rows = q.listRejections.all() as Array<{
      total: number;
      code: string | null;
      source: string | null;
      at: string | null;
    }>;
    return {
      total: rows[0]?.total ?? 0,
      recent: rows.filter((r) => r.code !== null).map((r) => ({ code: r.code!, source: r.source, at: r.at! })),
    };
  };

  let closed = false;
  const guard = <T>(fn: () => T | Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new AlipayLedgerError('ERR_CONFIG', 'ledger is closed'));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string' || v === '') throw new TypeError(`${name} must be a non-empty string`);
    return v;
  };

  return {
    createOrder: (o) =>
      guard(() => {
        str(o?.out_trade_no, 'out_trade_no');
        str(o.subject, 'subject');
        str(o.currency, 'currency');
        if ((o.total_fee_minor == null) === (o.rmb_fee_minor == null))
          throw new TypeError('exactly one of total_fee_minor / rmb_fee_minor is required');
        for (const k of ['total_fee_minor', 'rmb_fee_minor'] as const)
          if (o[k] != null && (!Number.isSafeInteger(o[k]) || o[k]! <= 0))
            throw new RangeError(`${k} must be a positive integer`);
        return createOrder({ ...o, expires_at: _expiresInput(o.expires_at) });
      }),
    getOrder: (id) => guard(() => getOrder(id)),
    listOrders: (f: OrderFilter = {}) =>
      guard(() => {
        if (f.status?.length === 0) return []; // no status asked: no order (and no scan to find none)
        const { sql, args } = _sqliteListOrdersQuery(f);
        return db
          .prepare(sql)
          .all(args)
          .map((r) => toOrder(r)!);
      }),
    markPaid: (id, c) => guard(() => markPaid(id, c.trade_no ?? null, c.source)),
    markClosed: (id, c) => guard(() => markClosed(id, c.source)),
    createRefund: (r) =>
      guard(() => {
        str(r?.out_return_no, 'out_return_no');
        str(r.out_trade_no, 'out_trade_no');
        if (!Number.isSafeInteger(r.amount_minor) || r.amount_minor <= 0)
          throw new RangeError('amount_minor must be a positive integer');
        str(r.currency, 'currency');
        return createRefund(r);
      }),
    getRefund: (id) => guard(() => getRefund(id)),
    listRefunds: (id) =>
      guard(() => (id === undefined ? q.allRefunds.all() : q.refundsOf.all(id)).map((r) => toRefund(r)!)),
    listOpenRefunds: (f) =>
      guard(() => {
        const { updatedBefore, limit } = _openRefundInput(f);
        return q.openRefunds
          .all({ open: JSON.stringify(OPEN_REFUND_STATES), before: updatedBefore, limit: limit ?? -1 })
          .map((r) => toRefund(r)!);
      }),
    setRefundRequestStatus: (id, status, error_code) =>
      guard(() => {
        if (!(status in _REQUEST_STATUS_FROM)) throw new TypeError('status must be accepted, possibly_done or failed');
        return setRequestStatus(id, status, error_code ?? null);
      }),
    applyRefundResult: (id, r) => guard(() => applyRefund(id, r.status, r.error_code ?? null, r.source)),
    recordNotification: (n: NewNotification) => guard(() => ({ id: insertNotification(n) })),
    recordRejection: (r) =>
      guard(() => {
        const { code, source } = _rejectionInput(r);
        recordRejection(code, source);
      }),
    listRejections: () => guard(listRejections),
    claimOrdersForSync: (o) => guard(() => claimForSync(_syncClaimInput(o))),
    applyPaymentNotification: (input) =>
      guard(() => {
        str(input?.out_trade_no, 'out_trade_no');
        return writes.submit(() => applyPaymentNotification(input));
      }),
    listNotifications: (f = {}) =>
      guard(() => {
        const rows = (
          f.out_trade_no !== undefined
            ? db.prepare('SELECT * FROM notifications WHERE out_trade_no = ? ORDER BY id').all(f.out_trade_no)
            : f.out_return_no !== undefined
              ? db.prepare('SELECT * FROM notifications WHERE out_return_no = ? ORDER BY id').all(f.out_return_no)
              : db.prepare('SELECT * FROM notifications ORDER BY id').all()
        ) as Array<Omit<NotificationRecord, 'params'> & { params: string }>;
        return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string> }));
      }),
    history: (id) =>
      guard(
        () =>
          db
            .prepare(
              'SELECT out_trade_no, from_status AS "from", to_status AS "to", source, at FROM history WHERE out_trade_no = ? ORDER BY id',
            )
            .all(id) as StateChange[],
      ),
    claimEvents: (id, o = {}) => guard(() => claim(id, o.staleMs ?? 300_000).claimed),
    claimOrderEvents: (id, o = {}) => guard(() => claim(id, o.staleMs ?? 300_000)),
    listOrdersWithOpenEvents: (o = {}) =>
      guard(() =>
        (q.openEventOrders.all(now().getTime() - (o.staleMs ?? 300_000)) as Array<{ out_trade_no: string }>).map(
          (r) => r.out_trade_no,
        ),
      ),
    // A completion records a hook that ran: committed before anything else can run (see submitFirst).
    completeEvent: (id) => guard(() => writes.submitFirst(() => void q.completeEvent.run(id))),
    releaseEvent: (id) => guard(() => writes.submitFirst(() => void q.releaseEvent.run(id))),
    getOrderFactsByIds: (ids) => guard(() => _sqliteOrderFactsByIds(db, ids)),
    checkPaymentRows: (rows, range) => guard(() => _sqliteCheckPaymentRows(db, reader, rows, range)),
    getRefundsByIds: (ids) => guard(() => _sqliteRefundsByIds(db, ids)),
    countOrdersPaidInRange: (r) => guard(() => _sqliteCountPaidInRange(db, r)),
    listRefundsInRange: (r) => guard(() => _sqliteRefundsInRange(db, r)),
    close: () => {
      if (!closed) {
        closed = true;
        writes.flush(); // accepted work is committed, not dropped
        db.close();
      }
      return reader.close();
    },
  };
}
