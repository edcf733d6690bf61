// Every service of core's SERVICE_REGISTRY bound to the one client method that sends it, core's
// validator for its request and core's reader for its reply (issue 16 point 1: core owns each
// service's rules; the client holds no copy). The operations take validator and reader from this
// table, and `satisfies` makes a service added to the registry fail to compile until it has a row.
import {
  parseCompareFile,
  parseLiquidationFile,
  readNotifyVerifyResponse,
  parseRateFile,
  readForexRefundResponse,
  readSecmerchantResult,
  readTradeQueryResponse,
  validateCreateForexTrade,
  validateCreateForexTradeWap,
  validateForexCompareFile,
  validateForexLiquidationFile,
  validateForexRateFile,
  validateForexRefund,
  validateNotifyVerify,
  validateSecmerchantOnlineMaintain,
  validateSecmerchantQueryStatus,
  validateSingleTradeQuery,
  type ServiceName,
} from '@alipay-kit/core';
import type { GatewayClient } from './create-gateway-client.js';

/** Options every core validator is called with (contracted currencies, the clock, §8.2 range). */
export interface _ValidateOptions {
  currencies?: readonly string[];
  /** Epoch ms of the client's clock (secondary-merchant `timestamp` window, §11.1). */
  now?: number;
}

/** One row: the client method, core's validator, core's reader (`null`: the browser receives the answer). */
export interface _Operation {
  readonly method: keyof GatewayClient;
  readonly validate: (params: Record<string, string>, options: _ValidateOptions) => Record<string, string>;
  readonly read: ((reply: never, ...rest: never[]) => unknown) | null;
}

type Validator = _Operation['validate'];
const v = (fn: (params: never, options?: never) => unknown): Validator => fn as unknown as Validator;

/**
 * Service → client method, validator, reader. `create_forex_trade(_wap)` are sent by the buyer's
 * browser, so their answer is the notification and the return, read by `verifyNotification` in
 * the router; the payment methods (`paymentParams`, `paymentUrl`, `paymentForm`) all go through
 * `paymentParams`.
 */
export const _OPERATIONS = Object.freeze({
  create_forex_trade: { method: 'paymentParams', validate: v(validateCreateForexTrade), read: null },
  create_forex_trade_wap: { method: 'paymentParams', validate: v(validateCreateForexTradeWap), read: null },
  forex_refund: { method: 'refund', validate: v(validateForexRefund), read: readForexRefundResponse },
  single_trade_query: { method: 'query', validate: v(validateSingleTradeQuery), read: readTradeQueryResponse },
  notify_verify: { method: 'notifyVerify', validate: v(validateNotifyVerify), read: readNotifyVerifyResponse },
  forex_compare_file: { method: 'compareFile', validate: v(validateForexCompareFile), read: parseCompareFile },
  forex_liquidation_file: {
    method: 'liquidationFile',
    validate: v(validateForexLiquidationFile),
    read: parseLiquidationFile,
  },
  forex_rate_file: { method: 'rateFile', validate: v(validateForexRateFile), read: parseRateFile },
  'alipay.overseas.secmerchant.online.maintain': {
    method: 'secmerchantMaintain',
    validate: v(validateSecmerchantOnlineMaintain),
    read: readSecmerchantResult,
  },
  'alipay.overseas.secmerchant.maintain.queryStatus': {
    method: 'secmerchantQueryStatus',
    validate: v(validateSecmerchantQueryStatus),
    read: readSecmerchantResult,
  },
} as const satisfies { readonly [K in ServiceName]: _Operation });
