/**
 * Streaming parsers for the `forex_compare_file` (transactions) and `forex_liquidation_file`
 * (settlements) bodies (protocol §8.4, §9): line by line over a `ReadableStream` of bytes, in
 * constant memory.
 *
 * Layout: the 9-column legacy positional layout of §8.4, unless the first line starts with
 * `Partner_transaction_id`, in which case columns are mapped by header name (§9.2, §9.3).
 * Unknown trailing columns are kept.
 *
 * @module
 */
import type { ByteSource } from '../lib/lines.js';
import { isCompactBytes, isDateTimeAt, isDateTimeBytes } from '../lib/dates.js';
import { asciiLine, lineError, records, splitFields, type FileParseOptions, type FileRecords } from '../lib/records.js';
import { currencyDecimals, toMinorUnits } from '../money.js';
import { isCurrencyCode, scanHundredths } from './amount.js';

/** One transaction or settlement record. */
export interface CompareFileRow {
  /** 1-based line number in the body. */
  line: number;
  /** `out_trade_no` for payments, `out_return_no` for refunds. */
  partner_transaction_id: string;
  /** Foreign-currency amount, as in the file. */
  amount: string;
  currency: string;
  /** `yyyyMMddHHmmss` (legacy) or `yyyy-MM-dd HH:mm:ss` (header layout), Beijing time. */
  payment_time: string;
  /** Empty until settled. */
  settlement_time: string;
  /** `P` payment, `R` refund. */
  type: 'P' | 'R';
  /** Service charge in `currency`; empty when the layout has no fee column. */
  fee: string;
  /** `P` processed, `L` liquidated; empty when the layout has no status column. */
  status: string;
  remarks: string;
  /** Header layout only (§9). */
  transaction_id?: string;
  rmb_amount?: string;
  settlement?: string;
  rmb_settlement?: string;
  rate?: string;
  original_partner_transaction_id?: string;
  /** Amounts in integer minor units (`currency`; `rmb_*` in CNY fen). Negative when the file says so. */
  minor: { amount: number; fee?: number; rmb_amount?: number; settlement?: number; rmb_settlement?: number };
  /** Header layout: every column by its header name, known or not (null prototype). */
  columns?: Record<string, string>;
  /** Columns beyond the known layout, in order. */
  extra: string[];
}

function minor(text: string, currency: string, field: string, line: number): number {
  // `^-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?$` by char code; the rare out-of-range amount or fraction
  // of a whole-unit currency goes through toMinorUnits for its exact error.
  const neg = text.charCodeAt(0) === 45; /* - */
  const h = scanHundredths(text, neg ? 1 : 0, text.length);
  if (h === -1) throw lineError(line, `${field} is not an amount`);
  if (h >= 0) {
    if (decimals(currency) === 2) return neg ? -h : h;
    if (h % 100 === 0) return neg ? -(h / 100) : h / 100;
  }
  try {
    const m = toMinorUnits(neg ? text.slice(1) : text, currency, { range: false });
    return neg ? -m : m;
  } catch (e) {
    throw lineError(line, `${field} is not an amount in ${currency}`, e);
  }
}

// currencyDecimals of the last currency seen: a file has one or a few (bench P4: the lookup
// per amount showed in the profile).
let lastCurrency = '';
let lastDecimals: 0 | 2 = 2;

function decimals(currency: string): 0 | 2 {
  if (currency !== lastCurrency) {
    lastDecimals = currencyDecimals(currency);
    lastCurrency = currency;
  }
  return lastDecimals;
}

function time(text: string, field: string, line: number, allowEmpty: boolean): void {
  if (text === '' && allowEmpty) return;
  if (!isDateTimeAt(text, 0, text.length)) throw lineError(line, `${field} is not a date-time`);
}

function check(row: CompareFileRow): CompareFileRow {
  const { line } = row;
  if (row.partner_transaction_id === '') throw lineError(line, 'partner_transaction_id is empty');
  if (!isCurrencyCode(row.currency, 0, row.currency.length)) throw lineError(line, 'currency is not a 3-letter code');
  if (row.type !== 'P' && row.type !== 'R') throw lineError(line, 'type must be P or R');
  if (row.status !== '' && row.status !== 'P' && row.status !== 'L') throw lineError(line, 'status must be P or L');
  row.minor.amount = minor(row.amount, row.currency, 'amount', line);
  if (row.fee !== '') row.minor.fee = minor(row.fee, row.currency, 'fee', line);
  if (row.settlement !== undefined && row.settlement !== '')
    row.minor.settlement = minor(row.settlement, row.currency, 'settlement', line);
  if (row.rmb_amount !== undefined && row.rmb_amount !== '')
    row.minor.rmb_amount = minor(row.rmb_amount, 'CNY', 'rmb_amount', line);
  if (row.rmb_settlement !== undefined && row.rmb_settlement !== '')
    row.minor.rmb_settlement = minor(row.rmb_settlement, 'CNY', 'rmb_settlement', line);
  if (row.rate !== undefined && row.rate !== '' && !/^[0-9]+(\.[0-9]+)?$/.test(row.rate))
    throw lineError(line, 'rate is not a decimal');
  time(row.payment_time, 'payment_time', line, row.columns !== undefined);
  time(row.settlement_time, 'settlement_time', line, true);
  return row;
}

// Positions of the `|`s of the line being read (scratch: parsing is synchronous).
const cuts = new Int32Array(9);

/** An amount read in place, as {@link minor}. */
function minorAt(s: string, from: number, end: number, currency: string, field: string, line: number): number {
  const neg = from < end && s.charCodeAt(from) === 45; /* - */
  const h = scanHundredths(s, neg ? from + 1 : from, end);
  if (h >= 0 && decimals(currency) === 2) return neg ? -h : h;
  return minor(s.slice(from, end), currency, field, line);
}

/**
 * The §8.4 positional layout, read in place from the decoded block `s` (bench P4: no split
 * array, no slice before a check). Same checks, in the same order, as {@link check}.
 */
function legacy(s: string, start: number, end: number, line: number): CompareFileRow {
  let n = 0;
  for (let q = start - 1; n < 9;) {
    q = s.indexOf('|', q + 1);
    if (q === -1 || q >= end) break;
    cuts[n++] = q;
  }
  if (n < 8) throw lineError(line, `expected 9 |-separated columns, found ${n + 1}`);
  const c0 = cuts[0]!;
  const c1 = cuts[1]!;
  const c2 = cuts[2]!;
  const c3 = cuts[3]!;
  const c4 = cuts[4]!;
  const c5 = cuts[5]!;
  const c6 = cuts[6]!;
  const c7 = cuts[7]!;
  if (c0 === start) throw lineError(line, 'partner_transaction_id is empty');
  if (!isCurrencyCode(s, c1 + 1, c2)) throw lineError(line, 'currency is not a 3-letter code');
  const type = c5 - c4 === 2 ? s.charCodeAt(c4 + 1) : 0;
  if (type !== 80 /* P */ && type !== 82 /* R */) throw lineError(line, 'type must be P or R');
  const status = c7 - c6 === 1 ? 0 : c7 - c6 === 2 ? s.charCodeAt(c6 + 1) : -1;
  if (status !== 0 && status !== 80 /* P */ && status !== 76 /* L */) throw lineError(line, 'status must be P or L');
  const currency = s.slice(c1 + 1, c2);
  const amount = minorAt(s, c0 + 1, c1, currency, 'amount', line);
  const hasFee = c6 - c5 > 1;
  const fee = hasFee ? minorAt(s, c5 + 1, c6, currency, 'fee', line) : 0;
  if (!isDateTimeAt(s, c2 + 1, c3)) throw lineError(line, 'payment_time is not a date-time');
  if (c4 - c3 > 1 && !isDateTimeAt(s, c3 + 1, c4)) throw lineError(line, 'settlement_time is not a date-time');
  const remarksEnd = n === 9 ? cuts[8]! : end;
  return {
    line,
    partner_transaction_id: s.slice(start, c0),
    amount: s.slice(c0 + 1, c1),
    currency,
    payment_time: s.slice(c2 + 1, c3),
    settlement_time: s.slice(c3 + 1, c4),
    type: type === 80 ? 'P' : 'R',
    fee: s.slice(c5 + 1, c6),
    status: status === 0 ? '' : status === 80 ? 'P' : 'L',
    remarks: s.slice(c7 + 1, remarksEnd),
    minor: hasFee ? { amount, fee } : { amount },
    extra: n === 9 ? s.slice(remarksEnd + 1, end).split('|') : [],
  };
}

// Header names of §9.2/§9.3 (compared case-insensitively) → row property.
const KNOWN: Record<string, keyof CompareFileRow> = {
  partner_transaction_id: 'partner_transaction_id',
  transaction_id: 'transaction_id',
  amount: 'amount',
  rmb_amount: 'rmb_amount',
  fee: 'fee',
  settlement: 'settlement',
  rmb_settlement: 'rmb_settlement',
  currency: 'currency',
  rate: 'rate',
  payment_time: 'payment_time',
  settlement_time: 'settlement_time',
  type: 'type',
  status: 'status',
  remarks: 'remarks',
  original_partner_transaction_id: 'original_partner_transaction_id',
};

// The row property of each header column, worked out once per file rather than per row.
const headerKeys = new WeakMap<string[], Array<keyof CompareFileRow | undefined>>();

function keysOf(header: string[]): Array<keyof CompareFileRow | undefined> {
  let keys = headerKeys.get(header);
  if (!keys) {
    keys = header.map((name) =>
      Object.prototype.hasOwnProperty.call(KNOWN, name.toLowerCase()) ? KNOWN[name.toLowerCase()] : undefined,
    );
    headerKeys.set(header, keys);
  }
  return keys;
}

function byHeader(s: string, start: number, end: number, line: number, header: string[]): CompareFileRow {
  const f = splitFields(s, start, end);
  const keys = keysOf(header);
  const columns = Object.create(null) as Record<string, string>;
  const row: Record<string, unknown> = {
    line,
    partner_transaction_id: '',
    amount: '',
    currency: '',
    payment_time: '',
    settlement_time: '',
    type: '',
    fee: '',
    status: '',
    remarks: '',
    minor: { amount: 0 },
    columns,
    extra: f.slice(header.length),
  };
  for (let i = 0, n = Math.min(header.length, f.length); i < n; i++) {
    columns[header[i]!] = f[i]!;
    const key = keys[i];
    if (key) row[key] = f[i]!;
  }
  if (f.length < 3) throw lineError(line, `expected ${header.length} |-separated columns, found ${f.length}`);
  return check(row as unknown as CompareFileRow);
}

/**
 * Amount `b[i…]` up to the next `|` in hundredths, for {@link legacyAscii}: sets `at` to the `|`
 * and returns the value, or -1 for anything but `(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?|`.
 */
let at = 0;
function amountAscii(b: Uint8Array, i: number, end: number): number {
  let c = b[i]! - 48; // a '-' fails here: negative amounts take the general path
  if (!(c >= 0 && c <= 9) || i >= end) return -1;
  const from = i;
  let whole = c;
  i++;
  if (c !== 0) {
    for (; i < end; i++) {
      c = b[i]! - 48;
      if (!(c >= 0 && c <= 9)) break;
      whole = whole * 10 + c;
    }
    if (i - from > 9) return -1;
  }
  let h = whole * 100;
  if (b[i] === 46 /* . */) {
    c = b[i + 1]! - 48;
    if (!(c >= 0 && c <= 9) || i + 1 >= end) return -1;
    h += c * 10;
    i += 2;
    c = b[i]! - 48;
    if (c >= 0 && c <= 9 && i < end) {
      h += c;
      i++;
    }
  }
  if (b[i] !== 124 || i >= end) return -1;
  at = i;
  return h;
}

/** A date-time `b[i…]` then `|`: sets `at` to the `|`; false for anything else. */
function timeAscii(b: Uint8Array, i: number, end: number): boolean {
  if (b[i + 14] === 124 && i + 14 < end) {
    if (!isCompactBytes(b, i)) return false;
    at = i + 14;
    return true;
  }
  const e = b[i + 19] === 124 ? i + 19 : -1;
  if (e === -1 || e >= end || !isDateTimeBytes(b, i, e)) return false;
  at = e;
  return true;
}

// The currency code (3 ASCII letters as one number) of the last row of a 2-decimal currency
// read by legacyAscii, and its string.
let lastKey = -1;
let lastKeyText = '';

/**
 * The §8.4 positional layout from the bytes of an ASCII line, in one pass that also finds the
 * line's end (`asciiLine.lf`, see RecordSpec.parseAscii): the row {@link legacy} gives for a
 * valid line, or `undefined` for anything unusual (errors, extra columns, a whole-unit currency,
 * a negative amount), which then goes to `legacy`. Bounds: the id and remarks scans stop at
 * 0x0A; every other field must match a pattern without CR/LF and end with `|`, so no field is
 * read across the line's end (`limit`, a 0x0A, is the last possible one).
 */
function legacyAscii(
  b: Uint8Array,
  start: number,
  limit: number,
  s: string,
  off: number,
  line: number,
): CompareFileRow | undefined {
  const end = limit;
  let i = start;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 124 || c === 10) break;
  }
  const c0 = i;
  if (c0 === start || b[c0] !== 124) return undefined;
  const amount = amountAscii(b, c0 + 1, end);
  if (amount < 0) return undefined;
  const c1 = at;
  i = c1 + 1;
  const k0 = b[i]!;
  const k1 = b[i + 1]!;
  const k2 = b[i + 2]!;
  if (!(k0 >= 65 && k0 <= 90 && k1 >= 65 && k1 <= 90 && k2 >= 65 && k2 <= 90) || b[i + 3] !== 124 || i + 3 >= end)
    return undefined;
  const c2 = i + 3;
  if (!timeAscii(b, c2 + 1, end)) return undefined;
  const c3 = at;
  let c4 = c3 + 1;
  if (b[c4] !== 124) {
    if (!timeAscii(b, c4, end)) return undefined;
    c4 = at;
  }
  const type = b[c4 + 1];
  if ((type !== 80 && type !== 82) || b[c4 + 2] !== 124 || c4 + 2 >= end) return undefined;
  const c5 = c4 + 2;
  let c6 = c5 + 1;
  let fee = -1;
  if (b[c6] !== 124) {
    fee = amountAscii(b, c6, end);
    if (fee < 0) return undefined;
    c6 = at;
  }
  let c7 = c6 + 1;
  const status = b[c7];
  if (status !== 124) {
    if ((status !== 80 && status !== 76) || b[c7 + 1] !== 124) return undefined;
    c7++;
  }
  if (c7 >= end) return undefined;
  // The remarks, up to the line's LF: a `|` means extra columns.
  for (i = c7 + 1; i < end; i++) {
    const c = b[i];
    if (c === 124) return undefined;
    if (c === 10) break;
  }
  const lf = i; // `end` is an LF too
  const lineEnd = b[lf - 1] === 13 ? lf - 1 : lf;
  // The currency string of the last row when the code is the same (a file has one or a few).
  const key = (k0 << 16) | (k1 << 8) | k2;
  if (key !== lastKey) {
    const text = s.slice(c1 + 1 - off, c2 - off);
    if (decimals(text) !== 2) return undefined;
    lastKey = key;
    lastKeyText = text;
  }
  const currency = lastKeyText;
  asciiLine.lf = lf;
  return {
    line,
    partner_transaction_id: s.slice(start - off, c0 - off),
    amount: s.slice(c0 + 1 - off, c1 - off),
    currency,
    payment_time: s.slice(c2 + 1 - off, c3 - off),
    settlement_time: c4 === c3 + 1 ? '' : s.slice(c3 + 1 - off, c4 - off),
    type: type === 80 ? 'P' : 'R',
    fee: fee < 0 ? '' : s.slice(c5 + 1 - off, c6 - off),
    status: status === 80 ? 'P' : status === 76 ? 'L' : '',
    remarks: s.slice(c7 + 1 - off, lineEnd - off),
    minor: fee >= 0 ? { amount, fee } : { amount },
    extra: [],
  };
}

const SPEC = {
  header: (text: string) => (/^Partner_transaction_id(\||$)/i.test(text) ? text.split('|') : undefined),
  parse: (s: string, start: number, end: number, line: number, header: string[] | undefined) =>
    header ? byHeader(s, start, end, line, header) : legacy(s, start, end, line),
  parseAscii: (
    b: Uint8Array,
    start: number,
    limit: number,
    s: string,
    off: number,
    line: number,
    header: string[] | undefined,
  ) => (header ? undefined : legacyAscii(b, start, limit, s, off, line)),
};

/**
 * Parse a `forex_compare_file` body. Iterate the result with `for await`; rows come one per
 * record line, empty lines ignored, CRLF or LF. A body that is a failure sentence throws
 * `AlipayFileError` `ERR_FILE_REQUEST` (with the sentence); an XML body throws the gateway
 * error (`AlipayGatewayError`, e.g. `ILLEGAL_PARTNER`); "No balance account data in the
 * period" yields nothing and sets `noData`. Malformed lines: `ERR_FILE_LINE` with `line`.
 *
 * @example
 * ```ts
 * const rows = parseCompareFile(response.body!, { charset: 'utf-8', onError: 'collect' })
 * for await (const row of rows) ledger.match(row.partner_transaction_id, row.minor.amount)
 * console.log(rows.errors.map((e) => e.line))
 * ```
 */
export function parseCompareFile(stream: ByteSource, options: FileParseOptions = {}): FileRecords<CompareFileRow> {
  return records(stream, options, { ...SPEC, what: 'forex_compare_file' });
}

/**
 * Parse a `forex_liquidation_file` body: same layouts and behaviour as
 * {@link parseCompareFile} (§8.4: both services share the record layout).
 *
 * @example
 * ```ts
 * for await (const row of parseLiquidationFile(stream)) total += row.minor.amount - (row.minor.fee ?? 0)
 * ```
 */
export function parseLiquidationFile(stream: ByteSource, options: FileParseOptions = {}): FileRecords<CompareFileRow> {
  return records(stream, options, { ...SPEC, what: 'forex_liquidation_file' });
}
