/**
 * `forex_rate_file`: today's exchange rates (protocol §10). No business parameters; parse the
 * body with `parseRateFile` (files/).
 *
 * @module
 */
import { checkCommon, readParams, type ValidateOptions } from '../lib/validate.js';

/** Request parameters of `forex_rate_file` (§10). */
export interface ForexRateFileParams {
  service?: 'forex_rate_file';
  partner: string;
  _input_charset?: string;
  sign_type?: 'MD5' | 'RSA' | 'RSA2' | 'DSA';
  sign?: string;
  [extra: string]: string | undefined;
}

/**
 * Validate `forex_rate_file` parameters (§10): `partner`, and `_input_charset` if sent.
 *
 * @example
 * ```ts
 * validateForexRateFile({ partner: '2088101122136241' }) // { partner: '2088…', service: 'forex_rate_file' }
 * ```
 */
export function validateForexRateFile(
  params: ForexRateFileParams,
  _options: ValidateOptions = {},
): ForexRateFileParams {
  const p = readParams(params, 'forex_rate_file');
  checkCommon(p, 'forex_rate_file');
  return p as ForexRateFileParams;
}
