// create_forex_trade / create_forex_trade_wap (protocol §3): core's validator → signed
// parameters, the GET link and the auto-submitting form (§1.2a decision).
import { AlipayValidationError, formatRequestAmount, toMinorUnits } from '@alipay-kit/core';
import { charsetWireName, encodeForm } from '@alipay-kit/core/encoding';
import { _escapeAttr } from '../lib/html.js';
import { _actionUrl, _request, type ClientContext } from './context.js';

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

// Set by the client from its configuration, never by the order.
const OWNED = new Set(['service', 'partner', '_input_charset', 'sign', 'sign_type']);

/** An amount as the gateway wants it (`9.9` → `9.90`, JPY whole); anything else is left for core's validator. */
function amount(value: unknown, currency: unknown, field: string): unknown {
  if (typeof value !== 'string' || value === '' || typeof currency !== 'string') return value;
  return formatRequestAmount(toMinorUnits(value, currency, { field }), currency);
}

/** The unsigned business parameters of a payment, as sent: JSON fields serialised, amounts formatted, `product_code` filled in. */
function businessParams(order: PaymentOrder, variant: PaymentVariant): Record<string, string | undefined> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(order)) {
    if (OWNED.has(k))
      throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} is set by the client, not by the order`, {
        field: k,
      });
    const v = order[k];
    // §3.3, §3.4: objects and arrays are serialised once and signed exactly as sent.
    out[k] =
      (k === 'trade_information' || k === 'split_fund_info') && typeof v === 'object' && v !== null
        ? JSON.stringify(v)
        : v;
  }
  out.total_fee = amount(order.total_fee, order.currency, 'total_fee');
  // rmb_fee is CNY even on a JPY order (§3.5).
  out.rmb_fee = amount(order.rmb_fee, 'CNY', 'rmb_fee');
  out.product_code ??= variant === 'wap' ? 'NEW_WAP_OVERSEAS_SELLER' : 'NEW_OVERSEAS_SELLER';
  return out as Record<string, string | undefined>;
}

/**
 * Signed parameters of a payment (sorted, then `sign`, `sign_type`): core's
 * `validateCreateForexTrade` / `validateCreateForexTradeWap` see exactly what is signed (§3.2).
 */
export function _signedPayment(
  ctx: ClientContext,
  order: PaymentOrder,
  variant: PaymentVariant,
): Record<string, string> {
  if (typeof order !== 'object' || order === null) throw new TypeError('order must be an object');
  if (variant !== 'web' && variant !== 'wap') throw new TypeError(`variant must be 'web' or 'wap'`);
  return _request(
    ctx,
    variant === 'wap' ? 'create_forex_trade_wap' : 'create_forex_trade',
    businessParams(order, variant),
  );
}

/** GET link: `<gateway>?<every parameter percent-encoded in the charset>` (§1.2a style 1, §1.4 rule 7). */
export function _paymentUrl(ctx: ClientContext, order: PaymentOrder, variant: PaymentVariant): string {
  const signed = _signedPayment(ctx, order, variant);
  return (
    ctx.gatewayUrl +
    (ctx.gatewayUrl.includes('?') ? '&' : '?') +
    encodeForm(signed, ctx.charset, { unencodable: ctx.unencodable })
  );
}

/** The auto-submit form (§1.2a decision): escaped attributes, `accept-charset`, `_input_charset` in action and fields. */
export function _paymentForm(
  ctx: ClientContext,
  order: PaymentOrder,
  variant: PaymentVariant,
  options: { nonce?: string; buttonLabel?: string } = {},
): PaymentForm {
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
