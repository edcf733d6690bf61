// Refused at startup, with a sentence saying what to do (issue 15): the hosted sandbox with a sign
// type it does not accept (protocol §1.1, §2.2: MD5 only), a gateway URL carrying a query string
// or fragment, unreadable keys (never echoed). A PEM with literal `\n` escapes, the usual .env
// form, is accepted. Currency refusals name the value.
import { describe, expect, it } from 'vitest';
import {
  AlipayKeyError,
  AlipayValidationError,
  createGatewayClient,
  isAlipayError,
  type GatewayClientConfig,
} from '../src/index.js';
import { CHLOEREI_PKCS1_PEM, CHLOEREI_PKCS8_PEM, KEY_A, PARTNER_A, rsaPair } from './fixtures/keys.js';

const alipay = rsaPair();
const RSA2: Partial<GatewayClientConfig> = {
  signType: 'RSA2',
  privateKey: CHLOEREI_PKCS8_PEM,
  alipayPublicKey: alipay.publicPem,
};
const ORDER = {
  out_trade_no: 'A1',
  subject: 'Tea',
  currency: 'USD',
  total_fee: '9.90',
  notify_url: 'https://shop.example/n',
  return_url: 'https://shop.example/r',
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe("the hosted sandbox's sign types (protocol §1.1: MD5 only)", () => {
  for (const gateway of [
    'sandbox',
    'https://mapi.alipaydev.com/gateway.do',
    'https://openapi.alipaydev.com/gateway.do',
  ]) {
    for (const signType of ['RSA2', 'RSA'] as const) {
      it(`should refuse ${signType} against ${gateway}, saying to use MD5 or the local sandbox`, () => {
        const e = thrown(() => createGatewayClient({ gateway, partner: PARTNER_A, ...RSA2, signType }));
        expect(e).toBeInstanceOf(AlipayValidationError);
        expect(e).toMatchObject({ code: 'ERR_UNSUPPORTED_SIGN_TYPE', field: 'signType' });
        expect((e as Error).message).toMatch(/accepts MD5 signatures only.*Use signType 'MD5'.*local sandbox/);
      });
    }
  }
  it('should accept MD5 against the hosted sandbox, and RSA2 against any other gateway (the local sandbox)', () => {
    expect(
      createGatewayClient({ gateway: 'sandbox', partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A }).signType,
    ).toBe('MD5');
    expect(
      createGatewayClient({ gateway: 'http://127.0.0.1:8080/gateway.do', partner: PARTNER_A, ...RSA2 }).signType,
    ).toBe('RSA2');
  });
});

describe('a gateway URL with a query string or fragment', () => {
  for (const gateway of [
    'https://intlmapi.alipay.com/gateway.do?_input_charset=utf-8',
    'https://intlmapi.alipay.com/gateway.do?',
    'https://intlmapi.alipay.com/gateway.do#x',
  ]) {
    it(`should be refused with the URL to use instead: ${gateway}`, () => {
      const e = thrown(() => createGatewayClient({ gateway, partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A }));
      expect(e).toBeInstanceOf(AlipayValidationError);
      expect(e).toMatchObject({ code: 'ERR_INVALID_PARAMS', field: 'gateway' });
      expect((e as Error).message).toContain('without a query string or fragment');
      expect((e as Error).message).toContain('Use https://intlmapi.alipay.com/gateway.do');
    });
  }
});

describe('keys as .env files keep them', () => {
  const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');

  it('should accept PEMs with literal \\n escapes (quoted or not) and sign exactly as with the real PEM', () => {
    const real = createGatewayClient({ gateway: 'http://127.0.0.1:8080/gateway.do', partner: PARTNER_A, ...RSA2 });
    const variants = [
      { privateKey: escaped(CHLOEREI_PKCS8_PEM), alipayPublicKey: escaped(alipay.publicPem) },
      { privateKey: `"${escaped(CHLOEREI_PKCS8_PEM)}"`, alipayPublicKey: `'${escaped(alipay.publicPem)}'` },
      { privateKey: CHLOEREI_PKCS8_PEM.replace(/\n/g, '\\r\\n'), alipayPublicKey: alipay.publicPem },
      { privateKey: escaped(CHLOEREI_PKCS1_PEM), alipayPublicKey: alipay.publicPem },
    ];
    for (const keys of variants) {
      const c = createGatewayClient({
        gateway: 'http://127.0.0.1:8080/gateway.do',
        partner: PARTNER_A,
        signType: 'RSA2',
        ...keys,
      });
      expect(c.paymentParams(ORDER).sign).toBe(real.paymentParams(ORDER).sign);
    }
  });

  const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-this-is-not-a-key-SECRETSECRET';
  for (const [field, keys] of [
    ['privateKey', { privateKey: secret, alipayPublicKey: alipay.publicPem }],
    [
      'privateKey',
      {
        privateKey: `-----BEGIN PRIVATE KEY-----\\n${secret}\\n-----END PRIVATE KEY-----`,
        alipayPublicKey: alipay.publicPem,
      },
    ],
    ['alipayPublicKey', { privateKey: CHLOEREI_PKCS8_PEM, alipayPublicKey: secret }],
  ] as const) {
    it(`should name an unreadable ${field}, say what to give, and never echo it`, () => {
      const e = thrown(() =>
        createGatewayClient({
          gateway: 'http://127.0.0.1:8080/gateway.do',
          partner: PARTNER_A,
          signType: 'RSA2',
          ...keys,
        }),
      );
      expect(e).toBeInstanceOf(AlipayKeyError);
      expect(e).toMatchObject({ code: 'ERR_INVALID_KEY', field });
      const message = (e as Error).message;
      expect(message).toMatch(new RegExp(`^${field} is not a usable key .*Give .* as a whole PEM block`));
      expect(message).not.toContain('SECRET');
      expect(message).not.toContain('MIIEvQ');
    });
  }
});

describe('currency refusals', () => {
  it('should name the refused value', () => {
    const c = createGatewayClient({
      gateway: 'http://127.0.0.1:8080/gateway.do',
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
    });
    for (const currency of ['usd', 'XYZ']) {
      const e = thrown(() => c.paymentUrl({ ...ORDER, currency }));
      expect(isAlipayError(e) && e.code).toBe('ERR_INVALID_CURRENCY');
      expect((e as Error).message).toContain(`"${currency}"`);
    }
  });
});
