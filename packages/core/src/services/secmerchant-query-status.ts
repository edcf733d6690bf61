/**
 * `alipay.overseas.secmerchant.maintain.queryStatus`: a secondary merchant's registration
 * status (protocol §11.2). Note the camel-case `queryStatus` in the service name.
 *
 * @module
 */
import { checkTimestamp } from '../lib/secmerchant.js';
import { checkCommon, fail, maxWidth, oneOf, readParams, required } from '../lib/validate.js';
import type { SecmerchantValidateOptions } from './secmerchant-online-maintain.js';

/** Request parameters of `alipay.overseas.secmerchant.maintain.queryStatus` (§11.2). */
export interface SecmerchantQueryStatusParams {
  service?: 'alipay.overseas.secmerchant.maintain.queryStatus';
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  timestamp: string;
  secondary_merchant_id: string;
  /** `ONLINE_PAYMENT` for this product (`INSTORE_PAYMENT` + `store_id` is the in-store variant). */
  payment_method: 'ONLINE_PAYMENT' | 'INSTORE_PAYMENT';
  store_id?: string;
  [extra: string]: string | undefined;
}

/**
 * Registration status. Only `FAILED` is documented; `PENDING` and `SUCCESS` are this
 * project's guesses (§11.2, §11.3 decision). Parse case-insensitively.
 */
export type SecmerchantStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** The object of a queryStatus answer (§11.2). */
export interface SecmerchantQueryStatusResponse {
  result_code?: string;
  secondary_merchant_id?: string;
  payment_method?: string;
  status?: string;
  /** Present when `status` is `FAILED`. */
  reject_reason?: string;
  detail_error_code?: string;
  detail_error_des?: string;
  [extra: string]: string | undefined;
}

/**
 * Validate queryStatus parameters (§11.2).
 *
 * @example
 * ```ts
 * validateSecmerchantQueryStatus({
 *   partner: '2088101122136241', timestamp: '2021-08-26 19:34:07',
 *   secondary_merchant_id: 'MERCHANT_ID_0003', payment_method: 'ONLINE_PAYMENT',
 * })
 * ```
 */
export function validateSecmerchantQueryStatus(
  params: SecmerchantQueryStatusParams,
  options: SecmerchantValidateOptions = {},
): SecmerchantQueryStatusParams {
  const p = readParams(params, 'alipay.overseas.secmerchant.maintain.queryStatus');
  checkCommon(p, 'alipay.overseas.secmerchant.maintain.queryStatus');
  checkTimestamp(p, options.now);
  required(p, 'secondary_merchant_id');
  maxWidth(p, 'secondary_merchant_id', 64);
  required(p, 'payment_method');
  oneOf(p, 'payment_method', ['ONLINE_PAYMENT', 'INSTORE_PAYMENT']);
  if (p.payment_method === 'INSTORE_PAYMENT' && p.store_id === undefined)
    fail('ERR_INVALID_PARAMS', 'store_id', 'is required with INSTORE_PAYMENT (§11.2)');
  return p as SecmerchantQueryStatusParams;
}

/**
 * Normalise a `status` value (case-insensitive, §11.2). Unknown values give `undefined`.
 *
 * @example
 * ```ts
 * normalizeSecmerchantStatus('pending') // 'PENDING'
 * ```
 */
export function normalizeSecmerchantStatus(status: unknown): SecmerchantStatus | undefined {
  if (typeof status !== 'string') return undefined;
  const s = status.trim().toUpperCase();
  return s === 'PENDING' || s === 'SUCCESS' || s === 'FAILED' ? s : undefined;
}
