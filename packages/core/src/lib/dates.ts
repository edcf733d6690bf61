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
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True for a real calendar date (year 1000–9999). */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function isClock(h: number, mi: number, s: number): boolean {
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/** `YYYYMMDD` → day number, or `undefined` when not a valid calendar date. */
export function parseYmd(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(y, mo, d) ? daysFromCivil(y, mo, d) : undefined;
}

/** True for `yyyy-MM-dd HH:mm:ss` with a real date and time of day. */
export function isDashedDateTime(text: unknown): boolean {
  return dashedDateTimeToSeconds(text) !== undefined;
}

/** `yyyy-MM-dd HH:mm:ss` → seconds since 1970-01-01 00:00:00 *of the same wall clock*. */
export function dashedDateTimeToSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  return wallSeconds(m);
}

/** `yyyyMMddHHmmss` → wall-clock seconds, or `undefined`. */
export function compactDateTimeToSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return wallSeconds(m);
}

function wallSeconds(m: RegExpExecArray): number | undefined {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (!isCalendarDate(y!, mo!, d!) || !isClock(h!, mi!, s!)) return undefined;
  return daysFromCivil(y!, mo!, d!) * 86400 + h! * 3600 + mi! * 60 + s!;
}

/** `HHMMSS` check. */
export function isCompactTime(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  return !!m && isClock(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}
