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
import { _orderFactsFromArray, _refundFromRow, type _Row, type _TimeMapping } from './rows.js';
import { _idsInput, _paymentRowsInput, _rangeInput } from './reconcile-input.js';
import {
  OPEN_REFUND_STATES,
  PAID_ORDER_STATES,
  type LedgerRange,
  type OrderFacts,
  type OrderStatus,
  type PaymentRowCheck,
  type PaymentRowQuery,
  type RefundRecord,
} from './types.js';

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
const toOrderFacts = (r: _Row, out_trade_no = r.out_trade_no): OrderFacts =>
  _orderFactsFromArray([out_trade_no, r.currency, r.total_fee_minor, r.status, r.paid_at]);
const toRefund = (r: _Row): RefundRecord => _refundFromRow(r, TEXT_TIME);

/** The SQL of the reconciliation queries for schema `s` (quoted). */
export const _pgReconcileSql = (s: string) => ({
  orderFactsByIds: `SELECT ${ORDER_FACT_COLUMNS} FROM ${s}.orders WHERE out_trade_no = ANY($1::text[])`,
  refundsByIds: `SELECT ${REFUND_COLUMNS} FROM ${s}.refunds WHERE out_return_no = ANY($1::text[])`,
  // The rule of Ledger.checkPaymentRows; a missing order makes the comparison NULL, hence COALESCE.
  // jsonb, parsed once: with json every ->> parsed its element again (2.1-2.7 vs 1.55 µs a row).
  checkPayments: `SELECT u.ord - 1 AS i, o.out_trade_no IS NOT NULL AS found, o.currency, o.total_fee_minor, o.status, to_char(o.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS paid_at
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS u(r, ord)
    LEFT JOIN ${s}.orders o ON o.out_trade_no = u.r ->> 0
    WHERE NOT COALESCE(o.currency = u.r ->> 1
      AND (o.total_fee_minor IS NULL OR o.total_fee_minor = (u.r ->> 2)::bigint)
      AND o.status = ANY($4::text[]) AND o.paid_at >= $2 AND o.paid_at < $3, false)`,
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
  return (await run(_pgReconcileSql(s).orderFactsByIds, [list])).map((r) => toOrderFacts(r));
}

/**
 * The payment rows that do not certainly agree with their orders (see `Ledger.checkPaymentRows`):
 * one round trip through the primary key, and only those rows come back. Text PostgreSQL cannot
 * hold (NUL) never reaches it: such an id has no order, such a currency agrees with none. `name`
 * makes it a prepared statement of each connection (parsed and planned once).
 *
 * @example
 * ```ts
 * await _pgCheckPaymentRows(run, '"public"', [{ out_trade_no: 'A1', currency: 'USD', amount_minor: 1000 }], { from, to }) // []
 * ```
 */
export async function _pgCheckPaymentRows(
  run: Query,
  s: string,
  rows: readonly PaymentRowQuery[],
  range: LedgerRange,
  name?: string,
): Promise<PaymentRowCheck[]> {
  const triples = _paymentRowsInput(rows);
  const { from, to } = _rangeInput(range);
  const out: PaymentRowCheck[] = [];
  const sent: Array<[string, string, number]> = [];
  const at: number[] = [];
  triples.forEach(([id, currency, amount], i) => {
    if (!storable(id)) return void out.push({ index: i, order: null });
    sent.push([id, currency.replace(/\0/g, '\uFFFD'), amount]);
    at.push(i);
  });
  if (sent.length === 0) return out;
  const found = await run(
    _pgReconcileSql(s).checkPayments,
    [JSON.stringify(sent), from, to, [...PAID_ORDER_STATES]],
    name,
  );
  for (const r of found) {
    const i = Number(r.i);
    const index = at[i]!;
    if (!r.found) out.push({ index, order: null });
    else out.push({ index, order: toOrderFacts(r, sent[i]![0]) });
  }
  return out.sort((a, b) => a.index - b.index);
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
