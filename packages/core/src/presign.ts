/**
 * The pre-sign string (protocol §2.1): every parameter except `sign` / `sign_type` (ASCII case
 * ignored, step 2) and empty or null values (step 3), keys sorted by UTF-16 code unit (step 4),
 * joined raw as `key=value` with `&` (step 5). No quoting, no encoding, no trimming.
 *
 * @module
 */
import { AlipayValidationError } from './errors.js';

/** A value the pre-sign builder accepts: strings and finite numbers; null/undefined are dropped. */
export type PreSignValue = string | number | null | undefined;

const EXCLUDED = /^(sign|sign_type)$/i;

/**
 * Build the pre-sign string of protocol §2.1.
 *
 * Numbers are written with `String(n)` and must be finite. Any other value type (objects,
 * arrays, booleans) is a {@link AlipayValidationError} (`ERR_INVALID_PARAMS`), never a silent
 * `[object Object]`. Keys are own enumerable properties only, so `__proto__` tricks cannot add
 * inherited fields.
 *
 * @example
 * ```ts
 * buildPreSignString({ service: 'forex_rate_file', partner: '2088101122136241', sign_type: 'MD5' })
 * // => 'partner=2088101122136241&service=forex_rate_file'
 * ```
 */
export function buildPreSignString(params: Record<string, PreSignValue>): string {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new TypeError('buildPreSignString: params must be a plain object');
  }
  const pairs: Array<[string, string]> = [];
  for (const key of Object.keys(params)) {
    if (EXCLUDED.test(key)) continue;
    const raw = (params as Record<string, unknown>)[key];
    if (raw === null || raw === undefined || raw === '') continue;
    let value: string;
    if (typeof raw === 'string') value = raw;
    else if (typeof raw === 'number' && Number.isFinite(raw)) value = String(raw);
    else {
      throw new AlipayValidationError('ERR_INVALID_PARAMS', `parameter "${safeName(key)}" must be a string or a finite number`, {
        field: key,
      });
    }
    pairs.push([key, value]);
  }
  // Default sort compares UTF-16 code units: Java String.compareTo, not localeCompare (§2.1 step 4).
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    out += (i === 0 ? '' : '&') + k + '=' + v;
  }
  return out;
}

/** A field name made safe to print in an error message (bounded, control chars escaped). */
export function safeName(key: string): string {
  const cut = key.length > 64 ? key.slice(0, 64) + '…' : key;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
