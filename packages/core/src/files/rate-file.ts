/**
 * Streaming parser for the `forex_rate_file` body (protocol §10): `Date|Time|Currency|Rate`
 * lines, no header, CRLF; a 5th (or later) column is tolerated and kept.
 *
 * @module
 */
import type { ByteSource } from '../lib/lines.js';
import { isCompactTime, parseYmd } from '../lib/dates.js';
import { isCurrencyCode } from './amount.js';
import { lineError, records, splitFields, type FileParseOptions, type FileRecords } from '../lib/records.js';

/** One rate line. */
export interface RateFileRow {
  line: number;
  /** `YYYYMMDD`, Beijing date of the last update of this currency's rate. */
  date: string;
  /** `HHMMSS`. */
  time: string;
  currency: string;
  /** CNY per one unit of `currency`, as in the file (e.g. `6.706400`). Never a float. */
  rate: string;
  /** Columns after the fourth (§10 "Extra column?"). */
  extra: string[];
}

/**
 * Parse a `forex_rate_file` body; behaviour as `parseCompareFile` (error sentences such as
 * `System exception` throw `ERR_FILE_REQUEST`, malformed lines `ERR_FILE_LINE`).
 *
 * @example
 * ```ts
 * for await (const r of parseRateFile(response.body!)) rates.set(r.currency, r.rate)
 * ```
 */
export function parseRateFile(stream: ByteSource, options: FileParseOptions = {}): FileRecords<RateFileRow> {
  return records(stream, options, {
    what: 'forex_rate_file',
    parse: (text, start, end, line) => {
      const f = splitFields(text, start, end);
      if (f.length < 4) throw lineError(line, `expected Date|Time|Currency|Rate, found ${f.length} columns`);
      const [date, time, currency, rate] = f as [string, string, string, string];
      if (parseYmd(date) === undefined) throw lineError(line, 'date is not YYYYMMDD');
      if (!isCompactTime(time)) throw lineError(line, 'time is not HHMMSS');
      if (!isCurrencyCode(currency)) throw lineError(line, 'currency is not a 3-letter code');
      if (!/^[0-9]{1,10}(\.[0-9]{1,10})?$/.test(rate) || !/[1-9]/.test(rate))
        throw lineError(line, 'rate is not a positive decimal');
      return { line, date, time, currency, rate, extra: f.length > 4 ? f.slice(4) : [] };
    },
  });
}
