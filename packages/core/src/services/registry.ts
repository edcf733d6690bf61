/**
 * The gateway's services in one table (protocol §0, §1.2c, §1.3): which `_input_charset`
 * values each accepts, what media type it answers with, and which object its signed
 * `<response>` carries. Shared by the client and the sandbox so both agree.
 *
 * @module
 */

/** Every `service` value of this product (§0). */
export const SERVICE_NAMES = [
  'create_forex_trade',
  'create_forex_trade_wap',
  'forex_refund',
  'single_trade_query',
  'notify_verify',
  'forex_compare_file',
  'forex_liquidation_file',
  'forex_rate_file',
  'alipay.overseas.secmerchant.online.maintain',
  'alipay.overseas.secmerchant.maintain.queryStatus',
] as const;

/** A `service` value of this product. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What the registry knows about one service. */
export interface ServiceInfo {
  /** The `service` value, exactly as sent (case matters: `queryStatus`). */
  readonly name: ServiceName;
  /**
   * `_input_charset` values accepted (uppercase; compare case-insensitively). §1.3 table, with
   * the project decision that `forex_refund` takes both `UTF-8` and `GBK`.
   */
  readonly inputCharsets: readonly ('UTF-8' | 'GBK' | 'GB2312')[];
  /** Media type of a successful answer (§1.2c); gateway-level errors follow §1.6. */
  readonly responseMediaType: 'text/html' | 'text/xml' | 'text/plain';
  /** Who calls it: the buyer's browser (redirect/form) or the merchant's server. */
  readonly caller: 'browser' | 'server';
  /** Whether the client signs the request (`notify_verify` is sent unsigned, §7 decision). */
  readonly signed: boolean;
  /** Element under `<response>` of a successful XML answer (§1.5 decision, §11.3 invented). */
  readonly responseObject?: 'trade' | 'secmerchant';
  /** `product_code` that belongs to the service, when it has one (§3.2). */
  readonly productCode?: 'NEW_OVERSEAS_SELLER' | 'NEW_WAP_OVERSEAS_SELLER';
}

const ALL = ['UTF-8', 'GBK', 'GB2312'] as const;

/**
 * Service name → {@link ServiceInfo}.
 *
 * @example
 * ```ts
 * SERVICE_REGISTRY['create_forex_trade_wap'].inputCharsets // ['UTF-8']
 * SERVICE_REGISTRY['forex_rate_file'].responseMediaType // 'text/plain'
 * ```
 */
export const SERVICE_REGISTRY: { readonly [K in ServiceName]: ServiceInfo & { readonly name: K } } = Object.freeze({
  create_forex_trade: {
    name: 'create_forex_trade',
    inputCharsets: ['UTF-8', 'GBK'],
    responseMediaType: 'text/html',
    caller: 'browser',
    signed: true,
    productCode: 'NEW_OVERSEAS_SELLER',
  },
  create_forex_trade_wap: {
    name: 'create_forex_trade_wap',
    inputCharsets: ['UTF-8'],
    responseMediaType: 'text/html',
    caller: 'browser',
    signed: true,
    productCode: 'NEW_WAP_OVERSEAS_SELLER',
  },
  forex_refund: {
    name: 'forex_refund',
    inputCharsets: ['UTF-8', 'GBK'],
    responseMediaType: 'text/xml',
    caller: 'server',
    signed: true,
  },
  single_trade_query: {
    name: 'single_trade_query',
    inputCharsets: ALL,
    responseMediaType: 'text/xml',
    caller: 'server',
    signed: true,
    responseObject: 'trade',
  },
  notify_verify: {
    name: 'notify_verify',
    inputCharsets: ALL,
    responseMediaType: 'text/plain',
    caller: 'server',
    signed: false,
  },
  forex_compare_file: {
    name: 'forex_compare_file',
    inputCharsets: ALL,
    responseMediaType: 'text/plain',
    caller: 'server',
    signed: true,
  },
  forex_liquidation_file: {
    name: 'forex_liquidation_file',
    inputCharsets: ALL,
    responseMediaType: 'text/plain',
    caller: 'server',
    signed: true,
  },
  forex_rate_file: {
    name: 'forex_rate_file',
    inputCharsets: ALL,
    responseMediaType: 'text/plain',
    caller: 'server',
    signed: true,
  },
  'alipay.overseas.secmerchant.online.maintain': {
    name: 'alipay.overseas.secmerchant.online.maintain',
    inputCharsets: ALL,
    responseMediaType: 'text/xml',
    caller: 'server',
    signed: true,
    responseObject: 'secmerchant',
  },
  'alipay.overseas.secmerchant.maintain.queryStatus': {
    name: 'alipay.overseas.secmerchant.maintain.queryStatus',
    inputCharsets: ALL,
    responseMediaType: 'text/xml',
    caller: 'server',
    signed: true,
    responseObject: 'secmerchant',
  },
});

/**
 * Look a service up by its exact name; `undefined` for anything unknown (the gateway's
 * `ILLEGAL_SERVICE`, §1.6). Safe for hostile input (`__proto__`, non-strings).
 *
 * @example
 * ```ts
 * getServiceInfo('forex_refund')?.responseMediaType // 'text/xml'
 * getServiceInfo('create_direct_pay_by_user') // undefined
 * ```
 */
export function getServiceInfo(name: unknown): ServiceInfo | undefined {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(SERVICE_REGISTRY, name)) return undefined;
  return SERVICE_REGISTRY[name as ServiceName];
}

/**
 * True when `charset` (any case) is an accepted `_input_charset` for `service` (§1.3 decision).
 *
 * @example
 * ```ts
 * isInputCharsetAllowed('create_forex_trade_wap', 'gbk') // false
 * isInputCharsetAllowed('single_trade_query', 'gb2312') // true
 * ```
 */
export function isInputCharsetAllowed(service: unknown, charset: unknown): boolean {
  const info = getServiceInfo(service);
  if (!info || typeof charset !== 'string') return false;
  const up = charset.toUpperCase();
  return (info.inputCharsets as readonly string[]).includes(up);
}
