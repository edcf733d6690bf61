// The optional §3.2 parameters of a resolved order (`ResolvedOrder.payment`): an allow-list,
// so the merchant's hook can never override the price, currency, ids, callbacks or signature.
// Values are left to the client, which runs core's validateCreateForexTrade(_Wap) on what it signs.
import { AlipayValidationError, formatBeijingDateTime } from '@alipay-kit/core';
import type { PaymentVariant } from '../client/payment.js';
import type { ResolvedPaymentParams } from './options.js';

type Key = keyof ResolvedPaymentParams;

/** Keys accepted for both variants, and the variant-specific ones (§3.1). */
const COMMON: readonly Key[] = [
  'refer_url',
  'supplier',
  'trade_information',
  'timeout_rule',
  'split_fund_info',
  'secondary_merchant_id',
  'secondary_merchant_name',
  'secondary_merchant_industry',
];
const WEB_ONLY: readonly Key[] = ['order_gmt_create', 'order_valid_time'];
const WAP_ONLY: readonly Key[] = ['app_pay'];
const ALLOWED = new Set<string>([...COMMON, ...WEB_ONLY, ...WAP_ONLY]);

/** Keys the router (or the client) owns; named in the error so the mistake is obvious. */
const OWNED = new Set([
  'service',
  'partner',
  '_input_charset',
  'sign',
  'sign_type',
  'out_trade_no',
  'subject',
  'body',
  'currency',
  'total_fee',
  'rmb_fee',
  'product_code',
  'notify_url',
  'return_url',
]);

function refuse(key: string, why: string): never {
  throw new AlipayValidationError('ERR_INVALID_PARAMS', `resolveOrder returned payment.${key}: ${why}`, { field: key });
}

/**
 * Check `ResolvedOrder.payment` against the allow-list and turn it into wire strings for the
 * client (objects → JSON text, `Date` → GMT+8, numbers → digits). Keys for the other variant
 * are dropped. Throws `AlipayValidationError` (`ERR_INVALID_PARAMS`, `field`) for an owned or
 * unknown key or a value of the wrong type.
 */
export function _resolvedPaymentParams(
  payment: unknown,
  variant: PaymentVariant,
): Record<string, string | Record<string, unknown> | unknown[]> {
  if (payment === undefined || payment === null) return {};
  if (typeof payment !== 'object' || Array.isArray(payment)) refuse('(value)', 'must be an object');
  const proto = Object.getPrototypeOf(payment);
  if (proto !== Object.prototype && proto !== null) refuse('(value)', 'must be a plain object');
  const out: Record<string, string | Record<string, unknown> | unknown[]> = {};
  for (const key of Object.keys(payment)) {
    if (OWNED.has(key))
      refuse(
        key,
        'is set by the router, not by the order (price, currency, ids, callbacks and signing fields cannot be overridden)',
      );
    if (!ALLOWED.has(key)) refuse(key, `is not a supported payment parameter (allowed: ${[...ALLOWED].join(', ')})`);
    const v: unknown = (payment as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '') continue;
    if (
      (variant === 'wap' && (WEB_ONLY as string[]).includes(key)) ||
      (variant === 'web' && (WAP_ONLY as string[]).includes(key))
    )
      continue;
    if (key === 'trade_information') {
      if (typeof v !== 'string' && (typeof v !== 'object' || Array.isArray(v)))
        refuse(key, 'must be a JSON object or its JSON text (§3.3)');
      out[key] = v as string | Record<string, unknown>;
    } else if (key === 'split_fund_info') {
      if (typeof v !== 'string' && !Array.isArray(v)) refuse(key, 'must be a JSON array or its JSON text (§3.4)');
      out[key] = v as string | unknown[];
    } else if (key === 'order_gmt_create' && v instanceof Date) {
      if (Number.isNaN(v.getTime())) refuse(key, 'is an invalid Date');
      out[key] = formatBeijingDateTime(v.getTime());
    } else if (key === 'order_valid_time' && typeof v === 'number') {
      if (!Number.isSafeInteger(v)) refuse(key, 'must be whole seconds');
      out[key] = String(v);
    } else {
      if (typeof v !== 'string') refuse(key, 'must be a string');
      out[key] = v;
    }
  }
  return out;
}
