/**
 * `single_trade_query`: one trade's current state (protocol §5). The answer is XML with a
 * signed `<response><trade>` (§2.5); parse it with `parseGatewayXml` and read it with
 * {@link readTradeQueryResponse}.
 *
 * @module
 */
import { AlipayResponseError } from '../errors.js';
import { checkCommon, fail, maxWidth, readParams, type ValidateOptions } from '../lib/validate.js';
import { gatewayErrorFrom } from '../xml/gateway-error.js';
import type { GatewayXmlResult } from '../xml/parse.js';

/** Request parameters of `single_trade_query` (§5.2). */
export interface SingleTradeQueryParams {
  service?: 'single_trade_query';
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  /** Alipay trade id; takes precedence when both ids are sent. */
  trade_no?: string;
  /** Merchant order id. At least one of the two ids is required. */
  out_trade_no?: string;
  query_options?: string;
  [extra: string]: string | undefined;
}

/** `trade_status` values (§3.10). */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_FINISHED' | 'TRADE_CLOSED' | 'TRADE_SUCCESS';

/**
 * The `<trade>` object (§5.3). Every field is optional: read by name and tolerate extra or
 * missing ones (§5.3 decision). Amounts are strings; for `rmb_fee` orders they are the CNY
 * figure (§3.5), so treat them as informational.
 */
export interface SingleTradeQueryTrade {
  body?: string;
  buyer_email?: string;
  buyer_id?: string;
  discount?: string;
  flag_trade_locked?: string;
  gmt_create?: string;
  gmt_last_modified_time?: string;
  gmt_payment?: string;
  gmt_close?: string;
  is_total_fee_adjust?: string;
  operator_role?: string;
  out_trade_no?: string;
  payment_type?: string;
  price?: string;
  quantity?: string;
  seller_email?: string;
  seller_id?: string;
  subject?: string;
  to_buyer_fee?: string;
  to_seller_fee?: string;
  total_fee?: string;
  trade_no?: string;
  trade_status?: TradeStatus | string;
  use_coupon?: string;
  [extra: string]: string | undefined;
}

/**
 * Validate `single_trade_query` parameters (§5.2): at least one of `trade_no` /
 * `out_trade_no`, each at most 64 characters.
 *
 * @example
 * ```ts
 * validateSingleTradeQuery({ partner: '2088101122136241', out_trade_no: 'SAMPLE_TRANSACTION_ID' })
 * ```
 */
export function validateSingleTradeQuery(
  params: SingleTradeQueryParams,
  _options: ValidateOptions = {},
): SingleTradeQueryParams {
  const p = readParams(params, 'single_trade_query');
  checkCommon(p, 'single_trade_query');
  if (p.trade_no === undefined && p.out_trade_no === undefined)
    fail('ERR_INVALID_PARAMS', 'out_trade_no', 'one of trade_no and out_trade_no is required (§5.2)');
  maxWidth(p, 'trade_no', 64);
  maxWidth(p, 'out_trade_no', 64);
  return p as SingleTradeQueryParams;
}

/**
 * The `<trade>` of a parsed query answer. Throws the `AlipayGatewayError` of
 * {@link gatewayErrorFrom} for `is_success=F` (e.g. `TRADE_NOT_EXIST`), and
 * `AlipayResponseError` `ERR_RESPONSE_UNEXPECTED` when a `T` answer has no `<trade>`. Verify
 * the result first (`verifyGatewayXml`).
 *
 * @example
 * ```ts
 * const result = parseGatewayXml(body)
 * if (!(await verifyGatewayXml(result, { md5Key }, { signType: 'MD5' }))) throw …
 * readTradeQueryResponse(result).trade_status // 'TRADE_FINISHED'
 * ```
 */
export function readTradeQueryResponse(result: GatewayXmlResult): SingleTradeQueryTrade {
  if (result.is_success !== 'T') throw gatewayErrorFrom(result);
  if (!result.response || result.response.name !== 'trade') {
    throw new AlipayResponseError(
      'ERR_RESPONSE_UNEXPECTED',
      'single_trade_query answered T without a <response><trade> object',
    );
  }
  return { ...result.response.fields };
}
