/**
 * `forex_compare_file`: the transaction (reconciliation) records of a date range (protocol
 * §8). The body is parsed by `parseCompareFile` (files/).
 *
 * @module
 */
import { validateFileRequest } from '../lib/file-request.js';
import type { FileDateRangeOptions } from './file-date-range.js';

/** The parameters both file services take (§8.2). */
export interface FileRequestParams {
  service?: string;
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  /** `YYYYMMDD`, Beijing date. */
  start_date: string;
  /** `YYYYMMDD`, before today, at most 10 days after `start_date` inclusive (§8.2). */
  end_date: string;
  [extra: string]: string | undefined;
}

/** Request parameters of `forex_compare_file` (§8.2). */
export interface ForexCompareFileParams extends FileRequestParams {
  service?: 'forex_compare_file';
}

/** Options of the file-request validators: the §8.2 date rules ("today" passed in). */
export type FileRequestValidateOptions = FileDateRangeOptions;

/**
 * Validate `forex_compare_file` parameters (§8.2). Date failures throw
 * `AlipayValidationError` `ERR_INVALID_DATE` whose message carries the gateway's sentence
 * (§8.3); a missing date is `ERR_INVALID_PARAMS`.
 *
 * @example
 * ```ts
 * validateForexCompareFile(
 *   { partner: '2088101122136241', start_date: '20120202', end_date: '20120205' },
 *   { today: formatBeijingDate(clock()) },
 * )
 * ```
 */
export function validateForexCompareFile(
  params: ForexCompareFileParams,
  options: FileRequestValidateOptions = {},
): ForexCompareFileParams {
  return validateFileRequest(params, 'forex_compare_file', options) as ForexCompareFileParams;
}
