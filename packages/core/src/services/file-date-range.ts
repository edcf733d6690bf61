/**
 * The date rules of the two record-file services (protocol §8.2, §8.3), as pure functions:
 * "today" is an argument (a Beijing `YYYYMMDD`, e.g. from `formatBeijingDate(clock())`), never
 * read from a clock.
 *
 * @module
 */
import { parseYmd } from '../lib/dates.js';

/**
 * The `forex_compare_file` / `forex_liquidation_file` failure sentences of §8.3, verbatim,
 * without the `File download failed:` prefix.
 */
export const FILE_ERROR_SENTENCES = {
  ILLEGAL_DATE_PERIOD: 'Illegal Date period!',
  DATE_FORMAT: 'Date format incorrect YYYYMMDD',
  FINISH_BEFORE_BEGIN: 'Finish date ahead of begin date',
  FINISH_NOT_BEFORE_TODAY: 'Finish date not ahead of today',
  OVER_10_DAYS: 'Over 10 days to Date period',
  NO_DATA: 'No balance account data in the period',
  NO_DATA_SETTLEMENT: 'No balance amount data in the period',
  OVER_LIMIT: 'Over limit balance amount record',
  SYSTEM_EXCEPTION: 'System exception',
  INTERNET_EXCEPTION: 'Internet connected exception ,please try later',
} as const;

/** The prefix the date sentences carry (and the emulator always sends, §8.3 decision). */
export const FILE_ERROR_PREFIX = 'File download failed:';

/** Outcome of {@link checkFileDateRange}. */
export type FileDateRangeCheck =
  | { ok: true; days: number }
  | {
      ok: false;
      sentence: (typeof FILE_ERROR_SENTENCES)[keyof typeof FILE_ERROR_SENTENCES];
      field: 'start_date' | 'end_date';
    };

/** Options of {@link checkFileDateRange}. */
export interface FileDateRangeOptions {
  /** Beijing date `YYYYMMDD` of "now"; when omitted the "before today" rule is skipped. */
  today?: string;
  /** Longest range in inclusive days (default 10: `end - start ≤ 9`, §8.2 emulator note). */
  maxDays?: number;
}

/**
 * Check a `start_date`/`end_date` pair in the order of the §8.3 decision: missing, format,
 * end before start, end not before today, range too long. The first failure wins and is
 * reported with its sentence; success reports the inclusive number of days.
 *
 * @example
 * ```ts
 * checkFileDateRange('20120202', '20120205', { today: '20120301' }) // { ok: true, days: 4 }
 * checkFileDateRange('20120205', '20120202').ok // false: 'Finish date ahead of begin date'
 * ```
 */
export function checkFileDateRange(
  start: unknown,
  end: unknown,
  options: FileDateRangeOptions = {},
): FileDateRangeCheck {
  const S = FILE_ERROR_SENTENCES;
  if (typeof start !== 'string' || start === '')
    return { ok: false, sentence: S.ILLEGAL_DATE_PERIOD, field: 'start_date' };
  if (typeof end !== 'string' || end === '') return { ok: false, sentence: S.ILLEGAL_DATE_PERIOD, field: 'end_date' };
  const s = parseYmd(start);
  if (s === undefined) return { ok: false, sentence: S.DATE_FORMAT, field: 'start_date' };
  const e = parseYmd(end);
  if (e === undefined) return { ok: false, sentence: S.DATE_FORMAT, field: 'end_date' };
  if (e < s) return { ok: false, sentence: S.FINISH_BEFORE_BEGIN, field: 'end_date' };
  if (options.today !== undefined) {
    const t = parseYmd(options.today);
    if (t === undefined) throw new TypeError('options.today must be a YYYYMMDD date');
    if (e >= t) return { ok: false, sentence: S.FINISH_NOT_BEFORE_TODAY, field: 'end_date' };
  }
  const maxDays = options.maxDays ?? 10;
  if (e - s > maxDays - 1) return { ok: false, sentence: S.OVER_10_DAYS, field: 'end_date' };
  return { ok: true, days: e - s + 1 };
}
