/**
 * Input checks shared by the batch and range queries that reconciliation makes of a ledger
 * (`getOrderFactsByIds`, `getRefundsByIds`, `countOrdersPaidInRange`, `listRefundsInRange`), so that
 * the SQLite and PostgreSQL ledgers refuse the same input the same way.
 *
 * @module
 */
import { AlipayValidationError } from '@alipay-kit/core';
import type { LedgerRange, PaymentRowQuery } from './types.js';

/** The most ids one batch call accepts (a caller reconciling a file sends about 1,000). */
export const _MAX_BATCH_IDS = 10_000;

/**
 * `ids` checked: an array of at most {@link _MAX_BATCH_IDS} strings, duplicates removed.
 *
 * @example
 * ```ts
 * _idsInput(['A1', 'A1', 'A2']) // ['A1', 'A2']
 * ```
 */
export function _idsInput(ids: unknown): string[] {
  if (!Array.isArray(ids)) throw new TypeError('ids must be an array of strings');
  if (ids.length > _MAX_BATCH_IDS)
    throw new AlipayValidationError('ERR_INVALID_PARAMS', `at most ${_MAX_BATCH_IDS} ids per call`, { field: 'ids' });
  for (const id of ids) if (typeof id !== 'string') throw new TypeError('ids must be an array of strings');
  return [...new Set(ids as string[])];
}

/**
 * `rows` checked: an array of at most {@link _MAX_BATCH_IDS} {@link PaymentRowQuery}s (string id
 * and currency, safe-integer amount), as `[id, currency, amount]` triples for a JSON parameter.
 *
 * @example
 * ```ts
 * _paymentRowsInput([{ out_trade_no: 'A1', currency: 'USD', amount_minor: 1000 }]) // [['A1', 'USD', 1000]]
 * ```
 */
export function _paymentRowsInput(rows: unknown): Array<[string, string, number]> {
  if (!Array.isArray(rows)) throw new TypeError('rows must be an array of payment rows');
  if (rows.length > _MAX_BATCH_IDS)
    throw new AlipayValidationError('ERR_INVALID_PARAMS', `at most ${_MAX_BATCH_IDS} rows per call`, { field: 'rows' });
  return rows.map((r: Partial<PaymentRowQuery> | null) => {
    if (
      typeof r?.out_trade_no !== 'string' ||
      typeof r.currency !== 'string' ||
      typeof r.amount_minor !== 'number' ||
      !Number.isSafeInteger(r.amount_minor)
    )
      throw new TypeError('each row needs a string out_trade_no and currency and an integer amount_minor');
    return [r.out_trade_no, r.currency, r.amount_minor];
  });
}

/**
 * A `[from, to)` range of ISO instants, checked and normalised (`toISOString()`), so that both
 * ledgers compare the same text.
 *
 * @example
 * ```ts
 * _rangeInput({ from: '2026-02-28T16:00:00Z', to: '2026-03-01T16:00:00Z' }) // { from: '2026-02-28T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' }
 * ```
 */
export function _rangeInput(range: unknown): LedgerRange {
  const r = range as Partial<LedgerRange> | null;
  if (typeof r !== 'object' || r === null) throw new TypeError('range must be an object { from, to }');
  const iso = (v: unknown, field: string): string => {
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(t))
      throw new AlipayValidationError('ERR_INVALID_DATE', `${field} must be an ISO instant`, { field });
    return new Date(t).toISOString();
  };
  const out = { from: iso(r.from, 'from'), to: iso(r.to, 'to') };
  if (out.to < out.from) throw new AlipayValidationError('ERR_INVALID_DATE', 'to is before from', { field: 'to' });
  return out;
}
