/**
 * The default sandbox rate table: CNY per unit, from the 2021 production `forex_rate_file`
 * capture in protocol §10 (pudongping/global-pay-doc `common/exchange_rate.md`).
 *
 * @module
 */

/**
 * Default rates (§10 capture), plus NZD: the capture lacks it, but §3.5's plugin-directory list
 * and core's `SETTLEMENT_CURRENCIES` have it, and a contracted currency needs a rate. Its figure
 * is the sandbox's own (not captured), of the capture's period.
 */
export const DEFAULT_RATES: Readonly<Record<string, string>> = Object.freeze({
  JPY: '0.059123',
  USD: '6.706400',
  THB: '0.190629',
  SGD: '4.985800',
  SEK: '0.782500',
  NOK: '0.792300',
  KRW: '0.006065',
  HKD: '0.864700',
  GBP: '8.865400',
  EUR: '7.412300',
  DKK: '0.997400',
  CHF: '6.836600',
  CAD: '5.178200',
  AUD: '5.092300',
  NZD: '4.619700',
});
