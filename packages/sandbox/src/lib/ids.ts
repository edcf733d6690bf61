/**
 * Identifiers the sandbox issues (protocol §0.1, §4, §13).
 *
 * @module
 */
import { randomBytes, randomInt } from 'node:crypto';
import { beijingDate } from './time.js';

const ALPHANUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A `trade_no`: `yyyyMMdd` (Beijing date) + `2200` + 16 random digits = 28 digits (§13 "Trade
 * creation"; real ids show `2100`, `2200`, `0000` in that slot).
 */
export function newTradeNo(nowMs: number): string {
  let tail = '';
  for (let i = 0; i < 16; i++) tail += String(randomInt(10));
  return beijingDate(nowMs) + '2200' + tail;
}

/** A `notify_id`: 34 characters from `[0-9a-z]` (§4 decision). A new one per attempt. */
export function newNotifyId(): string {
  let s = '';
  for (let i = 0; i < 34; i++) s += ALPHANUM[randomInt(36)];
  return s;
}

/** An opaque cashier session id (URL-safe). */
export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}
