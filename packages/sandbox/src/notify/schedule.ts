/**
 * The retry schedule of protocol §4 (API-page decision): after the first send, retries at
 * +2m, +10m, +10m, +1h, +2h, +6h, +15h after the previous attempt: 7 gaps, 8 sends.
 *
 * @module
 */

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Gaps between sends, in unscaled ms. */
export const RETRY_GAPS_MS: readonly number[] = [2 * MIN, 10 * MIN, 10 * MIN, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR];

/** Total sends before giving up. */
export const MAX_SENDS = RETRY_GAPS_MS.length + 1;

/** Sandbox-clock delay before send number `sendNo + 1`, after send `sendNo` (1-based) failed; `undefined` after the last. */
export function nextGap(sendNo: number, timeScale: number): number | undefined {
  const gap = RETRY_GAPS_MS[sendNo - 1];
  return gap === undefined ? undefined : gap / timeScale;
}
