/**
 * Refund rows (`R`, protocol §6.8) of the compare file against ledger refunds, matched by
 * `partner_transaction_id` = `out_return_no`.
 *
 * @module
 */
import { formatGatewayAmount } from '@alipay-kit/core';
import type { TransactionRow } from '../client/files.js';
import { OPEN_REFUND_STATES, type OrderFacts, type RefundRecord } from '../ledger/types.js';
import type { ReconcileMismatch } from './report.js';

/**
 * What a refund row says about its ledger refund: `matched` (already `succeeded`, every field
 * agrees), `resolve` (the row proves an open or `failed` refund executed and its terms agree:
 * apply it as `succeeded`), or `differs` (see `mismatches`). A `failed` refund to resolve also
 * carries its `status` mismatch.
 */
export interface RefundVerdict {
  outcome: 'matched' | 'resolve' | 'differs';
  mismatches: ReconcileMismatch[];
}

/**
 * Judge one refund row. The row's terms must agree for it to resolve anything: its
 * `Original_partner_transaction_ID` (when the layout has it) is the refund's order, its currency
 * the order's, its amount the refund's (the absolute value: the type column gives the
 * direction). A refund requested in CNY (`return_rmb_amount`) is checked against the row's
 * `Rmb_amount`; in the legacy layout, which has none, its amount cannot be checked, so it is
 * never resolved from the file and stays a `status` mismatch while open.
 *
 * @example
 * ```ts
 * const v = _judgeRefundRow(row, await ledger.getRefund(row.partner_transaction_id), order, true)
 * if (v.outcome === 'resolve') await ledger.applyRefundResult(row.partner_transaction_id, { status: 'succeeded', source: 'compare_file' })
 * ```
 */
export function _judgeRefundRow(
  row: TransactionRow,
  refund: RefundRecord,
  order: OrderFacts | undefined,
  applyRows: boolean,
): RefundVerdict {
  const mismatches: ReconcileMismatch[] = [];
  const differ = (field: ReconcileMismatch['field'], file: string, ledger: string) =>
    mismatches.push({ partner_transaction_id: row.partner_transaction_id, type: 'R', field, file, ledger });
  const original = row.original_partner_transaction_id;
  if (original && original !== refund.out_trade_no) differ('out_trade_no', original, refund.out_trade_no);
  // The row is in the order's currency, also for a refund requested in CNY.
  if (order && row.currency !== order.currency) differ('currency', row.currency, order.currency);
  let amountChecked = true;
  if (refund.currency !== 'CNY') {
    if (Math.abs(row.minor.amount) !== refund.amount_minor)
      differ('amount', row.amount, formatGatewayAmount(refund.amount_minor, refund.currency));
  } else if (row.minor.rmb_amount !== undefined) {
    if (Math.abs(row.minor.rmb_amount) !== refund.amount_minor)
      differ('amount', row.rmb_amount ?? '', formatGatewayAmount(refund.amount_minor, 'CNY'));
  } else amountChecked = false;

  if (refund.status === 'succeeded') return { outcome: mismatches.length ? 'differs' : 'matched', mismatches };
  const resolve = applyRows && order !== undefined && amountChecked && mismatches.length === 0;
  // A failed refund the gateway executed is a mismatch even when the file resolves it.
  if (refund.status === 'failed' || !resolve) differ('status', row.status, refund.status);
  return { outcome: resolve ? 'resolve' : 'differs', mismatches };
}

/**
 * Ledger refunds absent from the file (`seen`: the `out_return_no` of its refund rows) that the
 * ledger dates inside the range [`from`, `to`) (ISO instants):
 * - `succeeded`, result recorded in the range (`updated_at`);
 * - open (`requested`, `accepted`, `possibly_done`), requested in the range (`created_at`): the
 *   gateway did not execute them in the range and the ledger still does not know their fate.
 *   Open refunds requested at or after `to` are left out — the file cannot hold them yet — and
 *   so are those requested before `from`, which belong to an earlier range's report.
 * `failed` refunds are never listed.
 *
 * @example
 * ```ts
 * _refundsMissingInFile(await ledger.listRefunds(), seen, '2026-02-28T16:00:00.000Z', '2026-03-01T16:00:00.000Z')
 * ```
 */
export function _refundsMissingInFile(
  refunds: readonly RefundRecord[],
  seen: ReadonlySet<string>,
  from: string,
  to: string,
): RefundRecord[] {
  const inRange = (t: string) => t >= from && t < to;
  return refunds.filter((r) => {
    if (seen.has(r.out_return_no)) return false;
    if (r.status === 'succeeded') return inRange(r.updated_at);
    return OPEN_REFUND_STATES.includes(r.status) && inRange(r.created_at);
  });
}
