/**
 * The PostgreSQL ledger's reconciliation queries: batch lookups by id (`= ANY($1::text[])`, one
 * round trip per batch through the primary key) and range queries bounded by the reconciled
 * dates (`orders_status_paid`, `refunds_status_updated`, `refunds_status`; a test checks their
 * plans with `EXPLAIN`).
 *
 * @module
 */
import type { _Query as Query } from './postgres-connection.js';
import { _storable as storable } from './postgres-rows.js';
import { _refundFromRow, type _Row, type _TimeMapping } from './rows.js';
import { _idsInput, _rangeInput } from './reconcile-input.js';
import { OPEN_REFUND_STATES, type LedgerRange, type OrderFacts, type OrderStatus, type RefundRecord } from './types.js';

// Timestamps come back as ISO text formatted by the server (what toISOString() gives): turning
// them into Date objects and back was a third of a large reconciliation's CPU time.
const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${col}`;
const ORDER_FACT_COLUMNS = ['out_trade_no', 'currency', 'total_fee_minor', 'status', iso('paid_at')].join(', ');
const REFUND_COLUMNS = [
  'out_return_no',
  'out_trade_no',
  'currency',
  'amount_minor',
  'status',
  'reason',
  'error_code',
  iso('created_at'),
  iso('updated_at'),
].join(', ');
const TEXT_TIME: _TimeMapping = { iso: (v) => v as string, isoOrNull: (v) => (v ?? null) as string | null };
const toOrderFacts = (r: _Row): OrderFacts => ({
  out_trade_no: r.out_trade_no as string,
  currency: r.currency as string,
  total_fee_minor: r.total_fee_minor === null ? null : Number(r.total_fee_minor),
  status: r.status as OrderStatus,
  paid_at: r.paid_at as string | null,
});
const toRefund = (r: _Row): RefundRecord => _refundFromRow(r, TEXT_TIME);

/** The SQL of the reconciliation queries for schema `s` (quoted). */
export const _pgReconcileSql = (s: string) => ({
  orderFactsByIds: `SELECT ${ORDER_FACT_COLUMNS} FROM ${s}.orders WHERE out_trade_no = ANY($1::text[])`,
  refundsByIds: `SELECT ${REFUND_COLUMNS} FROM ${s}.refunds WHERE out_return_no = ANY($1::text[])`,
  countPaid: `SELECT COUNT(*) AS n FROM ${s}.orders WHERE status = ANY($3::text[]) AND paid_at >= $1 AND paid_at < $2`,
  refundsInRange: `SELECT ${REFUND_COLUMNS}, created_at AS sort_at FROM ${s}.refunds WHERE status = 'succeeded' AND updated_at >= $1 AND updated_at < $2
    UNION ALL
    SELECT ${REFUND_COLUMNS}, created_at AS sort_at FROM ${s}.refunds WHERE status = ANY($3::text[]) AND created_at >= $1 AND created_at < $2
    ORDER BY sort_at, out_return_no`,
});

/**
 * The {@link OrderFacts} of the orders of `ids` that exist (one round trip; five columns, one
 * timestamp formatted by the server instead of five).
 *
 * @example
 * ```ts
 * await _pgOrderFactsByIds(run, '"public"', ['A1', 'A2'])
 * ```
 */
export async function _pgOrderFactsByIds(run: Query, s: string, ids: readonly string[]): Promise<OrderFacts[]> {
  const list = _idsInput(ids).filter(storable);
  if (list.length === 0) return [];
  return (await run(_pgReconcileSql(s).orderFactsByIds, [list])).map(toOrderFacts);
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
export async function _pgCountPaidInRange(
  run: Query,
  s: string,
  range: LedgerRange & { status: readonly OrderStatus[] },
): Promise<number> {
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
