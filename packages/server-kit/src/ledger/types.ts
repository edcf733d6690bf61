/**
 * The order ledger: orders, refunds and every received notification, behind an async
 * interface so that an embedded SQLite store and a multi-instance PostgreSQL store can share
 * one contract test suite (`test/ledger-contract.ts`).
 *
 * Rules every implementation keeps:
 * - Orders move through a monotonic state machine: `created → paid → partially_refunded →
 *   refunded`, `created → closed`, and `closed → paid_after_close → partially_refunded →
 *   refunded` (a verified payment for an order the ledger had closed: the money is real, so it
 *   is recorded, never dropped). Nothing ever moves back; a transition that is not allowed
 *   returns `changed: false` and leaves the row untouched.
 * - Refunds: `requested → accepted | possibly_done | failed`, then `succeeded | failed`. Every
 *   refund that is not `failed` counts against the order's refundable remainder, and
 *   {@link Ledger.createRefund} checks that remainder inside the transaction that inserts the
 *   refund, with the order row locked, so concurrent processes can never over-commit.
 * - Notifications that fail verification store nothing but a bounded ring of rejections
 *   ({@link Ledger.recordRejection}): a forged body costs the ledger a fixed number of bytes.
 * - Transitions are atomic and conditional (compare-and-set on the current state), so when the
 *   same notification is applied twice, or concurrently by several processes, exactly one caller
 *   sees `changed: true` (protocol §4 idempotency: the dedupe keys are (out_trade_no,
 *   trade_status) and (out_return_no, refund_status)).
 * - Each changing transition writes a history row and a hook event in the same transaction
 *   (an outbox): hooks are claimed, run, then completed, so a crash between commit and hook
 *   leaves a pending event that the next delivery of the notification picks up.
 *
 * @module
 */

/**
 * Internal order states. The router shows `created` as `pending`. `paid_after_close`: the
 * gateway confirmed a payment (notification or query) for an order the ledger had already closed
 * (an abandoned order closed by the sweeper, a payment link used after the order was given up);
 * it fires `onLatePayment` instead of `onPaid` and can be refunded like a paid order.
 */
export type OrderStatus = 'created' | 'paid' | 'partially_refunded' | 'refunded' | 'closed' | 'paid_after_close';

/** States in which an order holds the buyer's money (refundable, reconciled as paid). */
export const PAID_ORDER_STATES: readonly OrderStatus[] = ['paid', 'partially_refunded', 'refunded', 'paid_after_close'];

/** One order. Amounts are integer minor units (§3.5), never floats. */
export interface OrderRecord {
  out_trade_no: string;
  subject: string;
  body: string | null;
  /** Settlement currency. */
  currency: string;
  /** Price in `currency` minor units; null when priced in CNY. */
  total_fee_minor: number | null;
  /** Price in CNY cents when priced with `rmb_fee`; else null. */
  rmb_fee_minor: number | null;
  variant: 'web' | 'wap';
  status: OrderStatus;
  trade_no: string | null;
  /** Refunded so far, in `currency` minor units. */
  refunded_minor: number;
  /** Refunded so far in CNY cents (refunds requested with `return_rmb_amount`). */
  refunded_rmb_minor: number;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  /** Free-form JSON the merchant attached at checkout. */
  metadata: string | null;
  /**
   * When the payment link stops working (`order_gmt_create` + `order_valid_time`, §3.6), ISO;
   * null when the link carries no window (wap, or the option turned off).
   */
  expires_at: string | null;
  /** When the sweeper last asked the gateway about this order (ISO), or null. */
  synced_at: string | null;
}

/**
 * The fields of an order that reconciliation compares with a compare-file row (§8): what
 * {@link Ledger.getOrderFactsByIds} reads, so that a batch of a million rows does not build a
 * million full {@link OrderRecord}s. Every `OrderRecord` is one.
 *
 * @example
 * ```ts
 * const facts: OrderFacts = { out_trade_no: 'A1', currency: 'USD', total_fee_minor: 1000, status: 'paid', paid_at: '2026-03-01T04:00:00.000Z' }
 * ```
 */
export type OrderFacts = Pick<OrderRecord, 'out_trade_no' | 'currency' | 'total_fee_minor' | 'status' | 'paid_at'>;

/**
 * A compare-file payment row as {@link Ledger.checkPaymentRows} receives it.
 *
 * @example
 * ```ts
 * const row: PaymentRowQuery = { out_trade_no: 'A1', currency: 'USD', amount_minor: 1000 } // 10.00 USD
 * ```
 */
export interface PaymentRowQuery {
  out_trade_no: string;
  /** The row's currency. */
  currency: string;
  /** The row's amount in `currency` minor units. */
  amount_minor: number;
}

/**
 * A payment row that does not certainly agree with the ledger (see {@link Ledger.checkPaymentRows}):
 * its position in the batch and its order's {@link OrderFacts}, or `null` when the ledger has no
 * such order.
 *
 * @example
 * ```ts
 * await ledger.checkPaymentRows([{ out_trade_no: 'A1', currency: 'USD', amount_minor: 1001 }], { from, to })
 * // [{ index: 0, order: { out_trade_no: 'A1', currency: 'USD', total_fee_minor: 1000, status: 'paid', paid_at: '…' } }]
 * ```
 */
export interface PaymentRowCheck {
  index: number;
  order: OrderFacts | null;
}

/** Input of {@link Ledger.createOrder}. */
export interface NewOrder {
  out_trade_no: string;
  subject: string;
  body?: string | null;
  currency: string;
  total_fee_minor?: number | null;
  rmb_fee_minor?: number | null;
  variant?: 'web' | 'wap';
  metadata?: string | null;
  /** See {@link OrderRecord.expires_at}. */
  expires_at?: string | null;
}

/**
 * Refund lifecycle: `requested → accepted | possibly_done | failed`, then `succeeded | failed`.
 * - `requested`: recorded before the gateway call (§6.3: log refunds durably); a crash or a lost
 *   reply leaves it here, and it may have reached the gateway.
 * - `accepted`: the gateway answered `T` (is_sync=N: the notification follows, §6.4).
 * - `possibly_done`: the answer was ambiguous — `SYSTEM_ERROR` / `SYSTEM_EXCEPTION` (§6.5
 *   "internal error, retry later"), a timeout, a 5xx, a lost reply, or
 *   `REPEATED_REFUNDMENT_REQUEST` — so the gateway may have executed it.
 * - `failed` only from a definitive answer (`RETURN_AMOUNT_EXCEED`, `CURRENCY_NOT_SAME`,
 *   `PURCHASE_TRADE_NOT_EXIST`, `REFUNDMENT_VALID_DATE_EXCEED`, `ILLEGAL_*`, or a `REFUND_FAIL`
 *   notification).
 * Every state but `failed` counts against the refundable remainder.
 */
export type RefundStatus = 'requested' | 'accepted' | 'possibly_done' | 'succeeded' | 'failed';

/** Refund states that are not final: resolved by a notification, a retry with the same `out_return_no`, or the compare file. */
export const OPEN_REFUND_STATES: readonly RefundStatus[] = ['requested', 'accepted', 'possibly_done'];

/** One refund. */
export interface RefundRecord {
  out_return_no: string;
  out_trade_no: string;
  /** `CNY` for refunds requested with `return_rmb_amount`, else the order currency. */
  currency: string;
  amount_minor: number;
  status: RefundStatus;
  reason: string | null;
  error_code: string | null;
  created_at: string;
  updated_at: string;
}

/** Input of {@link Ledger.createRefund}. */
export interface NewRefund {
  out_return_no: string;
  out_trade_no: string;
  currency: string;
  amount_minor: number;
  reason?: string | null;
}

/** A received notification, stored whatever its outcome. */
export interface NotificationRecord {
  id: number;
  received_at: string;
  notify_id: string | null;
  notify_type: string | null;
  out_trade_no: string | null;
  out_return_no: string | null;
  /** `trade_status` or `refund_status`. */
  status: string | null;
  /** Every received parameter exactly as decoded (sign included: it is evidence, never logged). */
  params: Record<string, string>;
  /** What the router did: `applied`, `duplicate`, `rejected:<code>`, … */
  outcome: string;
}

/** Input of {@link Ledger.recordNotification}. */
export type NewNotification = Omit<NotificationRecord, 'id' | 'received_at'>;

/**
 * A notification that failed verification (signature, `notify_verify`, unreadable body). Only
 * these fields are kept — no parameters, no order — in a ring of at most
 * {@link REJECTION_RING_SIZE} rows that overwrites the oldest.
 */
export interface RejectionRecord {
  /** The stable error code it was refused with, e.g. `ERR_SIGNATURE_INVALID` (at most 64 chars). */
  code: string;
  /** Sender address as seen by the server (at most 64 chars), or null. */
  source: string | null;
  /** ISO time. */
  at: string;
}

/** How many rejections the ledger keeps (the oldest are overwritten). */
export const REJECTION_RING_SIZE = 256;

/** One row of an order's state history. */
export interface StateChange {
  out_trade_no: string;
  from: OrderStatus | null;
  to: OrderStatus;
  /** `checkout`, `notify`, `query`, `refund_notify`, … */
  source: string;
  at: string;
}

/** A hook to run after a committed transition (outbox row). */
export interface HookEvent {
  id: number;
  /** `late_paid`: `closed → paid_after_close` (runs `onLatePayment`). */
  kind: 'paid' | 'refunded' | 'closed' | 'late_paid';
  out_trade_no: string;
  out_return_no: string | null;
}

/** Result of {@link Ledger.claimOrderEvents}. */
export interface EventClaim {
  /** Events now claimed by the caller: run their hooks, then complete (or release) each. */
  claimed: HookEvent[];
  /**
   * Events of the order that are not done and that the caller could not claim: claimed by
   * someone else less than `staleMs` ago (a hook running elsewhere, or a claimer that died and
   * whose claim has not gone stale yet), or locked by a concurrent claimer. A notification
   * handler must not acknowledge while these exist: the gateway's retry is what brings the
   * hook back if that claimer died.
   */
  busy: HookEvent[];
}

/** Input of {@link Ledger.applyPaymentNotification}. */
export interface PaymentNotificationInput {
  out_trade_no: string;
  /** The transition the notification asks for; `null` for a status that changes nothing (recorded as `ignored`). */
  to: 'paid' | 'closed' | null;
  trade_no?: string | null;
  /** `notify`, … */
  source: string;
  /**
   * Cross-check of the notification against the stored order, run inside the transaction
   * before anything is written. Throwing rolls everything back (nothing is recorded) and the
   * error propagates unchanged.
   */
  check?: (order: OrderRecord) => void;
  /** The notification to store; its `outcome` is `applied`, `duplicate` or `ignored`. */
  notification: Omit<NewNotification, 'outcome'>;
  /** Also claim the order's hook events in the same transaction (see {@link Ledger.claimOrderEvents}). */
  claim?: { staleMs?: number };
}

/** Result of {@link Ledger.applyPaymentNotification}. */
export interface PaymentNotificationResult extends TransitionResult {
  outcome: 'applied' | 'duplicate' | 'ignored';
  /** Present when `claim` was given. */
  events?: EventClaim;
}

/** Result of a transition. */
export interface TransitionResult {
  /** True for exactly one caller per transition. */
  changed: boolean;
  /** The order after the call (unchanged when `changed` is false). */
  order: OrderRecord;
}

/** Result of a refund result being applied. */
export interface RefundTransitionResult extends TransitionResult {
  refund: RefundRecord;
}

/** Filter of {@link Ledger.listOrders}. Times are ISO strings; ranges are inclusive-exclusive. */
export interface OrderFilter {
  paidFrom?: string;
  paidTo?: string;
  createdFrom?: string;
  createdTo?: string;
  status?: readonly OrderStatus[];
}

/** Input of {@link Ledger.claimOrdersForSync}. */
export interface SyncClaimOptions {
  /** Only orders created at or before this instant (ISO). */
  createdBefore: string;
  /** Skip orders the sweeper asked about less than this long ago (ms). */
  minIntervalMs: number;
  /** At most this many orders. */
  limit: number;
}

/** A `[from, to)` range of ISO instants, for the reconciliation queries of {@link Ledger}. */
export interface LedgerRange {
  from: string;
  to: string;
}

/** Input of {@link Ledger.listOpenRefunds}. */
export interface OpenRefundFilter {
  /** Only refunds last updated at or before this instant (ISO). */
  updatedBefore?: string;
  limit?: number;
}

/**
 * The ledger interface. Every method is async; implementations must be safe under concurrent
 * calls from several processes (the PostgreSQL one) or at least from one process (SQLite).
 *
 * @example
 * ```ts
 * const ledger = createSqliteLedger({ file: './alipay.db' })
 * const { changed } = await ledger.markPaid('A1', { trade_no, source: 'notify' })
 * if (changed) for (const ev of await ledger.claimEvents('A1')) { await onPaid(order); await ledger.completeEvent(ev.id) }
 * ```
 */
export interface Ledger {
  /** Create an order. Same id again with the same price/currency/subject while `created`: `created: false`. Otherwise `ERR_ORDER_CONFLICT`. */
  createOrder(order: NewOrder): Promise<{ order: OrderRecord; created: boolean }>;
  getOrder(out_trade_no: string): Promise<OrderRecord | undefined>;
  listOrders(filter?: OrderFilter): Promise<OrderRecord[]>;
  /**
   * `created → paid` (records `trade_no` and `paid_at`, outbox `paid`), or `closed →
   * paid_after_close` (outbox `late_paid`): a confirmed payment is never dropped.
   */
  markPaid(out_trade_no: string, change: { trade_no?: string | null; source: string }): Promise<TransitionResult>;
  /** `created → closed`. */
  markClosed(out_trade_no: string, change: { source: string }): Promise<TransitionResult>;
  /**
   * Record a refund request before calling the gateway (§6.3: log refunds durably), in one
   * transaction that locks the order row (`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE`
   * on SQLite):
   * - the same `out_return_no` with the same order, currency and amount: `created: false`, the
   *   stored refund, whatever the order's state now (a retry);
   * - the same id with other terms: `ERR_ORDER_CONFLICT` (409);
   * - unknown order: `ERR_ORDER_NOT_FOUND` (404);
   * - an order not in `paid`, `partially_refunded` or `paid_after_close`: `ERR_INVALID_TRANSITION` (409);
   * - `currency` neither the order's (foreign-priced orders) nor `CNY` (rmb-priced orders, refunds
   *   with `return_rmb_amount`): `ERR_INVALID_CURRENCY` (400);
   * - the amount plus every refund of the order that is not `failed` (same currency) above what
   *   was paid: `ERR_INVALID_AMOUNT` (400), nothing written.
   */
  createRefund(refund: NewRefund): Promise<{ refund: RefundRecord; created: boolean }>;
  getRefund(out_return_no: string): Promise<RefundRecord | undefined>;
  listRefunds(out_trade_no?: string): Promise<RefundRecord[]>;
  /**
   * Refunds in {@link OPEN_REFUND_STATES}, oldest (`created_at`) first: what
   * `resolvePendingRefunds` works on. `limit: 0` lists nothing.
   */
  listOpenRefunds(filter?: OpenRefundFilter): Promise<RefundRecord[]>;
  /**
   * Non-final refund statuses after the gateway call: `accepted`, `possibly_done`, `failed`
   * (rejected). Never touches a final refund (`succeeded`, `failed`) and never downgrades
   * `accepted` to `possibly_done` (the gateway said T: the row stays as it is). Setting the same
   * open state again refreshes `updated_at` and `error_code`, which spaces out the sweeper's
   * retries. Returns the refund as stored after the call; `ERR_ORDER_NOT_FOUND` for an unknown id.
   */
  setRefundRequestStatus(
    out_return_no: string,
    status: 'accepted' | 'possibly_done' | 'failed',
    error_code?: string | null,
  ): Promise<RefundRecord>;
  /**
   * Apply a refund result (from a notification, a synchronous refund or the compare file's refund
   * row): moves the refund and the order atomically (`paid | paid_after_close |
   * partially_refunded → partially_refunded | refunded`, outbox `refunded`).
   * Moves `requested`, `accepted` and `possibly_done` refunds; `succeeded` also moves a refund
   * stored `failed` (the gateway is the truth: it executed it). `failed` never moves a
   * `succeeded` refund.
   */
  applyRefundResult(
    out_return_no: string,
    result: { status: 'succeeded' | 'failed'; error_code?: string | null; source: string },
  ): Promise<RefundTransitionResult>;
  /** Store a verified notification with all its fields, whatever its outcome. */
  recordNotification(n: NewNotification): Promise<{ id: number }>;
  /**
   * Count a notification that failed verification in the bounded ring (nothing else is stored):
   * `code` and `source` are cut to 64 characters; the ring's slot and the total are taken in one
   * atomic step, so concurrent processes never lose a count.
   */
  recordRejection(r: Omit<RejectionRecord, 'at'>): Promise<void>;
  /** The kept rejections, newest first, and how many were recorded in all. */
  listRejections(): Promise<{ total: number; recent: RejectionRecord[] }>;
  /**
   * The sweeper's claim: up to `limit` orders still `created`, created at or before
   * `createdBefore`, not asked about within `minIntervalMs` (due when `synced_at` is null or at
   * or before now − `minIntervalMs`, on the ledger's clock); stamps their `synced_at` so
   * that concurrent sweepers (several processes) never pick the same order twice in one interval
   * (`FOR UPDATE SKIP LOCKED` on PostgreSQL). Oldest first.
   */
  claimOrdersForSync(options: SyncClaimOptions): Promise<OrderRecord[]>;
  listNotifications(filter?: { out_trade_no?: string; out_return_no?: string }): Promise<NotificationRecord[]>;
  history(out_trade_no: string): Promise<StateChange[]>;
  /** Claim pending hook events of an order (and claims older than `staleMs`, default 5 min). */
  claimEvents(out_trade_no: string, options?: { staleMs?: number }): Promise<HookEvent[]>;
  /**
   * Like {@link Ledger.claimEvents}, and also report the order's events that are not done but
   * could not be claimed (`busy`), so that a notification is not acknowledged while a hook may
   * be stranded by a crashed claimer.
   */
  claimOrderEvents(out_trade_no: string, options?: { staleMs?: number }): Promise<EventClaim>;
  /**
   * Orders with hook events that are pending or whose claim is older than `staleMs` (default
   * 5 min): what a process should run at startup (the router's `drainHooks`).
   */
  listOrdersWithOpenEvents(options?: { staleMs?: number }): Promise<string[]>;
  /**
   * The payment-notification hot path in one transaction: read the order, `check` it, make the
   * transition (CAS, history and outbox rows as {@link Ledger.markPaid} / {@link Ledger.markClosed}),
   * store the notification and optionally claim the hook events.
   * Throws `ERR_ORDER_NOT_FOUND` for an unknown order (nothing recorded).
   */
  applyPaymentNotification(input: PaymentNotificationInput): Promise<PaymentNotificationResult>;
  completeEvent(id: number): Promise<void>;
  /** Give a claimed event back (the hook threw) so a later delivery retries it. */
  releaseEvent(id: number): Promise<void>;
  /**
   * Reconciliation's batch lookup: the {@link OrderFacts} of the orders of these ids that exist,
   * in no particular order (one query: `= ANY($1)` on PostgreSQL, `json_each` joined to the key
   * on SQLite). At most 10,000 ids a call. Reconciliation reads the orders of a batch's refund
   * rows with it (payment rows go through {@link Ledger.checkPaymentRows}).
   */
  getOrderFactsByIds(ids: readonly string[]): Promise<OrderFacts[]>;
  /**
   * Reconciliation's batch check of payment rows, done by the database: the rows (by `index` in
   * `rows`) whose order is missing or does not certainly agree, with the order's facts. A row
   * agrees, and is left out, when its order exists, has the row's currency and amount (any amount
   * when the order was priced in CNY: `total_fee_minor` null), is in a {@link PAID_ORDER_STATES}
   * state and was paid in `[from, to)`. In a clean month nothing comes back, so a million rows
   * never become a million JavaScript objects. At most 10,000 rows a call.
   */
  checkPaymentRows(rows: readonly PaymentRowQuery[], range: LedgerRange): Promise<PaymentRowCheck[]>;
  /** Like {@link Ledger.getOrderFactsByIds}, for whole refunds by `out_return_no`. */
  getRefundsByIds(ids: readonly string[]): Promise<RefundRecord[]>;
  /** How many orders in one of `status` were paid in `[from, to)` (`paid_at`, through an index). */
  countOrdersPaidInRange(range: LedgerRange & { status: readonly OrderStatus[] }): Promise<number>;
  /**
   * The refunds a reconciliation of `[from, to)` must find in the file: `succeeded` ones updated in
   * the range and open ones ({@link OPEN_REFUND_STATES}) created in it, oldest first (each through
   * an index; never the whole table).
   */
  listRefundsInRange(range: LedgerRange): Promise<RefundRecord[]>;
  close(): Promise<void>;
}
