/**
 * Money as decimal strings on the wire and integer minor units in code, never floats
 * (protocol §3.5 decision). JPY and KRW amounts are whole units; every other currency,
 * CNY included, has two decimals.
 *
 * @module
 */
import { AlipayValidationError } from './errors.js';
import { scanHundredths } from './files/amount.js';

/**
 * Settlement currencies seen for this product (§3.5: the production rate file and plugin
 * directories). The authoritative list is the merchant's contract.
 */
export const SETTLEMENT_CURRENCIES = [
  'AUD',
  'CAD',
  'CHF',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'JPY',
  'KRW',
  'NOK',
  'NZD',
  'SEK',
  'SGD',
  'THB',
  'USD',
] as const;

/** A settlement currency (ISO 4217, uppercase). */
export type SettlementCurrency = (typeof SETTLEMENT_CURRENCIES)[number];

/** Currencies whose amounts are whole units (§3.5). */
export const ZERO_DECIMAL_CURRENCIES: readonly string[] = ['JPY', 'KRW'];

/** Smallest and largest amount a request may carry, in hundredths (§3.5: 0.01–1000000.00). */
const MIN_HUNDREDTHS = 1;
const MAX_HUNDREDTHS = 100_000_000;

/** True for a currency in {@link SETTLEMENT_CURRENCIES}. */
export function isSettlementCurrency(code: unknown): code is SettlementCurrency {
  return typeof code === 'string' && (SETTLEMENT_CURRENCIES as readonly string[]).includes(code);
}

/** Decimal places of an amount denominated in `currency` (0 for JPY/KRW, else 2). */
export function currencyDecimals(currency: string): 0 | 2 {
  return ZERO_DECIMAL_CURRENCIES.includes(currency) ? 0 : 2;
}

/**
 * Parse a decimal amount string into integer minor units of `currency` (yen for JPY, cents for
 * USD and CNY). Accepts `3` and `3.00` for JPY but not `3.50` (§3.5). Enforces 0.01–1000000.00
 * unless `range: false`. Throws {@link AlipayValidationError} `ERR_INVALID_AMOUNT`.
 *
 * @example
 * ```ts
 * toMinorUnits('350.45', 'USD') // 35045
 * toMinorUnits('17.00', 'JPY') // 17
 * toMinorUnits('0.00', 'USD', { range: false }) // 0: an amount read from a notification or file
 * ```
 */
export function toMinorUnits(
  amount: string,
  currency: string,
  options: { field?: string; range?: boolean } = {},
): number {
  const field = options.field ?? 'amount';
  if (typeof amount !== 'string') badAmount(field, 'must be a decimal string');
  // A char-code scan rather than regex + split + Number (bench P4: this was the hot spot).
  const hundredths = scanHundredths(amount, 0);
  if (hundredths === -1) badAmount(field, 'must be a plain decimal with at most 2 decimals');
  if (hundredths === -2) badAmount(field, 'is out of range (0.01–1000000.00)');
  if (options.range !== false && (hundredths < MIN_HUNDREDTHS || hundredths > MAX_HUNDREDTHS))
    badAmount(field, 'is out of range (0.01–1000000.00)');
  if (currencyDecimals(currency) === 0) {
    if (hundredths % 100 !== 0) badAmount(field, `must be a whole number for ${currency}`);
    return hundredths / 100;
  }
  return hundredths;
}

function badAmount(field: string, why: string): never {
  throw new AlipayValidationError('ERR_INVALID_AMOUNT', `${field} ${why}`, { field });
}

/**
 * Format minor units for a **request** (§3.5 decision): whole number for JPY/KRW (`3`), two
 * decimals for everything else (`0.10`).
 *
 * @example
 * ```ts
 * formatRequestAmount(3, 'JPY') // '3'
 * formatRequestAmount(10, 'USD') // '0.10'
 * ```
 */
export function formatRequestAmount(minor: number, currency: string): string {
  assertMinor(minor);
  return currencyDecimals(currency) === 0 ? String(minor) : twoDecimals(minor);
}

/**
 * Format minor units the way Alipay **outputs** amounts: always two decimals (`17.00` for JPY).
 *
 * @example
 * ```ts
 * formatGatewayAmount(17, 'JPY') // '17.00'
 * ```
 */
export function formatGatewayAmount(minor: number, currency: string): string {
  assertMinor(minor);
  return currencyDecimals(currency) === 0 ? `${minor}.00` : twoDecimals(minor);
}

function twoDecimals(hundredths: number): string {
  const s = String(hundredths).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

function assertMinor(minor: number): void {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError('minor units must be a non-negative safe integer');
}

function parseRate(rate: string): { int: bigint; scale: bigint } {
  if (typeof rate !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(rate))
    throw new AlipayValidationError('ERR_INVALID_AMOUNT', 'rate must be a decimal string', { field: 'rate' });
  const [w, f = ''] = rate.split('.') as [string, string?];
  const int = BigInt(w + f);
  if (int === 0n) throw new AlipayValidationError('ERR_INVALID_AMOUNT', 'rate must be positive', { field: 'rate' });
  return { int, scale: 10n ** BigInt(f.length) };
}

function divHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/**
 * Convert an amount in `currency` minor units to CNY cents at `rate` (CNY per one unit),
 * rounding half-up (§13 "Currency conversion").
 *
 * @example
 * ```ts
 * foreignToCny(10, 'HKD', '0.85420000') // 9  (HKD 0.10 → CNY 0.09, the seed sample)
 * ```
 */
export function foreignToCny(minor: number, currency: string, rate: string): number {
  assertMinor(minor);
  const r = parseRate(rate);
  const unit = currencyDecimals(currency) === 0 ? 1n : 100n;
  return Number(divHalfUp(BigInt(minor) * r.int * 100n, unit * r.scale));
}

/**
 * Convert CNY cents to minor units of `currency` at `rate` (CNY per one unit), half-up.
 *
 * @example
 * ```ts
 * cnyToForeign(101, 'JPY', '0.059123') // 17 (the JPY rmb_fee=1.01 capture, §3.5)
 * ```
 */
export function cnyToForeign(cnyCents: number, currency: string, rate: string): number {
  assertMinor(cnyCents);
  const r = parseRate(rate);
  const unit = currencyDecimals(currency) === 0 ? 1n : 100n;
  return Number(divHalfUp(BigInt(cnyCents) * unit * r.scale, 100n * r.int));
}
