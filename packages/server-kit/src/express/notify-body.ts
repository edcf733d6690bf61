// The raw body of POST /notify, read straight off the request stream. The notification is
// decoded in the configured charset (§2.4 step 1), so no Express body parser may touch it; this
// reader is also several times lighter than body-parser's (no content-type negotiation, no
// async-hook scopes), which matters on the one route the gateway can storm (§4 retries).
import type { Request } from 'express';
import {
  AlipayError,
  isAlipayError,
  type AlipayErrorOptions,
  type GatewayErrorCode,
  type NotificationErrorCode,
  type ResponseErrorCode,
  type SignatureErrorCode,
  type TransportErrorCode,
} from '@alipay-kit/core';

/**
 * Why `POST /notify` refused a notification: the notification's own failures, an unknown order,
 * a body another middleware consumed (`ERR_CONFIG`), or the code of a `notify_verify` call that
 * failed (transport, reply, gateway, an unusable `notify_id`).
 */
export type NotificationRejectionCode =
  | NotificationErrorCode
  | SignatureErrorCode
  | 'ERR_ORDER_NOT_FOUND'
  | 'ERR_CONFIG'
  | TransportErrorCode
  | ResponseErrorCode
  | GatewayErrorCode
  | 'ERR_INVALID_PARAMS';

/**
 * `POST /notify` refused a notification (body, signature, `notify_verify`, cross-check against the
 * ledger): it answers `fail`, logs `code: message` in one line, and records the refusal with
 * `code` — in the ledger's rejection ring before the signature is verified, as the notification's
 * `rejected:<code>` outcome after. Never thrown out of the router; exported so that tests and
 * logs can name it.
 *
 * @example
 * ```ts
 * const { recent } = await ledger.listRejections()
 * const forged = recent.filter((r) => r.code === 'ERR_SIGNATURE_INVALID').length
 * ```
 */
export class NotificationRejectedError extends AlipayError<NotificationRejectionCode> {
  constructor(code: NotificationRejectionCode, message: string, options: Omit<AlipayErrorOptions, 'status'> = {}) {
    super(code, message, options);
  }
}

type NotifyVerifyCode = TransportErrorCode | ResponseErrorCode | GatewayErrorCode | 'ERR_INVALID_PARAMS';
const NOTIFY_VERIFY_CODES: ReadonlySet<string> = new Set<NotifyVerifyCode>([
  'ERR_TIMEOUT',
  'ERR_NETWORK',
  'ERR_HTTP_STATUS',
  'ERR_XML_MALFORMED',
  'ERR_RESPONSE_TOO_LARGE',
  'ERR_RESPONSE_UNEXPECTED',
  'ERR_GATEWAY',
  'ERR_INVALID_PARAMS',
]);

const isNotifyVerifyCode = (code: string): code is NotifyVerifyCode => NOTIFY_VERIFY_CODES.has(code);

/** The rejection code for a `notify_verify` call that threw: its own code when it is one of the client's, else `ERR_NETWORK`. */
export function _notifyVerifyRejectionCode(e: unknown): NotificationRejectionCode {
  return isAlipayError(e) && isNotifyVerifyCode(e.code) ? e.code : 'ERR_NETWORK';
}

/** Largest notification body accepted. Real ones are under 2 KiB (§3.9 has about 20 fields). */
export const _NOTIFY_BODY_LIMIT = 64 * 1024;

/**
 * Resolve with the request body as bytes, or reject with {@link NotificationRejectedError}: a body over
 * `limit` bytes, a compressed body, or a body an earlier middleware already consumed (an
 * `express.urlencoded()` mounted before the router). A body another middleware kept as bytes
 * (`express.raw()`) is used as is. A client that goes away mid-body rejects too (its `fail`
 * answer goes nowhere); the stream's `error` is always handled, so it never crashes the process.
 */
export function _readNotifyBody(req: Request, limit = _NOTIFY_BODY_LIMIT): Promise<Buffer> {
  const ready: unknown = req.body;
  if (Buffer.isBuffer(ready)) return Promise.resolve(ready);
  if (ready !== undefined || req.readableEnded) {
    return Promise.reject(new NotificationRejectedError('ERR_CONFIG', 'the notification body was consumed by a body parser mounted before alipayRouter; mount the router first'));
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    req.resume();
    return Promise.reject(new NotificationRejectedError('ERR_NOTIFICATION_INVALID', 'compressed notification body'));
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new NotificationRejectedError('ERR_NOTIFICATION_INVALID', 'notification body is too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return; // keep draining so the connection can answer `fail`
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('error', () => reject(new NotificationRejectedError('ERR_NOTIFICATION_INVALID', 'the request was aborted mid-body')));
    req.on('end', () => {
      if (over) reject(new NotificationRejectedError('ERR_NOTIFICATION_INVALID', 'notification body is too large'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  });
}
