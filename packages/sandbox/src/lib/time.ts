/**
 * Beijing time (GMT+8) formatting and parsing. Every time the gateway prints uses GMT+8
 * (protocol §0.1); the clock itself is the sandbox's injectable clock (ms since the epoch).
 *
 * @module
 */

const GMT8 = 8 * 3600_000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function parts(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const t = new Date(ms + GMT8);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in GMT+8 (§0.1: notify_time, gmt_* fields). */
export function formatGmt8(ms: number): string {
  const p = parts(ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/** `yyyyMMddHHmmss` in GMT+8 (§8.4 file columns). */
export function formatCompact(ms: number): string {
  const p = parts(ms);
  return `${p.y}${pad(p.mo)}${pad(p.d)}${pad(p.h)}${pad(p.mi)}${pad(p.s)}`;
}

/** `yyyyMMdd`: the Beijing calendar date of an instant. */
export function beijingDate(ms: number): string {
  return formatCompact(ms).slice(0, 8);
}

/** The instant of Beijing midnight starting calendar date `yyyyMMdd`, or `undefined` if the date is invalid. */
export function parseBeijingDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return fromFields(+m[1]!, +m[2]!, +m[3]!, 0, 0, 0);
}

function fromFields(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms - GMT8;
}

/** Parse `yyyy-MM-dd HH:mm:ss` (GMT+8). `undefined` when malformed or not a real calendar time. */
export function parseGmt8(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  return fromFields(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Parse `yyyyMMddHHmmss` (GMT+8). */
export function parseCompact(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return fromFields(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/**
 * The one time format of the sandbox's pages: `yyyy-MM-dd HH:mm:ss GMT+8` (the gateway's own
 * format, §0.1, with its zone spelt out).
 *
 * @example
 * ```ts
 * timeLabel(Date.UTC(2026, 10, 25, 4, 30)) // '2026-11-25 12:30:00 GMT+8'
 * ```
 */
export function timeLabel(ms: number): string {
  return `${formatGmt8(ms)} GMT+8`;
}
