// Issue 16 point 2: server-kit's node:crypto signer and verifier run the shared Signer /
// Verifier contract suite (the same cases as core's WebCrypto/noble pair and the sandbox's
// checker), with the §2.7 vectors of @alipay-kit/test-vectors.
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runSignerContract, runVerifierContract } from '@alipay-kit/test-vectors/contract';
import { verifyNotification, type Signer as CoreSigner, type Verifier as CoreVerifier } from '@alipay-kit/core';
import { createSigner, createVerifier } from '../src/index.js';

runVerifierContract({ name: 'server-kit (node:crypto)', create: (c): CoreVerifier => createVerifier(c) });
runSignerContract({ name: 'server-kit (node:crypto)', create: (c): CoreSigner => createSigner(c) });

describe('server-kit DSA (Node-only, §2.3): signer and verifier agree', () => {
  const { privateKey, publicKey } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const params = {
    partner: '123',
    service: 'test',
    notify_id: 'n',
    notify_type: 'trade_status_sync',
    notify_time: '2026-12-02 10:00:00',
    out_trade_no: 'T1',
    trade_no: '1',
    total_fee: '1.00',
    currency: 'USD',
    trade_status: 'TRADE_FINISHED',
  };
  it('verifies its own DSA signature (round trip: DSA signatures are randomised, §2.7 has no DSA vector)', async () => {
    const sign = createSigner({ signType: 'DSA', privateKey: privatePem }).sign(params);
    const verifier = createVerifier({ signType: 'DSA', alipayPublicKey: publicPem });
    expect(await verifier.verify({ ...params, sign, sign_type: 'DSA' })).toBe(true);
    expect(await verifier.verify({ ...params, total_fee: '2.00', sign, sign_type: 'DSA' })).toBe(false);
    expect((await verifyNotification({ ...params, sign, sign_type: 'DSA' }, verifier)).kind).toBe('payment');
  });
  it('verifies a node:crypto SHA1withDSA signature made directly (§2.3)', async () => {
    const sign = cryptoSign(
      'sha1',
      Buffer.from(
        'currency=USD&notify_id=n&notify_time=2026-12-02 10:00:00&notify_type=trade_status_sync&out_trade_no=T1&partner=123&service=test&total_fee=1.00&trade_no=1&trade_status=TRADE_FINISHED',
      ),
      privateKey,
    ).toString('base64');
    expect(await createVerifier({ signType: 'DSA', alipayPublicKey: publicPem }).verify({ ...params, sign })).toBe(
      true,
    );
  });
});
