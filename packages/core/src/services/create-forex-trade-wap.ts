/**
 * `create_forex_trade_wap`: the mobile (H5) payment (protocol §3.1). Same as
 * `create_forex_trade` except `_input_charset` is `UTF-8` only, `product_code` is
 * `NEW_WAP_OVERSEAS_SELLER`, there is an `app_pay` flag and no `order_gmt_create` /
 * `order_valid_time`.
 *
 * @module
 */
import { validateCreateTrade } from '../lib/create-trade.js';
import type { ValidateOptions } from '../lib/validate.js';
import type { CreateTradeCommonParams } from './create-forex-trade.js';

/**
 * Request parameters of `create_forex_trade_wap` (§3.1, §3.2): the web service's fields without
 * `order_gmt_create` / `order_valid_time`, with its own `service` and `product_code`, plus
 * `app_pay`.
 */
export interface CreateForexTradeWapParams extends CreateTradeCommonParams {
  service?: 'create_forex_trade_wap';
  product_code?: 'NEW_WAP_OVERSEAS_SELLER';
  /** `Y` asks the H5 cashier to open the Alipay app. */
  app_pay?: 'Y' | 'N';
}

/**
 * Validate `create_forex_trade_wap` parameters; see {@link validateCreateForexTrade} for the
 * rules and error codes.
 *
 * @example
 * ```ts
 * validateCreateForexTradeWap({
 *   partner: '2088101122136241', _input_charset: 'utf-8', out_trade_no: '12345',
 *   subject: 'product_name', currency: 'USD', total_fee: '350.45',
 * }).service // 'create_forex_trade_wap'
 * ```
 */
export function validateCreateForexTradeWap(
  params: CreateForexTradeWapParams,
  options: ValidateOptions = {},
): CreateForexTradeWapParams {
  return validateCreateTrade(params, 'create_forex_trade_wap', options) as CreateForexTradeWapParams;
}
