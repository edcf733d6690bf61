// Issue 16 point 2: core's WebCrypto/noble Signer and Verifier run the shared contract suite
// (the same cases as server-kit's node:crypto pair and the sandbox's checker), in Node and,
// through the 'vitest' shim, in the browser.
import { describe, it, assert } from 'vitest';
import { runSignerContract, runVerifierContract } from '@alipay-kit/test-vectors/contract';
import {
  KEY_A,
  MD5_VECTORS,
  RSA_VECTOR,
  TEST_PRIVATE_KEY_PEM,
  TEST_PUBLIC_KEY_PEM,
  paramsOf,
} from '@alipay-kit/test-vectors';
import {
  createSigner,
  createVerifier,
  md5Sign,
  verifyGatewayXml,
  parseGatewayXml,
  verifyNotification,
  type Signer,
  type Verifier,
} from '../src/index.js';
import { QUERY_XML_2015 } from './fixtures/samples.js';
import { rejectsCode, throwsCode } from './helpers.js';

runVerifierContract({ name: 'core (WebCrypto/noble)', create: (c): Verifier => createVerifier(c) });
runSignerContract({ name: 'core (WebCrypto/noble)', create: (c): Signer => createSigner(c) });

describe('core createVerifier / createSigner configuration', () => {
  it('createVerifier requires signType (TypeError), even with keys for every algorithm', () => {
    assert.throws(() => createVerifier({ md5Key: KEY_A } as never), TypeError, /signType/);
    assert.throws(
      () => createVerifier({ signType: 'DSA' as never, alipayPublicKey: TEST_PUBLIC_KEY_PEM }),
      TypeError,
      /signType/,
    );
    assert.throws(
      () => createVerifier({ signType: 'MD5', md5Key: KEY_A, charset: 'latin1' as never }),
      TypeError,
      /charset/,
    );
  });
  it('createVerifier checks keys at configuration', () => {
    throwsCode(() => createVerifier({ signType: 'MD5' }), 'ERR_INVALID_KEY', 'md5Key');
    throwsCode(() => createVerifier({ signType: 'RSA2' }), 'ERR_INVALID_KEY', 'alipayPublicKey');
    throwsCode(
      () => createVerifier({ signType: 'RSA', alipayPublicKey: TEST_PRIVATE_KEY_PEM }),
      'ERR_KEY_MISMATCH',
      'alipayPublicKey',
    );
    throwsCode(() => createVerifier({ signType: 'RSA', alipayPublicKey: 'not a key' }), 'ERR_INVALID_KEY');
  });
  it('createSigner checks keys at configuration', () => {
    throwsCode(() => createSigner({ signType: 'MD5' }), 'ERR_INVALID_KEY', 'md5Key');
    throwsCode(() => createSigner({ signType: 'RSA' }), 'ERR_INVALID_KEY', 'privateKey');
    throwsCode(
      () => createSigner({ signType: 'RSA2', privateKey: TEST_PUBLIC_KEY_PEM }),
      'ERR_KEY_MISMATCH',
      'privateKey',
    );
    assert.throws(() => createSigner({ signType: 'DSA' as never, privateKey: TEST_PRIVATE_KEY_PEM }), TypeError, /DSA/);
    assert.throws(() => createSigner({ signType: 'MD5', md5Key: KEY_A, privateKey: TEST_PRIVATE_KEY_PEM }), TypeError);
  });
  it('createSigner rejects the sign promise for an emoji in GBK unless replace is asked (§2.1 step 6)', async () => {
    await rejectsCode(
      createSigner({ signType: 'MD5', md5Key: KEY_A, charset: 'gbk' }).sign({ subject: 'tea 🍵' }),
      'ERR_CHARSET_UNENCODABLE',
    );
    await rejectsCode(
      createSigner({ signType: 'RSA', privateKey: TEST_PRIVATE_KEY_PEM, charset: 'gbk' }).sign({ subject: 'tea 🍵' }),
      'ERR_CHARSET_UNENCODABLE',
    );
    const replaced = await createSigner({
      signType: 'MD5',
      md5Key: KEY_A,
      charset: 'gbk',
      unencodable: 'replace',
    }).sign({ subject: 'tea 🍵' });
    assert.strictEqual(replaced, md5Sign({ subject: 'tea ?' }, KEY_A, { charset: 'gbk' }));
  });
  it('a core verifier drives verifyNotification and verifyGatewayXml (§2.4, §2.5)', async () => {
    const verifier = createVerifier({ signType: 'MD5', md5Key: KEY_A });
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(QUERY_XML_2015), verifier));
    const odoo = MD5_VECTORS.find((v) => v.id === 'odoo')!;
    const n = await verifyNotification(
      { ...paramsOf(odoo.preSign), sign: odoo.sign, sign_type: 'MD5' },
      createVerifier({ signType: 'MD5', md5Key: odoo.key }),
      { expect: 'payment' },
    );
    assert.strictEqual(n.kind, 'payment');
    await rejectsCode(
      verifyNotification({ ...paramsOf(RSA_VECTOR.message), sign: RSA_VECTOR.sign, sign_type: 'RSA' }, verifier),
      'ERR_NOTIFICATION_INVALID',
    );
  });
});
