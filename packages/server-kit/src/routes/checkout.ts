// POST /checkout: the merchant's resolveOrder hook decides price and currency; the order is
// recorded, the payment form signed, and an order token issued.
import { randomBytes } from 'node:crypto';
import {
  AlipayValidationError,
  formatBeijingDateTime,
  formatRequestAmount,
  isAlipayError,
  parseBeijingDateTime,
  toMinorUnits,
} from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { CheckoutRequest, CheckoutResponse } from '@alipay-kit/core/contract';
import type { RouterContext } from './context.js';
import { _errorAnswer, _thrownAnswer, _WIRE_CODES } from './errors.js';
import { _jsonAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import { _readJsonBody } from './json-body.js';
import type { ResolvedOrder } from './options.js';
import { _resolvedPaymentParams } from './payment-params.js';

function invalid(field: string, why: string): never {
  throw new AlipayValidationError('ERR_INVALID_PARAMS', `resolveOrder returned an order whose ${field} ${why}`, {
    field,
  });
}

function amountOf(o: ResolvedOrder, currency: string): number {
  if (o.amount !== undefined && typeof o.amount !== 'string')
    invalid('amount', `must be a decimal string like "12.50", not a ${typeof o.amount}`);
  let fromMinor: number | undefined;
  if (o.amountMinor !== undefined) {
    if (!Number.isSafeInteger(o.amountMinor) || o.amountMinor <= 0) invalid('amountMinor', 'is not a positive integer');
    // Round-trip through the request format to apply the §3.5 range and JPY rules.
    fromMinor = toMinorUnits(formatRequestAmount(o.amountMinor, currency), currency, { field: 'amount' });
  }
  if (o.amount === undefined) {
    if (fromMinor === undefined) invalid('amount', 'is missing (give amount or amountMinor)');
    return fromMinor;
  }
  const fromAmount = toMinorUnits(o.amount, currency, { field: 'amount' });
  // Both given and different: charging either one would be a guess.
  if (fromMinor !== undefined && fromMinor !== fromAmount) {
    invalid(
      'amount',
      `(${formatRequestAmount(fromAmount, currency)} ${currency}) and amountMinor (${formatRequestAmount(fromMinor, currency)} ${currency}) disagree`,
    );
  }
  return fromAmount;
}

/**
 * The payment link's window (§3.6): `order_gmt_create` + `order_valid_time` on web payments, from
 * `resolveOrder`'s own pair or from `orderValidSeconds` (default 3600 s), and the instant it ends,
 * stored with the order so the sweeper knows when a link without a trade can be given up.
 */
function _linkWindow(
  ctx: RouterContext,
  variant: 'web' | 'wap',
  extra: Record<string, unknown>,
): { params: Record<string, string>; expiresAt: string | null } {
  if (variant !== 'web') return { params: {}, expiresAt: null };
  if (extra.order_gmt_create !== undefined || extra.order_valid_time !== undefined) {
    // The merchant's own pair (a half pair is refused when the payment is signed, §3.6).
    const start = typeof extra.order_gmt_create === 'string' ? parseBeijingDateTime(extra.order_gmt_create) : undefined;
    const seconds = Number(extra.order_valid_time);
    return {
      params: {},
      expiresAt: start && Number.isFinite(seconds) ? new Date(start + seconds * 1000).toISOString() : null,
    };
  }
  const seconds = ctx.options.orderValidSeconds ?? 3600;
  if (seconds === false) return { params: {}, expiresAt: null };
  const now = ctx.now();
  // Whole seconds: the gateway reads order_gmt_create to the second.
  const start = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return {
    params: { order_gmt_create: formatBeijingDateTime(start.getTime()), order_valid_time: String(seconds) },
    expiresAt: new Date(start.getTime() + seconds * 1000).toISOString(),
  };
}

export function _checkoutHandler(ctx: RouterContext) {
  const prefix = ctx.options.outTradeNoPrefix ?? 'AK';
  return async function alipayCheckout(req: _HttpRequest): Promise<_HttpAnswer> {
    const read = await _readJsonBody(req);
    if ('answer' in read) return read.answer;
    const body = read.body as { [K in keyof CheckoutRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'body must be a JSON object { order, variant? }');
    const variant = body.variant ?? 'web';
    if (variant !== 'web' && variant !== 'wap')
      return _errorAnswer(400, 'ERR_INVALID_PARAMS', "variant must be 'web' or 'wap'");
    let resolved: ResolvedOrder;
    try {
      resolved = await ctx.options.resolveOrder(req.hookRequest(body));
    } catch (e) {
      // An alipay-kit error keeps its code; any other (a merchant's own `ERR_*` too: no code on the
      // wire outside AlipayErrorCode) is a refused order, with the hook's 4xx status if it set one.
      if (isAlipayError(e) && _WIRE_CODES.has(e.code)) return _thrownAnswer(e);
      const status = (e as { status?: unknown })?.status;
      const refused = typeof status === 'number' && status >= 400 && status < 500;
      // The merchant's own message is logged (it is their code, not a secret of ours); the browser gets none of it.
      ctx.logger.warn('alipay checkout: resolveOrder threw', {
        error: e instanceof Error ? e.name : 'unknown',
        message: e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200),
        ...(refused ? { status } : {}),
      });
      // A 4xx the hook chose is a refused order; anything else is a failure on the merchant's side (500).
      if (!refused) return _errorAnswer(500, 'ERR_INTERNAL', 'the order could not be resolved (server error)');
      return _errorAnswer(status, 'ERR_INVALID_PARAMS', 'the order could not be resolved');
    }
    try {
      if (typeof resolved !== 'object' || resolved === null) invalid('value', 'is not an object');
      if (typeof resolved.currency !== 'string') invalid('currency', 'is missing');
      if (typeof resolved.subject !== 'string' || resolved.subject === '') invalid('subject', 'is missing');
      const rmb = resolved.rmb === true;
      const minor = amountOf(resolved, rmb ? 'CNY' : resolved.currency);
      const outTradeNo =
        resolved.outTradeNo ??
        `${prefix}${formatBeijingDateTime(ctx.now().getTime()).replace(/\D/g, '')}${randomBytes(5).toString('hex')}`;
      if (typeof outTradeNo !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(outTradeNo))
        invalid('outTradeNo', 'must be 1–64 letters, digits, _ or -');
      const amount = formatRequestAmount(minor, rmb ? 'CNY' : resolved.currency);
      // Allow-listed optional §3.2 parameters; the router's own fields below come last regardless.
      const extra = _resolvedPaymentParams(resolved.payment, variant);
      const window = _linkWindow(ctx, variant, extra);
      // Sign first (validates currency, subject, charset and every extra parameter, §3.2) so no
      // order is recorded for a payment that cannot be built.
      const form = ctx.client.paymentForm(
        {
          ...extra,
          ...window.params,
          out_trade_no: outTradeNo,
          subject: resolved.subject,
          body: resolved.body,
          currency: resolved.currency,
          ...(rmb ? { rmb_fee: amount } : { total_fee: amount }),
          notify_url: ctx.options.notifyUrl,
          return_url: ctx.options.returnUrl,
        },
        { variant },
      );
      await ctx.ledger.createOrder({
        out_trade_no: outTradeNo,
        subject: resolved.subject,
        body: resolved.body ?? null,
        currency: resolved.currency,
        ...(rmb ? { rmb_fee_minor: minor } : { total_fee_minor: minor }),
        variant,
        metadata: resolved.metadata === undefined ? null : JSON.stringify(resolved.metadata),
        expires_at: window.expiresAt,
      });
      const { token, expiresAt } = await ctx.tokens.issue(outTradeNo);
      const gw = ctx.client.gatewayUrl;
      return _jsonAnswer(200, {
        outTradeNo,
        url: gw + (gw.includes('?') ? '&' : '?') + encodeForm(form.fields, ctx.client.charset),
        form: { action: form.action, method: form.method, fields: form.fields },
        orderToken: token,
        expiresAt: expiresAt.toISOString(),
      } satisfies CheckoutResponse);
    } catch (e) {
      // The browser does not choose these values: a refusal here is the merchant's hook or config.
      if (isAlipayError(e) && e.code !== 'ERR_ORDER_CONFLICT')
        ctx.logger.warn('alipay checkout: the resolved order was refused', {
          code: e.code,
          field: e.field,
          message: e.message.slice(0, 200),
        });
      return _thrownAnswer(e);
    }
  };
}
