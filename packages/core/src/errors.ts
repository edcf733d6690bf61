/**
 * Errors raised by alipay-kit. One base class, {@link AlipayError}, with a closed union of
 * stable `code` strings; one subclass per family of failure. Gateway error codes
 * (`ILLEGAL_SIGN`, `RETURN_AMOUNT_EXCEED`, …) are kept verbatim in `gatewayCode`.
 *
 * Messages never contain keys, signatures or signed URLs (style.md §7).
 *
 * @module
 */

/** Every stable error code alipay-kit raises. Switch on these, never on messages. */
export type AlipayErrorCode =
  // input validation (core)
  | 'ERR_INVALID_PARAMS'
  | 'ERR_INVALID_AMOUNT'
  | 'ERR_INVALID_CURRENCY'
  | 'ERR_INVALID_DATE'
  | 'ERR_UNSUPPORTED_CHARSET'
  | 'ERR_CHARSET_UNENCODABLE'
  | 'ERR_UNSUPPORTED_SIGN_TYPE'
  // keys and signatures
  | 'ERR_INVALID_KEY'
  | 'ERR_KEY_MISMATCH'
  | 'ERR_SIGNATURE_INVALID'
  // gateway responses
  | 'ERR_XML_MALFORMED'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_RESPONSE_UNEXPECTED'
  | 'ERR_GATEWAY'
  | 'ERR_FILE_REQUEST'
  | 'ERR_FILE_LINE'
  // notifications and returns
  | 'ERR_NOTIFICATION_INVALID'
  | 'ERR_NOTIFICATION_MISMATCH'
  // transport (server-kit)
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_HTTP_STATUS'
  // ledger and router (server-kit)
  | 'ERR_ORDER_NOT_FOUND'
  | 'ERR_ORDER_CONFLICT'
  | 'ERR_INVALID_TRANSITION'
  | 'ERR_REFUND_REJECTED'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_CONFIG';

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
 * Base class of every error alipay-kit raises on purpose.
 *
 * @example
 * ```ts
 * try { validateCreateForexTrade(params) }
 * catch (e) { if (isAlipayError(e) && e.code === 'ERR_INVALID_AMOUNT') console.log(e.field) }
 * ```
 */
export class AlipayError extends Error {
  /** Stable machine-readable code. */
  readonly code: AlipayErrorCode;
  /** The gateway's error code, verbatim, when the gateway reported one. */
  readonly gatewayCode: string | undefined;
  /** The field the error concerns. */
  readonly field: string | undefined;
  /** 1-based line number for file errors. */
  readonly line: number | undefined;
  /** HTTP status, for transport errors and router answers. */
  readonly status: number | undefined;

  constructor(code: AlipayErrorCode, message: string, options: AlipayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.gatewayCode = options.gatewayCode;
    this.field = options.field;
    this.line = options.line;
    this.status = options.status;
  }
}

/** Bad input given to a builder, validator or parser. */
export class AlipayValidationError extends AlipayError {}
/** A charset problem: unsupported name or a character the charset cannot encode. */
export class AlipayCharsetError extends AlipayError {}
/** A key that cannot be used: malformed, wrong kind, or the other party's key. */
export class AlipayKeyError extends AlipayError {}
/** A signature that does not verify, where a throwing API was asked for. */
export class AlipaySignatureError extends AlipayError {}
/** The gateway answered `is_success=F` or a business failure; `gatewayCode` holds its code. */
export class AlipayGatewayError extends AlipayError {}
/** A gateway response that could not be read (malformed XML, too large, unexpected shape). */
export class AlipayResponseError extends AlipayError {}
/** A reconciliation or rate file that could not be requested or parsed. */
export class AlipayFileError extends AlipayError {}
/** A notification or sync return that failed verification or a business cross-check. */
export class AlipayNotificationError extends AlipayError {}
/** A network failure, timeout or unexpected HTTP status talking to the gateway. */
export class AlipayTransportError extends AlipayError {}
/** A ledger or order-state failure (unknown order, illegal transition, conflicting write). */
export class AlipayLedgerError extends AlipayError {}

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
