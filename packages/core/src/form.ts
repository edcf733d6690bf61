/**
 * `application/x-www-form-urlencoded` in a given charset, per protocol §1.4 rule 7: every byte of
 * the charset-encoded name and value is percent-encoded except `A–Z a–z 0–9 - _ . ~` (a space
 * goes out as `%20`, `+` as `%2B`), and `+` decodes as a space.
 *
 * @module
 */
import { _assertCharset, encodeText, decodeText, type Charset, type UnencodablePolicy } from './charset.js';

const HEX = '0123456789ABCDEF';
/** Only `A–Z a–z 0–9 - _ . ~`: a string that percent-encodes to itself. */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
/** ASCII only: the same bytes in every charset this kit encodes (UTF-8 and GBK, §1.3). */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e
  );
}

/**
 * Percent-encode one name or value in `charset` (§1.4 rule 7).
 *
 * @example
 * ```ts
 * percentEncode('a+b/c=', 'utf-8') // 'a%2Bb%2Fc%3D'
 * percentEncode('测试', 'gbk') // '%B2%E2%CA%D4'
 * ```
 */
export function percentEncode(
  text: string,
  charset: Charset = 'utf-8',
  options: { unencodable?: UnencodablePolicy; field?: string } = {},
): string {
  if (typeof text === 'string' && ASCII_ONLY.test(text)) {
    _assertCharset(charset);
    if (UNRESERVED_ONLY.test(text)) return text;
    let ascii = '';
    for (let i = 0; i < text.length; i++) {
      const b = text.charCodeAt(i);
      ascii += isUnreserved(b) ? text[i] : '%' + HEX[b >> 4] + HEX[b & 15];
    }
    return ascii;
  }
  const bytes = encodeText(text, charset, options);
  let out = '';
  for (const b of bytes) out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[b >> 4] + HEX[b & 15];
  return out;
}

/**
 * Percent-decode one name or value: `+` is a space, `%XX` a byte; the bytes are decoded in
 * `charset`. A `%` not followed by two hex digits is kept literally (WHATWG rule).
 *
 * @example
 * ```ts
 * percentDecode('%B2%E2%CA%D4', 'gbk') // '测试'
 * ```
 */
export function percentDecode(text: string, charset: Charset = 'utf-8'): string {
  if (!/[%+]/.test(text) && !/[^\x00-\x7f]/.test(text)) return text;
  const src = encodeText(text, 'utf-8', { unencodable: 'replace' });
  const bytes = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x2b) bytes[n++] = 0x20;
    else if (b === 0x25 && i + 2 < src.length && isHex(src[i + 1]) && isHex(src[i + 2])) {
      bytes[n++] = (hexVal(src[i + 1]!) << 4) | hexVal(src[i + 2]!);
      i += 2;
    } else bytes[n++] = b;
  }
  return decodeText(bytes.subarray(0, n), charset);
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}
function hexVal(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10;
}

/**
 * Serialise parameters as a form body / query string in `charset`. Null, undefined and empty
 * values are left out (they are not signed either, §2.1 step 3). Order is the object's order.
 *
 * @example
 * ```ts
 * encodeForm({ service: 'forex_rate_file', partner: '2088101122136241' }) // 'service=forex_rate_file&partner=2088101122136241'
 * ```
 */
export function encodeForm(
  params: Record<string, string | number | null | undefined>,
  charset: Charset = 'utf-8',
  options: { unencodable?: UnencodablePolicy } = {},
): string {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new TypeError('encodeForm: params must be a plain object');
  const parts: string[] = [];
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (v === null || v === undefined || v === '') continue;
    parts.push(
      percentEncode(key, charset, { ...options, field: key }) +
        '=' +
        percentEncode(String(v), charset, { ...options, field: key }),
    );
  }
  return parts.join('&');
}

/**
 * Parse a form body or query string (without the leading `?`) in `charset` into ordered
 * `[name, value]` pairs. Nothing is merged or dropped: duplicates and empty values stay.
 *
 * @example
 * ```ts
 * parseFormPairs('a=1&b=x+y') // [['a', '1'], ['b', 'x y']]
 * ```
 */
export function parseFormPairs(body: string, charset: Charset = 'utf-8'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (typeof body !== 'string' || body === '') return out;
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name, charset), percentDecode(value, charset)]);
  }
  return out;
}

/**
 * Parse a form body or query string into a null-prototype record (so `__proto__` is an ordinary
 * key). When a name repeats, the first value is kept and the name is listed in `duplicates`.
 *
 * @example
 * ```ts
 * parseForm('sign=a%2Bb&sign_type=RSA').params.sign // 'a+b'
 * ```
 */
export function parseForm(
  body: string,
  charset: Charset = 'utf-8',
): { params: Record<string, string>; duplicates: string[] } {
  const params = Object.create(null) as Record<string, string>;
  const duplicates: string[] = [];
  for (const [k, v] of parseFormPairs(body, charset)) {
    if (Object.prototype.hasOwnProperty.call(params, k)) {
      if (params[k] !== v) duplicates.push(k);
      continue;
    }
    params[k] = v;
  }
  return { params, duplicates };
}

/** Read the raw `_input_charset` value from an undecoded query string or body (ASCII, §1.2b). */
export function sniffInputCharset(raw: string): string | undefined {
  const m = /(?:^|&)_input_charset=([^&]*)/.exec(raw);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!.replace(/\+/g, ' '));
  } catch {
    return m[1];
  }
}
