/**
 * What the sandbox signs: returns, notifications and signed XML replies (protocol §2.3
 * decision: the `sign_type` and charset of the originating request). MD5 uses the merchant's
 * key via core; RSA/RSA2 use the sandbox's own private key through node:crypto; DSA (legacy,
 * §2.3) uses a sandbox DSA key generated on first use and kept in `dsaStore` (the data file),
 * so it survives a restart like the RSA key.
 *
 * @module
 */
import { createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { buildPreSignString, md5SignString, type Charset } from '@alipay-kit/core';
import { encodeText } from '@alipay-kit/core/encoding';
import type { InboundSignType, MerchantConfig } from '../types.js';
import { generateDsaPrivateKey, type DsaKeyStore } from './key-store.js';
import { importPrivateKey } from './keys.js';

/** Signs parameter sets as "Alipay". */
export interface SandboxSigner {
  /** Sign `params` (sign/sign_type and empties excluded by §2.1) and return the `sign` value. */
  sign(params: Record<string, string>, signType: InboundSignType, charset: Charset, merchant: MerchantConfig): string;
  /** Sign an already-built pre-sign string (§2.1). */
  signString(preSign: string, signType: InboundSignType, charset: Charset, merchant: MerchantConfig): string;
  /** PEM SPKI of the DSA key, once generated. */
  dsaPublicKey(): string;
}

/** Create the signer around the sandbox's RSA private key (PEM) and where its DSA key lives. */
export function createSigner(rsaPrivateKeyPem: string, dsaStore?: DsaKeyStore): SandboxSigner {
  const rsa = importPrivateKey(rsaPrivateKeyPem, 'keyPair.privateKey');
  let dsa: { privateKey: KeyObject; publicPem: string } | undefined;
  const dsaKey = () => {
    if (!dsa) {
      let pem = dsaStore?.load();
      if (pem === undefined) {
        pem = generateDsaPrivateKey();
        dsaStore?.save(pem);
      }
      const privateKey = importPrivateKey(pem, 'the stored DSA key');
      dsa = { privateKey, publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
    }
    return dsa;
  };
  const signString = (pre: string, signType: InboundSignType, charset: Charset, merchant: MerchantConfig): string => {
    // A value we decoded from the request is always encodable back; 'replace' only guards U+FFFD oddities.
    if (signType === 'MD5') {
      if (!merchant.md5Key) throw new Error(`merchant ${merchant.partner} has no MD5 key`);
      return md5SignString(pre, merchant.md5Key, { charset, unencodable: 'replace' });
    }
    const data = Buffer.from(encodeText(pre, charset, { unencodable: 'replace' }));
    if (signType === 'DSA') return cryptoSign('sha1', data, dsaKey().privateKey).toString('base64');
    return cryptoSign(signType === 'RSA2' ? 'sha256' : 'sha1', data, rsa).toString('base64');
  };
  return {
    sign: (params, signType, charset, merchant) => signString(buildPreSignString(params), signType, charset, merchant),
    signString,
    dsaPublicKey: () => dsaKey().publicPem,
  };
}
