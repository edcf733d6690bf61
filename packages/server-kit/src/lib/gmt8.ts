// Beijing time (GMT+8) formatting for request fields (protocol §0.1, §6.2 gmt_return, §11 timestamp).

function parts(date: Date): string[] {
  const d = new Date(date.getTime() + 8 * 3600_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return [p(d.getUTCFullYear(), 4), p(d.getUTCMonth() + 1), p(d.getUTCDate()), p(d.getUTCHours()), p(d.getUTCMinutes()), p(d.getUTCSeconds())];
}

/** `yyyy-MM-dd HH:mm:ss` in GMT+8. */
export function _formatGmt8(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `yyyyMMdd` in GMT+8. */
export function _ymdGmt8(date: Date): string {
  const [y, mo, d] = parts(date);
  return `${y}${mo}${d}`;
}

/** Parse `yyyy-MM-dd HH:mm:ss` / `yyyyMMddHHmmss` / `yyyy.MM.dd HH:mm:ss` (GMT+8) to a Date, or undefined. */
export function _parseGmt8(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})[-.]?(\d{2})[-.]?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 8 * 3600_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Validate and normalise a `YYYYMMDD` or `YYYY-MM-DD` calendar date to `YYYYMMDD`, or undefined. */
export function _normalizeYmd(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  if (d.getUTCFullYear() !== +m[1]! || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) return undefined;
  return `${m[1]}${m[2]}${m[3]}`;
}
