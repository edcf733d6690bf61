/**
 * MD5 signing (protocol §2.2): `lowercase_hex(MD5(bytes(prestr) ‖ bytes(md5_key)))`, the key
 * appended directly, both encoded in the charset in use.
 *
 * @module
 */
import { md5 } from '@noble/hashes/legacy.js';
import { encodeText, type Charset, type UnencodablePolicy } from './charset.js';
import { buildPreSignString, type PreSignValue } from './presign.js';
import { concatBytes, timingSafeEqual, toHex } from './lib/bytes.js';

/** Options for {@link md5Sign}. */
export interface Md5SignOptions {
  /** Charset of the bytes that are hashed; must equal the `_input_charset` sent. Default `utf-8`. */
  charset?: Charset;
  /** What to do with characters the charset cannot encode. Default `'error'`. */
  unencodable?: UnencodablePolicy;
}

/**
 * MD5 of an already-built pre-sign string followed by the key; 32 lowercase hex characters.
 *
 * @example
 * ```ts
 * md5SignString('partner=2088101122136241&service=forex_rate_file', key) // '4051af17…'
 * ```
 */
export function md5SignString(preSign: string, md5Key: string, options: Md5SignOptions = {}): string {
  if (typeof md5Key !== 'string' || md5Key.length === 0) throw new TypeError('md5Key must be a non-empty string');
  const charset = options.charset ?? 'utf-8';
  const bytes = concatBytes(
    encodeText(preSign, charset, { unencodable: options.unencodable ?? 'error' }),
    encodeText(md5Key, charset, { unencodable: 'error', field: 'md5Key' }),
  );
  return toHex(md5(bytes));
}

/**
 * Sign parameters with MD5 (protocol §2.1 + §2.2). Returns lowercase hex.
 *
 * @example
 * ```ts
 * md5Sign({ service: 'forex_rate_file', partner: '2088101122136241' }, '760bdzec6y9goq7ctyx96ezkz78287de')
 * // => '4051af1716d522b47acff927d4fb9781' (protocol §2.7 vector A3)
 * ```
 */
export function md5Sign(params: Record<string, PreSignValue>, md5Key: string, options: Md5SignOptions = {}): string {
  return md5SignString(buildPreSignString(params), md5Key, options);
}

/**
 * Check an MD5 `sign` against a pre-sign string: exact, case-sensitive, constant-time (§2.2
 * decision). Uppercase hex does not verify. Returns `false` for anything malformed.
 *
 * @example
 * ```ts
 * md5VerifyString(preSign, received.sign, key) // true | false
 * ```
 */
export function md5VerifyString(
  preSign: string,
  sign: unknown,
  md5Key: string,
  options: { charset?: Charset } = {},
): boolean {
  if (typeof sign !== 'string' || sign.length !== 32) return false;
  let expected: string;
  try {
    expected = md5SignString(preSign, md5Key, { charset: options.charset ?? 'utf-8', unencodable: 'error' });
  } catch {
    return false;
  }
  return timingSafeEqual(expected, sign);
}
