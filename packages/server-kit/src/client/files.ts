// forex_compare_file, forex_liquidation_file (§8), forex_rate_file (§10): the response body is
// streamed through core's parsers (parseCompareFile / parseLiquidationFile / parseRateFile);
// only the byte count for onProgress and the no-replay rule of onRow (issue 12) are added here.
import {
  AlipayTransportError,
  AlipayValidationError,
  isAlipayError,
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
  /** Called as bytes arrive (from 0 again when a download is retried). */
  onProgress?: ProgressCallback;
  /**
   * Called per row instead of collecting (rows then come back empty). Rows are never handed
   * over twice: a download that fails before the first row is retried like any safe call, but
   * once a row has reached `onRow` a failure is not retried and rejects with
   * {@link AlipayDownloadInterruptedError} (how many rows were delivered; restart the import).
   * An error thrown by `onRow` itself rejects the download unchanged, without a retry.
   */
  onRow?: (row: R) => void;
}

/**
 * A streamed download (`onRow`) cut after rows had reached the caller. It is not retried — a
 * retry would start the file again and deliver those rows twice — so the caller must discard
 * what this import received and restart it. `code` is the transport error's (`ERR_NETWORK`, or
 * `ERR_TIMEOUT` when the body stalled); `cause` is that error.
 *
 * @example
 * ```ts
 * try {
 *   await client.compareFile(range, { onRow: (row) => staging.insert(row) })
 * } catch (e) {
 *   if (e instanceof AlipayDownloadInterruptedError) {
 *     log.warn(`cut after ${e.rowsDelivered} rows`)
 *     await staging.clear() // then run the import again
 *   }
 *   throw e
 * }
 * ```
 */
export class AlipayDownloadInterruptedError extends AlipayTransportError {
  /** Rows handed to `onRow` before the download failed. */
  readonly rowsDelivered: number;

  constructor(service: string, rowsDelivered: number, cause: AlipayTransportError) {
    const why = cause.message.startsWith(`${service}: `) ? cause.message.slice(service.length + 2) : cause.message;
    super(
      cause.code,
      `${service}: the download failed after ${rowsDelivered} ${rowsDelivered === 1 ? 'row was' : 'rows were'} delivered to onRow (${why}); ` +
        'not retried, since a retry would deliver them again: discard the rows of this import and restart it',
      { cause, ...(cause.status === undefined ? {} : { status: cause.status }) },
    );
    this.rowsDelivered = rowsDelivered;
  }
}

/**
 * Result of a file download.
 *
 * Errors (rejections): `AlipayFileError` `ERR_FILE_REQUEST` when the gateway answers a failure
 * sentence (§8.3, e.g. "Over 10 days to Date period"); `AlipayGatewayError` `ERR_GATEWAY` with
 * `gatewayCode` (e.g. `ILLEGAL_PARTNER`) when it answers XML; `AlipayFileError` `ERR_FILE_LINE`
 * with `line` for a malformed record line; the transport errors of every call, or
 * {@link AlipayDownloadInterruptedError} for a transport error after `onRow` received rows. "No
 * balance account data in the period" is not an error: no rows and `noData: true`.
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

/** A transport failure of the body, the kind that a streamed download past its first row cannot retry. */
function cutBody(e: unknown): e is AlipayTransportError {
  return isAlipayError(e) && (e.code === 'ERR_NETWORK' || e.code === 'ERR_TIMEOUT');
}

async function download<R>(ctx: ClientContext, service: string, extra: Record<string, string>, parse: Parser<R>, options: FileOptions<R>): Promise<FileResult<R>> {
  const params = _signedParams(ctx, service, extra);
  const { onRow } = options;
  // Rows handed to onRow (retries stop at the first one, so they all come from one attempt),
  // and an error thrown by onRow (send() would report it as a network error).
  let delivered = 0;
  let consumerFailed: { error: unknown } | undefined;
  const repeatable = () => delivered === 0 && consumerFailed === undefined;
  try {
    return await ctx.http.withRetry(service, repeatable, () =>
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
          for await (const batch of records.batches()) {
            if (!onRow) {
              for (const row of batch) rows.push(row);
              continue;
            }
            for (const row of batch) {
              try {
                onRow(row);
              } catch (error) {
                consumerFailed = { error };
                throw error;
              }
              delivered++;
            }
          }
          return { rows, bytes, noData: records.noData };
        },
      ),
    );
  } catch (e) {
    if (consumerFailed) throw consumerFailed.error;
    if (delivered > 0 && cutBody(e)) throw new AlipayDownloadInterruptedError(service, delivered, e);
    throw e;
  }
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
