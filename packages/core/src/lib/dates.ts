// Calendar arithmetic without the Date object: core never reads a clock (style.md §2), and
// keeping date maths free of `Date` keeps time zones out of it too. Internal.

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (inverse of {@link daysFromCivil}). */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True for a real calendar date (year 1000–9999). */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function isClock(h: number, mi: number, s: number): boolean {
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

// The parsers below read fixed-width fields by char code rather than by regex + Number (bench
// P4: two date checks per file row). `\d` in the former regexes was ASCII [0-9], as here.

/** The two ASCII digits at `i`, `i + 1` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The four ASCII digits at `i`… as a number, or -1. */
function four(s: string, i: number): number {
  const hi = two(s, i);
  const lo = two(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** `YYYYMMDD` → day number, or `undefined` when not a valid calendar date. */
export function parseYmd(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length !== 8) return undefined;
  const y = four(text, 0);
  const mo = two(text, 4);
  const d = two(text, 6);
  if (y < 0 || mo < 0 || d < 0) return undefined;
  return isCalendarDate(y, mo, d) ? daysFromCivil(y, mo, d) : undefined;
}

/** True for `yyyy-MM-dd HH:mm:ss` with a real date and time of day. */
export function isDashedDateTime(text: unknown): boolean {
  return typeof text === 'string' && text.length === 19 && isDateTimeAt(text, 0, 19);
}

/** `yyyy-MM-dd HH:mm:ss` → seconds since 1970-01-01 00:00:00 *of the same wall clock*. */
export function dashedDateTimeToSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length !== 19) return undefined;
  // '-' '-' ' ' ':' ':'
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return undefined;
  return wallSeconds(four(text, 0), two(text, 5), two(text, 8), two(text, 11), two(text, 14), two(text, 17));
}

/** True for `yyyyMMddHHmmss` with a real date and time of day. */
export function isCompactDateTime(text: unknown): boolean {
  return typeof text === 'string' && text.length === 14 && isDateTimeAt(text, 0, 14);
}

/**
 * True when `s.slice(start, end)` is a real date and time of day as `yyyyMMddHHmmss` or
 * `yyyy-MM-dd HH:mm:ss`. Reads `s` in place (the file parsers pass the decoded block, a flat
 * string, rather than a slice of it: bench P4), digits by char code, no seconds arithmetic.
 */
export function isDateTimeAt(s: string, start: number, end: number): boolean {
  const len = end - start;
  if (len === 14) {
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    return dateTimeAt(s, start, start + 4, start + 6, start + 8, start + 10, start + 12);
  }
  if (len !== 19) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const k = i - start;
    // '-' at 4 and 7, ' ' at 10, ':' at 13 and 16, digits elsewhere
    if (k === 4 || k === 7 ? c !== 45 : k === 10 ? c !== 32 : k === 13 || k === 16 ? c !== 58 : c < 48 || c > 57)
      return false;
  }
  return dateTimeAt(s, start, start + 5, start + 8, start + 11, start + 14, start + 17);
}

/** {@link isDateTimeAt} over bytes (ASCII): `b[start, end)`. */
export function isDateTimeBytes(b: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len === 14) return isCompactBytes(b, start);
  if (len !== 19) return false;
  // '-' at 4 and 7, ' ' at 10, ':' at 13 and 16, digits elsewhere
  if (
    b[start + 4] !== 45 ||
    b[start + 7] !== 45 ||
    b[start + 10] !== 32 ||
    b[start + 13] !== 58 ||
    b[start + 16] !== 58
  )
    return false;
  return dateTimeBytes(b, start, start + 5, start + 8, start + 11, start + 14, start + 17);
}

/**
 * `b[i, i + 14)` (within `b`) is a real `yyyyMMddHHmmss` (bench P4: one check per row):
 * straight-line code, one unsigned compare per digit.
 */
export function isCompactBytes(b: Uint8Array, i: number): boolean {
  return dateTimeBytes(b, i, i + 4, i + 6, i + 8, i + 10, i + 12);
}

/** The two ASCII digits `b[i]`, `b[i + 1]` as a number, or -1. */
function twoBytes(b: Uint8Array, i: number): number {
  const x = b[i]! - 48;
  const y = b[i + 1]! - 48;
  return x >>> 0 <= 9 && y >>> 0 <= 9 ? x * 10 + y : -1;
}

/** The digits at these offsets are a real date and time of day. */
function dateTimeBytes(b: Uint8Array, y: number, mo: number, d: number, h: number, mi: number, sec: number): boolean {
  const yh = twoBytes(b, y);
  const yl = twoBytes(b, y + 2);
  const m = twoBytes(b, mo);
  const dd = twoBytes(b, d);
  const hh = twoBytes(b, h);
  const mm = twoBytes(b, mi);
  const ss = twoBytes(b, sec);
  // -1 (not digits) fails every lower bound below; isCalendarDate wants year ≥ 1000
  if ((yh | yl | hh | mm | ss) < 0 || hh > 23 || mm > 59 || ss > 59 || m < 1 || m > 12 || dd < 1) return false;
  const year = yh * 100 + yl;
  if (dd <= 28) return year >= 1000;
  return isCalendarDate(year, m, dd);
}

/** Two digits (already checked) at `i` as a number: `code * 10 + code - 528` (528 = 11 × '0'). */
function num(s: string, i: number): number {
  return s.charCodeAt(i) * 10 + s.charCodeAt(i + 1) - 528;
}

/** The date and time of day at these offsets (digits already checked) are real. */
function dateTimeAt(s: string, y: number, mo: number, d: number, h: number, mi: number, sec: number): boolean {
  return (
    isCalendarDate(num(s, y) * 100 + num(s, y + 2), num(s, mo), num(s, d)) &&
    isClock(num(s, h), num(s, mi), num(s, sec))
  );
}

/** `yyyyMMddHHmmss` → wall-clock seconds, or `undefined`. */
export function compactDateTimeToSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length !== 14) return undefined;
  return wallSeconds(four(text, 0), two(text, 4), two(text, 6), two(text, 8), two(text, 10), two(text, 12));
}

/** Fields read by `two`/`four` (-1 = not digits) → wall-clock seconds, or `undefined`. */
function wallSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  if (!isCalendarDate(y, mo, d) || !isClock(h, mi, s)) return undefined;
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/** `HHMMSS` check. */
export function isCompactTime(text: unknown): boolean {
  if (typeof text !== 'string' || text.length !== 6) return false;
  const h = two(text, 0);
  const mi = two(text, 2);
  const s = two(text, 4);
  return h >= 0 && mi >= 0 && s >= 0 && isClock(h, mi, s);
}

export function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}
