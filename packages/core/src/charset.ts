/**
 * Byte-exact charsets for signing and form encoding (protocol §1.3, §2.1 step 6): UTF-8 and GBK,
 * in Node and in the browser alike. Decoding uses the platform `TextDecoder`; GBK encoding uses
 * a reverse table built once, lazily, from `TextDecoder('gbk')`, so there is no code-page table
 * in the bundle and the same bytes come out in every runtime.
 *
 * @module
 */
import { AlipayCharsetError } from './errors.js';
import { safeName } from './presign.js';

/** The charsets alipay-kit signs and encodes with. `GB2312` input is read as GBK (§1.3). */
export type Charset = 'utf-8' | 'gbk';

/** What to do with a character the charset cannot encode (§2.1 step 6). */
export type UnencodablePolicy = 'error' | 'replace';

/**
 * Normalise a charset name as it appears in `_input_charset` (any case; `GB2312` → `gbk`).
 * Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * normalizeCharset('UTF-8') // 'utf-8'
 * normalizeCharset('gb2312') // 'gbk'
 * ```
 */
export function normalizeCharset(name: string | null | undefined): Charset | undefined {
  if (typeof name !== 'string') return undefined;
  const n = name.trim().toLowerCase();
  if (n === 'utf-8' || n === 'utf8') return 'utf-8';
  if (n === 'gbk' || n === 'gb2312') return 'gbk';
  return undefined;
}

/** The `_input_charset` value alipay-kit sends for a charset (uppercase, §1.3 decision). */
export function charsetWireName(charset: Charset): 'UTF-8' | 'GBK' {
  return charset === 'gbk' ? 'GBK' : 'UTF-8';
}

/** @internal Throws `ERR_UNSUPPORTED_CHARSET` unless `charset` is one this kit encodes. */
export function _assertCharset(charset: unknown): asserts charset is Charset {
  if (charset !== 'utf-8' && charset !== 'gbk') {
    throw new AlipayCharsetError(
      'ERR_UNSUPPORTED_CHARSET',
      `unsupported charset ${JSON.stringify(String(charset)).slice(0, 40)}: use 'utf-8' or 'gbk'`,
    );
  }
}

// Encoders and decoders hold no state between calls without `stream`: one of each is enough
// (constructing a TextDecoder costs more than decoding a short reply).
const utf8Encoder = new TextEncoder();
const decoders: Partial<Record<Charset, TextDecoder>> = {};

let gbkTable: Map<number, number> | undefined;

/** Code point → GBK bytes (one or two, packed as 0xLLTT or 0xBB). Built on first use. */
function gbk(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const decoder = new TextDecoder('gbk', { fatal: true });
  const table = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let s: string;
      try {
        s = decoder.decode(pair);
      } catch {
        continue;
      }
      const cp = s.codePointAt(0)!;
      if (s.length === (cp > 0xffff ? 2 : 1) && !table.has(cp)) table.set(cp, (lead << 8) | trail);
    }
  }
  // WHATWG and Java's GBK both put the euro sign at the single byte 0x80.
  if (!table.has(0x20ac)) table.set(0x20ac, 0x80);
  gbkTable = table;
  return table;
}

/**
 * Encode a string to bytes in `charset`. A character the charset cannot represent (an emoji
 * in GBK, a lone surrogate anywhere) is an {@link AlipayCharsetError} `ERR_CHARSET_UNENCODABLE`
 * unless `unencodable: 'replace'` asks for the official demos' `?`.
 *
 * @example
 * ```ts
 * encodeText('测试', 'gbk') // Uint8Array [0xb2, 0xe2, 0xca, 0xd4]
 * ```
 */
export function encodeText(
  text: string,
  charset: Charset,
  options: { unencodable?: UnencodablePolicy; field?: string } = {},
): Uint8Array {
  _assertCharset(charset);
  const replace = options.unencodable === 'replace';
  const fail = (cp: number): never => {
    const where = options.field === undefined ? '' : ` in "${safeName(options.field)}"`;
    throw new AlipayCharsetError(
      'ERR_CHARSET_UNENCODABLE',
      `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${where} cannot be encoded as ${charset.toUpperCase()}`,
      {
        ...(options.field === undefined ? {} : { field: options.field }),
      },
    );
  };
  if (charset === 'utf-8') {
    if (!replace) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = text.charCodeAt(i + 1);
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
          else fail(c);
        }
      }
      return utf8Encoder.encode(text);
    }
    return utf8Encoder.encode(
      text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?'),
    );
  }
  const table = gbk();
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out[n++] = cp;
      continue;
    }
    const b = table.get(cp);
    if (b === undefined) {
      if (!replace) fail(cp);
      out[n++] = 0x3f;
    } else if (b <= 0xff) out[n++] = b;
    else {
      out[n++] = b >> 8;
      out[n++] = b & 0xff;
    }
  }
  return out.slice(0, n);
}

/**
 * Decode bytes in `charset`. Invalid sequences become U+FFFD (received bytes are decoded,
 * never re-encoded, so verification sees exactly what arrived).
 *
 * @example
 * ```ts
 * decodeText(new Uint8Array([0xb2, 0xe2]), 'gbk') // '测'
 * ```
 */
export function decodeText(bytes: Uint8Array, charset: Charset): string {
  _assertCharset(charset);
  return (decoders[charset] ??= new TextDecoder(charset)).decode(bytes);
}

/** True when every character of `text` is encodable in `charset`. */
export function isEncodable(text: string, charset: Charset): boolean {
  try {
    encodeText(text, charset);
    return true;
  } catch {
    return false;
  }
}
