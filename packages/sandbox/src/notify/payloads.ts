/**
 * The business fields of notifications: payments exactly as §3.9 decides (nine core fields,
 * the four "sometimes" fields only when enabled) and refunds exactly as §6.6 decides.
 * notify_id, notify_time, sign and sign_type are added per attempt by the notifier.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { formatRate, outAmount, outCny } from '../lib/amounts.js';
import type { RefundRow } from '../store/refunds.js';
import type { TradeRow } from '../store/trades.js';

/** The test buyer's Alipay user id (a 2088… id, §3.9). */
export const TEST_BUYER_ID = '2088102000000007';
/** The test buyer's login, masked as production masks it (§5.3). */
export const TEST_BUYER_EMAIL = 'tes***@sandbox.test';

/** Queue the `trade_status_sync` notification for a trade's current status (if it has a notify_url). */
export function enqueuePaymentNotification(ctx: SandboxContext, trade: TradeRow): number | undefined {
  if (!trade.notify_url) return undefined; // §3.9: no notify_url, no notification
  const fields: Array<[string, string]> = [
    ['out_trade_no', trade.out_trade_no],
    ['trade_no', trade.trade_no],
    // §3.9 decision: the foreign amount, two decimals, even for rmb_fee orders.
    ['total_fee', outAmount(trade.foreign_minor, trade.currency)],
    ['currency', trade.currency],
    ['trade_status', trade.status],
  ];
  if (ctx.extendedNotificationFields) {
    fields.push(
      ['buyer_id', TEST_BUYER_ID],
      ['seller_id', trade.partner],
      ['forex_rate', formatRate(trade.rate, 8)],
      ['rmb_fee', outCny(trade.cny_cents)],
    );
  }
  return ctx.notifier.enqueue({
    partner: trade.partner,
    notify_type: 'trade_status_sync',
    out_trade_no: trade.out_trade_no,
    out_return_no: null,
    notify_url: trade.notify_url,
    charset: trade.charset,
    sign_type: trade.sign_type,
    fields,
  });
}

/** The §6.6 fields of a refund notification. */
export function refundNotificationFields(
  refund: RefundRow,
  trade: Pick<TradeRow, 'currency'>,
): Array<[string, string]> {
  const rmb = refund.requested_field === 'return_rmb_amount';
  const fields: Array<[string, string]> = [
    ['out_trade_no', refund.out_trade_no],
    ['out_return_no', refund.out_return_no],
    ['refund_status', refund.status],
  ];
  if (refund.status === 'REFUND_FAIL') fields.push(['error_code', refund.error_code ?? 'SYSTEM_EXCEPTION']);
  // §6.6 decision: a return_rmb_amount refund reports the CNY amount with currency=CNY.
  fields.push(
    ['return_amount', rmb ? outCny(refund.cny_cents) : outAmount(refund.foreign_minor, trade.currency)],
    ['currency', rmb ? 'CNY' : trade.currency],
  );
  return fields;
}

/** Queue the `refund_status_sync` notification (§6.6). */
export function enqueueRefundNotification(
  ctx: SandboxContext,
  refund: RefundRow,
  trade: Pick<TradeRow, 'currency'>,
): number | undefined {
  if (!refund.notify_url) return undefined;
  return ctx.notifier.enqueue({
    partner: refund.partner,
    notify_type: 'refund_status_sync',
    out_trade_no: refund.out_trade_no,
    out_return_no: refund.out_return_no,
    notify_url: refund.notify_url,
    charset: refund.charset,
    sign_type: refund.sign_type,
    fields: refundNotificationFields(refund, trade),
  });
}
