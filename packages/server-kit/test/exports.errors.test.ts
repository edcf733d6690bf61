// A merchant catches alipay-kit's errors with server-kit alone (issue 15): the error classes,
// isAlipayError and the code unions come from `@alipay-kit/server-kit`, imported by package name
// (Node's self-reference: the built entry, as an installed package resolves it).
import { describe, expect, it } from 'vitest';
import * as core from '@alipay-kit/core';
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
  createGatewayClient,
  isAlipayError,
  type AlipayErrorCode,
  type LedgerErrorCode,
  type RouterErrorCode,
  type ValidationErrorCode,
} from '@alipay-kit/server-kit';

describe("core's errors, from @alipay-kit/server-kit", () => {
  it('should be the very classes of core, so instanceof works across both imports', () => {
    const classes = {
      AlipayError,
      AlipayValidationError,
      AlipayCharsetError,
      AlipayKeyError,
      AlipaySignatureError,
      AlipayGatewayError,
      AlipayResponseError,
      AlipayFileError,
      AlipayNotificationError,
      AlipayTransportError,
      AlipayLedgerError,
    };
    for (const [name, cls] of Object.entries(classes)) expect(cls, name).toBe(core[name as keyof typeof classes]);
    expect(isAlipayError).toBe(core.isAlipayError);
  });

  it('should let a merchant catch a startup error by class and code', () => {
    let caught: unknown;
    try {
      createGatewayClient({
        gateway: 'https://intlmapi.alipay.com/gateway.do?x=1',
        partner: '2088101122136241',
        signType: 'MD5',
        md5Key: 'k'.repeat(32),
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AlipayValidationError);
    expect(caught).toBeInstanceOf(AlipayError);
    expect(isAlipayError(caught) && caught.code).toBe('ERR_INVALID_PARAMS');
    const codes: [AlipayErrorCode, ValidationErrorCode, LedgerErrorCode, RouterErrorCode] = [
      'ERR_TIMEOUT',
      'ERR_INVALID_AMOUNT',
      'ERR_ORDER_NOT_FOUND',
      'ERR_UNAUTHORIZED',
    ];
    expect(codes).toHaveLength(4);
  });
});
