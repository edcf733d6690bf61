/**
 * The embedded default ledger: one SQLite file (better-sqlite3, WAL). Transitions are
 * compare-and-set UPDATEs inside one transaction with their history and outbox rows.
 *
 * @module
 */
import Database from 'better-sqlite3';
import { AlipayLedgerError } from '@alipay-kit/core';
import { _groupCommit } from './sqlite-group-commit.js';
import type {
  EventClaim,
  HookEvent,
  Ledger,
  NewNotification,
  NewOrder,
  NewRefund,
  NotificationRecord,
  OrderFilter,
  OrderRecord,
  OrderStatus,
  PaymentNotificationInput,
  PaymentNotificationResult,
  RefundRecord,
  RefundTransitionResult,
  StateChange,
  TransitionResult,
} from './types.js';

/** Options of {@link createSqliteLedger}. */
export interface SqliteLedgerOptions {
  /** Database file (created if missing). `':memory:'` for throw-away use. */
  file: string;
  /** Clock for timestamps. Default `() => new Date()`. */
  now?: () => Date;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  out_trade_no TEXT PRIMARY KEY, subject TEXT NOT NULL, body TEXT, currency TEXT NOT NULL,
  total_fee_minor INTEGER, rmb_fee_minor INTEGER, variant TEXT NOT NULL, status TEXT NOT NULL,
  trade_no TEXT, refunded_minor INTEGER NOT NULL DEFAULT 0, refunded_rmb_minor INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, paid_at TEXT, metadata TEXT);
CREATE INDEX IF NOT EXISTS orders_paid_at ON orders(paid_at);
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
CREATE INDEX IF NOT EXISTS events_trade ON events(out_trade_no, state);
`;

function notFound(what: string): AlipayLedgerError {
  return new AlipayLedgerError('ERR_ORDER_NOT_FOUND', `${what} is not in the ledger`, { status: 404 });
}

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
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const q = {
    getOrder: db.prepare('SELECT * FROM orders WHERE out_trade_no = ?'),
    insertOrder: db.prepare(
      `INSERT INTO orders (out_trade_no, subject, body, currency, total_fee_minor, rmb_fee_minor, variant, status, created_at, updated_at, metadata)
       VALUES (@out_trade_no, @subject, @body, @currency, @total_fee_minor, @rmb_fee_minor, @variant, 'created', @at, @at, @metadata)`,
    ),
    setStatus: db.prepare('UPDATE orders SET status = @to, updated_at = @at, trade_no = COALESCE(@trade_no, trade_no), paid_at = COALESCE(@paid_at, paid_at) WHERE out_trade_no = @id AND status = @from'),
    addRefunded: db.prepare('UPDATE orders SET refunded_minor = refunded_minor + @minor, refunded_rmb_minor = refunded_rmb_minor + @rmb, updated_at = @at WHERE out_trade_no = @id'),
    history: db.prepare('INSERT INTO history (out_trade_no, from_status, to_status, source, at) VALUES (?, ?, ?, ?, ?)'),
    event: db.prepare(`INSERT INTO events (kind, out_trade_no, out_return_no, state) VALUES (?, ?, ?, 'pending')`),
    getRefund: db.prepare('SELECT * FROM refunds WHERE out_return_no = ?'),
    insertRefund: db.prepare(
      `INSERT INTO refunds (out_return_no, out_trade_no, currency, amount_minor, status, reason, created_at, updated_at)
       VALUES (@out_return_no, @out_trade_no, @currency, @amount_minor, 'requested', @reason, @at, @at)`,
    ),
    setRefund: db.prepare('UPDATE refunds SET status = @status, error_code = COALESCE(@error_code, error_code), updated_at = @at WHERE out_return_no = @id AND status IN (SELECT value FROM json_each(@from))'),
    // A refund result: the open states, plus (for succeeded) a refund stored failed only because
    // the gateway said REPEATED_REFUNDMENT_REQUEST (§6.3: it already has that refund).
    applyRefund: db.prepare(
      `UPDATE refunds SET status = @status, error_code = CASE WHEN @status = 'succeeded' THEN @error_code ELSE COALESCE(@error_code, error_code) END, updated_at = @at
       WHERE out_return_no = @id AND (status IN ('requested', 'accepted', 'possibly_done') OR (@status = 'succeeded' AND status = 'failed' AND error_code = 'REPEATED_REFUNDMENT_REQUEST'))`,
    ),
    openEvents: db.prepare(`SELECT id, kind, out_trade_no, out_return_no, state, claimed_at FROM events WHERE out_trade_no = ? AND state != 'done' ORDER BY id`),
    claimEvent: db.prepare(`UPDATE events SET state = 'claimed', claimed_at = ? WHERE id = ?`),
    completeEvent: db.prepare(`UPDATE events SET state = 'done' WHERE id = ?`),
    releaseEvent: db.prepare(`UPDATE events SET state = 'pending', claimed_at = NULL WHERE id = ? AND state = 'claimed'`),
    openEventOrders: db.prepare(`SELECT DISTINCT out_trade_no FROM events WHERE state = 'pending' OR (state = 'claimed' AND claimed_at < ?) ORDER BY out_trade_no`),
    refundsOf: db.prepare('SELECT * FROM refunds WHERE out_trade_no = ? ORDER BY created_at'),
    allRefunds: db.prepare('SELECT * FROM refunds ORDER BY created_at'),
    insertNotification: db.prepare(
      `INSERT INTO notifications (received_at, notify_id, notify_type, out_trade_no, out_return_no, status, params, outcome)
       VALUES (@at, @notify_id, @notify_type, @out_trade_no, @out_return_no, @status, @params, @outcome)`,
    ),
  };

  const getOrder = (id: string): OrderRecord | undefined => q.getOrder.get(id) as OrderRecord | undefined;
  const getRefund = (id: string): RefundRecord | undefined => q.getRefund.get(id) as RefundRecord | undefined;

  /** CAS from → to, history + outbox rows, all in the caller's transaction. */
  function move(id: string, from: OrderStatus, to: OrderStatus, source: string, extra: { trade_no?: string | null; paid?: boolean } = {}): boolean {
    const at = iso();
    const r = q.setStatus.run({ id, from, to, at, trade_no: extra.trade_no ?? null, paid_at: extra.paid ? at : null });
    if (r.changes !== 1) return false;
    q.history.run(id, from, to, source, at);
    return true;
  }

  /**
   * `created → paid | closed` for an order already read in this transaction: one CAS UPDATE,
   * history and outbox rows, and the new row built from the read one (no second read).
   */
  function settle(order: OrderRecord, to: 'paid' | 'closed', source: string, trade_no: string | null): TransitionResult {
    if (order.status !== 'created') return { changed: false, order };
    const id = order.out_trade_no;
    const at = iso();
    const paid = to === 'paid';
    const r = q.setStatus.run({ id, from: 'created', to, at, trade_no: paid ? trade_no : null, paid_at: paid ? at : null });
    if (r.changes !== 1) return { changed: false, order: getOrder(id)! }; // another process moved it first
    q.history.run(id, 'created', to, source, at);
    q.event.run(to, id, null);
    return { changed: true, order: { ...order, status: to, updated_at: at, trade_no: (paid ? trade_no : null) ?? order.trade_no, paid_at: paid ? at : order.paid_at } };
  }
  const orderOrThrow = (id: string): OrderRecord => {
    const order = getOrder(id);
    if (!order) throw notFound(`order ${JSON.stringify(id.slice(0, 64))}`);
    return order;
  };
  const markPaid = db.transaction((id: string, trade_no: string | null, source: string): TransitionResult => settle(orderOrThrow(id), 'paid', source, trade_no));
  const markClosed = db.transaction((id: string, source: string): TransitionResult => settle(orderOrThrow(id), 'closed', source, null));

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
  const claimTx = db.transaction(claimIn);
  /** The common case (every event done) reads once and opens no write transaction. */
  const claim = (id: string, staleMs: number): EventClaim => ((q.openEvents.get(id) as unknown) === undefined ? { claimed: [], busy: [] } : claimTx(id, staleMs));

  const insertNotification = (n: NewNotification): number => Number(q.insertNotification.run({ ...n, params: JSON.stringify(n.params), at: iso() }).lastInsertRowid);

  const applyPaymentNotification = db.transaction((input: PaymentNotificationInput): PaymentNotificationResult => {
    const order = orderOrThrow(input.out_trade_no);
    input.check?.(order);
    const t = input.to === null ? { changed: false, order } : settle(order, input.to, input.source, input.trade_no ?? null);
    const outcome = input.to === null ? 'ignored' : t.changed ? 'applied' : 'duplicate';
    insertNotification({ ...input.notification, outcome });
    return { ...t, outcome, ...(input.claim ? { events: claimIn(order.out_trade_no, input.claim.staleMs ?? 300_000) } : {}) };
  });
  const notifications = _groupCommit(db, applyPaymentNotification);
  const applyRefund = db.transaction((id: string, status: 'succeeded' | 'failed', error_code: string | null, source: string): RefundTransitionResult => {
    const refund = getRefund(id);
    if (!refund) throw notFound(`refund ${JSON.stringify(id.slice(0, 64))}`);
    const at = iso();
    const r = q.applyRefund.run({ id, status, error_code, at });
    const changed = r.changes === 1;
    if (changed && status === 'succeeded') {
      const order = getOrder(refund.out_trade_no)!;
      const rmb = refund.currency === 'CNY';
      q.addRefunded.run({ id: order.out_trade_no, minor: rmb ? 0 : refund.amount_minor, rmb: rmb ? refund.amount_minor : 0, at });
      const after = getOrder(order.out_trade_no)!;
      const full =
        (after.total_fee_minor !== null && after.refunded_minor >= after.total_fee_minor) ||
        (after.rmb_fee_minor !== null && after.refunded_rmb_minor >= after.rmb_fee_minor);
      const to: OrderStatus = full ? 'refunded' : 'partially_refunded';
      if (after.status === 'paid' || after.status === 'partially_refunded') {
        if (after.status !== to) move(order.out_trade_no, after.status, to, source);
        else q.history.run(order.out_trade_no, after.status, to, source, at); // another partial refund: still a history entry
      }
      q.event.run('refunded', order.out_trade_no, id);
    }
    return { changed, refund: getRefund(id)!, order: getOrder(refund.out_trade_no)! };
  });
  const createOrder = db.transaction((o: NewOrder): { order: OrderRecord; created: boolean } => {
    const existing = getOrder(o.out_trade_no);
    if (existing) {
      const same =
        existing.status === 'created' &&
        existing.currency === o.currency &&
        existing.subject === o.subject &&
        existing.total_fee_minor === (o.total_fee_minor ?? null) &&
        existing.rmb_fee_minor === (o.rmb_fee_minor ?? null);
      if (!same) throw new AlipayLedgerError('ERR_ORDER_CONFLICT', `order ${JSON.stringify(o.out_trade_no.slice(0, 64))} already exists with other terms or is no longer pending`, { status: 409 });
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
      at,
    });
    q.history.run(o.out_trade_no, null, 'created', 'checkout', at);
    return { order: getOrder(o.out_trade_no)!, created: true };
  });
  const createRefund = db.transaction((r: NewRefund): { refund: RefundRecord; created: boolean } => {
    const existing = getRefund(r.out_return_no);
    if (existing) {
      if (existing.out_trade_no !== r.out_trade_no || existing.amount_minor !== r.amount_minor || existing.currency !== r.currency) {
        throw new AlipayLedgerError('ERR_ORDER_CONFLICT', `refund ${JSON.stringify(r.out_return_no.slice(0, 64))} already exists with other terms`, { status: 409 });
      }
      return { refund: existing, created: false };
    }
    if (!getOrder(r.out_trade_no)) throw notFound(`order ${JSON.stringify(r.out_trade_no.slice(0, 64))}`);
    q.insertRefund.run({ ...r, reason: r.reason ?? null, at: iso() });
    return { refund: getRefund(r.out_return_no)!, created: true };
  });

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
        if ((o.total_fee_minor == null) === (o.rmb_fee_minor == null)) throw new TypeError('exactly one of total_fee_minor / rmb_fee_minor is required');
        for (const k of ['total_fee_minor', 'rmb_fee_minor'] as const) if (o[k] != null && (!Number.isSafeInteger(o[k]) || o[k]! <= 0)) throw new RangeError(`${k} must be a positive integer`);
        return createOrder(o);
      }),
    getOrder: (id) => guard(() => getOrder(id)),
    listOrders: (f: OrderFilter = {}) =>
      guard(() => {
        const where: string[] = [];
        const args: Record<string, string> = {};
        if (f.paidFrom) (where.push('paid_at >= @pf'), (args.pf = f.paidFrom));
        if (f.paidTo) (where.push('paid_at < @pt'), (args.pt = f.paidTo));
        if (f.createdFrom) (where.push('created_at >= @cf'), (args.cf = f.createdFrom));
        if (f.createdTo) (where.push('created_at < @ct'), (args.ct = f.createdTo));
        if (f.status) (where.push('status IN (SELECT value FROM json_each(@st))'), (args.st = JSON.stringify(f.status)));
        return db.prepare(`SELECT * FROM orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, out_trade_no`).all(args) as OrderRecord[];
      }),
    markPaid: (id, c) => guard(() => markPaid(id, c.trade_no ?? null, c.source)),
    markClosed: (id, c) => guard(() => markClosed(id, c.source)),
    createRefund: (r) =>
      guard(() => {
        str(r?.out_return_no, 'out_return_no');
        str(r.out_trade_no, 'out_trade_no');
        if (!Number.isSafeInteger(r.amount_minor) || r.amount_minor <= 0) throw new RangeError('amount_minor must be a positive integer');
        return createRefund(r);
      }),
    getRefund: (id) => guard(() => getRefund(id)),
    listRefunds: (id) =>
      guard(() => (id === undefined ? q.allRefunds.all() : q.refundsOf.all(id)) as RefundRecord[]),
    setRefundRequestStatus: (id, status, error_code) =>
      guard(() => {
        if (!getRefund(id)) throw notFound(`refund ${JSON.stringify(id.slice(0, 64))}`);
        q.setRefund.run({ id, status, error_code: error_code ?? null, at: iso(), from: JSON.stringify(['requested', 'accepted', 'possibly_done']) });
        return getRefund(id)!;
      }),
    applyRefundResult: (id, r) => guard(() => applyRefund(id, r.status, r.error_code ?? null, r.source)),
    recordNotification: (n: NewNotification) => guard(() => ({ id: insertNotification(n) })),
    applyPaymentNotification: (input) =>
      guard(() => {
        str(input?.out_trade_no, 'out_trade_no');
        return notifications.submit(input);
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
      guard(() =>
        (db.prepare('SELECT out_trade_no, from_status AS "from", to_status AS "to", source, at FROM history WHERE out_trade_no = ? ORDER BY id').all(id) as StateChange[]),
      ),
    claimEvents: (id, o = {}) => guard(() => claim(id, o.staleMs ?? 300_000).claimed),
    claimOrderEvents: (id, o = {}) => guard(() => claim(id, o.staleMs ?? 300_000)),
    listOrdersWithOpenEvents: (o = {}) => guard(() => (q.openEventOrders.all(now().getTime() - (o.staleMs ?? 300_000)) as Array<{ out_trade_no: string }>).map((r) => r.out_trade_no)),
    completeEvent: (id) => guard(() => void q.completeEvent.run(id)),
    releaseEvent: (id) => guard(() => void q.releaseEvent.run(id)),
    close: () => {
      if (!closed) {
        closed = true;
        notifications.flush(); // accepted work is committed, not dropped
        db.close();
      }
      return Promise.resolve();
    },
  };
}
