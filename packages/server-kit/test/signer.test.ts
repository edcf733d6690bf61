import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAlipayError } from '@alipay-kit/core';
import { createSigner } from '../src/index.js';
import { MD5_VECTORS as VECTORS, RSA2_VECTOR, RSA_VECTOR, paramsOf } from '@alipay-kit/test-vectors';
import {
  CHLOEREI_PKCS1_PEM,
  CHLOEREI_PKCS8_BODY,
  CHLOEREI_PKCS8_PEM,
  CHLOEREI_PUBLIC_SPKI_PEM,
  KEY_A,
  KEY_B,
  rsaPair,
} from './fixtures/keys.js';

// Protocol §2.7 vectors, held once in @alipay-kit/test-vectors (sources named there); the
// shared Signer / Verifier contract runs them too (crypto-contract.test.ts). Each pre-sign
// string is parsed back into a parameter map, so the test also exercises the builder's sort.
const MD5_VECTORS: Array<[string, string, string]> = VECTORS.filter((v) => /^A\d+$/.test(v.id)).map((v) => [
  v.id,
  v.preSign,
  v.sign,
]);
const B_VECTORS: Array<[string, string, string]> = VECTORS.filter((v) => /^B\d$/.test(v.id)).map((v) => [
  v.id,
  v.preSign,
  v.sign,
]);
const toParams = paramsOf;

// Protocol §2.7 RSA (verified) and RSA2 (derived) vectors, chloerei PKCS#8 test key.
const RSA_MESSAGE = RSA_VECTOR.message;
const RSA_SIGN = RSA_VECTOR.sign;
const RSA2_SIGN = RSA2_VECTOR.sign;

function expectCode(fn: () => unknown, code: string): Error {
  try {
    fn();
  } catch (e) {
    expect(isAlipayError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}`);
}

describe('createSigner MD5 (protocol §2.7 vectors)', () => {
  const a = createSigner({ signType: 'MD5', md5Key: KEY_A });
  for (const [name, preSign, expected] of MD5_VECTORS) {
    it(`should reproduce vector ${name}`, () => {
      expect(a.sign(toParams(preSign))).toBe(expected);
      expect(a.signString(preSign)).toBe(expected);
    });
  }
  const b = createSigner({ signType: 'MD5', md5Key: KEY_B });
  for (const [name, preSign, expected] of B_VECTORS) {
    it(`should reproduce vector ${name}`, () => expect(b.sign(toParams(preSign))).toBe(expected));
  }
  it('has the twelve A/B vectors of §2.7', () => expect(MD5_VECTORS.length + B_VECTORS.length).toBe(12));
  it('should ignore sign, sign_type and empty values (§2.1 steps 2–3)', () => {
    expect(a.sign({ ...toParams(MD5_VECTORS[2]![1]), sign: 'x', sign_type: 'MD5', body: '' })).toBe(
      '4051af1716d522b47acff927d4fb9781',
    );
  });
  it('should hash GBK bytes when configured for GBK (§2.7 charset effect)', () => {
    const base = {
      currency: 'USD',
      out_trade_no: 'T1',
      partner: '2088101122136241',
      service: 'create_forex_trade',
      subject: '测试商品',
      total_fee: '1.00',
      body: '',
    };
    expect(createSigner({ signType: 'MD5', md5Key: KEY_A }).sign({ ...base, _input_charset: 'utf-8' })).toBe(
      'eea0c81e23f97982495b42f2c597d3b7',
    );
    expect(
      createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' }).sign({ ...base, _input_charset: 'gbk' }),
    ).toBe('45e00911b696201d2e81ad2fd15ef624');
  });
  it('should throw ERR_CHARSET_UNENCODABLE for an emoji in GBK unless replace is asked (§2.1 step 6)', () => {
    const gbk = createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' });
    const e = expectCode(() => gbk.sign({ subject: 'tea 🍵' }), 'ERR_CHARSET_UNENCODABLE');
    expect((e as { field?: string }).field).toBe(undefined);
    const replace = createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk', unencodable: 'replace' });
    expect(replace.sign({ subject: 'tea 🍵' })).toBe(
      createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' }).sign({ subject: 'tea ?' }),
    );
  });
});

describe('createSigner RSA / RSA2 (protocol §2.7, chloerei PKCS#8 key)', () => {
  const keyForms: Array<[string, string]> = [
    ['PKCS#8 PEM', CHLOEREI_PKCS8_PEM],
    ['PKCS#1 PEM', CHLOEREI_PKCS1_PEM],
    ['bare base64 portal string', CHLOEREI_PKCS8_BODY],
    ['bare base64 with line breaks and spaces', CHLOEREI_PKCS8_BODY.replace(/(.{76})/g, '$1\r\n ')],
  ];
  for (const [form, key] of keyForms) {
    it(`should reproduce the RSA vector from a ${form}`, () => {
      expect(createSigner({ signType: 'RSA', privateKey: key }).sign(toParams(RSA_MESSAGE))).toBe(RSA_SIGN);
    });
    it(`should reproduce the RSA2 vector from a ${form}`, () => {
      expect(createSigner({ signType: 'RSA2', privateKey: key }).signString(RSA_MESSAGE)).toBe(RSA2_SIGN);
    });
  }
  it('should produce signatures node:crypto verifies with the public key, in GBK too', () => {
    const s = createSigner({ signType: 'RSA2', privateKey: CHLOEREI_PKCS8_PEM, charset: 'gbk' });
    const sig = s.sign({ subject: '测试商品', partner: '2088101122136241' });
    const bytes = Buffer.from([
      ...Buffer.from('partner=2088101122136241&subject=', 'ascii'),
      0xb2,
      0xe2,
      0xca,
      0xd4,
      0xc9,
      0xcc,
      0xc6,
      0xb7,
    ]);
    expect(verify('sha256', bytes, createPublicKey(CHLOEREI_PUBLIC_SPKI_PEM), Buffer.from(sig, 'base64'))).toBe(true);
  });
  it('should reject a lone surrogate in UTF-8 with ERR_CHARSET_UNENCODABLE', () => {
    const s = createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_PEM });
    expectCode(() => s.sign({ subject: 'a\ud800b' }), 'ERR_CHARSET_UNENCODABLE');
  });
  it('should expose signType and charset', () => {
    const s = createSigner({ signType: 'RSA2', privateKey: CHLOEREI_PKCS8_PEM, charset: 'GBK' });
    expect([s.signType, s.charset]).toEqual(['RSA2', 'gbk']);
    expect(Object.isFrozen(s)).toBe(true);
  });
});

describe('createSigner DSA (§2.3 legacy)', () => {
  it('should sign SHA1withDSA verifiable with the public key, from PKCS#8 and from the traditional PEM', () => {
    const { privateKey, publicKey } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
    const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const s = createSigner({ signType: 'DSA', privateKey: pkcs8 });
    const sig = s.sign({ partner: '123', service: 'test' });
    expect(verify('sha1', Buffer.from(RSA_MESSAGE), publicKey, Buffer.from(sig, 'base64'))).toBe(true);
  });
  it('should refuse an RSA key for DSA with ERR_INVALID_KEY', () => {
    expectCode(() => createSigner({ signType: 'DSA', privateKey: CHLOEREI_PKCS8_PEM }), 'ERR_INVALID_KEY');
  });
});

describe('createSigner key errors (never quoting key material)', () => {
  const secretish = CHLOEREI_PKCS8_BODY.slice(20, 60);
  const cases: Array<[string, () => unknown, string]> = [
    [
      'a truncated key',
      () => createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_BODY.slice(0, 200) }),
      'ERR_INVALID_KEY',
    ],
    [
      'non-base64 garbage',
      () => createSigner({ signType: 'RSA', privateKey: `not a key ${secretish}!!` }),
      'ERR_INVALID_KEY',
    ],
    [
      'a PEM without END',
      () => createSigner({ signType: 'RSA', privateKey: `-----BEGIN PRIVATE KEY-----\n${CHLOEREI_PKCS8_BODY}` }),
      'ERR_INVALID_KEY',
    ],
    ['a missing private key', () => createSigner({ signType: 'RSA2' }), 'ERR_INVALID_KEY'],
    ['a missing md5 key', () => createSigner({ signType: 'MD5' }), 'ERR_INVALID_KEY'],
    [
      'a public key where the private key is needed',
      () => createSigner({ signType: 'RSA', privateKey: CHLOEREI_PUBLIC_SPKI_PEM }),
      'ERR_KEY_MISMATCH',
    ],
    [
      'a bare base64 public key where the private key is needed',
      () =>
        createSigner({ signType: 'RSA', privateKey: CHLOEREI_PUBLIC_SPKI_PEM.replace(/-----[A-Z ]+-----|\s/g, '') }),
      'ERR_KEY_MISMATCH',
    ],
    [
      "the merchant's own public key given as alipayPublicKey",
      () =>
        createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_PEM, alipayPublicKey: CHLOEREI_PUBLIC_SPKI_PEM }),
      'ERR_KEY_MISMATCH',
    ],
    [
      'a private key given as alipayPublicKey',
      () => createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_PEM, alipayPublicKey: CHLOEREI_PKCS8_PEM }),
      'ERR_KEY_MISMATCH',
    ],
    [
      'an encrypted PEM',
      () => createSigner({ signType: 'RSA', privateKey: pemLabel('ENCRYPTED PRIVATE KEY') }),
      'ERR_INVALID_KEY',
    ],
  ];
  for (const [name, fn, code] of cases) {
    it(`should throw ${code} for ${name}`, () => {
      const e = expectCode(fn, code);
      expect(e.message).not.toContain(secretish);
      expect(e.message).not.toMatch(/[A-Za-z0-9+/]{40,}/);
      expect(JSON.stringify({ ...e, message: e.message })).not.toMatch(/MII[A-Za-z0-9+/]{20}/);
    });
  }
  it('should accept a distinct Alipay public key', () => {
    const alipay = rsaPair();
    expect(
      createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_PEM, alipayPublicKey: alipay.publicPem }).sign({
        a: '1',
      }),
    ).toMatch(/=$/);
  });
  it('should throw TypeError naming the option for a bad signType or charset', () => {
    expect(() => createSigner({ signType: 'SHA' as never, md5Key: KEY_A })).toThrow(/signType/);
    expect(() => createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'latin1' as never })).toThrow(/charset/);
    expect(() => createSigner({ signType: 'MD5', md5Key: KEY_A, privateKey: CHLOEREI_PKCS8_PEM })).toThrow(TypeError);
  });
  it('should throw ERR_INVALID_PARAMS for a non-string value', () => {
    expectCode(() => createSigner({ signType: 'MD5', md5Key: KEY_A }).sign({ a: {} as never }), 'ERR_INVALID_PARAMS');
  });
  it('keeps createPrivateKey out of sign(): same KeyObject reused (signing 200 times is fast)', () => {
    const s = createSigner({ signType: 'RSA2', privateKey: CHLOEREI_PKCS8_PEM });
    const t = performance.now();
    for (let i = 0; i < 200; i++) s.sign({ i: String(i) });
    expect(performance.now() - t).toBeLessThan(2000);
    void createPrivateKey;
  });
});

function pemLabel(label: string): string {
  return `-----BEGIN ${label}-----\nMIIBAA==\n-----END ${label}-----\n`;
}
