import { describe, it, assert } from 'vitest';
import { md5Sign, md5SignString, md5VerifyString, verifyParams, AlipayCharsetError } from '../src/index.js';
import { MD5_VECTORS, KEY_A, PRESIGN_PAGE_EXAMPLE, paramsOf } from './fixtures/vectors.js';

describe('md5Sign / md5SignString (§2.2)', () => {
  for (const v of MD5_VECTORS) {
    it(`gives ${v.sign} for §2.7 ${v.id} (${v.source})`, () => {
      const charset = v.charset ?? 'utf-8';
      assert.strictEqual(md5SignString(v.preSign, v.key, { charset }), v.sign);
      const params = { ...paramsOf(v.preSign), sign_type: 'MD5', body: '' };
      assert.strictEqual(md5Sign(params, v.key, { charset }), v.sign);
    });
  }

  it('reproduces the derived §2.1 pre-sign page example', () => {
    assert.strictEqual(md5Sign(PRESIGN_PAGE_EXAMPLE.params, KEY_A), PRESIGN_PAGE_EXAMPLE.sign);
  });

  it('hashes UTF-8 and GBK bytes differently (§2.7 charset effect)', () => {
    const utf8 = MD5_VECTORS.find((v) => v.id === 'charset-utf8')!;
    assert.notEqual(md5SignString(utf8.preSign, KEY_A, { charset: 'gbk' }), utf8.sign);
  });

  it('refuses an emoji in GBK with ERR_CHARSET_UNENCODABLE', () => {
    assert.throws(() => md5Sign({ subject: 'cake 🎂' }, KEY_A, { charset: 'gbk' }), AlipayCharsetError);
  });

  it('throws TypeError for an empty key', () => {
    assert.throws(() => md5Sign({ a: '1' }, ''), TypeError);
  });
});

describe('md5VerifyString', () => {
  const a3 = MD5_VECTORS.find((v) => v.id === 'A3')!;
  it('accepts the exact lowercase sign', () => {
    assert.isTrue(md5VerifyString(a3.preSign, a3.sign, KEY_A));
  });
  it('rejects uppercase hex (§2.2 decision: case-sensitive)', () => {
    assert.isFalse(md5VerifyString(a3.preSign, a3.sign.toUpperCase(), KEY_A));
  });
  it('rejects wrong lengths and non-strings', () => {
    for (const s of ['', a3.sign.slice(1), a3.sign + '0', 42, null, undefined, {}])
      assert.isFalse(md5VerifyString(a3.preSign, s, KEY_A));
  });
});

describe('verifyParams with MD5', () => {
  for (const v of MD5_VECTORS) {
    it(`verifies §2.7 ${v.id} and fails when one value changes`, async () => {
      const params: Record<string, string> = { ...paramsOf(v.preSign), sign: v.sign, sign_type: 'MD5' };
      assert.isTrue(await verifyParams(params, { md5Key: v.key }, { charset: v.charset ?? 'utf-8', signType: 'MD5' }));
      const first = Object.keys(params)[0]!;
      assert.isFalse(
        await verifyParams(
          { ...params, [first]: params[first] + 'x' },
          { md5Key: v.key },
          { charset: v.charset ?? 'utf-8', signType: 'MD5' },
        ),
      );
    });
  }
});
