/**
 * Stored rows → the public record shapes of the control API.
 *
 * @module
 */
import { outAmount, outCny } from '../lib/amounts.js';
import { formatGmt8 } from '../lib/time.js';
import type { AttemptRow, NotificationRow } from '../store/notifications.js';
import type { RefundRow } from '../store/refunds.js';
import type { SecmerchantRow } from '../store/secmerchants.js';
import type { TradeRow } from '../store/trades.js';
import type { SandboxNotificationRecord, SandboxRefundRecord, SecmerchantRecord, TradeRecord } from '../types.js';

/** A trade row as a {@link TradeRecord}; `refunded` sums its executed refunds. */
export function toTradeRecord(t: TradeRow, refunded: { foreign: number; cny: number }): TradeRecord {
  const r: TradeRecord = {
    partner: t.partner,
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    service: t.service,
    subject: t.subject,
    currency: t.currency,
    total_fee: outAmount(t.foreign_minor, t.currency),
    rmb_fee: outCny(t.cny_cents),
    priced_in: t.priced_in,
    rate: t.rate,
    trade_status: t.status,
    gmt_create: formatGmt8(t.created_at),
    gmt_last_modified_time: formatGmt8(t.modified_at),
    refunded_fee: outAmount(refunded.foreign, t.currency),
    refunded_rmb_fee: outCny(refunded.cny),
    sign_type: t.sign_type,
    input_charset: t.input_charset,
  };
  if (t.body !== null) r.body = t.body;
  if (t.paid_at !== null) r.gmt_payment = formatGmt8(t.paid_at);
  if (t.closed_at !== null) r.gmt_close = formatGmt8(t.closed_at);
  if (t.notify_url !== null) r.notify_url = t.notify_url;
  if (t.return_url !== null) r.return_url = t.return_url;
  if (t.settled_at !== null) r.settled = formatGmt8(t.settled_at);
  return r;
}

/** A refund row as a {@link SandboxRefundRecord}. */
export function toRefundRecord(r: RefundRow, currency: string): SandboxRefundRecord {
  const out: SandboxRefundRecord = {
    partner: r.partner,
    out_return_no: r.out_return_no,
    out_trade_no: r.out_trade_no,
    trade_no: r.trade_no,
    currency: r.currency,
    requested_field: r.requested_field,
    requested_amount: r.requested_amount,
    return_amount: outAmount(r.foreign_minor, currency),
    return_rmb_amount: outCny(r.cny_cents),
    refund_status: r.status,
    executed: r.status === 'REFUND_SUCCESS',
    sync_answer: r.sync_answer,
    is_sync: r.is_sync,
    gmt_return: r.gmt_return,
    created: formatGmt8(r.created_at),
  };
  if (r.error_code !== null) out.error_code = r.error_code;
  if (r.reason !== null) out.reason = r.reason;
  if (r.notify_url !== null) out.notify_url = r.notify_url;
  if (r.settled_at !== null) out.settled = formatGmt8(r.settled_at);
  return out;
}

/** A notification row and its attempts as a {@link SandboxNotificationRecord}. */
export function toNotificationRecord(n: NotificationRow, attempts: AttemptRow[]): SandboxNotificationRecord {
  const rec: SandboxNotificationRecord = {
    id: n.id,
    partner: n.partner,
    notify_type: n.notify_type,
    out_trade_no: n.out_trade_no,
    notify_url: n.notify_url,
    sign_type: n.sign_type,
    charset: n.charset,
    fields: Object.fromEntries(JSON.parse(n.fields) as Array<[string, string]>),
    state: n.state,
    next_attempt_at: n.next_at,
    created_at: n.created_at,
    attempts: attempts.map((a) => ({
      n: a.n,
      duplicate: a.duplicate === 1,
      at: a.at,
      time: formatGmt8(a.at),
      notify_id: a.notify_id,
      status: a.status,
      body: a.body,
      error: a.error,
      acknowledged: a.acknowledged === 1,
    })),
  };
  if (n.out_return_no !== null) rec.out_return_no = n.out_return_no;
  return rec;
}

/** A secondary merchant row as a {@link SecmerchantRecord}. */
export function toSecmerchantRecord(s: SecmerchantRow): SecmerchantRecord {
  const rec: SecmerchantRecord = {
    partner: s.partner,
    secondary_merchant_id: s.id,
    secondary_merchant_name: s.name,
    status: s.status,
    fields: JSON.parse(s.fields) as Record<string, string>,
    created: formatGmt8(s.created_at),
    updated: formatGmt8(s.updated_at),
  };
  if (s.reject_reason !== null) rec.reject_reason = s.reject_reason;
  return rec;
}
