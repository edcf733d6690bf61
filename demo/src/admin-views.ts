/**
 * Ledger records → the admin's JSON (`admin-types.ts`). Pure functions: no gateway, no I/O.
 */
import { PAID_ORDER_STATES, type NotificationRecord, type OrderRecord, type RefundRecord, type StateChange } from '@alipay-kit/server-kit';
import type { AdminOrderDetail, AdminOrderSummary, AdminRefund } from './admin-types.js';
import { fromMinor } from './catalog.js';

/** What the demo stores in the order's `metadata`: the priced lines, for the admin. */
export interface OrderMetadata {
  items: { id: string; name: string; qty: number; amount: string }[];
}

const amountOf = (minor: number | null, currency: string) => (minor === null ? '0' : fromMinor(minor, currency));

export function orderSummary(o: OrderRecord): AdminOrderSummary {
  return {
    out_trade_no: o.out_trade_no,
    ...(o.trade_no ? { trade_no: o.trade_no } : {}),
    status: o.status,
    currency: o.currency,
    total_fee: amountOf(o.total_fee_minor, o.currency),
    refunded_fee: amountOf(o.refunded_minor, o.currency),
    subject: o.subject,
    created_at: o.created_at,
    updated_at: o.updated_at,
  };
}

export function refundView(r: RefundRecord): AdminRefund {
  return {
    out_return_no: r.out_return_no,
    out_trade_no: r.out_trade_no,
    amount: fromMinor(r.amount_minor, r.currency),
    currency: r.currency,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    created_at: r.created_at,
    updated_at: r.updated_at,
    ...(r.error_code ? { error: r.error_code } : {}),
  };
}

/**
 * What may still be refunded, in minor units: the order amount minus every refund that is not
 * `failed` (open ones included: an ambiguous refund may have been executed). A hint for the
 * form; the ledger enforces the same rule atomically.
 */
export function refundableMinor(order: OrderRecord, refunds: RefundRecord[]): number {
  if (!PAID_ORDER_STATES.includes(order.status)) return 0;
  const committed = refunds.filter((r) => r.status !== 'failed' && r.currency === order.currency).reduce((s, r) => s + r.amount_minor, 0);
  return Math.max(0, (order.total_fee_minor ?? 0) - committed);
}

function itemsOf(order: OrderRecord): AdminOrderDetail['items'] {
  try {
    return (JSON.parse(order.metadata ?? 'null') as OrderMetadata | null)?.items ?? [];
  } catch {
    return []; // metadata from another tool: the admin shows the subject instead
  }
}

export function orderDetail(order: OrderRecord, parts: { history: StateChange[]; notifications: NotificationRecord[]; refunds: RefundRecord[] }): Omit<AdminOrderDetail, 'gateway'> {
  return {
    ...orderSummary(order),
    items: itemsOf(order),
    refundable: fromMinor(refundableMinor(order, parts.refunds), order.currency),
    history: parts.history.map((h) => ({ at: h.at, ...(h.from ? { from: h.from } : {}), to: h.to, source: h.source })),
    notifications: parts.notifications.map((n) => ({
      received_at: n.received_at,
      notify_type: n.notify_type ?? 'unknown',
      ...(n.notify_id ? { notify_id: n.notify_id } : {}),
      ...(n.status ? { status: n.status } : {}),
      ...(n.out_return_no ? { out_return_no: n.out_return_no } : {}),
      outcome: n.outcome,
    })),
    refunds: parts.refunds.map(refundView),
  };
}
