/**
 * What the test buyer can do at the cashier, shared by the HTML cashier and
 * `control.simulatePayment`: log in (the trade comes into existence, §3.1), pay (TRADE_FINISHED,
 * notification §3.9, signed return §3.8), cancel, or let the trade time out (TRADE_CLOSED, §3.6).
 *
 * @module
 */
import type { Charset } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { SandboxContext } from '../context.js';
import { outAmount, outCny } from '../lib/amounts.js';
import { newSessionId, newTradeNo } from '../lib/ids.js';
import { enqueuePaymentNotification } from '../notify/payloads.js';
import type { PendingOrder } from '../services/create-trade.js';
import {
  LINK_EXPIRED_CODE,
  linkExpired,
  linkExpiredDetail,
  TRADE_CLOSED_CODE,
  tradeClosedDetail,
} from '../services/link-window.js';
import { closeTrade, refreshTrade } from '../services/trade-state.js';
import type { SessionRow, TradeRow } from '../store/trades.js';

/** A refusal at the cashier: the §3.7 code and, when known, why in words. */
export interface Refusal {
  ok: false;
  code: string;
  detail?: string;
}

/** A session with its order. */
export interface LoadedSession {
  session: SessionRow;
  order: PendingOrder;
}

/** Store a validated order as a cashier session; returns the session id. */
export function openSession(ctx: SandboxContext, order: PendingOrder): string {
  const id = newSessionId();
  ctx.trades.insertSession({
    id,
    partner: order.partner,
    service: order.service,
    params: JSON.stringify(order),
    charset: order.charset,
    sign_type: order.sign_type,
    state: 'open',
    trade_no: null,
    created_at: ctx.clock.now(),
  });
  return id;
}

/** Load a session by id. */
export function loadSession(ctx: SandboxContext, id: string): LoadedSession | undefined {
  const session = ctx.trades.session(id);
  if (!session) return undefined;
  return { session, order: JSON.parse(session.params) as PendingOrder };
}

/** The session's trade, with expiry applied. */
export function sessionTrade(ctx: SandboxContext, s: LoadedSession): TradeRow | undefined {
  if (!s.session.trade_no) return undefined;
  return refreshTrade(ctx, ctx.trades.byTradeNo(s.order.partner, s.session.trade_no));
}

/** The session's §3.6 login window: a refusal once it has passed, else `undefined`. */
export function expiredLink(ctx: SandboxContext, s: LoadedSession): Refusal | undefined {
  const at = s.order.link_expires_at;
  if (!linkExpired(at, ctx.clock.now())) return undefined;
  return { ok: false, code: LINK_EXPIRED_CODE, detail: linkExpiredDetail(at!) };
}

/**
 * Buyer login: create the trade (WAIT_BUYER_PAY). §3.11 emulator rules: an unpaid trade with the
 * same amount and currency is reused; a different one replaces the pending order; a paid one
 * is `TRADE_HAS_SUCCESS`. A closed one is never reopened (`TRADE_HAS_CLOSE`), and after the
 * link's `order_gmt_create` + `order_valid_time` window (§3.6) nobody logs in (`SESSION_TIMEOUT`).
 */
export function login(ctx: SandboxContext, s: LoadedSession): { ok: true; trade: TradeRow } | Refusal {
  const current = sessionTrade(ctx, s);
  if (current) return { ok: true, trade: current };
  if (s.session.state !== 'open') return { ok: false, code: 'SESSION_TIMEOUT' };
  const o = s.order;
  const existing = refreshTrade(ctx, ctx.trades.byOutTradeNo(o.partner, o.out_trade_no));
  if (existing?.status === 'TRADE_FINISHED') return { ok: false, code: 'TRADE_HAS_SUCCESS' };
  if (existing?.status === 'TRADE_CLOSED')
    return { ok: false, code: TRADE_CLOSED_CODE, detail: tradeClosedDetail(existing) };
  const expired = expiredLink(ctx, s);
  if (expired) return expired;
  const now = ctx.clock.now();
  if (
    existing &&
    existing.status === 'WAIT_BUYER_PAY' &&
    existing.currency === o.currency &&
    existing.foreign_minor === o.foreign_minor &&
    existing.cny_cents === o.cny_cents
  ) {
    ctx.trades.updateSession(s.session.id, 'open', existing.trade_no);
    s.session.trade_no = existing.trade_no;
    return { ok: true, trade: existing };
  }
  let tradeNo = newTradeNo(now);
  while (ctx.trades.tradeNoTaken(tradeNo)) tradeNo = newTradeNo(now);
  const row: TradeRow = {
    partner: o.partner,
    out_trade_no: o.out_trade_no,
    trade_no: tradeNo,
    service: o.service,
    subject: o.subject,
    body: o.body,
    currency: o.currency,
    priced_in: o.priced_in,
    foreign_minor: o.foreign_minor,
    cny_cents: o.cny_cents,
    rate: o.rate,
    status: 'WAIT_BUYER_PAY',
    created_at: now,
    modified_at: now,
    paid_at: null,
    closed_at: null,
    expires_at: now + o.timeout_ms / ctx.timeScale,
    notify_url: o.notify_url,
    return_url: o.return_url,
    charset: o.charset,
    input_charset: o.input_charset,
    sign_type: o.sign_type,
    settled_at: null,
    secondary_merchant_name: o.secondary_merchant_name ?? null,
    secondary_merchant_industry: o.secondary_merchant_industry ?? null,
  };
  ctx.trades.upsert(row);
  ctx.trades.updateSession(s.session.id, 'open', tradeNo);
  s.session.trade_no = tradeNo;
  ctx.log(`trade ${tradeNo} created at buyer login (${o.partner}/${o.out_trade_no})`);
  return { ok: true, trade: row };
}

/** Pay: log in if needed, mark TRADE_FINISHED, queue the notification, build the return URL. */
export function pay(
  ctx: SandboxContext,
  s: LoadedSession,
): { ok: true; trade: TradeRow; returnUrl: string | undefined } | (Refusal & { trade?: TradeRow }) {
  const logged = login(ctx, s);
  if (!logged.ok) return logged;
  const trade = logged.trade;
  if (trade.status === 'TRADE_CLOSED')
    return { ok: false, code: TRADE_CLOSED_CODE, detail: tradeClosedDetail(trade), trade };
  if (trade.status === 'TRADE_FINISHED') return { ok: false, code: 'TRADE_HAS_SUCCESS', trade };
  const now = ctx.clock.now();
  ctx.trades.setStatus(trade.partner, trade.trade_no, 'TRADE_FINISHED', now);
  ctx.trades.updateSession(s.session.id, 'done', trade.trade_no);
  const paid: TradeRow = { ...trade, status: 'TRADE_FINISHED', paid_at: now, modified_at: now };
  ctx.log(`trade ${paid.trade_no} paid`);
  enqueuePaymentNotification(ctx, paid);
  return { ok: true, trade: paid, returnUrl: buildReturnUrl(ctx, paid) };
}

/** Cancel at the cashier: no trade change; an existing unpaid trade simply times out later. */
export function cancel(ctx: SandboxContext, s: LoadedSession): void {
  if (s.session.state === 'open') ctx.trades.updateSession(s.session.id, 'cancelled', s.session.trade_no);
}

/** "Let it time out": log in if needed, then close the unpaid trade now (TRADE_CLOSED). */
export function timeOut(ctx: SandboxContext, s: LoadedSession): { ok: true; trade: TradeRow } | Refusal {
  const logged = login(ctx, s);
  if (!logged.ok) return logged;
  if (logged.trade.status !== 'WAIT_BUYER_PAY') return { ok: true, trade: logged.trade };
  const closed = closeTrade(ctx, logged.trade, ctx.clock.now());
  ctx.trades.updateSession(s.session.id, 'done', closed.trade_no);
  return { ok: true, trade: closed };
}

/**
 * The signed return URL (§3.8 decision): exactly out_trade_no, trade_no, total_fee, currency,
 * trade_status (+ rmb_fee for rmb_fee orders), sign, sign_type; encoded per §1.4 rule 7 in the
 * payment request's charset; appended with `?` or `&`. `undefined` without a return_url.
 */
export function buildReturnUrl(ctx: SandboxContext, trade: TradeRow): string | undefined {
  if (!trade.return_url) return undefined;
  const merchant = ctx.merchants.get(trade.partner);
  if (!merchant) return undefined;
  const fields: Record<string, string> = {
    out_trade_no: trade.out_trade_no,
    trade_no: trade.trade_no,
    total_fee: outAmount(trade.foreign_minor, trade.currency),
    currency: trade.currency,
    trade_status: 'TRADE_FINISHED',
  };
  if (trade.priced_in === 'cny') fields.rmb_fee = outCny(trade.cny_cents);
  const charset = trade.charset as Charset;
  const sign = ctx.signer.sign(fields, trade.sign_type as never, charset, merchant.config);
  let query = encodeForm(fields, charset, { unencodable: 'replace' });
  let signPart = encodeForm({ sign }, charset);
  // Fault: the '+' of a base64 sign sent raw, so the merchant's framework reads a space (§1.4 rule 6).
  if (ctx.faults.resolve(trade.partner, trade.service).mangleSignPlus) signPart = signPart.replace(/%2B/g, '+');
  query += '&' + signPart + '&' + encodeForm({ sign_type: trade.sign_type }, charset);
  return trade.return_url + (trade.return_url.includes('?') ? '&' : '?') + query;
}
