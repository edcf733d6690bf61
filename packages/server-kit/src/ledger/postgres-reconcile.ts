/**
 * The PostgreSQL ledger's reconciliation queries: batch lookups by id (`= ANY($1::text[])`, one
 * round trip per batch through the primary key) and range queries bounded by the reconciled
 * dates (`orders_status_paid`, `refunds_status_updated`, `refunds_status`; a test checks their
 * plans with `EXPLAIN`).
 *
 * @module
 */
import type { _Query as Query } from './postgres-connection.js';
import { _storable as storable, _toOrder as toOrder, _toRefund as toRefund } from './postgres-rows.js';
import { _idsInput, _rangeInput } from './reconcile-input.js';
import { OPEN_REFUND_STATES, type LedgerRange, type OrderRecord, type OrderStatus, type RefundRecord } from './types.js';

/** The SQL of the reconciliation queries for schema `s` (quoted): exported for the plan test. */
export const _pgReconcileSql = (s: string) => ({
  ordersByIds: `SELECT * FROM ${s}.orders WHERE out_trade_no = ANY($1::text[])`,
  refundsByIds: `SELECT * FROM ${s}.refunds WHERE out_return_no = ANY($1::text[])`,
  countPaid: `SELECT COUNT(*) AS n FROM ${s}.orders WHERE status = ANY($3::text[]) AND paid_at >= $1 AND paid_at < $2`,
  refundsInRange: `SELECT * FROM ${s}.refunds WHERE status = 'succeeded' AND updated_at >= $1 AND updated_at < $2
    UNION ALL
    SELECT * FROM ${s}.refunds WHERE status = ANY($3::text[]) AND created_at >= $1 AND created_at < $2
    ORDER BY created_at, out_return_no`,
});

/**
 * Orders of `ids` that exist (one round trip).
 *
 * @example
 * ```ts
 * await _pgOrdersByIds(run, '"public"', ['A1', 'A2'])
 * ```
 */
export async function _pgOrdersByIds(run: Query, s: string, ids: readonly string[]): Promise<OrderRecord[]> {
  const list = _idsInput(ids).filter(storable);
  if (list.length === 0) return [];
  return (await run(_pgReconcileSql(s).ordersByIds, [list])).map(toOrder);
}

/**
 * Refunds of `ids` (`out_return_no`) that exist (one round trip).
 *
 * @example
 * ```ts
 * await _pgRefundsByIds(run, '"public"', ['R1'])
 * ```
 */
export async function _pgRefundsByIds(run: Query, s: string, ids: readonly string[]): Promise<RefundRecord[]> {
  const list = _idsInput(ids).filter(storable);
  if (list.length === 0) return [];
  return (await run(_pgReconcileSql(s).refundsByIds, [list])).map(toRefund);
}

/**
 * Orders in one of `status` paid in `[from, to)`.
 *
 * @example
 * ```ts
 * await _pgCountPaidInRange(run, '"public"', { from, to, status: PAID_ORDER_STATES })
 * ```
 */
export async function _pgCountPaidInRange(run: Query, s: string, range: LedgerRange & { status: readonly OrderStatus[] }): Promise<number> {
  const { from, to } = _rangeInput(range);
  if (!Array.isArray(range.status)) throw new TypeError('status must be an array of order states');
  const [r] = await run(_pgReconcileSql(s).countPaid, [from, to, [...range.status]]);
  return Number(r?.n ?? 0);
}

/**
 * `succeeded` refunds updated in `[from, to)` and open refunds created in it, oldest first.
 *
 * @example
 * ```ts
 * await _pgRefundsInRange(run, '"public"', { from, to })
 * ```
 */
export async function _pgRefundsInRange(run: Query, s: string, range: LedgerRange): Promise<RefundRecord[]> {
  const { from, to } = _rangeInput(range);
  return (await run(_pgReconcileSql(s).refundsInRange, [from, to, [...OPEN_REFUND_STATES]])).map(toRefund);
}
