// JSON error answers `{ error: { code, message } }` (`ErrorResponse` in @alipay-kit/core/contract)
// with a status derived from the code. Every code on the wire is an `AlipayErrorCode`: the codes
// of the error classes plus the router's own (`RouterErrorCode`, declared in core beside the
// others so that the widget can type its `error` event with them).
import { isAlipayError, type AlipayErrorCode } from '@alipay-kit/core';
import type { ErrorResponse } from '@alipay-kit/core/contract';
import { _jsonAnswer, type _HttpAnswer } from './http.js';

export type { RouterErrorCode } from '@alipay-kit/core';

/**
 * The HTTP status of each code; `null`: the error's own `status` when it is 4xx/5xx, else 500.
 * Complete (`satisfies`): a code added to `AlipayErrorCode` does not compile until it has a row,
 * and the keys are the run-time list of the codes the router may send.
 */
const STATUS = {
  // validation and charset
  ERR_INVALID_PARAMS: 400,
  ERR_INVALID_AMOUNT: 400,
  ERR_INVALID_CURRENCY: 400,
  ERR_INVALID_DATE: 400,
  ERR_UNSUPPORTED_SIGN_TYPE: null,
  ERR_UNSUPPORTED_CHARSET: 400,
  ERR_CHARSET_UNENCODABLE: 400,
  // keys and signatures
  ERR_INVALID_KEY: null,
  ERR_KEY_MISMATCH: null,
  ERR_SIGNATURE_INVALID: 502,
  // gateway replies and files
  ERR_GATEWAY: 502,
  ERR_XML_MALFORMED: 502,
  ERR_RESPONSE_TOO_LARGE: null,
  ERR_RESPONSE_UNEXPECTED: 502,
  ERR_FILE_REQUEST: 502,
  ERR_FILE_LINE: 502,
  // notifications
  ERR_NOTIFICATION_INVALID: 400,
  ERR_NOTIFICATION_MISMATCH: null,
  // transport
  ERR_HTTP_STATUS: 502,
  ERR_NETWORK: 502,
  ERR_TIMEOUT: 504,
  // ledger
  ERR_ORDER_NOT_FOUND: 404,
  ERR_ORDER_CONFLICT: 409,
  ERR_INVALID_TRANSITION: 409,
  ERR_CONFIG: null,
  // the router's own (RouterErrorCode)
  ERR_UNAUTHORIZED: 401,
  ERR_REFUND_REJECTED: 409,
  ERR_HOOK_BUSY: 503,
  ERR_INTERNAL: 500,
} as const satisfies Record<AlipayErrorCode, number | null>;

/** Every code the router may answer with (the keys of its status table). */
export const _WIRE_CODES: ReadonlySet<string> = new Set(Object.keys(STATUS));

/** The answer `{ error: { code, message } }`. */
export function _errorAnswer(status: number, code: AlipayErrorCode, message: string): _HttpAnswer {
  return _jsonAnswer(status, { error: { code, message } } satisfies ErrorResponse);
}

/**
 * Map any thrown value to a JSON answer. Non-Alipay errors, and errors that look like ours but
 * carry a code outside `AlipayErrorCode` (Node's own `ERR_*` system errors pass the shape check of
 * `isAlipayError`), become an opaque 500 `ERR_INTERNAL`.
 */
export function _thrownAnswer(e: unknown): _HttpAnswer {
  if (isAlipayError(e) && Object.hasOwn(STATUS, e.code)) {
    const status = STATUS[e.code] ?? (e.status && e.status >= 400 && e.status < 600 ? e.status : 500);
    return _errorAnswer(status, e.code, e.message);
  }
  return _errorAnswer(500, 'ERR_INTERNAL', 'internal error');
}
