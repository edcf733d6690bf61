/**
 * Request amount validation and output formatting (protocol §3.5 decision), on top of core's
 * money helpers: `^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$`, 0.01–1000000.00, whole numbers for amounts
 * denominated in JPY/KRW; every output has two decimals.
 *
 * @module
 */
import { formatRequestAmount, formatGatewayAmount, toMinorUnits } from '@alipay-kit/core';

/** Minor units of a request amount in `currency`, or `undefined` when it breaks §3.5. */
export function parseRequestAmount(value: string | undefined, currency: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return toMinorUnits(value, currency);
  } catch {
    return undefined;
  }
}

/** Format minor units of `currency` the way the gateway prints amounts (two decimals). */
export function outAmount(minor: number, currency: string): string {
  return formatGatewayAmount(minor, currency);
}

/** Format CNY cents with two decimals. */
export function outCny(cents: number): string {
  return formatGatewayAmount(cents, 'CNY');
}

/** A rate string with exactly `decimals` decimals (padded or cut; rates are CNY per unit, §10). */
export function formatRate(rate: string, decimals: number): string {
  const [w, f = ''] = rate.split('.') as [string, string?];
  return `${w}.${(f + '0'.repeat(decimals)).slice(0, decimals)}`;
}

/** Half-up percentage of minor units (fees in files, §9.3). */
export function percentOf(minor: number, basisPoints: number): number {
  return Math.floor((minor * basisPoints + 5000) / 10000);
}

/**
 * An amount for people, as the shop shows it: the currency code, digits grouped by thousands,
 * the currency's own decimals (none for JPY/KRW). Pages only; the wire keeps §3.5's format.
 *
 * @example
 * ```ts
 * displayAmount(205216, 'CNY') // 'CNY 2,052.16'
 * displayAmount(3600, 'JPY')   // 'JPY 3,600'
 * ```
 */
export function displayAmount(minor: number, currency: string): string {
  const plain = formatRequestAmount(minor, currency);
  const [whole, frac] = plain.split('.') as [string, string?];
  return `${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
}

/** {@link displayAmount} of a decimal amount string as the records carry it (`'2052.16'`, JPY `'17.00'`). */
export function displayAmountOf(amount: string, currency: string): string {
  try {
    return displayAmount(toMinorUnits(amount, currency, { range: false }), currency);
  } catch {
    return `${currency} ${amount}`;
  }
}
