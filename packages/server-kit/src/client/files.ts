// forex_compare_file, forex_liquidation_file (§8), forex_rate_file (§10): streamed line by line.
import { AlipayValidationError, normalizeCharset } from '@alipay-kit/core';
import { _normalizeYmd } from '../lib/gmt8.js';
import { _parseFileBody, type ProgressCallback, type RateRow, type TransactionRow } from '../lib/files.js';
import { _actionUrl, _body, _signedParams, type ClientContext } from './context.js';

/** Date range for the file services, `YYYYMMDD` (Beijing dates; `YYYY-MM-DD` is accepted). */
export interface FileRange {
  start_date: string;
  end_date: string;
}

/** Options of the file downloads. */
export interface FileOptions {
  /** Called as bytes arrive. */
  onProgress?: ProgressCallback;
  /** Called per row instead of collecting (rows then come back empty). */
  onRow?: (row: never) => void;
}

/** Result of a file download. */
export interface FileResult<R> {
  rows: R[];
  bytes: number;
}

async function download<R>(ctx: ClientContext, service: string, extra: Record<string, string>, kind: 'transactions' | 'rates', options: FileOptions): Promise<FileResult<R>> {
  const params = _signedParams(ctx, service, extra);
  return ctx.http.withRetry(service, true, () =>
    ctx.http.send(
      { url: _actionUrl(ctx), method: 'POST', body: _body(ctx, params), contentType: 'application/x-www-form-urlencoded', label: service },
      async (res) => {
        const ct = /charset=["']?([\w-]+)/i.exec(res.contentType);
        const charset = (ct ? normalizeCharset(ct[1]) : undefined) ?? ctx.charset;
        const rows: R[] = [];
        let bytes = 0;
        const progress: ProgressCallback = (p) => {
          bytes = p.bytes;
          options.onProgress?.(p);
        };
        for await (const row of _parseFileBody<R>(res.body, charset, kind, service, progress)) {
          if (options.onRow) (options.onRow as (r: R) => void)(row);
          else rows.push(row);
        }
        return { rows, bytes };
      },
    ),
  );
}

function range(r: FileRange): Record<string, string> {
  if (typeof r !== 'object' || r === null) throw new TypeError('range must be an object');
  const start = _normalizeYmd(r.start_date);
  const end = _normalizeYmd(r.end_date);
  if (!start) throw new AlipayValidationError('ERR_INVALID_DATE', 'start_date must be a YYYYMMDD calendar date', { field: 'start_date' });
  if (!end) throw new AlipayValidationError('ERR_INVALID_DATE', 'end_date must be a YYYYMMDD calendar date', { field: 'end_date' });
  if (end < start) throw new AlipayValidationError('ERR_INVALID_DATE', 'end_date is before start_date (§8.2)', { field: 'end_date' });
  return { start_date: start, end_date: end };
}

export async function _compareFile(ctx: ClientContext, r: FileRange, o: FileOptions = {}): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_compare_file', range(r), 'transactions', o);
}
export async function _liquidationFile(ctx: ClientContext, r: FileRange, o: FileOptions = {}): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_liquidation_file', range(r), 'transactions', o);
}
export function _rateFile(ctx: ClientContext, o: FileOptions = {}): Promise<FileResult<RateRow>> {
  return download(ctx, 'forex_rate_file', {}, 'rates', o);
}
