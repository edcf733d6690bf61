/**
 * `create_forex_trade`: the PC web payment (protocol §3). The buyer's browser is sent to the
 * gateway with these signed parameters; the result arrives by sync return (§3.8) and async
 * notification (§3.9), both typed in `notification/`.
 *
 * @module
 */
import { validateCreateTrade } from '../lib/create-trade.js';
import type { ValidateOptions } from '../lib/validate.js';

export { TIMEOUT_RULES } from '../lib/create-trade.js';
export type { ValidateOptions } from '../lib/validate.js';

/** The fields `create_forex_trade` and `create_forex_trade_wap` share (§3.2), spelled as on the wire. */
export interface CreateTradeCommonParams {
  service?: string;
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  notify_url?: string;
  return_url?: string;
  subject: string;
  body?: string;
  out_trade_no: string;
  currency: string;
  /** Price in `currency`. Exactly one of `total_fee` / `rmb_fee` (§3.5). */
  total_fee?: string;
  /** Price in CNY. Exactly one of `total_fee` / `rmb_fee` (§3.5). */
  rmb_fee?: string;
  timeout_rule?: string;
  supplier?: string;
  secondary_merchant_id?: string;
  secondary_merchant_name?: string;
  secondary_merchant_industry?: string;
  refer_url?: string;
  product_code?: string;
  split_fund_info?: string;
  trade_information?: string;
  /** Any other parameter is passed through and signed (§2.1 step 1). */
  [extra: string]: string | undefined;
}

/** Request parameters of `create_forex_trade` (§3.2), spelled as on the wire. */
export interface CreateForexTradeParams extends CreateTradeCommonParams {
  service?: 'create_forex_trade';
  product_code?: 'NEW_OVERSEAS_SELLER';
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time; paired with `order_valid_time` (§3.6). */
  order_gmt_create?: string;
  /** Seconds, 1–2592000; paired with `order_gmt_create` (§3.6). */
  order_valid_time?: string;
}

/**
 * Validate `create_forex_trade` parameters (§3.2, §3.5, §3.6) and return them normalised
 * (`service` filled in, empty values dropped). Throws `AlipayValidationError` with `code`
 * `ERR_INVALID_PARAMS` / `ERR_INVALID_AMOUNT` / `ERR_INVALID_CURRENCY` / `ERR_INVALID_DATE`
 * and the offending `field`.
 *
 * @example
 * ```ts
 * const params = validateCreateForexTrade({
 *   partner: '2088101122136241', _input_charset: 'UTF-8', out_trade_no: '12345',
 *   subject: 'product_name', currency: 'USD', total_fee: '350.45',
 *   notify_url: 'https://example.com/notify',
 * })
 * params.service // 'create_forex_trade'
 * ```
 */
export function validateCreateForexTrade(
  params: CreateForexTradeParams,
  options: ValidateOptions = {},
): CreateForexTradeParams {
  return validateCreateTrade(params, 'create_forex_trade', options) as CreateForexTradeParams;
}
