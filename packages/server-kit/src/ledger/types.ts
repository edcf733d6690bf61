/**
 * The order ledger: orders, refunds and every received notification, behind an async
 * interface so that an embedded SQLite store and a multi-instance PostgreSQL store can share
 * one contract test suite (`test/ledger-contract.ts`).
 *
 * Rules every implementation keeps:
 * - Orders move through a monotonic state machine: `created → paid → partially_refunded →
 *   refunded`, and `created → closed`. Nothing ever moves back; a transition that is not
 *   allowed returns `changed: false` and leaves the row untouched.
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

/** Internal order states. The router shows `created` as `pending`. */
export type OrderStatus = 'created' | 'paid' | 'partially_refunded' | 'refunded' | 'closed';

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
}

/** Refund lifecycle: `requested → accepted | possibly_done | failed`, then `succeeded | failed`. */
export type RefundStatus = 'requested' | 'accepted' | 'possibly_done' | 'succeeded' | 'failed';

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
  kind: 'paid' | 'refunded' | 'closed';
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
  /** `created → paid` (records `trade_no` and `paid_at`). */
  markPaid(out_trade_no: string, change: { trade_no?: string | null; source: string }): Promise<TransitionResult>;
  /** `created → closed`. */
  markClosed(out_trade_no: string, change: { source: string }): Promise<TransitionResult>;
  /** Record a refund request before calling the gateway (§6.3: log refunds durably). `ERR_ORDER_CONFLICT` if the id exists for another order/amount. */
  createRefund(refund: NewRefund): Promise<{ refund: RefundRecord; created: boolean }>;
  getRefund(out_return_no: string): Promise<RefundRecord | undefined>;
  listRefunds(out_trade_no?: string): Promise<RefundRecord[]>;
  /** Non-final refund statuses after the gateway call: `accepted`, `possibly_done`, `failed` (rejected). */
  setRefundRequestStatus(out_return_no: string, status: 'accepted' | 'possibly_done' | 'failed', error_code?: string | null): Promise<RefundRecord>;
  /**
   * Apply a refund result (from a notification or a synchronous refund): moves the refund and the order atomically.
   * Moves `requested`, `accepted` and `possibly_done` refunds; `succeeded` also moves a refund that
   * was stored `failed` with `REPEATED_REFUNDMENT_REQUEST` (§6.3: that code means the gateway
   * already has the refund, so its REFUND_SUCCESS notification is the truth).
   */
  applyRefundResult(out_return_no: string, result: { status: 'succeeded' | 'failed'; error_code?: string | null; source: string }): Promise<RefundTransitionResult>;
  /** Store a received notification (all of them, whatever the outcome). */
  recordNotification(n: NewNotification): Promise<{ id: number }>;
  listNotifications(filter?: { out_trade_no?: string; out_return_no?: string }): Promise<NotificationRecord[]>;
  history(out_trade_no: string): Promise<StateChange[]>;
  /** Claim pending hook events of an order (and claims older than `staleMs`, default 5 min). */
  claimEvents(out_trade_no: string, options?: { staleMs?: number }): Promise<HookEvent[]>;
  /**
   * Like {@link Ledger.claimEvents}, and also report the order's events that are not done but
   * could not be claimed (`busy`), so that a notification is not acknowledged while a hook may
   * be stranded by a crashed claimer. Optional: the router falls back to `claimEvents` alone.
   */
  claimOrderEvents?(out_trade_no: string, options?: { staleMs?: number }): Promise<EventClaim>;
  /**
   * Orders with hook events that are pending or whose claim is older than `staleMs` (default
   * 5 min): what a process should run at startup. Optional (the router's `drainHooks` needs it).
   */
  listOrdersWithOpenEvents?(options?: { staleMs?: number }): Promise<string[]>;
  /**
   * The payment-notification hot path in one transaction: read the order, `check` it, make the
   * transition (CAS, history and outbox rows as {@link Ledger.markPaid} / {@link Ledger.markClosed}),
   * store the notification and optionally claim the hook events. Optional: the router falls back
   * to `getOrder` + `markPaid`/`markClosed` + `recordNotification` + `claimEvents`.
   * Throws `ERR_ORDER_NOT_FOUND` for an unknown order (nothing recorded).
   */
  applyPaymentNotification?(input: PaymentNotificationInput): Promise<PaymentNotificationResult>;
  completeEvent(id: number): Promise<void>;
  /** Give a claimed event back (the hook threw) so a later delivery retries it. */
  releaseEvent(id: number): Promise<void>;
  close(): Promise<void>;
}
