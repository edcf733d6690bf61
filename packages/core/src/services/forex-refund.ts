/**
 * `forex_refund`: refund all or part of a paid trade (protocol §6). The synchronous answer is
 * the bare XML `is_success` envelope (§6.4); with `is_sync=N` a refund notification follows
 * (§6.6, parsed in `notification/`).
 *
 * @module
 */
import { compactDateTimeToSeconds, dashedDateTimeToSeconds } from '../lib/dates.js';
import { gatewayErrorFrom } from '../xml/gateway-error.js';
import type { GatewayXmlResult } from '../xml/parse.js';
import {
  checkAmountPair,
  checkCallbackUrl,
  checkCommon,
  checkCurrency,
  fail,
  maxWidth,
  oneOf,
  readParams,
  required,
  type ValidateOptions,
} from '../lib/validate.js';

/** Request parameters of `forex_refund` (§6.2). */
export interface ForexRefundParams {
  service?: 'forex_refund';
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  notify_url?: string;
  /** Merchant refund id, unique per refund (§6.3). */
  out_return_no: string;
  out_trade_no: string;
  /** Refund in `currency`. Exactly one of `return_amount` / `return_rmb_amount` (§6.2). */
  return_amount?: string;
  /** Refund in CNY for `rmb_fee` trades. */
  return_rmb_amount?: string;
  /** The payment's currency, never CNY (§6.2). */
  currency: string;
  /** `yyyy-MM-dd HH:mm:ss` (what the client sends) or `yyyyMMddHHmmss`, Beijing time (§6.2). */
  gmt_return: string;
  reason?: string;
  product_code?: 'NEW_OVERSEAS_SELLER' | 'NEW_WAP_OVERSEAS_SELLER';
  split_fund_info?: string;
  is_sync?: 'Y' | 'N';
  [extra: string]: string | undefined;
}

/** The synchronous answer (§6.4): unsigned, `T` = accepted (or done with `is_sync=Y`). */
export interface ForexRefundResponse {
  is_success: 'T' | 'F';
  /** Present with `F`: a §6.5 code such as `RETURN_AMOUNT_EXCEED`, verbatim. */
  error?: string;
}

/** Refund error codes of §6.5, verbatim. */
export const FOREX_REFUND_ERROR_CODES = [
  'PURCHASE_TRADE_NOT_EXIST',
  'RETURN_AMOUNT_EXCEED',
  'CURRENCY_NOT_SAME',
  'REPEATED_REFUNDMENT_REQUEST',
  'REFUNDMENT_VALID_DATE_EXCEED',
  'ILLEGAL_ARGUMENT',
  'SYSTEM_EXCEPTION',
  'SYSTEM_ERROR',
] as const;

/**
 * True when `gmt_return` is in one of the two formats in use (§6.2): `yyyy-MM-dd HH:mm:ss` or
 * `yyyyMMddHHmmss`, with a real date and time.
 *
 * @example
 * ```ts
 * isGmtReturn('2021-08-26 18:32:35') // true
 * isGmtReturn('20150320120000') // true
 * isGmtReturn('2015-03-20') // false
 * ```
 */
export function isGmtReturn(value: unknown): boolean {
  return dashedDateTimeToSeconds(value) !== undefined || compactDateTimeToSeconds(value) !== undefined;
}

/**
 * Validate `forex_refund` parameters (§6.2, §3.5) and return them normalised. Throws
 * `AlipayValidationError` (`ERR_INVALID_PARAMS`, `ERR_INVALID_AMOUNT`,
 * `ERR_INVALID_CURRENCY`, `ERR_INVALID_DATE`) naming the `field`.
 *
 * @example
 * ```ts
 * validateForexRefund({
 *   partner: '2088101122136241', out_return_no: 'R1', out_trade_no: 'T1',
 *   currency: 'JPY', return_amount: '3', gmt_return: '2021-08-26 18:32:35', reason: 'no_reason',
 * })
 * ```
 */
export function validateForexRefund(params: ForexRefundParams, options: ValidateOptions = {}): ForexRefundParams {
  const p = readParams(params, 'forex_refund');
  checkCommon(p, 'forex_refund');
  required(p, 'out_return_no');
  required(p, 'out_trade_no');
  maxWidth(p, 'out_return_no', 64);
  maxWidth(p, 'out_trade_no', 64);
  const currency = checkCurrency(p, 'currency', options);
  checkAmountPair(p, 'return_amount', 'return_rmb_amount', currency);
  const gmt = required(p, 'gmt_return');
  if (!isGmtReturn(gmt)) fail('ERR_INVALID_DATE', 'gmt_return', 'must be yyyy-MM-dd HH:mm:ss or yyyyMMddHHmmss (§6.2)');
  maxWidth(p, 'reason', 100);
  maxWidth(p, 'product_code', 32);
  oneOf(p, 'product_code', ['NEW_OVERSEAS_SELLER', 'NEW_WAP_OVERSEAS_SELLER']);
  oneOf(p, 'is_sync', ['Y', 'N']);
  checkCallbackUrl(p, 'notify_url');
  return p as ForexRefundParams;
}

/**
 * Read the synchronous answer of a parsed `forex_refund` reply (§6.4): `{ is_success: 'T' }`
 * when the gateway accepted the refund, else the `AlipayGatewayError` of
 * {@link gatewayErrorFrom} (`gatewayCode` a §6.5 code such as `RETURN_AMOUNT_EXCEED`, or
 * `REPEATED_REFUNDMENT_REQUEST`, which on a retry means "possibly done", §6.3).
 *
 * @example
 * ```ts
 * readForexRefundResponse(parseGatewayXml('<alipay><is_success>T</is_success></alipay>')) // { is_success: 'T' }
 * ```
 */
export function readForexRefundResponse(result: GatewayXmlResult): ForexRefundResponse & { is_success: 'T' } {
  if (result.is_success !== 'T') throw gatewayErrorFrom(result);
  return { is_success: 'T' };
}
