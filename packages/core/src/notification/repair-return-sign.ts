/**
 * The sync return's `sign` repair (protocol §1.4 rule 6): some paths turn a `+` inside the
 * base64 `sign` into a space. Verification itself checks `sign` exactly as received and fails
 * on spaces; this repair belongs to the `return_url` handler only, and touches `sign` only.
 * Notifications (form-encoded POST bodies) are never repaired.
 *
 * @module
 */
import type { Charset } from '../charset.js';
import { AlipayNotificationError } from '../errors.js';
import { parseForm } from '../form.js';

/**
 * Parse a raw return query (a full URL, `?a=b…` or `a=b…`) in `charset` and turn spaces in
 * `sign` back into `+`. Given an already-decoded record instead, copies it and repairs `sign`.
 * Returns a null-prototype record. A parameter repeated with different values is an
 * `AlipayNotificationError` `ERR_NOTIFICATION_INVALID` (it could not be verified
 * unambiguously).
 *
 * @example
 * ```ts
 * const params = repairReturnSign(req.originalUrl) // 'sign=EA9h…Ik i7B…' → 'EA9h…Ik+i7B…'
 * const ret = await verifyNotification(params, keys, { signType: 'RSA', expect: 'return' })
 * ```
 */
export function repairReturnSign(
  input: string | Record<string, string>,
  charset: Charset = 'utf-8',
): Record<string, string> {
  let params: Record<string, string>;
  if (typeof input === 'string') {
    let raw = input;
    const hash = raw.indexOf('#');
    if (hash !== -1) raw = raw.slice(0, hash);
    const q = raw.indexOf('?');
    if (q !== -1) raw = raw.slice(q + 1);
    const parsed = parseForm(raw, charset);
    if (parsed.duplicates.length > 0) {
      throw new AlipayNotificationError(
        'ERR_NOTIFICATION_INVALID',
        'a return parameter is repeated with different values',
        { field: parsed.duplicates[0]! },
      );
    }
    params = parsed.params;
  } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    params = Object.create(null) as Record<string, string>;
    for (const k of Object.keys(input)) params[k] = input[k]!;
  } else {
    throw new TypeError('repairReturnSign: input must be a query string or a record');
  }
  const sign = params.sign;
  if (typeof sign === 'string' && sign.includes(' ')) params.sign = sign.replace(/ /g, '+');
  return params;
}
