import { describe, it, assert } from 'vitest';
import { buildPreSignString, explainVerification, md5SignString } from '../src/index.js';
import { percentEncode } from '../src/encoding.js';
import { KEY_A, MD5_VECTORS, paramsOf } from './fixtures/vectors.js';
import { NOTIFY_12_4 } from './fixtures/samples.js';
import {
  TEST_PRIVATE_KEY_BARE,
  TEST_PRIVATE_KEY_PEM,
  TEST_PUBLIC_KEY_BARE,
  TEST_PUBLIC_KEY_PEM,
} from './fixtures/keys.js';
import { webCryptoSign } from './helpers.js';

const codes = (r: { causes: Array<{ code: string }> }) => r.causes.map((c) => c.code);
const md5 = (pre: string, cs: 'utf-8' | 'gbk' = 'utf-8', key = KEY_A) => md5SignString(pre, key, { charset: cs });

async function otherPublicKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  let bin = '';
  for (const b of spki) bin += String.fromCharCode(b);
  return btoa(bin);
}

function assertNoSecrets(r: { causes: Array<{ message: string }> }, ...secrets: string[]): void {
  for (const c of r.causes) for (const s of secrets) assert.notInclude(c.message, s);
}

describe('explainVerification (§2.6)', () => {
  it('says ok for the §12.4 notification', async () => {
    const r = await explainVerification(NOTIFY_12_4, { md5Key: 'dummy' }, { signType: 'MD5' });
    assert.isTrue(r.ok);
    assert.deepEqual(r.causes, []);
    assert.strictEqual(r.preSignString, MD5_VECTORS.find((v) => v.id === 'odoo')!.preSign);
  });

  it('finds sign_type included in the pre-sign string', async () => {
    const p = { ...paramsOf(MD5_VECTORS[0]!.preSign), sign_type: 'MD5' };
    // what an OpenAPI-style signer hashes: sign_type kept (§2.6)
    const withType = Object.keys(p)
      .sort()
      .map((k) => `${k}=${(p as Record<string, string>)[k]}`)
      .join('&');
    assert.include(withType, 'sign_type=MD5');
    const r = await explainVerification({ ...p, sign: md5(withType) }, { md5Key: KEY_A }, { signType: 'MD5' });
    assert.isFalse(r.ok);
    assert.include(codes(r), 'SIGN_TYPE_INCLUDED');
  });

  it('finds an empty value included', async () => {
    const p = { ...paramsOf(MD5_VECTORS[2]!.preSign), body: '' };
    const r = await explainVerification(
      { ...p, sign: md5('body=&' + MD5_VECTORS[2]!.preSign) },
      { md5Key: KEY_A },
      { signType: 'MD5' },
    );
    assert.include(codes(r), 'EMPTY_VALUE_INCLUDED');
  });

  it("finds '+' turned into a space in sign (RSA) and in a value", async () => {
    const params: Record<string, string> = { a: '1', out_trade_no: 'x' };
    let sign = '';
    for (let i = 0; !sign.includes('+'); i++) {
      params.a = String(i);
      sign = await webCryptoSign(TEST_PRIVATE_KEY_BARE, buildPreSignString(params), 'RSA');
    }
    const r = await explainVerification(
      { ...params, sign: sign.replace(/\+/g, ' '), sign_type: 'RSA' },
      { alipayPublicKey: TEST_PUBLIC_KEY_PEM },
      { signType: 'RSA' },
    );
    assert.include(codes(r), 'SIGN_PLUS_AS_SPACE');
    assertNoSecrets(r, sign.slice(0, 16), TEST_PUBLIC_KEY_BARE.slice(30, 60));

    const v = await explainVerification(
      { subject: 'a b', sign: md5('subject=a+b') },
      { md5Key: KEY_A },
      { signType: 'MD5' },
    );
    assert.include(codes(v), 'VALUE_PLUS_AS_SPACE');
  });

  it('finds values signed URL-encoded (or decoded twice) and values left encoded', async () => {
    const url = 'https://example.com/notify';
    const enc = await explainVerification(
      { notify_url: url, sign: md5('notify_url=' + percentEncode(url)) },
      { md5Key: KEY_A },
      { signType: 'MD5' },
    );
    assert.include(codes(enc), 'VALUES_URL_ENCODED');
    const left = await explainVerification(
      { notify_url: percentEncode(url), sign: md5('notify_url=' + url) },
      { md5Key: KEY_A },
      { signType: 'MD5' },
    );
    assert.include(codes(left), 'VALUES_NOT_DECODED');
  });

  it('finds the wrong charset (§2.7 charset pair)', async () => {
    const gbk = MD5_VECTORS.find((v) => v.id === 'charset-gbk')!;
    const r = await explainVerification(
      { ...paramsOf(gbk.preSign), sign: gbk.sign },
      { md5Key: KEY_A },
      { signType: 'MD5', charset: 'utf-8' },
    );
    assert.include(codes(r), 'WRONG_CHARSET');
    assert.isTrue(
      (
        await explainVerification(
          { ...paramsOf(gbk.preSign), sign: gbk.sign },
          { md5Key: KEY_A },
          { signType: 'MD5', charset: 'gbk' },
        )
      ).ok,
    );
  });

  it('finds localeCompare ordering', async () => {
    const p = { a: '1', B: '2' };
    const locale = 'a=1&B=2'; // localeCompare puts a before B; code units put B first
    assert.strictEqual(buildPreSignString(p), 'B=2&a=1');
    const r = await explainVerification({ ...p, sign: md5(locale) }, { md5Key: KEY_A }, { signType: 'MD5' });
    assert.include(codes(r), 'LOCALE_SORT');
  });

  it('finds uppercase hex and the wrong MD5 key, never naming keys', async () => {
    const a3 = MD5_VECTORS.find((v) => v.id === 'A3')!;
    const up = await explainVerification(
      { ...paramsOf(a3.preSign), sign: a3.sign.toUpperCase() },
      { md5Key: KEY_A },
      { signType: 'MD5' },
    );
    assert.include(codes(up), 'UPPERCASE_HEX');
    const wrong = await explainVerification(
      { ...paramsOf(a3.preSign), sign: a3.sign },
      { md5Key: 'k'.repeat(32) },
      { signType: 'MD5', otherMd5Keys: ['x', KEY_A] },
    );
    assert.include(codes(wrong), 'WRONG_MD5_KEY');
    assertNoSecrets(wrong, KEY_A, 'k'.repeat(32), a3.sign);
  });

  it("finds the merchant's own public key used instead of Alipay's", async () => {
    const p: Record<string, string> = { partner: '123', service: 'test' };
    const sign = await webCryptoSign(TEST_PRIVATE_KEY_BARE, buildPreSignString(p), 'RSA2');
    const alipay = await otherPublicKey();
    // payload signed with the merchant's private key, checked against Alipay's key
    const signedByMerchant = await explainVerification(
      { ...p, sign },
      { alipayPublicKey: alipay },
      { signType: 'RSA2', merchantPublicKey: TEST_PUBLIC_KEY_PEM },
    );
    assert.include(codes(signedByMerchant), 'MERCHANT_PUBLIC_KEY');
    // the merchant's own key configured as Alipay's
    const sameKey = await explainVerification(
      { ...p, sign: 'AAAA' },
      { alipayPublicKey: TEST_PUBLIC_KEY_BARE },
      { signType: 'RSA2', merchantPublicKey: TEST_PUBLIC_KEY_PEM },
    );
    assert.include(codes(sameKey), 'MERCHANT_PUBLIC_KEY');
  });

  it('names a private key given as the public key, and a sign type mismatch', async () => {
    const r = await explainVerification(
      { partner: '123', service: 'test', sign: 'AAAA' },
      { alipayPublicKey: TEST_PRIVATE_KEY_PEM },
      { signType: 'RSA' },
    );
    assert.deepEqual(codes(r), ['PRIVATE_KEY_GIVEN']);
    const m = await explainVerification(
      NOTIFY_12_4,
      { md5Key: 'dummy', alipayPublicKey: TEST_PUBLIC_KEY_PEM },
      { signType: 'RSA' },
    );
    assert.include(codes(m), 'SIGN_TYPE_MISMATCH');
  });

  it('says SIGN_MISSING, KEY_MISSING or NO_KNOWN_CAUSE and never throws on hostile input', async () => {
    assert.deepEqual(codes(await explainVerification({ a: '1' }, { md5Key: KEY_A }, { signType: 'MD5' })), [
      'SIGN_MISSING',
    ]);
    assert.deepEqual(codes(await explainVerification({ a: '1', sign: 'x' }, {}, { signType: 'MD5' })), ['KEY_MISSING']);
    assert.deepEqual(
      codes(await explainVerification({ a: '1', sign: 'f'.repeat(32) }, { md5Key: KEY_A }, { signType: 'MD5' })),
      ['NO_KNOWN_CAUSE'],
    );
    for (const h of [
      null,
      undefined,
      42,
      [],
      'x',
      { a: {} },
      { sign: 1 },
      JSON.parse('{"__proto__":"x","sign":"y"}'),
    ]) {
      const r = await explainVerification(h as never, null as never);
      assert.isFalse(r.ok);
      assert.isAbove(r.causes.length, 0);
    }
  });
});
