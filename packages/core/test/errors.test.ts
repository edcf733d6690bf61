// Error classes bound to their codes (jose style, issue #16 point 4). The run-time half runs in
// Node and Chromium; the type-level half (`@ts-expect-error`, `Equal`) is checked by tsc over the
// test folder: a class that accepted a foreign code would make an `@ts-expect-error` unused.
import { describe, it, assert } from 'vitest';
import {
  AlipayCharsetError,
  AlipayError,
  AlipayFileError,
  AlipayGatewayError,
  AlipayKeyError,
  AlipayLedgerError,
  AlipayNotificationError,
  AlipayResponseError,
  AlipaySignatureError,
  AlipayTransportError,
  AlipayValidationError,
  isAlipayError,
  type AlipayErrorCode,
  type CharsetErrorCode,
  type FileErrorCode,
  type GatewayErrorCode,
  type KeyErrorCode,
  type LedgerErrorCode,
  type NotificationErrorCode,
  type ResponseErrorCode,
  type RouterErrorCode,
  type SignatureErrorCode,
  type TransportErrorCode,
  type ValidationErrorCode,
} from '../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeIs = <T extends true>(_: T): void => {};

/** Every class with one code of its own union (the table the router's status map mirrors). */
const TABLE = [
  [
    AlipayValidationError,
    [
      'ERR_INVALID_PARAMS',
      'ERR_INVALID_AMOUNT',
      'ERR_INVALID_CURRENCY',
      'ERR_INVALID_DATE',
      'ERR_UNSUPPORTED_SIGN_TYPE',
    ],
  ],
  [AlipayCharsetError, ['ERR_UNSUPPORTED_CHARSET', 'ERR_CHARSET_UNENCODABLE']],
  [AlipayKeyError, ['ERR_INVALID_KEY', 'ERR_KEY_MISMATCH']],
  [AlipaySignatureError, ['ERR_SIGNATURE_INVALID']],
  [AlipayGatewayError, ['ERR_GATEWAY']],
  [AlipayResponseError, ['ERR_XML_MALFORMED', 'ERR_RESPONSE_TOO_LARGE', 'ERR_RESPONSE_UNEXPECTED']],
  [AlipayFileError, ['ERR_FILE_REQUEST', 'ERR_FILE_LINE']],
  [AlipayNotificationError, ['ERR_NOTIFICATION_INVALID', 'ERR_NOTIFICATION_MISMATCH']],
  [AlipayTransportError, ['ERR_TIMEOUT', 'ERR_NETWORK', 'ERR_HTTP_STATUS']],
  [
    AlipayLedgerError,
    [
      'ERR_ORDER_NOT_FOUND',
      'ERR_ORDER_CONFLICT',
      'ERR_INVALID_TRANSITION',
      'ERR_INVALID_AMOUNT',
      'ERR_INVALID_CURRENCY',
      'ERR_CONFIG',
    ],
  ],
] as const;

describe('AlipayError classes', () => {
  it('should carry each code of its own union, its class name, cause and options', () => {
    for (const [Class, codes] of TABLE) {
      for (const code of codes) {
        const cause = new Error('under');
        const Ctor = Class as new (c: string, m: string, o?: object) => AlipayError;
        const e = new Ctor(code, 'msg', { cause, field: 'f', status: 418 });
        assert.instanceOf(e, AlipayError);
        assert.instanceOf(e, Ctor);
        assert.strictEqual(e.name, Class.name);
        assert.strictEqual(e.code, code);
        assert.strictEqual(e.message, 'msg');
        assert.strictEqual(e.cause, cause);
        assert.strictEqual(e.field, 'f');
        assert.strictEqual(e.status, 418);
        assert.isTrue(isAlipayError(e));
      }
    }
  });

  it('should list each class code once per class (no code missing from AlipayErrorCode)', () => {
    const all = TABLE.flatMap(([, codes]) => [...codes]);
    // Compile-time: every code of the table is an AlipayErrorCode, and the union is the table's plus the router's.
    typeIs<Equal<(typeof all)[number] | RouterErrorCode, AlipayErrorCode>>(true);
    for (const [, codes] of TABLE) assert.strictEqual(new Set(codes).size, codes.length);
  });

  it('should bind each constructor to its own code union (type level)', () => {
    typeIs<Equal<AlipayValidationError['code'], ValidationErrorCode>>(true);
    typeIs<Equal<AlipayCharsetError['code'], CharsetErrorCode>>(true);
    typeIs<Equal<AlipayKeyError['code'], KeyErrorCode>>(true);
    typeIs<Equal<AlipaySignatureError['code'], SignatureErrorCode>>(true);
    typeIs<Equal<AlipayGatewayError['code'], GatewayErrorCode>>(true);
    typeIs<Equal<AlipayResponseError['code'], ResponseErrorCode>>(true);
    typeIs<Equal<AlipayFileError['code'], FileErrorCode>>(true);
    typeIs<Equal<AlipayNotificationError['code'], NotificationErrorCode>>(true);
    typeIs<Equal<AlipayTransportError['code'], TransportErrorCode>>(true);
    typeIs<Equal<AlipayLedgerError['code'], LedgerErrorCode>>(true);
    typeIs<Equal<AlipayError['code'], AlipayErrorCode>>(true);
    typeIs<Equal<RouterErrorCode, 'ERR_UNAUTHORIZED' | 'ERR_REFUND_REJECTED' | 'ERR_HOOK_BUSY' | 'ERR_INTERNAL'>>(true);
    const wrong = () => {
      // @ts-expect-error a transport error cannot carry a gateway code
      new AlipayTransportError('ERR_GATEWAY', 'x');
      // @ts-expect-error a validation error cannot carry a ledger code
      new AlipayValidationError('ERR_ORDER_NOT_FOUND', 'x');
      // @ts-expect-error a gateway error cannot carry a transport code
      new AlipayGatewayError('ERR_TIMEOUT', 'x');
      // @ts-expect-error a ledger error cannot carry a router code
      new AlipayLedgerError('ERR_UNAUTHORIZED', 'x');
      // @ts-expect-error no class, not even the base, takes a code outside AlipayErrorCode
      new AlipayError('ERR_SOMETHING_ELSE', 'x');
    };
    assert.isFunction(wrong);
  });

  it('should narrow `code` after instanceof', () => {
    const e: unknown = new AlipayTransportError('ERR_TIMEOUT', 'slow');
    if (e instanceof AlipayTransportError) {
      const code: TransportErrorCode = e.code; // compiles only because the class is bound
      assert.strictEqual(code, 'ERR_TIMEOUT');
    } else assert.fail('not a transport error');
  });
});
