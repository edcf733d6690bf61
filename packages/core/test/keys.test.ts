import { describe, it, assert } from 'vitest';
import { AlipayKeyError, inspectKey, publicKeyToSpki, rsaVerifyString, verifyParams } from '../src/index.js';
import {
  TEST_PRIVATE_KEY_BARE,
  TEST_PRIVATE_KEY_PEM,
  TEST_PRIVATE_KEY_PKCS1_PEM,
  TEST_PUBLIC_KEY_BARE,
  TEST_PUBLIC_KEY_PEM,
  TEST_PUBLIC_KEY_PKCS1_PEM,
} from './fixtures/keys.js';
import { RSA2_VECTOR, RSA_VECTOR } from './fixtures/vectors.js';
import { rejectsCode, throwsCode } from './helpers.js';

describe('inspectKey (§2.3, §2.6)', () => {
  it('detects SPKI PEM, PKCS#1 PEM and the bare portal string', () => {
    assert.strictEqual(inspectKey(TEST_PUBLIC_KEY_PEM).kind, 'public-spki');
    assert.strictEqual(inspectKey(TEST_PUBLIC_KEY_BARE).kind, 'public-spki');
    assert.strictEqual(inspectKey(TEST_PUBLIC_KEY_PKCS1_PEM).kind, 'public-pkcs1');
    assert.strictEqual(inspectKey(TEST_PRIVATE_KEY_PEM).kind, 'private-pkcs8');
    assert.strictEqual(inspectKey(TEST_PRIVATE_KEY_BARE).kind, 'private-pkcs8');
    assert.strictEqual(inspectKey(TEST_PRIVATE_KEY_PKCS1_PEM).kind, 'private-pkcs1');
  });
  it('reads the same modulus from the public and the private key', () => {
    const m = inspectKey(TEST_PUBLIC_KEY_PEM).modulusHex;
    assert.isString(m);
    assert.strictEqual(inspectKey(TEST_PRIVATE_KEY_PEM).modulusHex, m);
    assert.strictEqual(inspectKey(TEST_PUBLIC_KEY_PKCS1_PEM).modulusHex, m);
    assert.strictEqual(inspectKey(TEST_PRIVATE_KEY_PKCS1_PEM).modulusHex, m);
  });
  it('throws ERR_INVALID_KEY for junk, without quoting the key', () => {
    for (const junk of [
      '',
      'not base64 !!',
      'AAAA',
      '-----BEGIN PUBLIC KEY-----\nMIGf',
      TEST_PUBLIC_KEY_BARE.slice(0, 40),
    ]) {
      const err = throwsCode(() => inspectKey(junk), 'ERR_INVALID_KEY');
      assert.notInclude(err.message, TEST_PUBLIC_KEY_BARE.slice(0, 20));
    }
  });
  it('throws ERR_KEY_MISMATCH when a private key is given as the public key', () => {
    const err = throwsCode(() => publicKeyToSpki(TEST_PRIVATE_KEY_PEM), 'ERR_KEY_MISMATCH');
    assert.instanceOf(err, AlipayKeyError);
  });
});

describe('RSA / RSA2 verification (§2.3, §2.7)', () => {
  for (const [name, key] of [
    ['SPKI PEM', TEST_PUBLIC_KEY_PEM],
    ['bare base64', TEST_PUBLIC_KEY_BARE],
    ['PKCS#1 PEM', TEST_PUBLIC_KEY_PKCS1_PEM],
  ] as const) {
    it(`verifies the §2.7 RSA and RSA2 vectors with the ${name} key`, async () => {
      assert.isTrue(await rsaVerifyString(RSA_VECTOR.message, RSA_VECTOR.sign, key, 'RSA'));
      assert.isTrue(await rsaVerifyString(RSA2_VECTOR.message, RSA2_VECTOR.sign, key, 'RSA2'));
    });
  }
  it('does not cross-verify RSA with SHA-256 or RSA2 with SHA-1', async () => {
    assert.isFalse(await rsaVerifyString(RSA_VECTOR.message, RSA_VECTOR.sign, TEST_PUBLIC_KEY_PEM, 'RSA2'));
    assert.isFalse(await rsaVerifyString(RSA2_VECTOR.message, RSA2_VECTOR.sign, TEST_PUBLIC_KEY_PEM, 'RSA'));
  });
  it('verifyParams checks the vector as parameters and honours the configured sign type', async () => {
    const params = { partner: '123', service: 'test', sign: RSA_VECTOR.sign, sign_type: 'RSA' };
    const keys = { alipayPublicKey: TEST_PUBLIC_KEY_BARE };
    assert.isTrue(await verifyParams(params, keys));
    assert.isTrue(await verifyParams(params, keys, { signType: 'RSA' }));
    assert.isFalse(await verifyParams(params, keys, { signType: 'RSA2' }));
    assert.isTrue(
      await verifyParams({ ...params, sign: RSA2_VECTOR.sign, sign_type: 'RSA' }, keys, { signType: 'RSA2' }),
    );
    // an RSA-labelled payload with only an MD5 key is false, never an MD5 check (§2.4)
    assert.isFalse(await verifyParams(params, { md5Key: 'x' }));
  });
  it('gives false for a space-damaged, truncated, non-base64 or missing sign', async () => {
    const keys = { alipayPublicKey: TEST_PUBLIC_KEY_PEM };
    for (const sign of [RSA_VECTOR.sign.replace(/\+/g, ' '), RSA_VECTOR.sign.slice(4), '!!!', '', 'AAAA']) {
      assert.isFalse(
        await verifyParams({ partner: '123', service: 'test', sign, sign_type: 'RSA' }, keys),
        sign.slice(0, 8),
      );
    }
    assert.isFalse(await verifyParams({ partner: '123', service: 'test', sign_type: 'RSA' }, keys));
  });
  it('rejects with ERR_KEY_MISMATCH when the private key is given to verify', async () => {
    await rejectsCode(
      verifyParams(
        { partner: '123', service: 'test', sign: RSA_VECTOR.sign, sign_type: 'RSA' },
        { alipayPublicKey: TEST_PRIVATE_KEY_PEM },
      ),
      'ERR_KEY_MISMATCH',
    );
  });
});
