/**
 * `create_forex_trade` / `create_forex_trade_wap` parameter checks (§1.6 step 8): §3.2
 * required fields, §3.5 amounts and currencies, §3.6 time limits, §3.4 split info, §3.11
 * duplicates. The result is a pending order; the trade itself is created at buyer login (§3.1).
 * A link whose `order_gmt_create` + `order_valid_time` window has passed no longer opens the
 * cashier (§3.6), and a closed `out_trade_no` is never reopened (`TRADE_HAS_CLOSE`, §6.5 name).
 *
 * @module
 */
import { cnyToForeign, foreignToCny } from '@alipay-kit/core';
import type { SandboxContext } from '../context.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { parseRequestAmount } from '../lib/amounts.js';
import { parseGmt8 } from '../lib/time.js';
import { fitsWidth } from '../lib/width.js';
import { splitFundInfoProblem } from './split-fund-info.js';
import {
  LINK_EXPIRED_CODE,
  linkExpired,
  linkExpiredDetail,
  TRADE_CLOSED_CODE,
  tradeClosedDetail,
} from './link-window.js';
import { refreshTrade } from './trade-state.js';

/** A validated payment request, waiting for the buyer. */
export interface PendingOrder {
  partner: string;
  service: 'create_forex_trade' | 'create_forex_trade_wap';
  out_trade_no: string;
  subject: string;
  body: string | null;
  currency: string;
  priced_in: 'foreign' | 'cny';
  foreign_minor: number;
  cny_cents: number;
  rate: string;
  /** Unscaled `timeout_rule` window in ms (§3.6, default 12h). */
  timeout_ms: number;
  /**
   * End of the login window, ms epoch: `order_gmt_create` (GMT+8) + `order_valid_time` seconds
   * (§3.2, §3.6; web only, not scaled by `timeScale`). `null` (or absent in sessions stored by
   * an older sandbox) when the pair was not sent.
   */
  link_expires_at?: number | null;
  notify_url: string | null;
  return_url: string | null;
  refer_url: string | null;
  supplier: string | null;
  /** §3.2 secondary-merchant fields as sent (absent in sessions stored by an older sandbox); the wide file layout shows them (§9.3). */
  secondary_merchant_name?: string | null;
  secondary_merchant_industry?: string | null;
  charset: string;
  input_charset: string;
  sign_type: string;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** `timeout_rule` values (§3.2) and their windows. */
export const TIMEOUT_RULES: Readonly<Record<string, number>> = Object.freeze({
  '5m': 5 * MIN,
  '10m': 10 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '3h': 3 * HOUR,
  '5h': 5 * HOUR,
  '10h': 10 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '7d': 7 * DAY,
  '15d': 15 * DAY,
});

function isHttpUrl(v: string): boolean {
  if (v.length > 200) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Validate a checked payment request. Returns the pending order or the error code for the
 * HTML error page (§3.7).
 */
export function validateCreateTrade(
  ctx: SandboxContext,
  req: CheckedRequest,
): { ok: true; order: PendingOrder } | { ok: false; code: string; detail?: string } {
  const p = req.params;
  const bad = (code = 'ILLEGAL_ARGUMENT', detail?: string) => ({
    ok: false as const,
    code,
    ...(detail === undefined ? {} : { detail }),
  });
  const service = req.service as PendingOrder['service'];
  const wap = service === 'create_forex_trade_wap';
  // §3.2 String(n) limits count a non-ASCII character as 2 ("String(256): at most 128 Chinese characters").
  const tooLong = (field: string, max: number) =>
    bad('ILLEGAL_ARGUMENT', `${field} is longer than String(${max}) (§3.2: a non-ASCII character counts 2)`);
  const outTradeNo = p.out_trade_no;
  if (!outTradeNo) return bad();
  if (!fitsWidth(outTradeNo, 64)) return tooLong('out_trade_no', 64);
  const subject = p.subject;
  if (!subject) return bad();
  if (!fitsWidth(subject, 256)) return tooLong('subject', 256);
  if (!fitsWidth(p.body, 400)) return tooLong('body', 400);
  if (!fitsWidth(p.secondary_merchant_id, 64)) return tooLong('secondary_merchant_id', 64);
  if (!fitsWidth(p.product_code, 32)) return tooLong('product_code', 32);
  // §3.2: secondary_merchant_industry is String(4), an MCC such as 5499.
  if (p.secondary_merchant_industry !== undefined && !/^[0-9]{4}$/.test(p.secondary_merchant_industry))
    return bad('ILLEGAL_ARGUMENT', 'secondary_merchant_industry must be a 4-digit MCC (§3.2)');
  // §3.2: app_pay (wap only) is Y to open the Alipay app; the web service ignores it as an unknown parameter.
  if (wap && p.app_pay !== undefined && p.app_pay !== 'Y' && p.app_pay !== 'N')
    return bad('ILLEGAL_ARGUMENT', 'app_pay must be Y or N (§3.2)');
  // §3.5: currency must be contracted (ILLEGAL_CURRENCY, also for a malformed value).
  const currency = p.currency;
  if (!currency) return bad();
  const rate = ctx.rates[currency];
  if (
    !/^[A-Z]{3}$/.test(currency) ||
    currency === 'CNY' ||
    !req.merchant.currencies.has(currency) ||
    rate === undefined
  )
    return bad('ILLEGAL_CURRENCY');
  // §3.5: exactly one of total_fee / rmb_fee, each a valid amount.
  const hasTotal = p.total_fee !== undefined && p.total_fee !== '';
  const hasRmb = p.rmb_fee !== undefined && p.rmb_fee !== '';
  if (hasTotal === hasRmb) return bad();
  let foreign: number;
  let cny: number;
  if (hasTotal) {
    const m = parseRequestAmount(p.total_fee, currency);
    if (m === undefined) return bad();
    foreign = m;
    cny = foreignToCny(m, currency, rate);
  } else {
    const c = parseRequestAmount(p.rmb_fee, 'CNY');
    if (c === undefined) return bad();
    cny = c;
    foreign = cnyToForeign(c, currency, rate);
  }
  // §3.2: product_code, when sent, names the product of the service.
  if (p.product_code !== undefined && p.product_code !== (wap ? 'NEW_WAP_OVERSEAS_SELLER' : 'NEW_OVERSEAS_SELLER'))
    return bad();
  for (const k of ['notify_url', 'return_url', 'refer_url'] as const)
    if (p[k] !== undefined && !isHttpUrl(p[k])) return bad();
  // §3.6 decision: a value outside the list, or not enabled for the partner → ILLEGAL_TIMEOUT_RULE.
  const rule = p.timeout_rule ?? '12h';
  const windowMs = Object.prototype.hasOwnProperty.call(TIMEOUT_RULES, rule) ? TIMEOUT_RULES[rule] : undefined;
  if (windowMs === undefined || !req.merchant.timeoutRules.has(rule)) return bad('ILLEGAL_TIMEOUT_RULE');
  // §3.6 decision: order_gmt_create + order_valid_time come as a pair, 1..2592000 s. Web only
  // (§3.1, §3.2): the wap service has no such window, so sending it there is ILLEGAL_ARGUMENT.
  const g = p.order_gmt_create;
  const v = p.order_valid_time;
  let linkExpiresAt: number | null = null;
  if (g !== undefined || v !== undefined) {
    if (wap || g === undefined || v === undefined) return bad();
    const createdAt = parseGmt8(g);
    if (createdAt === undefined || !/^[1-9][0-9]*$/.test(v) || Number(v) > 2_592_000) return bad();
    linkExpiresAt = createdAt + Number(v) * 1000;
  }
  if (p.trade_information !== undefined) {
    try {
      const t: unknown = JSON.parse(p.trade_information);
      if (typeof t !== 'object' || t === null || Array.isArray(t)) return bad();
    } catch {
      return bad();
    }
  }
  if (p.split_fund_info !== undefined) {
    // Compared in hundredths: a JPY total_fee of 100 is 10000 hundredths, like the entries' amounts.
    const priceHundredths = hasTotal ? Math.round(Number(p.total_fee) * 100) : cny;
    const problem = splitFundInfoProblem(p.split_fund_info, { currency: hasTotal ? currency : 'CNY', priceHundredths });
    if (problem) return bad('ILLEGAL_ARGUMENT', problem);
  }
  // §3.11: a paid out_trade_no cannot be paid again (code name invented by the document), and
  // a closed one is never reopened (§3.10: closed without payment; TRADE_HAS_CLOSE, §6.5 table).
  const existing = refreshTrade(ctx, ctx.trades.byOutTradeNo(req.partner, outTradeNo));
  if (existing?.status === 'TRADE_FINISHED') return bad('TRADE_HAS_SUCCESS');
  if (existing?.status === 'TRADE_CLOSED') return bad(TRADE_CLOSED_CODE, tradeClosedDetail(existing));
  // §3.6: once the order_gmt_create + order_valid_time window has passed the link stops working.
  if (linkExpiresAt !== null && linkExpired(linkExpiresAt, ctx.clock.now()))
    return bad(LINK_EXPIRED_CODE, linkExpiredDetail(linkExpiresAt));
  return {
    ok: true,
    order: {
      partner: req.partner,
      service,
      out_trade_no: outTradeNo,
      subject,
      body: p.body ?? null,
      currency,
      priced_in: hasTotal ? 'foreign' : 'cny',
      foreign_minor: foreign,
      cny_cents: cny,
      rate,
      timeout_ms: windowMs,
      link_expires_at: linkExpiresAt,
      notify_url: p.notify_url ?? null,
      return_url: p.return_url ?? null,
      refer_url: p.refer_url ?? null,
      supplier: p.supplier ?? null,
      secondary_merchant_name: p.secondary_merchant_name ?? null,
      secondary_merchant_industry: p.secondary_merchant_industry ?? null,
      charset: req.charset,
      input_charset: p._input_charset ?? '',
      sign_type: req.signType,
    },
  };
}
