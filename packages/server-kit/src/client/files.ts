// forex_compare_file, forex_liquidation_file (§8), forex_rate_file (§10): the response body is
// streamed through core's parsers (parseCompareFile / parseLiquidationFile / parseRateFile);
// only the byte count for onProgress is added here.
import {
  AlipayValidationError,
  normalizeCharset,
  parseCompareFile,
  parseLiquidationFile,
  parseRateFile,
  type ByteSource,
  type CompareFileRow,
  type FileParseOptions,
  type FileRecords,
  type RateFileRow,
} from '@alipay-kit/core';
import { _normalizeYmd } from '../lib/gmt8.js';
import { _actionUrl, _body, _signedParams, type ClientContext } from './context.js';

/**
 * One record of `forex_compare_file` / `forex_liquidation_file` (§8.4; wide layout §9 by header
 * name): core's {@link CompareFileRow}. Amounts stay as the file prints them (`amount`, `fee`, …)
 * and come parsed in integer minor units in `minor`; `line` is the 1-based line number;
 * unknown trailing columns are in `extra`, and every header column by name in `columns`.
 */
export type TransactionRow = CompareFileRow;

/** One line of `forex_rate_file` (§10): core's {@link RateFileRow}; `rate` is CNY per unit, a decimal string. */
export type RateRow = RateFileRow;

/** Progress callback: bytes of the response body read so far. */
export type ProgressCallback = (progress: { bytes: number }) => void;

/** Date range for the file services, `YYYYMMDD` (Beijing dates; `YYYY-MM-DD` is accepted). */
export interface FileRange {
  start_date: string;
  end_date: string;
}

/** Options of the file downloads (`R`: the row type of the method). */
export interface FileOptions<R = never> {
  /** Called as bytes arrive. */
  onProgress?: ProgressCallback;
  /** Called per row instead of collecting (rows then come back empty). */
  onRow?: (row: R) => void;
}

/**
 * Result of a file download.
 *
 * Errors (rejections): `AlipayFileError` `ERR_FILE_REQUEST` when the gateway answers a failure
 * sentence (§8.3, e.g. "Over 10 days to Date period"); `AlipayGatewayError` `ERR_GATEWAY` with
 * `gatewayCode` (e.g. `ILLEGAL_PARTNER`) when it answers XML; `AlipayFileError` `ERR_FILE_LINE`
 * with `line` for a malformed record line; the transport errors of every call. "No balance
 * account data in the period" is not an error: no rows and `noData: true`.
 */
export interface FileResult<R> {
  rows: R[];
  /** Bytes of the response body. */
  bytes: number;
  /** The gateway said there is no data in the period (§8.3). */
  noData: boolean;
}

type Parser<R> = (source: ByteSource, options: FileParseOptions) => FileRecords<R>;

/** `body` unchanged, with every chunk's size reported as it passes. */
function counted(body: ReadableStream<Uint8Array> | null, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  const source = body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function download<R>(ctx: ClientContext, service: string, extra: Record<string, string>, parse: Parser<R>, options: FileOptions<R>): Promise<FileResult<R>> {
  const params = _signedParams(ctx, service, extra);
  return ctx.http.withRetry(service, true, () =>
    ctx.http.send(
      { url: _actionUrl(ctx), method: 'POST', body: _body(ctx, params), contentType: 'application/x-www-form-urlencoded', label: service },
      async (res) => {
        const ct = /charset=["']?([\w-]+)/i.exec(res.contentType);
        const charset = (ct ? normalizeCharset(ct[1]) : undefined) ?? ctx.charset;
        let bytes = 0;
        const body = counted(res.body, (n) => {
          bytes += n;
          options.onProgress?.({ bytes });
        });
        const records = parse(body, { charset });
        const rows: R[] = [];
        const { onRow } = options;
        for await (const batch of records.batches()) {
          if (onRow) for (const row of batch) onRow(row);
          else for (const row of batch) rows.push(row);
        }
        return { rows, bytes, noData: records.noData };
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

export async function _compareFile(ctx: ClientContext, r: FileRange, o: FileOptions<TransactionRow> = {}): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_compare_file', range(r), parseCompareFile, o);
}
export async function _liquidationFile(ctx: ClientContext, r: FileRange, o: FileOptions<TransactionRow> = {}): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_liquidation_file', range(r), parseLiquidationFile, o);
}
export function _rateFile(ctx: ClientContext, o: FileOptions<RateRow> = {}): Promise<FileResult<RateRow>> {
  return download(ctx, 'forex_rate_file', {}, parseRateFile, o);
}
