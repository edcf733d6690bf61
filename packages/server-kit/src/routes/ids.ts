// The order id a request names: checked before anything else reads it, so malformed input (bad
// percent-encoding, an over-long or odd id) is a 400 with a stable code, never a 500 (issue 14).
import { _errorAnswer } from './errors.js';
import type { _HttpAnswer } from './http.js';

/** The ids checkout accepts and generates: 1–64 letters, digits, `_` or `-` (§3.2 out_trade_no ≤ 64). */
const OUT_TRADE_NO = /^[A-Za-z0-9_-]{1,64}$/;

/** True for an id the router could have issued. */
export function _isOutTradeNo(id: unknown): id is string {
  return typeof id === 'string' && OUT_TRADE_NO.test(id);
}

/** Decode a path segment naming an order: the id, or the 400 answer refusing it. */
export function _decodeOutTradeNo(raw: string): string | _HttpAnswer {
  if (raw.length > 200) return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'the order id is longer than 64 characters');
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'the order id is not valid percent-encoding');
  }
  if (!_isOutTradeNo(id))
    return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'the order id must be 1–64 letters, digits, _ or -');
  return id;
}
