/**
 * Typed async notifications (payment `trade_status_sync` §3.9, refund `refund_status_sync`
 * §6.6) and the sync return (§3.8), as one discriminated union on `kind`. Fields keep the
 * gateway's names; amounts are also read to integer minor units under `minor`.
 *
 * Parsing does not verify: use `verifyNotification`, which verifies and then parses.
 *
 * @module
 */
import { AlipayNotificationError } from '../errors.js';
import { dashedDateTimeToSeconds } from '../lib/dates.js';
import { toMinorUnits } from '../money.js';
import { safeName } from '../presign.js';

/** Payment notification (§3.9). */
export interface PaymentNotification {
  kind: 'payment';
  notify_type: 'trade_status_sync';
  /** Opaque (§4 decision). */
  notify_id: string;
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time. */
  notify_time: string;
  out_trade_no: string;
  trade_no: string;
  /** Foreign-currency amount, even for `rmb_fee` orders (§3.5). */
  total_fee: string;
  currency: string;
  /** `TRADE_FINISHED`, `TRADE_CLOSED`, … (§3.10); kept verbatim. */
  trade_status: string;
  buyer_id?: string;
  seller_id?: string;
  /** CNY per one unit of `currency`, 8 decimals. */
  forex_rate?: string;
  rmb_fee?: string;
  sign_type?: string;
  /** Amounts in integer minor units (`total_fee` in `currency`, `rmb_fee` in CNY fen). */
  minor: { total_fee: number; rmb_fee?: number };
  /** Every received parameter, `sign` included, as received (null prototype). */
  params: Record<string, string>;
}

/** Refund notification (§6.6). */
export interface RefundNotification {
  kind: 'refund';
  notify_type: 'refund_status_sync';
  notify_id: string;
  notify_time: string;
  out_trade_no: string;
  out_return_no: string;
  /** `REFUND_SUCCESS` or `REFUND_FAIL`. */
  refund_status: string;
  /** A §6.5 code, with `REFUND_FAIL`. */
  error_code?: string;
  /** CNY with `currency=CNY` when the refund was requested with `return_rmb_amount` (§6.6). */
  return_amount: string;
  currency: string;
  sign_type?: string;
  minor: { return_amount: number };
  params: Record<string, string>;
}

/** Sync return to `return_url` (§3.8). Not an authority: confirm by notification or query. */
export interface SyncReturn {
  kind: 'return';
  out_trade_no: string;
  trade_no: string;
  total_fee: string;
  currency: string;
  trade_status: string;
  rmb_fee?: string;
  sign_type?: string;
  minor: { total_fee: number; rmb_fee?: number };
  params: Record<string, string>;
}

/** Anything Alipay sends back about a payment or refund. Switch on `kind`. */
export type AlipayCallback = PaymentNotification | RefundNotification | SyncReturn;

/** Known `trade_status` values (§3.10). */
export const TRADE_STATUSES = ['WAIT_BUYER_PAY', 'TRADE_FINISHED', 'TRADE_CLOSED', 'TRADE_SUCCESS'] as const;
/** Known `refund_status` values (§6.6). */
export const REFUND_STATUSES = ['REFUND_SUCCESS', 'REFUND_FAIL'] as const;

function bad(field: string, why: string, cause?: unknown): never {
  throw new AlipayNotificationError(
    'ERR_NOTIFICATION_INVALID',
    `${safeName(field)}: ${why}`,
    cause === undefined ? { field } : { field, cause },
  );
}

/** Own string-valued params into a null-prototype record; anything else is refused. */
function own(params: unknown): Record<string, string> {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    bad('params', 'must be an object of strings');
  const out = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(params)) {
    const v = (params as Record<string, unknown>)[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') bad(k, 'must be a string');
    out[k] = v;
  }
  return out;
}

function req(p: Record<string, string>, f: string): string {
  const v = p[f];
  if (v === undefined || v === '') bad(f, 'is missing');
  return v;
}

const TOKEN = /^[A-Z][A-Z0-9_]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
// Alipay's outputs: plain decimals (§0.1). Minus allowed nowhere in notifications.
const NO_RANGE = { range: false } as const;
function minorOf(p: Record<string, string>, f: string, currency: string): number {
  try {
    return toMinorUnits(req(p, f), currency, NO_RANGE);
  } catch (e) {
    return bad(f, `is not an amount in ${currency}`, e);
  }
}

function common(p: Record<string, string>): void {
  const cur = req(p, 'currency');
  if (!CURRENCY.test(cur)) bad('currency', 'must be a 3-letter ISO code');
}

function optional<T extends object>(target: T, p: Record<string, string>, fields: readonly string[]): T {
  for (const f of fields) if (p[f] !== undefined && p[f] !== '') (target as Record<string, unknown>)[f] = p[f];
  return target;
}

function parsePayment(p: Record<string, string>): PaymentNotification {
  common(p);
  const currency = p.currency!;
  const status = req(p, 'trade_status');
  if (!TOKEN.test(status)) bad('trade_status', 'is not a status token');
  const minor: PaymentNotification['minor'] = { total_fee: minorOf(p, 'total_fee', currency) };
  if (p.rmb_fee !== undefined && p.rmb_fee !== '') minor.rmb_fee = minorOf(p, 'rmb_fee', 'CNY');
  if (p.forex_rate !== undefined && p.forex_rate !== '' && !/^[0-9]+(\.[0-9]+)?$/.test(p.forex_rate))
    bad('forex_rate', 'is not a decimal');
  const n: PaymentNotification = {
    kind: 'payment',
    notify_type: 'trade_status_sync',
    notify_id: req(p, 'notify_id'),
    notify_time: notifyTime(p),
    out_trade_no: req(p, 'out_trade_no'),
    trade_no: req(p, 'trade_no'),
    total_fee: p.total_fee!,
    currency,
    trade_status: status,
    minor,
    params: p,
  };
  return optional(n, p, ['buyer_id', 'seller_id', 'forex_rate', 'rmb_fee', 'sign_type']);
}

function parseRefund(p: Record<string, string>): RefundNotification {
  common(p);
  const currency = p.currency!;
  const status = req(p, 'refund_status');
  if (!TOKEN.test(status)) bad('refund_status', 'is not a status token');
  const n: RefundNotification = {
    kind: 'refund',
    notify_type: 'refund_status_sync',
    notify_id: req(p, 'notify_id'),
    notify_time: notifyTime(p),
    out_trade_no: req(p, 'out_trade_no'),
    out_return_no: req(p, 'out_return_no'),
    refund_status: status,
    return_amount: req(p, 'return_amount'),
    currency,
    minor: { return_amount: minorOf(p, 'return_amount', currency) },
    params: p,
  };
  return optional(n, p, ['error_code', 'sign_type']);
}

function notifyTime(p: Record<string, string>): string {
  const t = req(p, 'notify_time');
  if (dashedDateTimeToSeconds(t) === undefined) bad('notify_time', 'must be yyyy-MM-dd HH:mm:ss');
  return t;
}

/**
 * Parse an async notification body (already form-decoded) into a {@link PaymentNotification}
 * or {@link RefundNotification}, by `notify_type`. Throws `AlipayNotificationError`
 * `ERR_NOTIFICATION_INVALID` (with `field`) for a missing field, an unknown `notify_type`,
 * a malformed amount or time. Extra fields are kept in `params` (§3.9: verify over whatever
 * arrives). Does not verify the signature.
 *
 * @example
 * ```ts
 * const n = parseNotification(parseForm(body).params)
 * if (n.kind === 'payment') console.log(n.out_trade_no, n.minor.total_fee, n.currency)
 * ```
 */
export function parseNotification(params: Record<string, string>): PaymentNotification | RefundNotification {
  const p = own(params);
  const type = req(p, 'notify_type');
  if (type === 'trade_status_sync') return parsePayment(p);
  if (type === 'refund_status_sync') return parseRefund(p);
  return bad('notify_type', 'must be trade_status_sync or refund_status_sync');
}

/**
 * Parse the sync return's query parameters (§3.8) into a {@link SyncReturn}. `rmb_fee` is
 * optional. Errors as for {@link parseNotification}. Does not verify.
 *
 * @example
 * ```ts
 * const r = parseReturn(repairReturnSign(req.url))
 * r.kind // 'return'
 * ```
 */
export function parseReturn(params: Record<string, string>): SyncReturn {
  const p = own(params);
  if (p.notify_type !== undefined) bad('notify_type', 'a sync return carries no notify_type');
  common(p);
  const currency = p.currency!;
  const status = req(p, 'trade_status');
  if (!TOKEN.test(status)) bad('trade_status', 'is not a status token');
  const minor: SyncReturn['minor'] = { total_fee: minorOf(p, 'total_fee', currency) };
  if (p.rmb_fee !== undefined && p.rmb_fee !== '') minor.rmb_fee = minorOf(p, 'rmb_fee', 'CNY');
  const r: SyncReturn = {
    kind: 'return',
    out_trade_no: req(p, 'out_trade_no'),
    trade_no: req(p, 'trade_no'),
    total_fee: p.total_fee!,
    currency,
    trade_status: status,
    minor,
    params: p,
  };
  return optional(r, p, ['rmb_fee', 'sign_type']);
}

/**
 * Parse either kind: a notification when `notify_type` is present, else a sync return.
 *
 * @example
 * ```ts
 * switch (parseCallback(params).kind) { case 'payment': …; case 'refund': …; case 'return': … }
 * ```
 */
export function parseCallback(params: Record<string, string>): AlipayCallback {
  const p = own(params);
  return p.notify_type !== undefined ? parseNotification(p) : parseReturn(p);
}
