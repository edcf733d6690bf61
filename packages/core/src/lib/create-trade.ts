// Validation shared by create_forex_trade and create_forex_trade_wap (§3.2, §3.5, §3.6). Internal.
import { dashedDateTimeToSeconds } from './dates.js';
import {
  checkAmountPair,
  checkCallbackUrl,
  checkCommon,
  checkCurrency,
  fail,
  maxWidth,
  parseJsonParam,
  readParams,
  required,
  type Out,
  type ValidateOptions,
} from './validate.js';

/** `timeout_rule` values (§3.2). */
export const TIMEOUT_RULES = [
  '5m',
  '10m',
  '15m',
  '30m',
  '1h',
  '2h',
  '3h',
  '5h',
  '10h',
  '12h',
  '1d',
  '3d',
  '7d',
  '15d',
] as const;

export function validateCreateTrade(
  params: unknown,
  service: 'create_forex_trade' | 'create_forex_trade_wap',
  options: ValidateOptions,
): Out {
  const wap = service === 'create_forex_trade_wap';
  const p = readParams(params, service);
  checkCommon(p, service);
  required(p, 'subject');
  required(p, 'out_trade_no');
  const currency = checkCurrency(p, 'currency', options);
  checkAmountPair(p, 'total_fee', 'rmb_fee', currency);
  maxWidth(p, 'subject', 256);
  maxWidth(p, 'body', 400);
  maxWidth(p, 'out_trade_no', 64);
  maxWidth(p, 'secondary_merchant_id', 64);
  maxWidth(p, 'product_code', 32);
  checkCallbackUrl(p, 'notify_url');
  checkCallbackUrl(p, 'return_url');
  // The (secondary) merchant's website (§3.2): an http(s) URL; unlike the callbacks it may carry a query.
  maxWidth(p, 'refer_url', 200);
  if (p.refer_url !== undefined && !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(p.refer_url))
    fail('ERR_INVALID_PARAMS', 'refer_url', 'must be an http(s) URL (§3.2)');
  if (p.secondary_merchant_industry !== undefined && !/^[0-9]{4}$/.test(p.secondary_merchant_industry)) {
    fail('ERR_INVALID_PARAMS', 'secondary_merchant_industry', 'must be a 4-digit MCC (§3.2)');
  }
  const product = wap ? 'NEW_WAP_OVERSEAS_SELLER' : 'NEW_OVERSEAS_SELLER';
  if (p.product_code !== undefined && p.product_code !== product)
    fail('ERR_INVALID_PARAMS', 'product_code', `must be ${product} for ${service} (§3.2)`);
  if (p.timeout_rule !== undefined && !(TIMEOUT_RULES as readonly string[]).includes(p.timeout_rule)) {
    fail('ERR_INVALID_PARAMS', 'timeout_rule', `must be one of ${TIMEOUT_RULES.join(' ')} (§3.2)`);
  }
  const gmt = p.order_gmt_create;
  const valid = p.order_valid_time;
  if (wap && (gmt !== undefined || valid !== undefined)) {
    fail(
      'ERR_INVALID_PARAMS',
      gmt !== undefined ? 'order_gmt_create' : 'order_valid_time',
      'is web only: create_forex_trade_wap has no order_gmt_create/order_valid_time (§3.1)',
    );
  }
  if ((gmt === undefined) !== (valid === undefined)) {
    fail(
      'ERR_INVALID_PARAMS',
      gmt === undefined ? 'order_gmt_create' : 'order_valid_time',
      'order_gmt_create and order_valid_time come as a pair (§3.6)',
    );
  }
  if (gmt !== undefined && dashedDateTimeToSeconds(gmt) === undefined)
    fail('ERR_INVALID_DATE', 'order_gmt_create', 'must be yyyy-MM-dd HH:mm:ss (§3.6)');
  if (valid !== undefined && (!/^[1-9][0-9]{0,6}$/.test(valid) || Number(valid) > 2_592_000)) {
    fail('ERR_INVALID_PARAMS', 'order_valid_time', 'must be whole seconds from 1 to 2592000 (§3.6)');
  }
  if (wap && p.app_pay !== undefined && p.app_pay !== 'Y' && p.app_pay !== 'N')
    fail('ERR_INVALID_PARAMS', 'app_pay', 'must be Y or N');
  const info = parseJsonParam(p, 'trade_information');
  if (info !== undefined && (typeof info !== 'object' || info === null || Array.isArray(info))) {
    fail('ERR_INVALID_PARAMS', 'trade_information', 'must be a JSON object (§3.3)');
  }
  const split = parseJsonParam(p, 'split_fund_info', true);
  if (split !== undefined && (!Array.isArray(split) || split.length === 0 || split.length > 10)) {
    fail('ERR_INVALID_PARAMS', 'split_fund_info', 'must be a JSON array of 1 to 10 entries (§3.4)');
  }
  return p;
}
