// create_forex_trade / create_forex_trade_wap (protocol §3): signed parameters, the GET link and
// the auto-submitting form (§1.2a decision).
import { AlipayCharsetError, AlipayValidationError, charsetWireName, encodeForm, formatRequestAmount, toMinorUnits, validateCreateForexTrade, validateCreateForexTradeWap } from '@alipay-kit/core';
import { _escapeAttr } from '../lib/html.js';
import { _actionUrl, _signedParams, type ClientContext } from './context.js';

/** A payment to create. Field names are the gateway's (§3.2). */
export interface PaymentOrder {
  out_trade_no: string;
  subject: string;
  /** Settlement currency (never CNY, §3.5). */
  currency: string;
  /** Price in `currency` (decimal string). Exactly one of `total_fee` / `rmb_fee`. */
  total_fee?: string;
  /** Price in CNY (decimal string). */
  rmb_fee?: string;
  body?: string;
  notify_url?: string;
  return_url?: string;
  timeout_rule?: string;
  supplier?: string;
  refer_url?: string;
  order_gmt_create?: string;
  order_valid_time?: string;
  secondary_merchant_id?: string;
  secondary_merchant_name?: string;
  secondary_merchant_industry?: string;
  /** JSON object (§3.3); an object is serialised with JSON.stringify and signed as sent. */
  trade_information?: string | Record<string, unknown>;
  /** JSON array (§3.4). */
  split_fund_info?: string | unknown[];
  /** Wap only (§3.1). */
  app_pay?: 'Y' | 'N';
  product_code?: string;
  /** Any further gateway parameter; signed like the rest. */
  [extra: string]: unknown;
}

/** Which cashier: PC (`create_forex_trade`) or mobile (`create_forex_trade_wap`). */
export type PaymentVariant = 'web' | 'wap';

/** The auto-submitting form (§1.2a decision). */
export interface PaymentForm {
  /** `<gateway>?_input_charset=<CS>`. */
  action: string;
  method: 'POST';
  /** Hidden fields, raw (unescaped) values, `sign` and `sign_type` last. */
  fields: Record<string, string>;
  /** The form plus an inline `<script>` that submits it (add `nonce` for a CSP). */
  html: string;
  /** CSP-friendly: no script at all, a visible submit button instead. */
  htmlWithoutScript: string;
}

const TIMEOUT_RULES = new Set(['5m', '10m', '15m', '30m', '1h', '2h', '3h', '5h', '10h', '12h', '1d', '3d', '7d', '15d']);

function str(order: PaymentOrder, key: string, max: number, required: boolean): string | undefined {
  const v = order[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} is required`, { field: key });
    return undefined;
  }
  if (typeof v !== 'string') throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} must be a string`, { field: key });
  if (v.length > max) throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} is longer than ${max} characters`, { field: key });
  return v;
}

function url(order: PaymentOrder, key: string): string | undefined {
  const v = str(order, key, 200, false);
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} must be an absolute URL`, { field: key });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} must be http(s)`, { field: key });
  // §1.4 rule 7: a query string on return/notify URLs would come back unsigned.
  if ((key === 'notify_url' || key === 'return_url') && (u.search !== '' || v.includes('?'))) {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', `${key} must not carry a query string (§1.4 rule 7)`, { field: key });
  }
  return v;
}

/** Validate and build the unsigned business parameters of a payment. */
export function _paymentParams(ctx: ClientContext, order: PaymentOrder, variant: PaymentVariant): { service: string; params: Record<string, string | undefined> } {
  if (typeof order !== 'object' || order === null) throw new TypeError('order must be an object');
  if (variant !== 'web' && variant !== 'wap') throw new TypeError(`variant must be 'web' or 'wap'`);
  if (variant === 'wap' && ctx.charset !== 'utf-8') {
    throw new AlipayCharsetError('ERR_UNSUPPORTED_CHARSET', 'create_forex_trade_wap accepts UTF-8 only (§1.3); configure a UTF-8 client for wap');
  }
  const currency = str(order, 'currency', 10, true)!;
  if (!/^[A-Z]{3}$/.test(currency) || currency === 'CNY') {
    throw new AlipayValidationError('ERR_INVALID_CURRENCY', 'currency must be an uppercase ISO 4217 settlement currency other than CNY (§3.5)', { field: 'currency' });
  }
  const hasTotal = order.total_fee !== undefined && order.total_fee !== '';
  const hasRmb = order.rmb_fee !== undefined && order.rmb_fee !== '';
  if (hasTotal === hasRmb) throw new AlipayValidationError('ERR_INVALID_AMOUNT', 'exactly one of total_fee / rmb_fee is required (§3.2)', { field: 'total_fee' });
  const total_fee = hasTotal ? formatRequestAmount(toMinorUnits(order.total_fee as string, currency, { field: 'total_fee' }), currency) : undefined;
  const rmb_fee = hasRmb ? formatRequestAmount(toMinorUnits(order.rmb_fee as string, 'CNY', { field: 'rmb_fee' }), 'CNY') : undefined;
  const timeout_rule = str(order, 'timeout_rule', 8, false);
  if (timeout_rule !== undefined && !TIMEOUT_RULES.has(timeout_rule)) throw new AlipayValidationError('ERR_INVALID_PARAMS', 'timeout_rule is not one of the §3.2 values', { field: 'timeout_rule' });
  if ((order.order_gmt_create === undefined) !== (order.order_valid_time === undefined)) {
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'order_gmt_create and order_valid_time go together (§3.6)', { field: 'order_valid_time' });
  }
  if (variant === 'wap' && order.order_gmt_create !== undefined) throw new AlipayValidationError('ERR_INVALID_PARAMS', 'order_gmt_create is web only (§3.1)', { field: 'order_gmt_create' });
  const json = (key: string): string | undefined => {
    const v = order[key];
    if (v === undefined || v === null || v === '') return undefined;
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const known = new Set(['out_trade_no', 'subject', 'currency', 'total_fee', 'rmb_fee', 'body', 'notify_url', 'return_url', 'refer_url', 'timeout_rule', 'trade_information', 'split_fund_info', 'service', 'partner', '_input_charset', 'sign', 'sign_type']);
  const extra: Record<string, string> = {};
  for (const k of Object.keys(order)) {
    if (known.has(k)) {
      if (k === 'service' || k === 'partner' || k === '_input_charset' || k === 'sign' || k === 'sign_type') {
        throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} is set by the client, not by the order`, { field: k });
      }
      continue;
    }
    const v = order[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} must be a string`, { field: k });
    extra[k] = v;
  }
  return {
    service: variant === 'wap' ? 'create_forex_trade_wap' : 'create_forex_trade',
    params: {
      ...extra,
      product_code: extra.product_code ?? (variant === 'wap' ? 'NEW_WAP_OVERSEAS_SELLER' : 'NEW_OVERSEAS_SELLER'),
      out_trade_no: str(order, 'out_trade_no', 64, true),
      subject: str(order, 'subject', 256, true),
      body: str(order, 'body', 400, false),
      currency,
      total_fee,
      rmb_fee,
      notify_url: url(order, 'notify_url'),
      return_url: url(order, 'return_url'),
      refer_url: url(order, 'refer_url'),
      timeout_rule,
      trade_information: json('trade_information'),
      split_fund_info: json('split_fund_info'),
    },
  };
}

/** Signed parameters of a payment (sorted, then `sign`, `sign_type`). */
export function _signedPayment(ctx: ClientContext, order: PaymentOrder, variant: PaymentVariant): Record<string, string> {
  const { service, params } = _paymentParams(ctx, order, variant);
  const signed = _signedParams(ctx, service, params);
  // Core's validator is the shared rule book (§3.2); it sees exactly what is sent.
  const check = { ...signed } as Record<string, string>;
  if (variant === 'wap') validateCreateForexTradeWap(check as never, ctx.validate);
  else validateCreateForexTrade(check as never, ctx.validate);
  return signed;
}

/** GET link: `<gateway>?<every parameter percent-encoded in the charset>` (§1.2a style 1, §1.4 rule 7). */
export function _paymentUrl(ctx: ClientContext, order: PaymentOrder, variant: PaymentVariant): string {
  const signed = _signedPayment(ctx, order, variant);
  return ctx.gatewayUrl + (ctx.gatewayUrl.includes('?') ? '&' : '?') + encodeForm(signed, ctx.charset, { unencodable: ctx.unencodable });
}

/** The auto-submit form (§1.2a decision): escaped attributes, `accept-charset`, `_input_charset` in action and fields. */
export function _paymentForm(ctx: ClientContext, order: PaymentOrder, variant: PaymentVariant, options: { nonce?: string; buttonLabel?: string } = {}): PaymentForm {
  const fields = _signedPayment(ctx, order, variant);
  const action = _actionUrl(ctx);
  const cs = charsetWireName(ctx.charset);
  const inputs = Object.keys(fields)
    .map((k) => `<input type="hidden" name="${_escapeAttr(k)}" value="${_escapeAttr(fields[k]!)}"/>`)
    .join('');
  const open = `<form id="alipaysubmit" name="alipaysubmit" action="${_escapeAttr(action)}" method="post" accept-charset="${cs}">`;
  const label = _escapeAttr(options.buttonLabel ?? 'Continue to Alipay');
  const nonce = options.nonce === undefined ? '' : ` nonce="${_escapeAttr(options.nonce)}"`;
  return {
    action,
    method: 'POST',
    fields: { ...fields },
    html: `${open}${inputs}<noscript><button type="submit">${label}</button></noscript></form><script${nonce}>document.getElementById('alipaysubmit').submit();</script>`,
    htmlWithoutScript: `${open}${inputs}<button type="submit">${label}</button></form>`,
  };
}
