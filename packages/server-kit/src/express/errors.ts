// JSON error answers `{ error: { code, message } }` with a status derived from the code.
import type { Response } from 'express';
import { isAlipayError } from '@alipay-kit/core';

const STATUS: Record<string, number> = {
  ERR_INVALID_PARAMS: 400,
  ERR_INVALID_AMOUNT: 400,
  ERR_INVALID_CURRENCY: 400,
  ERR_INVALID_DATE: 400,
  ERR_UNSUPPORTED_CHARSET: 400,
  ERR_CHARSET_UNENCODABLE: 400,
  ERR_NOTIFICATION_INVALID: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_ORDER_NOT_FOUND: 404,
  ERR_ORDER_CONFLICT: 409,
  ERR_INVALID_TRANSITION: 409,
  ERR_REFUND_REJECTED: 409,
  ERR_GATEWAY: 502,
  ERR_SIGNATURE_INVALID: 502,
  ERR_RESPONSE_UNEXPECTED: 502,
  ERR_XML_MALFORMED: 502,
  ERR_FILE_REQUEST: 502,
  ERR_FILE_LINE: 502,
  ERR_HTTP_STATUS: 502,
  ERR_NETWORK: 502,
  ERR_TIMEOUT: 504,
};

/** Send `{ error: { code, message } }`. */
export function _sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Map any thrown value to a JSON answer; non-Alipay errors become an opaque 500. */
export function _sendThrown(res: Response, e: unknown): void {
  if (isAlipayError(e)) {
    const status = STATUS[e.code] ?? (e.status && e.status >= 400 && e.status < 600 ? e.status : 500);
    _sendError(res, status, e.code, e.message);
    return;
  }
  _sendError(res, 500, 'ERR_INTERNAL', 'internal error');
}
