/**
 * Checking the `sign` of an incoming request (protocol §2.1–§2.3): the pre-sign string from
 * core, bytes in the request's `_input_charset`, MD5 compared exactly and case-sensitively in
 * constant time (§2.2), RSA = SHA1withRSA, RSA2 = SHA256withRSA, DSA = SHA1withDSA, all with the
 * merchant's configured public key. Fails closed: any malformed input is `false`.
 *
 * @module
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { md5VerifyString, signedPreSign, type Charset } from '@alipay-kit/core';
import { base64ToBytes, encodeText } from '@alipay-kit/core/encoding';
import type { InboundSignType } from '../types.js';

/** The keys a merchant has configured, already imported. */
export interface MerchantKeys {
  md5Key?: string | undefined;
  rsa?: KeyObject | undefined;
  dsa?: KeyObject | undefined;
}

/** True when the merchant has a key for `signType` (§1.6 step 6, ILLEGAL_SECURITY_PROFILE). */
export function hasKeyFor(keys: MerchantKeys, signType: InboundSignType): boolean {
  if (signType === 'MD5') return !!keys.md5Key;
  if (signType === 'DSA') return !!keys.dsa;
  return !!keys.rsa;
}

/**
 * Verify `params.sign` with the algorithm `signType`. Never throws. The input rules (no or empty
 * `sign`, a value that is not a string: `false`) are core's `signedPreSign`, as in core's and
 * server-kit's verifiers; the shared contract suite runs this checker through
 * {@link ./adapter.ts}.
 */
export function verifyRequestSignature(
  params: Record<string, string>,
  signType: InboundSignType,
  keys: MerchantKeys,
  charset: Charset,
): boolean {
  const signed = signedPreSign(params);
  if (!signed) return false;
  const { sign, preSign: pre } = signed;
  try {
    if (signType === 'MD5') return !!keys.md5Key && md5VerifyString(pre, sign, keys.md5Key, { charset });
    const sig = base64ToBytes(sign);
    if (!sig) return false;
    const data = Buffer.from(encodeText(pre, charset, { unencodable: 'replace' }));
    if (signType === 'DSA') return !!keys.dsa && cryptoVerify('sha1', data, keys.dsa, Buffer.from(sig));
    if (!keys.rsa) return false;
    return cryptoVerify(signType === 'RSA2' ? 'sha256' : 'sha1', data, keys.rsa, Buffer.from(sig));
  } catch {
    return false;
  }
}
