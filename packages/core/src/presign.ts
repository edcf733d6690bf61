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
  const source = params as Record<string, unknown>;
  const kept: string[] = [];
  for (const key of Object.keys(source)) {
    // `sign` (4) and `sign_type` (9) are the only exclusions; the length test skips the regex
    // for every other key on this hot path (signing, verification).
    if ((key.length === 4 || key.length === 9) && EXCLUDED.test(key)) continue;
    const raw = source[key];
    if (raw === null || raw === undefined || raw === '') continue;
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
      throw new AlipayValidationError(
        'ERR_INVALID_PARAMS',
        `parameter "${safeName(key)}" must be a string or a finite number`,
        {
          field: key,
        },
      );
    }
    kept.push(key);
  }
  // Array.prototype.sort without a comparator compares UTF-16 code units: Java
  // String.compareTo, not localeCompare (§2.1 step 4). Keys are unique, so no ties.
  kept.sort();
  let out = '';
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i]!;
    out += (i === 0 ? '' : '&') + k + '=' + String(source[k]);
  }
  return out;
}

/** A field name made safe to print in an error message (bounded, control chars escaped). */
export function safeName(key: string): string {
  const cut = key.length > 64 ? key.slice(0, 64) + '…' : key;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
