// Why POST /notify refused a notification: the error class, its codes, and the code of a failed
// notify_verify call.
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
