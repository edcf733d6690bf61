// forex_compare_file, forex_liquidation_file (§8), forex_rate_file (§10): core's validators
// (§8.2 date rules) → sign → POST → the body streamed through core's parsers (parseCompareFile /
// parseLiquidationFile / parseRateFile); only the byte count for onProgress and the no-replay
// rule of onRow (issue 12) are added here.
import {
  AlipayTransportError,
  isAlipayError,
  normalizeBeijingDate,
  type CompareFileRow,
  type RateFileRow,
} from '@alipay-kit/core';
import { normalizeCharset } from '@alipay-kit/core/encoding';
import { _actionUrl, _body, _request, type ClientContext } from './context.js';
import { _OPERATIONS } from './services.js';

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
  /**
   * Like `onRow`, one parsed batch at a time, awaited before the next is read (back-pressure:
   * an async consumer such as reconciliation's batch lookups holds at most one batch). Same
   * no-replay rule as `onRow`; give one of the two.
   *
   * @example
   * ```ts
   * await client.compareFile(range, { onRows: async (rows) => { await staging.insertMany(rows) } })
   * ```
   */
  onRows?: (rows: R[]) => void | Promise<void>;
  /**
   * With `onRow`/`onRows`: the consumer can start over. A download cut after rows were delivered
   * is then retried like any safe call: `onRestart` is called before the retry's first row (drop
   * what this download delivered so far), and a download that fails for good rejects with the
   * transport error itself rather than {@link AlipayDownloadInterruptedError}.
   *
   * @example
   * ```ts
   * let total = 0
   * await client.compareFile(range, { onRows: (rows) => void (total += rows.length), onRestart: () => void (total = 0) })
   * ```
   */
  onRestart?: () => void;
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

type FileService = 'forex_compare_file' | 'forex_liquidation_file' | 'forex_rate_file';
type RowOf<S extends FileService> = S extends 'forex_rate_file' ? RateRow : TransactionRow;

/** `body` unchanged, with every chunk's size reported as it passes. */
async function* counted(body: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/** A transport failure of the body, the kind that a streamed download past its first row cannot retry. */
function cutBody(e: unknown): e is AlipayTransportError {
  return isAlipayError(e) && (e.code === 'ERR_NETWORK' || e.code === 'ERR_TIMEOUT');
}

async function download<S extends FileService, R extends RowOf<S>>(
  ctx: ClientContext,
  service: S,
  extra: Record<string, string | undefined>,
  options: FileOptions<R>,
): Promise<FileResult<R>> {
  const params = _request(ctx, service, extra);
  const parse = _OPERATIONS[service].read as (
    source: AsyncIterable<Uint8Array>,
    options: { charset: typeof ctx.charset },
  ) => { batches(): AsyncIterable<R[]>; noData: boolean };
  const { onRow, onRows, onRestart } = options;
  // Rows handed to onRow (retries stop at the first one, so they all come from one attempt),
  // and an error thrown by onRow (send() would report it as a network error).
  let delivered = 0;
  let consumerFailed: { error: unknown } | undefined;
  const repeatable = () => (delivered === 0 || onRestart !== undefined) && consumerFailed === undefined;
  try {
    return await ctx.http.withRetry(service, repeatable, () =>
      ctx.http.send(
        {
          url: _actionUrl(ctx),
          method: 'POST',
          body: _body(ctx, params),
          contentType: 'application/x-www-form-urlencoded',
          label: service,
        },
        async (res) => {
          if (delivered > 0) {
            onRestart?.();
            delivered = 0;
          }
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
            if (onRows) {
              try {
                await onRows(batch);
              } catch (error) {
                consumerFailed = { error };
                throw error;
              }
              delivered += batch.length;
              continue;
            }
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
    if (delivered > 0 && onRestart === undefined && cutBody(e))
      throw new AlipayDownloadInterruptedError(service, delivered, e);
    throw e;
  }
}

/**
 * The range as sent: `YYYY-MM-DD` is accepted and sent as `YYYYMMDD`; core's validator then
 * applies §8.2 (format, order, at most 10 days). "End before today" is left to the gateway,
 * whose clock decides it: a merchant clock a little off would refuse a day the gateway serves.
 */
function range(r: FileRange): Record<string, string | undefined> {
  if (typeof r !== 'object' || r === null) throw new TypeError('range must be an object');
  return {
    start_date: normalizeBeijingDate(r.start_date) ?? r.start_date,
    end_date: normalizeBeijingDate(r.end_date) ?? r.end_date,
  };
}

export async function _compareFile(
  ctx: ClientContext,
  r: FileRange,
  o: FileOptions<TransactionRow> = {},
): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_compare_file', range(r), o);
}
export async function _liquidationFile(
  ctx: ClientContext,
  r: FileRange,
  o: FileOptions<TransactionRow> = {},
): Promise<FileResult<TransactionRow>> {
  return download(ctx, 'forex_liquidation_file', range(r), o);
}
export function _rateFile(ctx: ClientContext, o: FileOptions<RateRow> = {}): Promise<FileResult<RateRow>> {
  return download(ctx, 'forex_rate_file', {}, o);
}
