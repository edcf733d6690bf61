/**
 * Errors raised by alipay-kit. One base class, {@link AlipayError}, with a closed union of
 * stable `code` strings; one subclass per family of failure. Gateway error codes
 * (`ILLEGAL_SIGN`, `RETURN_AMOUNT_EXCEED`, …) are kept verbatim in `gatewayCode`.
 *
 * Messages never contain keys, signatures or signed URLs (style.md §7).
 *
 * @module
 */

/** Codes of {@link AlipayValidationError}: bad input given to a builder, validator or parser. */
export type ValidationErrorCode =
  | 'ERR_INVALID_PARAMS'
  | 'ERR_INVALID_AMOUNT'
  | 'ERR_INVALID_CURRENCY'
  | 'ERR_INVALID_DATE'
  | 'ERR_UNSUPPORTED_SIGN_TYPE';
/** Codes of {@link AlipayCharsetError}. */
export type CharsetErrorCode = 'ERR_UNSUPPORTED_CHARSET' | 'ERR_CHARSET_UNENCODABLE';
/** Codes of {@link AlipayKeyError}. */
export type KeyErrorCode = 'ERR_INVALID_KEY' | 'ERR_KEY_MISMATCH';
/** Codes of {@link AlipaySignatureError}. */
export type SignatureErrorCode = 'ERR_SIGNATURE_INVALID';
/**
 * Codes of {@link AlipayGatewayError}. The gateway's own code (`ILLEGAL_SIGN`, …) is not one of
 * these: it is kept verbatim in `gatewayCode`.
 */
export type GatewayErrorCode = 'ERR_GATEWAY';
/** Codes of {@link AlipayResponseError}: a gateway reply that could not be read. */
export type ResponseErrorCode = 'ERR_XML_MALFORMED' | 'ERR_RESPONSE_TOO_LARGE' | 'ERR_RESPONSE_UNEXPECTED';
/** Codes of {@link AlipayFileError}. */
export type FileErrorCode = 'ERR_FILE_REQUEST' | 'ERR_FILE_LINE';
/** Codes of {@link AlipayNotificationError}. */
export type NotificationErrorCode = 'ERR_NOTIFICATION_INVALID' | 'ERR_NOTIFICATION_MISMATCH';
/** Codes of {@link AlipayTransportError} (server-kit's gateway client). */
export type TransportErrorCode = 'ERR_TIMEOUT' | 'ERR_NETWORK' | 'ERR_HTTP_STATUS';
/**
 * Codes of {@link AlipayLedgerError} (server-kit's ledger). A refund beyond the refundable
 * remainder or in the wrong currency is refused with the validation codes `ERR_INVALID_AMOUNT` /
 * `ERR_INVALID_CURRENCY`, checked under the order's lock; `ERR_CONFIG` is a ledger that is closed
 * or whose driver is not installed.
 */
export type LedgerErrorCode =
  | 'ERR_ORDER_NOT_FOUND'
  | 'ERR_ORDER_CONFLICT'
  | 'ERR_INVALID_TRANSITION'
  | 'ERR_INVALID_AMOUNT'
  | 'ERR_INVALID_CURRENCY'
  | 'ERR_CONFIG';
/**
 * Codes only server-kit's router produces, in its JSON answers (`{ error: { code, message } }`)
 * or in the code a refused notification is logged and recorded with. No error class of this
 * package carries them; server-kit's `HookBusyError` carries `ERR_HOOK_BUSY`.
 * - `ERR_UNAUTHORIZED` (401/403): no valid order token, or the admin `authorize` hook said no;
 * - `ERR_REFUND_REJECTED` (409): the gateway definitively refused a refund;
 * - `ERR_HOOK_BUSY`: a hook of the order is running in another process (`/notify` answers `fail`);
 * - `ERR_INTERNAL` (500): anything that is not an alipay-kit error (details only in the log).
 */
export type RouterErrorCode = 'ERR_UNAUTHORIZED' | 'ERR_REFUND_REJECTED' | 'ERR_HOOK_BUSY' | 'ERR_INTERNAL';

/**
 * Every stable error code alipay-kit raises or answers with: the union of each error class's
 * codes and the router's. Switch on these, never on messages.
 */
export type AlipayErrorCode =
  | ValidationErrorCode
  | CharsetErrorCode
  | KeyErrorCode
  | SignatureErrorCode
  | GatewayErrorCode
  | ResponseErrorCode
  | FileErrorCode
  | NotificationErrorCode
  | TransportErrorCode
  | LedgerErrorCode
  | RouterErrorCode;

/** Options accepted by every {@link AlipayError} constructor. */
export interface AlipayErrorOptions {
  /** The underlying error, if any. Never an error whose message could hold a secret. */
  cause?: unknown;
  /** The gateway's own code, verbatim (`ILLEGAL_SIGN`, `TRADE_NOT_EXIST`, …). */
  gatewayCode?: string;
  /** The parameter or field the error is about, when there is one. */
  field?: string;
  /** Line number (1-based) for file parsing errors. */
  line?: number;
  /** HTTP status for transport errors and for router responses. */
  status?: number;
}

/**
 * Base class of every error alipay-kit raises on purpose. Each subclass is bound to its own
 * codes (`AlipayTransportError` can only be constructed with a {@link TransportErrorCode}, …), so
 * after an `instanceof` check `code` is narrowed to that class's union.
 *
 * @example
 * ```ts
 * try { validateCreateForexTrade(params) }
 * catch (e) { if (isAlipayError(e) && e.code === 'ERR_INVALID_AMOUNT') console.log(e.field) }
 * ```
 */
export class AlipayError<C extends AlipayErrorCode = AlipayErrorCode> extends Error {
  /** Stable machine-readable code. */
  readonly code: C;
  /** The gateway's error code, verbatim, when the gateway reported one. */
  readonly gatewayCode: string | undefined;
  /** The field the error concerns. */
  readonly field: string | undefined;
  /** 1-based line number for file errors. */
  readonly line: number | undefined;
  /** HTTP status, for transport errors and router answers. */
  readonly status: number | undefined;

  constructor(code: C, message: string, options: AlipayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.gatewayCode = options.gatewayCode;
    this.field = options.field;
    this.line = options.line;
    this.status = options.status;
  }
}

/**
 * Bad input given to a builder, validator or parser; `field` names it.
 *
 * @example
 * ```ts
 * try { validateCreateForexTrade(params) }
 * catch (e) { if (e instanceof AlipayValidationError) form.markInvalid(e.field, e.code) }
 * ```
 */
export class AlipayValidationError extends AlipayError<ValidationErrorCode> {}
/**
 * A charset problem: unsupported name or a character the charset cannot encode.
 *
 * @example
 * ```ts
 * try { encodeForm(fields, 'gbk') } catch (e) { if (e instanceof AlipayCharsetError) console.log(e.code) }
 * ```
 */
export class AlipayCharsetError extends AlipayError<CharsetErrorCode> {}
/**
 * A key that cannot be used: malformed, wrong kind, or the other party's key.
 *
 * @example
 * ```ts
 * try { await importRsaPublicKey(pem, 'RSA2') } catch (e) { if (e instanceof AlipayKeyError) exit(`bad key: ${e.message}`) }
 * ```
 */
export class AlipayKeyError extends AlipayError<KeyErrorCode> {}
/**
 * A signature that does not verify, where a throwing API was asked for.
 *
 * @example
 * ```ts
 * if (e instanceof AlipaySignatureError) alert('the gateway reply was not signed by Alipay')
 * ```
 */
export class AlipaySignatureError extends AlipayError<SignatureErrorCode> {}
/**
 * The gateway answered `is_success=F` or a business failure; `gatewayCode` holds its code.
 *
 * @example
 * ```ts
 * if (e instanceof AlipayGatewayError && e.gatewayCode === 'TRADE_NOT_EXIST') return 'not paid yet'
 * ```
 */
export class AlipayGatewayError extends AlipayError<GatewayErrorCode> {}
/**
 * A gateway response that could not be read (malformed XML, too large, unexpected shape).
 *
 * @example
 * ```ts
 * if (e instanceof AlipayResponseError && e.code === 'ERR_RESPONSE_TOO_LARGE') log.warn('oversized reply')
 * ```
 */
export class AlipayResponseError extends AlipayError<ResponseErrorCode> {}
/**
 * A reconciliation or rate file that could not be requested or parsed; `line` for a bad line.
 *
 * @example
 * ```ts
 * if (e instanceof AlipayFileError && e.code === 'ERR_FILE_LINE') log.warn(`bad line ${e.line}`)
 * ```
 */
export class AlipayFileError extends AlipayError<FileErrorCode> {}
/**
 * A notification or sync return that failed verification or a business cross-check.
 *
 * @example
 * ```ts
 * try { parseNotification(params) } catch (e) { if (e instanceof AlipayNotificationError) return 'fail' }
 * ```
 */
export class AlipayNotificationError extends AlipayError<NotificationErrorCode> {}
/**
 * A network failure, timeout or unexpected HTTP status talking to the gateway.
 *
 * @example
 * ```ts
 * if (e instanceof AlipayTransportError && e.code === 'ERR_TIMEOUT') retryLater()
 * ```
 */
export class AlipayTransportError extends AlipayError<TransportErrorCode> {}
/**
 * A ledger or order-state failure (unknown order, illegal transition, conflicting write).
 *
 * @example
 * ```ts
 * if (e instanceof AlipayLedgerError && e.code === 'ERR_ORDER_CONFLICT') return res.status(409).end()
 * ```
 */
export class AlipayLedgerError extends AlipayError<LedgerErrorCode> {}

/**
 * Type guard that also works across realms and duplicated package copies: it checks the
 * shape (`name` ends in `Error`, a string `code` starting with `ERR_`) rather than `instanceof`.
 *
 * @example
 * ```ts
 * if (isAlipayError(err)) res.status(err.status ?? 400).json({ code: err.code })
 * ```
 */
export function isAlipayError(value: unknown): value is AlipayError {
  if (value instanceof AlipayError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('ERR_') &&
    value instanceof Error
  );
}
