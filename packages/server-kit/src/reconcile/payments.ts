/**
 * Payment rows (`P`) of the compare file against ledger orders.
 *
 * @module
 */
import { formatGatewayAmount } from '@alipay-kit/core';
import type { TransactionRow } from '../client/files.js';
import { PAID_ORDER_STATES, type OrderFacts } from '../ledger/types.js';
import type { ReconcileMismatch } from './report.js';

/**
 * Whether an order holds the buyer's money, `paid_after_close` included: what a `P` row is
 * matched against.
 *
 * @example
 * ```ts
 * _isPaid('paid_after_close') // true
 * _isPaid('closed')           // false
 * ```
 */
export function _isPaid(status: OrderFacts['status']): boolean {
  return PAID_ORDER_STATES.includes(status);
}

/**
 * The differences between a payment row and its order; none means the row matches. A different
 * currency is one mismatch (amounts in two currencies are not compared); the status is wrong
 * when the order is not in a paid state.
 *
 * @example
 * ```ts
 * _paymentMismatches(row, order) // [{ partner_transaction_id: 'A1', type: 'P', field: 'amount', file: '301', ledger: '300.00' }]
 * ```
 */
export function _paymentMismatches(row: TransactionRow, order: OrderFacts): ReconcileMismatch[] {
  const id = row.partner_transaction_id;
  const out: ReconcileMismatch[] = [];
  if (row.currency !== order.currency)
    out.push({ partner_transaction_id: id, type: 'P', field: 'currency', file: row.currency, ledger: order.currency });
  else if (order.total_fee_minor !== null && row.minor.amount !== order.total_fee_minor) {
    out.push({
      partner_transaction_id: id,
      type: 'P',
      field: 'amount',
      file: row.amount,
      ledger: formatGatewayAmount(order.total_fee_minor, order.currency),
    });
  }
  if (!_isPaid(order.status))
    out.push({ partner_transaction_id: id, type: 'P', field: 'status', file: row.status, ledger: order.status });
  return out;
}
