/**
 * Verifying what the gateway signs — returns, notifications, XML `<response>` blocks — with the
 * merchant's CONFIGURED sign type (protocol §2.4 decision): the received `sign_type` neither
 * picks the algorithm nor is compared; a configuration without `signType` is refused. MD5, RSA,
 * RSA2 and DSA (Node-only, §2.3) all run on `node:crypto`, with core's input rules
 * (`signedPreSign`); core's `Verifier` interface and the shared contract suite
 * (`@alipay-kit/test-vectors`) keep it in step with core's WebCrypto/noble verifier.
 *
 * @module
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  AlipayKeyError,
  signedPreSign,
  checkAlipayPublicKey,
  inspectKey,
  publicKeyToSpki,
  type Charset,
  type Verifier as CoreVerifier,
} from '@alipay-kit/core';
import { base64ToBytes, timingSafeEqual, encodeText, normalizeCharset } from '@alipay-kit/core/encoding';
import type { SignerSignType } from './signer.js';

/** Configuration for {@link createVerifier}. */
export interface VerifierConfig {
  signType: SignerSignType;
  /** MD5 key (MD5). */
  md5Key?: string;
  /** ALIPAY's public key (RSA, RSA2, DSA) — never the merchant's own. */
  alipayPublicKey?: string;
  charset?: 'utf-8' | 'gbk' | 'UTF-8' | 'GBK';
}

/**
 * Verifies received parameter maps: core's {@link CoreVerifier} over node:crypto, so core's
 * `verifyNotification` and `verifyGatewayXml` accept it in place of keys.
 */
export interface NodeVerifier extends CoreVerifier {
  readonly signType: SignerSignType;
  /** Resolves `true` only when `params.sign` verifies; never rejects for a bad payload (fails closed). */
  verify(params: Record<string, string>): Promise<boolean>;
}

/**
 * Create a verifier. Key problems surface here, at startup (`ERR_INVALID_KEY`,
 * `ERR_KEY_MISMATCH` for a private key given as Alipay's public key).
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ signType: 'RSA2', alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY })
 * if (!(await verifier.verify(params))) return res.send('fail')
 * ```
 */
export function createVerifier(config: VerifierConfig): NodeVerifier {
  const { signType } = config;
  const charset: Charset | undefined = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (charset === undefined) throw new TypeError(`createVerifier: charset must be 'utf-8' or 'gbk'`);
  if (signType === 'MD5') {
    if (typeof config.md5Key !== 'string' || config.md5Key === '')
      throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key is required to verify MD5 signatures', { field: 'md5Key' });
    // Same rules as core's verifyParams (§2.2: exact, case-sensitive, constant time), with
    // node:crypto's native MD5 on this hot path (every notification and XML reply).
    const keyBytes = toBytes(config.md5Key, charset);
    if (!keyBytes)
      throw new AlipayKeyError('ERR_INVALID_KEY', `md5Key cannot be encoded as ${charset.toUpperCase()}`, {
        field: 'md5Key',
      });
    return Object.freeze({
      signType,
      async verify(p: Record<string, string>): Promise<boolean> {
        const signed = signedInput(p, charset);
        if (!signed || signed.sign.length !== 32) return false;
        const expected = createHash('md5').update(signed.bytes).update(keyBytes).digest('hex');
        // Lowercase hex compared exactly: uppercase does not verify (§2.2 decision).
        return timingSafeEqual(expected, signed.sign);
      },
    });
  }
  if (signType !== 'RSA' && signType !== 'RSA2' && signType !== 'DSA')
    throw new TypeError(`createVerifier: signType must be 'MD5', 'RSA', 'RSA2' or 'DSA'`);
  const pub = checkAlipayPublicKey(config.alipayPublicKey, signType);
  const want = signType === 'DSA' ? 'dsa' : 'rsa';
  // RSA/RSA2: RSASSA-PKCS1-v1_5 with SHA-1 / SHA-256; DSA: SHA1withDSA (§2.3). Parsed once.
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: Buffer.from(signType === 'DSA' ? inspectKey(pub).der : publicKeyToSpki(pub)),
      format: 'der',
      type: 'spki',
    });
  } catch {
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      `alipayPublicKey could not be loaded as ${want.toUpperCase()} public key`,
      { field: 'alipayPublicKey' },
    );
  }
  const hash = signType === 'RSA2' ? 'sha256' : 'sha1';
  return Object.freeze({
    signType,
    async verify(p: Record<string, string>): Promise<boolean> {
      const signed = signedInput(p, charset);
      const sig = signed && base64ToBytes(signed.sign);
      if (!signed || !sig) return false;
      try {
        return cryptoVerify(hash, signed.bytes, key, sig);
      } catch {
        return false;
      }
    },
  });
}

/**
 * The bytes a signature covers (§2.1) and the received `sign`, or `undefined` when the payload
 * cannot verify: no or empty `sign`, a non-string value, a character the charset cannot encode.
 */
function signedInput(p: Record<string, string>, charset: Charset): { sign: string; bytes: Uint8Array } | undefined {
  const signed = signedPreSign(p);
  const bytes = signed && toBytes(signed.preSign, charset);
  return signed && bytes ? { sign: signed.sign, bytes } : undefined;
}

/** Strict charset encoding; `undefined` instead of an exception (verification fails closed). */
function toBytes(text: string, charset: Charset): Uint8Array | undefined {
  if (charset === 'utf-8' && (text as string & { isWellFormed(): boolean }).isWellFormed())
    return Buffer.from(text, 'utf8');
  try {
    return encodeText(text, charset);
  } catch {
    return undefined;
  }
}
