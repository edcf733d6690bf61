/**
 * Beijing-time (GMT+8) formatting from an instant the caller supplies. Core never reads the
 * clock (style.md §2): pass the caller's (injectable) clock value in. Every `gmt_*`,
 * `notify_time`, `timestamp` and file date of the protocol is Beijing time (§0.1).
 *
 * @module
 */
import { civilFromDays, dashedDateTimeToSeconds, pad, parseYmd } from './lib/dates.js';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

function parts(epochMs: number): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs))
    throw new TypeError('epochMs must be a finite number of milliseconds');
  const local = Math.floor((epochMs + BEIJING_OFFSET_MS) / 1000);
  const days = Math.floor(local / 86400);
  const sec = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  return { y, m, d, h: Math.floor(sec / 3600), mi: Math.floor((sec % 3600) / 60), s: sec % 60 };
}

/**
 * `yyyy-MM-dd HH:mm:ss` in Beijing time (the format of `gmt_return`, `timestamp`,
 * `order_gmt_create`; §0.1, §6.2 decision).
 *
 * @example
 * ```ts
 * formatBeijingDateTime(Date.UTC(2021, 7, 26, 11, 34, 7)) // '2021-08-26 19:34:07'
 * ```
 */
export function formatBeijingDateTime(epochMs: number): string {
  const p = parts(epochMs);
  return `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/**
 * `YYYYMMDD` of the Beijing calendar day containing the instant: the "today" that the file
 * services' date rules compare with (§8.2).
 *
 * @example
 * ```ts
 * formatBeijingDate(Date.UTC(2021, 7, 25, 16, 0, 0)) // '20210826'
 * ```
 */
export function formatBeijingDate(epochMs: number): string {
  const p = parts(epochMs);
  return `${p.y}${pad(p.m)}${pad(p.d)}`;
}

/**
 * Milliseconds since the epoch of a Beijing wall-clock `yyyy-MM-dd HH:mm:ss`, or `undefined`
 * for anything else.
 *
 * @example
 * ```ts
 * parseBeijingDateTime('2021-08-26 19:34:07') // Date.UTC(2021, 7, 26, 11, 34, 7)
 * ```
 */
export function parseBeijingDateTime(text: unknown): number | undefined {
  const s = dashedDateTimeToSeconds(text);
  return s === undefined ? undefined : s * 1000 - BEIJING_OFFSET_MS;
}

/**
 * A calendar date given as `YYYYMMDD` or `YYYY-MM-DD`, as the file services send it
 * (`YYYYMMDD`, §8.2), or `undefined` when it is not a real calendar date.
 *
 * @example
 * ```ts
 * normalizeBeijingDate('2021-08-26') // '20210826'
 * normalizeBeijingDate('20200230') // undefined
 * ```
 */
export function normalizeBeijingDate(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const ymd =
    text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45
      ? text.slice(0, 4) + text.slice(5, 7) + text.slice(8)
      : text;
  return parseYmd(ymd) === undefined ? undefined : ymd;
}
