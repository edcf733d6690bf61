/**
 * The ledger rules both implementations apply the same way (`types.ts` states them): which
 * transition a payment or a close makes, what a new refund must satisfy, which refund states a
 * request outcome may overwrite, and the input checks of the sweeper queries. Pure functions:
 * each ledger calls them inside its own transaction.
 *
 * @module
 */
import { AlipayLedgerError, formatRequestAmount } from '@alipay-kit/core';
import type { HookEvent, NewRefund, OrderRecord, OrderStatus, RefundRecord, RefundStatus } from './types.js';

/** `ERR_ORDER_NOT_FOUND` (404) naming at most 64 characters of the id. */
export function _notFound(kind: 'order' | 'refund', id: unknown): AlipayLedgerError {
  return new AlipayLedgerError(
    'ERR_ORDER_NOT_FOUND',
    `${kind} ${JSON.stringify(String(id).slice(0, 64))} is not in the ledger`,
    { status: 404 },
  );
}

/**
 * Where a payment (`to: 'paid'`) or a close (`to: 'closed'`) moves an order in `from`, or
 * `null` when it changes nothing: `created → paid | closed`, and `closed → paid_after_close`
 * (a confirmed payment is never dropped). The PostgreSQL ledger encodes the same table in SQL.
 */
export function _settleTarget(from: OrderStatus, to: 'paid' | 'closed'): OrderStatus | null {
  if (from === 'created') return to;
  if (from === 'closed' && to === 'paid') return 'paid_after_close';
  return null;
}

/** The outbox event of a settle transition into `target`. */
export function _settleEventKind(target: OrderStatus): HookEvent['kind'] {
  return target === 'paid_after_close' ? 'late_paid' : (target as 'paid' | 'closed');
}

/** Orders a new refund may be recorded for. */
export const _REFUNDABLE_ORDER_STATES: readonly OrderStatus[] = ['paid', 'partially_refunded', 'paid_after_close'];

/** Order states that a succeeded refund moves to `partially_refunded` / `refunded`. */
export const _REFUND_MOVES_FROM: readonly OrderStatus[] = _REFUNDABLE_ORDER_STATES;

/**
 * The currency an order's refunds are counted in: the order currency for an order priced with
 * `total_fee`, `CNY` for one priced with `rmb_fee` (refunds with `return_rmb_amount`, §6.2).
 */
export function _refundUnit(order: OrderRecord): string {
  return order.total_fee_minor !== null ? order.currency : 'CNY';
}

/** What was paid, in {@link _refundUnit} minor units. */
export function _refundableTotal(order: OrderRecord): number {
  return order.total_fee_minor ?? order.rmb_fee_minor ?? 0;
}

/**
 * The retry rule of `createRefund`: the stored refund when `r` has the same terms (whatever
 * the order's state now), else `ERR_ORDER_CONFLICT`.
 */
export function _sameRefund(existing: RefundRecord, r: NewRefund): { refund: RefundRecord; created: false } {
  if (
    existing.out_trade_no !== r.out_trade_no ||
    existing.amount_minor !== r.amount_minor ||
    existing.currency !== r.currency
  ) {
    throw new AlipayLedgerError(
      'ERR_ORDER_CONFLICT',
      `refund ${JSON.stringify(r.out_return_no.slice(0, 64))} already exists with other terms`,
      { status: 409 },
    );
  }
  return { refund: existing, created: false };
}

/**
 * Checks of a new refund against its (locked) order: the order's state (`ERR_INVALID_TRANSITION`),
 * the refund currency (`ERR_INVALID_CURRENCY`), then the remainder: `committed` is the sum of
 * the order's refunds that are not `failed` in that currency (`ERR_INVALID_AMOUNT`, §6.3: the
 * sum of all refunds ≤ the amount paid).
 */
export function _checkNewRefund(order: OrderRecord, r: NewRefund, committed: () => number): void {
  const id = JSON.stringify(order.out_trade_no.slice(0, 64));
  if (!_REFUNDABLE_ORDER_STATES.includes(order.status)) {
    throw new AlipayLedgerError(
      'ERR_INVALID_TRANSITION',
      `order ${id} is ${order.status}: only paid, partially_refunded or paid_after_close orders can be refunded`,
      { status: 409 },
    );
  }
  const unit = _refundUnit(order);
  if (r.currency !== unit) {
    throw new AlipayLedgerError(
      'ERR_INVALID_CURRENCY',
      `refunds of order ${id} are in ${unit}, not ${String(r.currency).slice(0, 8)}`,
      { status: 400, field: 'currency' },
    );
  }
  const remainder = Math.max(_refundableTotal(order) - committed(), 0);
  if (r.amount_minor > remainder) {
    throw new AlipayLedgerError(
      'ERR_INVALID_AMOUNT',
      `refund of ${formatRequestAmount(r.amount_minor, unit)} exceeds the refundable remainder ${formatRequestAmount(remainder, unit)} ${unit}`,
      { status: 400, field: 'amount_minor' },
    );
  }
}

/**
 * Whether a refund of `order` is counted in `refunded_rmb_minor` (CNY refunds of an order priced
 * with `rmb_fee`) rather than `refunded_minor` (refunds in the currency of an order priced with
 * `total_fee`, a CNY-priced one included).
 */
export function _refundIsRmb(order: OrderRecord): boolean {
  return order.total_fee_minor === null;
}

/** The order state after a succeeded refund was added to its refunded sums. */
export function _refundedTarget(order: OrderRecord): 'refunded' | 'partially_refunded' {
  const full =
    (order.total_fee_minor !== null && order.refunded_minor >= order.total_fee_minor) ||
    (order.rmb_fee_minor !== null && order.refunded_rmb_minor >= order.rmb_fee_minor);
  return full ? 'refunded' : 'partially_refunded';
}

/**
 * The refund states `setRefundRequestStatus(id, to)` overwrites. Final states never; `accepted`
 * (the gateway said T) is never downgraded to `possibly_done`. Setting the same open state again
 * refreshes `updated_at` (and `error_code`), which spaces out the sweeper's retries.
 */
export const _REQUEST_STATUS_FROM: Readonly<Record<'accepted' | 'possibly_done' | 'failed', readonly RefundStatus[]>> =
  {
    accepted: ['requested', 'possibly_done', 'accepted'],
    possibly_done: ['requested', 'possibly_done'],
    failed: ['requested', 'accepted', 'possibly_done'],
  };

/** Refund states a `succeeded` result moves (the gateway executed it: it is the truth). */
export const _SUCCEEDED_MOVES_FROM: readonly RefundStatus[] = ['requested', 'accepted', 'possibly_done', 'failed'];
/** Refund states a `failed` result moves. */
export const _FAILED_MOVES_FROM: readonly RefundStatus[] = ['requested', 'accepted', 'possibly_done'];

/** Longest `code` / `source` a rejection keeps. */
export const _REJECTION_TEXT_MAX = 64;

/** `v` cut to {@link _REJECTION_TEXT_MAX} characters (code points: never half a surrogate pair). */
export function _ringText(v: string): string {
  if (v.length <= _REJECTION_TEXT_MAX) return v;
  return Array.from(v).slice(0, _REJECTION_TEXT_MAX).join('');
}

/** Validated `recordRejection` input, truncated. */
export function _rejectionInput(r: { code: unknown; source?: unknown }): { code: string; source: string | null } {
  if (typeof r !== 'object' || r === null || typeof r.code !== 'string' || r.code === '')
    throw new TypeError('recordRejection: code must be a non-empty string');
  if (r.source !== null && r.source !== undefined && typeof r.source !== 'string')
    throw new TypeError('recordRejection: source must be a string or null');
  return { code: _ringText(r.code), source: typeof r.source === 'string' ? _ringText(r.source) : null };
}

/** An instant given as text, normalised to `toISOString()` form (how both ledgers store and compare times). */
export function _isoInput(v: unknown, name: string): string {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new TypeError(`${name} must be an ISO date-time string`);
  return new Date(t).toISOString();
}

/** A row limit: a non-negative safe integer (0 asks for nothing). */
export function _limitInput(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
  return v;
}

/** Validated `claimOrdersForSync` options. */
export function _syncClaimInput(o: { createdBefore?: unknown; minIntervalMs?: unknown; limit?: unknown } | undefined): {
  createdBefore: string;
  minIntervalMs: number;
  limit: number;
} {
  if (typeof o !== 'object' || o === null) throw new TypeError('claimOrdersForSync: options are required');
  const createdBefore = _isoInput(o.createdBefore, 'claimOrdersForSync: createdBefore');
  if (typeof o.minIntervalMs !== 'number' || !Number.isFinite(o.minIntervalMs) || o.minIntervalMs < 0)
    throw new RangeError('claimOrdersForSync: minIntervalMs must be a non-negative number');
  return { createdBefore, minIntervalMs: o.minIntervalMs, limit: _limitInput(o.limit, 'claimOrdersForSync: limit') };
}

/** Validated `listOpenRefunds` filter (`limit` null: no limit). */
export function _openRefundInput(f: { updatedBefore?: unknown; limit?: unknown } | undefined): {
  updatedBefore: string | null;
  limit: number | null;
} {
  const o = f ?? {};
  return {
    updatedBefore: o.updatedBefore === undefined ? null : _isoInput(o.updatedBefore, 'listOpenRefunds: updatedBefore'),
    limit: o.limit === undefined ? null : _limitInput(o.limit, 'listOpenRefunds: limit'),
  };
}

/** Validated `expires_at` of a new order (`toISOString()` form), or null. */
export function _expiresInput(v: unknown): string | null {
  return v === undefined || v === null ? null : _isoInput(v, 'expires_at');
}

/**
 * The `synced_at` at or before which an order is due for the sweeper again (`now − minIntervalMs`),
 * or null when that is before 1970 (then only never-synced orders are due).
 */
export function _syncDue(nowMs: number, minIntervalMs: number): string | null {
  const due = nowMs - minIntervalMs;
  return due < 0 ? null : new Date(due).toISOString();
}
