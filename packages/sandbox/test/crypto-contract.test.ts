// Issue 16 point 2: the sandbox's request checker and its signer, behind core's Verifier /
// Signer interfaces (src/crypto/adapter.ts), run the shared contract suite with the §2.7 vectors
// of @alipay-kit/test-vectors, like core's WebCrypto/noble pair and server-kit's node:crypto pair.
import { describe, expect, it } from 'vitest';
import { runSignerContract, runVerifierContract } from '@alipay-kit/test-vectors/contract';
import { KEY_A, PARTNER_A, TEST_PRIVATE_KEY_PEM } from '@alipay-kit/test-vectors';
import type { Signer, Verifier } from '@alipay-kit/core';
import { checkerAsVerifier, signerAsSigner } from '../src/crypto/adapter.js';
import { createSigner } from '../src/crypto/signer.js';

runVerifierContract({
  name: 'sandbox checker (adapter)',
  create: (c): Verifier =>
    checkerAsVerifier({ signType: c.signType, md5Key: c.md5Key, publicKey: c.alipayPublicKey, charset: c.charset }),
});

runSignerContract({
  name: 'sandbox signer (adapter)',
  // The sandbox always holds an RSA key ("Alipay's"); MD5 cases use the merchant's key.
  create: (c): Signer =>
    signerAsSigner(createSigner(c.privateKey ?? TEST_PRIVATE_KEY_PEM), {
      signType: c.signType,
      charset: c.charset,
      merchant: { partner: PARTNER_A, md5Key: c.md5Key },
    }),
});

describe('sandbox adapters: configuration', () => {
  it('refuses a checker without signType or without a key for it (ILLEGAL_SECURITY_PROFILE, §1.6)', () => {
    expect(() => checkerAsVerifier({ md5Key: KEY_A } as never)).toThrow(/signType/);
    expect(() => checkerAsVerifier({ signType: 'RSA', md5Key: KEY_A })).toThrow(/no key/);
  });
  it('DSA round trip: the sandbox verifies what its DSA key signs (§2.3, no §2.7 vector)', async () => {
    const signer = createSigner(TEST_PRIVATE_KEY_PEM);
    const params = { partner: PARTNER_A, service: 'single_trade_query', out_trade_no: 'T1' };
    const sign = signerAsSigner(signer, { signType: 'DSA', merchant: { partner: PARTNER_A } }).sign(params);
    const verifier = checkerAsVerifier({ signType: 'DSA', publicKey: signer.dsaPublicKey() });
    expect(await verifier.verify({ ...params, sign, sign_type: 'DSA' })).toBe(true);
    expect(await verifier.verify({ ...params, out_trade_no: 'T2', sign, sign_type: 'DSA' })).toBe(false);
  });
});
