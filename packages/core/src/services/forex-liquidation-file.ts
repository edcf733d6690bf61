/**
 * `forex_liquidation_file`: the settlement (liquidation) records of a date range (protocol
 * §8). Same request rules and record layout as `forex_compare_file`; parse the body with
 * `parseLiquidationFile` (files/).
 *
 * @module
 */
import { validateFileRequest } from '../lib/file-request.js';
import type { FileRequestParams, FileRequestValidateOptions } from './forex-compare-file.js';

/** Request parameters of `forex_liquidation_file` (§8.2). */
export interface ForexLiquidationFileParams extends FileRequestParams {
  service?: 'forex_liquidation_file';
}

/**
 * Validate `forex_liquidation_file` parameters (§8.2); errors as for
 * `validateForexCompareFile`.
 *
 * @example
 * ```ts
 * validateForexLiquidationFile({ partner: '2088101122136241', start_date: '20120202', end_date: '20120205' })
 * ```
 */
export function validateForexLiquidationFile(
  params: ForexLiquidationFileParams,
  options: FileRequestValidateOptions = {},
): ForexLiquidationFileParams {
  return validateFileRequest(params, 'forex_liquidation_file', options) as ForexLiquidationFileParams;
}
