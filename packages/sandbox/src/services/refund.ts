/**
 * `forex_refund` (§6). After the §1.6 checks, the §6.4 order, first failure wins:
 * 1 parameters (ILLEGAL_ARGUMENT), 2 trade exists and is paid (PURCHASE_TRADE_NOT_EXIST),
 * 3 out_return_no unused (REPEATED_REFUNDMENT_REQUEST), 4 currency (CURRENCY_NOT_SAME),
 * 5 refund window (REFUNDMENT_VALID_DATE_EXCEED), 6 remaining amount (RETURN_AMOUNT_EXCEED).
 * Success is the bare `T`; with is_sync=N a §6.6 notification follows when notify_url is given.
 * Optional §6.3 throttle (setting `refundThrottle`): after step 1, a refund within the interval
 * of the previous one (per partner or per trade) is answered `SYSTEM_EXCEPTION` and not stored.
 * Fault `refundSystemError` (issue 12): a refund that passed every check is answered with the
 * bare `SYSTEM_ERROR` failure (§6.5, §1.5); with `refundSystemErrorApplied` (default true) it
 * is executed anyway, exactly as an accepted one, otherwise nothing happens.
 *
 * @module
 */
import { cnyToForeign, foreignToCny } from '@alipay-kit/core';
import type { SandboxContext } from '../context.js';
import { roll } from '../faults.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { parseRequestAmount } from '../lib/amounts.js';
import { parseCompact, parseGmt8 } from '../lib/time.js';
import { fitsWidth } from '../lib/width.js';
import { xmlBareSuccess, xmlFailure } from '../lib/xml.js';
import { enqueueRefundNotification } from '../notify/payloads.js';
import type { RefundRow } from '../store/refunds.js';
import { refreshTrade } from './trade-state.js';

const DAY = 86_400_000;

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && v.length <= 200;
  } catch {
    return false;
  }
}

/** §6.3: the previous refund the gateway took (per partner, or per trade) was less than the interval ago. */
function throttled(ctx: SandboxContext, partner: string, outTradeNo: string): boolean {
  const t = ctx.refundThrottle;
  if (!t) return false;
  const last = ctx.refunds.lastCreatedAt(partner, t.per === 'trade' ? outTradeNo : undefined);
  return last !== undefined && ctx.clock.now() - last < t.intervalMs;
}

/** Answer a checked forex_refund. */
export function forexRefund(ctx: SandboxContext, req: CheckedRequest): string {
  const p = req.params;
  // 1. parameters
  const outReturnNo = p.out_return_no;
  const outTradeNo = p.out_trade_no;
  const currency = p.currency;
  // §6.2 String(64) ids, String(100) reason: a non-ASCII character counts 2 (§3.2).
  if (!outReturnNo || !fitsWidth(outReturnNo, 64) || !outTradeNo || !fitsWidth(outTradeNo, 64))
    return xmlFailure('ILLEGAL_ARGUMENT');
  // §6.4 step 1: a malformed currency is a parameter error; a well-formed other one is step 4's CURRENCY_NOT_SAME.
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return xmlFailure('ILLEGAL_ARGUMENT');
  const hasForeign = p.return_amount !== undefined && p.return_amount !== '';
  const hasRmb = p.return_rmb_amount !== undefined && p.return_rmb_amount !== '';
  if (hasForeign === hasRmb) return xmlFailure('ILLEGAL_ARGUMENT');
  const amount = hasForeign
    ? parseRequestAmount(p.return_amount, currency)
    : parseRequestAmount(p.return_rmb_amount, 'CNY');
  if (amount === undefined) return xmlFailure('ILLEGAL_ARGUMENT');
  // §6.2 decision: gmt_return is yyyyMMddHHmmss or yyyy-MM-dd HH:mm:ss.
  const gmtReturn = p.gmt_return;
  if (!gmtReturn || (parseCompact(gmtReturn) === undefined && parseGmt8(gmtReturn) === undefined))
    return xmlFailure('ILLEGAL_ARGUMENT');
  const isSync = p.is_sync ?? 'N';
  if (isSync !== 'Y' && isSync !== 'N') return xmlFailure('ILLEGAL_ARGUMENT');
  if (!fitsWidth(p.reason, 100)) return xmlFailure('ILLEGAL_ARGUMENT');
  if (!fitsWidth(p.product_code, 32)) return xmlFailure('ILLEGAL_ARGUMENT');
  if (p.notify_url !== undefined && !isHttpUrl(p.notify_url)) return xmlFailure('ILLEGAL_ARGUMENT');
  if (
    p.product_code !== undefined &&
    p.product_code !== 'NEW_OVERSEAS_SELLER' &&
    p.product_code !== 'NEW_WAP_OVERSEAS_SELLER'
  )
    return xmlFailure('ILLEGAL_ARGUMENT');
  // §6.3 optional throttle: too soon after the previous refund → SYSTEM_EXCEPTION, nothing done.
  if (throttled(ctx, req.partner, outTradeNo)) {
    ctx.log(
      `refund ${outReturnNo} answered SYSTEM_EXCEPTION: within ${ctx.refundThrottle!.intervalMs} ms of the previous refund (throttle, §6.3)`,
    );
    return xmlFailure('SYSTEM_EXCEPTION');
  }
  // 2. the trade exists and is paid
  const trade = refreshTrade(ctx, ctx.trades.byOutTradeNo(req.partner, outTradeNo));
  if (!trade || trade.status !== 'TRADE_FINISHED') return xmlFailure('PURCHASE_TRADE_NOT_EXIST');
  // 3. out_return_no single-use per partner, whatever the other parameters
  if (ctx.refunds.get(req.partner, outReturnNo)) return xmlFailure('REPEATED_REFUNDMENT_REQUEST');
  // 4. same currency as the payment (never CNY, even with return_rmb_amount)
  if (currency !== trade.currency) return xmlFailure('CURRENCY_NOT_SAME');
  // 5. refund window after payment
  const now = ctx.clock.now();
  if (trade.paid_at !== null && now > trade.paid_at + req.merchant.refundWindowDays * DAY)
    return xmlFailure('REFUNDMENT_VALID_DATE_EXCEED');
  // 6. remaining refundable amount (failed refunds do not count)
  const done = ctx.refunds.forTrade(req.partner, trade.trade_no).filter((r) => r.status === 'REFUND_SUCCESS');
  const refundedForeign = done.reduce((s, r) => s + r.foreign_minor, 0);
  const refundedCny = done.reduce((s, r) => s + r.cny_cents, 0);
  let foreignMinor: number;
  let cnyCents: number;
  if (hasForeign) {
    if (refundedForeign + amount > trade.foreign_minor) return xmlFailure('RETURN_AMOUNT_EXCEED');
    foreignMinor = amount;
    cnyCents = Math.min(foreignToCny(amount, currency, trade.rate), Math.max(trade.cny_cents - refundedCny, 0));
  } else {
    if (refundedCny + amount > trade.cny_cents) return xmlFailure('RETURN_AMOUNT_EXCEED');
    cnyCents = amount;
    foreignMinor = Math.min(
      cnyToForeign(amount, currency, trade.rate),
      Math.max(trade.foreign_minor - refundedForeign, 0),
    );
  }
  // Every §6.4 check passed. Fault: answer SYSTEM_ERROR, having executed the refund or not.
  const faults = ctx.faults.resolve(req.partner, req.service);
  const systemError = roll(faults.refundSystemError);
  if (systemError && faults.refundSystemErrorApplied === false) {
    ctx.log(`refund ${outReturnNo} on ${trade.trade_no} answered SYSTEM_ERROR, not executed (fault)`);
    return xmlFailure('SYSTEM_ERROR');
  }
  const preset = isSync === 'N' ? ctx.refunds.outcome(outReturnNo) : undefined;
  const row: RefundRow = {
    partner: req.partner,
    out_return_no: outReturnNo,
    out_trade_no: outTradeNo,
    trade_no: trade.trade_no,
    currency,
    requested_field: hasForeign ? 'return_amount' : 'return_rmb_amount',
    requested_amount: (hasForeign ? p.return_amount : p.return_rmb_amount)!,
    foreign_minor: foreignMinor,
    cny_cents: cnyCents,
    status: preset?.outcome ?? 'REFUND_SUCCESS',
    error_code: preset?.outcome === 'REFUND_FAIL' ? (preset.error_code ?? 'SYSTEM_EXCEPTION') : null,
    is_sync: isSync,
    reason: p.reason ?? null,
    gmt_return: gmtReturn,
    notify_url: p.notify_url ?? null,
    charset: req.charset,
    sign_type: req.signType,
    created_at: now,
    settled_at: null,
    sync_answer: systemError ? 'SYSTEM_ERROR' : 'T',
  };
  ctx.refunds.insert(row);
  ctx.log(
    `refund ${outReturnNo} on ${trade.trade_no} accepted (${row.status}, is_sync=${isSync})${systemError ? ', answered SYSTEM_ERROR (fault)' : ''}`,
  );
  if (isSync === 'N') enqueueRefundNotification(ctx, row, trade);
  return systemError ? xmlFailure('SYSTEM_ERROR') : xmlBareSuccess();
}
