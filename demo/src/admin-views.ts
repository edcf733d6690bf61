/**
 * Ledger records → the admin's JSON (`admin-types.ts`). Pure functions: no gateway, no I/O.
 */
import { formatRequestAmount } from '@alipay-kit/core';
import {
  PAID_ORDER_STATES,
  type NotificationRecord,
  type OrderRecord,
  type RefundRecord,
  type StateChange,
  type SyncOrderResult,
} from '@alipay-kit/server-kit';
import type { AdminGatewayView, AdminOrderDetail, AdminOrderSummary, AdminRates, AdminRefund } from './admin-types.js';

/** Minor units → the decimal string the admin shows and the refund form sends (core's §3.5 rule). */
const fromMinor = formatRequestAmount;

/** What the demo stores in the order's `metadata`: the priced lines, for the admin. */
export interface OrderMetadata {
  items: { id: string; name: string; qty: number; amount: string }[];
}

const amountOf = (minor: number | null, currency: string) => (minor === null ? '0' : fromMinor(minor, currency));

/**
 * One row of the orders table.
 *
 * @example orderSummary(await ledger.getOrder('LL-261203-9F2C01AB')).total_fee // '100.00'
 */
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

/**
 * One refund as the admin shows it.
 *
 * @example refundView(refund).amount // '25.00'
 */
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
 *
 * @example refundableMinor(order, await ledger.listRefunds(order.out_trade_no)) // 7500
 */
export function refundableMinor(order: OrderRecord, refunds: RefundRecord[]): number {
  if (!PAID_ORDER_STATES.includes(order.status)) return 0;
  const committed = refunds
    .filter((r) => r.status !== 'failed' && r.currency === order.currency)
    .reduce((s, r) => s + r.amount_minor, 0);
  return Math.max(0, (order.total_fee_minor ?? 0) - committed);
}

function itemsOf(order: OrderRecord): AdminOrderDetail['items'] {
  try {
    return (JSON.parse(order.metadata ?? 'null') as OrderMetadata | null)?.items ?? [];
  } catch {
    return []; // metadata from another tool: the admin shows the subject instead
  }
}

/**
 * The order page: summary, items, history, notifications, refunds (the gateway view is added by the caller).
 *
 * @example orderDetail(order, { history, notifications, refunds }).refundable // '75.00'
 */
export function orderDetail(
  order: OrderRecord,
  parts: { history: StateChange[]; notifications: NotificationRecord[]; refunds: RefundRecord[] },
): Omit<AdminOrderDetail, 'gateway'> {
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

/** One delivery attempt as the sandbox's dashboard lists it (the subset the admin shows). */
export interface SandboxAttemptSource {
  notify_type: string;
  attempts: {
    n: number;
    duplicate: boolean;
    time: string;
    status: number | null;
    acknowledged: boolean;
    body: string | null;
  }[];
}

/**
 * What the gateway says about an order: its trade status and number from the sync, and (sandbox
 * only) every notification attempt. Undefined when there is nothing to say.
 *
 * @example gatewayView(await router.syncOrder(no), sandbox.control.notifications({ partner, out_trade_no: no }))
 */
export function gatewayView(
  synced: SyncOrderResult,
  sandboxNotifications?: SandboxAttemptSource[],
): AdminGatewayView | undefined {
  const t = synced.trade;
  const view: AdminGatewayView = {
    ...(t?.trade_status ? { trade_status: t.trade_status } : {}),
    ...(t?.trade_no ? { trade_no: t.trade_no } : {}),
  };
  if (sandboxNotifications) {
    view.attempts = sandboxNotifications.flatMap((n) =>
      n.attempts.map((a) => ({
        notify_type: n.notify_type,
        n: a.n,
        duplicate: a.duplicate,
        time: a.time,
        status: a.status,
        acknowledged: a.acknowledged,
        body: a.body,
      })),
    );
  }
  return Object.keys(view).length ? view : undefined;
}

/**
 * The gateway's rate file as the Rates tab shows it (`20261203` + `140500` → `2026-12-03 14:05`, Beijing time).
 *
 * @example ratesView(await client.rateFile(), new Date()).rates[0] // { currency: 'USD', rate: '7.1234', updated: '2026-12-03 14:05' }
 */
export function ratesView(
  file: { rows: { currency: string; rate: string; date: string; time: string }[] },
  fetchedAt: Date,
): AdminRates {
  return {
    fetched_at: fetchedAt.toISOString(),
    rates: file.rows.map((r) => ({
      currency: r.currency,
      rate: r.rate,
      updated: `${r.date.slice(0, 4)}-${r.date.slice(4, 6)}-${r.date.slice(6, 8)} ${r.time.slice(0, 2)}:${r.time.slice(2, 4)}`,
    })),
  };
}
