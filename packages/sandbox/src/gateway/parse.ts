/**
 * Reading a `gateway.do` request (protocol §1.2b decision): `_input_charset` is sniffed from the
 * raw query and raw body (ASCII), then every name and value in both is percent-decoded in that
 * charset with `+` read as a space, and query and body are merged. A key present twice with
 * different decoded values is a conflict (`ILLEGAL_ARGUMENT`, §1.6 step 1).
 *
 * @module
 */
import type { Charset } from '@alipay-kit/core';
import { decodeText, normalizeCharset, sniffInputCharset } from '@alipay-kit/core/encoding';

/** A decoded request. */
export interface ParsedRequest {
  /** Merged parameters (null prototype; first value wins). */
  params: Record<string, string>;
  /** `[name, value]` in the order received, without sign/sign_type (the §1.5 request echo). */
  echo: Array<[string, string]>;
  /** A key repeated with different values (query vs body, or within one of them). */
  conflict: boolean;
  /** `_input_charset` exactly as sent, if any. */
  inputCharset: string | undefined;
  /** The charset used for decoding (and for verifying the signature): UTF-8 when absent or unknown. */
  charset: Charset;
}

function hexVal(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** Percent-decode raw bytes (`+` = space) and decode them in `charset`. */
function decodeComponent(raw: Buffer, charset: Charset): string {
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x2b) out[n++] = 0x20;
    else if (b === 0x25 && i + 2 < raw.length && hexVal(raw[i + 1]!) >= 0 && hexVal(raw[i + 2]!) >= 0) {
      out[n++] = (hexVal(raw[i + 1]!) << 4) | hexVal(raw[i + 2]!);
      i += 2;
    } else out[n++] = b;
  }
  return decodeText(out.subarray(0, n), charset);
}

/** Split an `application/x-www-form-urlencoded` byte string into decoded pairs. */
export function decodeFormBytes(raw: Buffer, charset: Charset): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf(0x26, start);
    if (end === -1) end = raw.length;
    const part = raw.subarray(start, end);
    if (part.length > 0) {
      const eq = part.indexOf(0x3d);
      const name = decodeComponent(eq === -1 ? part : part.subarray(0, eq), charset);
      const value = eq === -1 ? '' : decodeComponent(part.subarray(eq + 1), charset);
      pairs.push([name, value]);
    }
    start = end + 1;
  }
  return pairs;
}

/** Only ASCII: the query's characters are its bytes, and plain components need no decoding. */
const ASCII = /^[\x00-\x7f]*$/;

/** One query component: itself when nothing in it is encoded (`%`, `+`), else its decoded bytes. */
function decodeQueryComponent(raw: string, charset: Charset): string {
  // ASCII bytes decode to themselves in UTF-8 and in GBK alike.
  if (raw.indexOf('%') === -1 && raw.indexOf('+') === -1) return raw;
  return decodeComponent(Buffer.from(raw, 'latin1'), charset);
}

/**
 * The raw query's pairs, as {@link decodeFormBytes} reads its latin1 bytes; an ASCII query (what
 * a client sends: §1.4 percent-encodes everything else) is split as a string, and its plain
 * components are taken as they are instead of copied byte by byte and decoded.
 */
function decodeQuery(rawQuery: string, charset: Charset, pairs: Array<[string, string]>): void {
  if (!ASCII.test(rawQuery)) {
    for (const pair of decodeFormBytes(Buffer.from(rawQuery, 'latin1'), charset)) pairs.push(pair);
    return;
  }
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      const split = eq !== -1 && eq < end;
      const name = decodeQueryComponent(rawQuery.slice(start, split ? eq : end), charset);
      const value = split ? decodeQueryComponent(rawQuery.slice(eq + 1, end), charset) : '';
      pairs.push([name, value]);
    }
    start = end + 1;
  }
}

/**
 * Parse the raw query string (after `?`) and the raw body of a gateway request.
 *
 * @example
 * ```ts
 * parseGatewayRequest('service=forex_rate_file&partner=2088101122136241&sign=…&sign_type=MD5', undefined, undefined).params.service
 * // 'forex_rate_file'
 * ```
 */
export function parseGatewayRequest(
  rawQuery: string,
  body: Buffer | undefined,
  contentType: string | undefined,
): ParsedRequest {
  const bodyIsForm =
    body !== undefined &&
    body.length > 0 &&
    (contentType === undefined || /application\/x-www-form-urlencoded|text\/plain/i.test(contentType));
  const bodyText = bodyIsForm ? body.toString('latin1') : '';
  const inputCharset = sniffInputCharset(rawQuery) ?? (bodyIsForm ? sniffInputCharset(bodyText) : undefined);
  const charset = normalizeCharset(inputCharset) ?? 'utf-8';
  const pairs: Array<[string, string]> = [];
  decodeQuery(rawQuery, charset, pairs);
  if (bodyIsForm) for (const pair of decodeFormBytes(body, charset)) pairs.push(pair);
  const params = Object.create(null) as Record<string, string>;
  const echo: Array<[string, string]> = [];
  let conflict = false;
  for (const [k, v] of pairs) {
    if (Object.prototype.hasOwnProperty.call(params, k)) {
      if (params[k] !== v) conflict = true;
      continue;
    }
    params[k] = v;
    if (!/^(sign|sign_type)$/i.test(k)) echo.push([k, v]);
  }
  return { params, echo, conflict, inputCharset: inputCharset === '' ? undefined : inputCharset, charset };
}
