/**
 * The reconciled range: Beijing dates checked (`YYYYMMDD` or `YYYY-MM-DD`) and the ledger
 * instants `[from, to)` they cover (protocol §8.2: file dates are Beijing dates).
 *
 * @module
 */
import { AlipayValidationError, normalizeBeijingDate } from '@alipay-kit/core';

/** Beijing midnight of a YYYYMMDD date (plus `plusDays`) as an ISO instant. */
function beijingMidnight(ymd: string, plusDays = 0): string {
  const t = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8) + plusDays) - 8 * 3600_000;
  return new Date(t).toISOString();
}

/**
 * The range of a reconciliation: `start`/`end` as `YYYYMMDD`, `from`/`to` the ledger instants.
 * Bad dates are `ERR_INVALID_DATE` naming the field.
 *
 * @example
 * ```ts
 * _reconcileRange('2026-03-01', '20260301') // { start: '20260301', end: '20260301', from: '2026-02-28T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' }
 * ```
 */
export function _reconcileRange(
  startDate: string,
  endDate: string,
): { start: string; end: string; from: string; to: string } {
  const start = normalizeBeijingDate(startDate);
  const end = normalizeBeijingDate(endDate);
  if (!start)
    throw new AlipayValidationError('ERR_INVALID_DATE', 'startDate must be a YYYYMMDD calendar date', {
      field: 'startDate',
    });
  if (!end)
    throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate must be a YYYYMMDD calendar date', {
      field: 'endDate',
    });
  if (end < start)
    throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate is before startDate', { field: 'endDate' });
  return { start, end, from: beijingMidnight(start), to: beijingMidnight(end, 1) };
}
