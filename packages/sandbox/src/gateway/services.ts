/**
 * The services `gateway.do` knows (protocol §0) with their allowed `_input_charset` values
 * (§1.3 table and decision) and how their errors are answered (§1.6 decision).
 *
 * @module
 */

/** How a service answers: cashier HTML, XML, plain-text files, or notify_verify's true/false. */
export type ServiceKind = 'cashier' | 'xml' | 'file' | 'verify';

/** One service's gateway-level traits. */
export interface ServiceInfo {
  kind: ServiceKind;
  /** Allowed `_input_charset` values, uppercase (compared case-insensitively). */
  charsets: ReadonlySet<string>;
}

const ALL = new Set(['UTF-8', 'GBK', 'GB2312']);

/** Every service of §0. */
export const SERVICES: Readonly<Record<string, ServiceInfo>> = Object.freeze({
  create_forex_trade: { kind: 'cashier', charsets: new Set(['UTF-8', 'GBK']) },
  create_forex_trade_wap: { kind: 'cashier', charsets: new Set(['UTF-8']) },
  // §1.3 decision: forex_refund takes UTF-8 and GBK.
  forex_refund: { kind: 'xml', charsets: new Set(['UTF-8', 'GBK']) },
  single_trade_query: { kind: 'xml', charsets: ALL },
  notify_verify: { kind: 'verify', charsets: ALL },
  forex_compare_file: { kind: 'file', charsets: ALL },
  forex_liquidation_file: { kind: 'file', charsets: ALL },
  forex_rate_file: { kind: 'file', charsets: ALL },
  'alipay.overseas.secmerchant.online.maintain': { kind: 'xml', charsets: ALL },
  'alipay.overseas.secmerchant.maintain.queryStatus': { kind: 'xml', charsets: ALL },
});

/** Look a service up without prototype surprises. */
export function serviceInfo(name: string | undefined): ServiceInfo | undefined {
  return name !== undefined && Object.prototype.hasOwnProperty.call(SERVICES, name) ? SERVICES[name] : undefined;
}
