// The `timestamp` rule shared by both secondary-merchant services (§11.1, §11.3 decision). Internal.
import { parseBeijingDateTime } from '../time.js';
import { fail, required, type Out } from './validate.js';

export const TIMESTAMP_WINDOW_MS = 30 * 60 * 1000;

export function checkTimestamp(p: Out, now: number | undefined): void {
  const ts = required(p, 'timestamp');
  const at = parseBeijingDateTime(ts);
  if (at === undefined) fail('ERR_INVALID_DATE', 'timestamp', 'must be yyyy-MM-dd HH:mm:ss, Beijing time (§11.1)');
  if (now !== undefined) {
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('options.now must be epoch milliseconds');
    if (Math.abs(now - at) > TIMESTAMP_WINDOW_MS)
      fail('ERR_INVALID_DATE', 'timestamp', 'is more than 30 minutes away from now (§11.1)');
  }
}
