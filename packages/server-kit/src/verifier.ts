/**
 * Verifying what the gateway signs — returns, notifications, XML `<response>` blocks — with the
 * merchant's CONFIGURED sign type (protocol §2.4 decision): the received `sign_type` neither
 * picks the algorithm nor is compared. MD5/RSA/RSA2 go through core's `verifyParams`; DSA
 * (Node-only, §2.3) through `node:crypto`.
 *
 * @module
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { AlipayKeyError, buildPreSignString, encodeText, inspectKey, normalizeCharset, verifyParams, type Charset } from '@alipay-kit/core';
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

/** Verifies received parameter maps. */
export interface Verifier {
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
export function createVerifier(config: VerifierConfig): Verifier {
  const { signType } = config;
  const charset: Charset | undefined = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (charset === undefined) throw new TypeError(`createVerifier: charset must be 'utf-8' or 'gbk'`);
  if (signType === 'MD5') {
    if (typeof config.md5Key !== 'string' || config.md5Key === '') throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key is required to verify MD5 signatures', { field: 'md5Key' });
    const keys = { md5Key: config.md5Key };
    return Object.freeze({ signType, verify: (p: Record<string, string>) => verifyParams(p, keys, { charset, signType: 'MD5' }) });
  }
  if (signType !== 'RSA' && signType !== 'RSA2' && signType !== 'DSA') throw new TypeError(`createVerifier: signType must be 'MD5', 'RSA', 'RSA2' or 'DSA'`);
  const pub = config.alipayPublicKey;
  if (typeof pub !== 'string' || pub === '') {
    throw new AlipayKeyError('ERR_INVALID_KEY', `alipayPublicKey is required to verify ${signType} signatures`, { field: 'alipayPublicKey' });
  }
  const info = inspectKey(pub);
  if (info.kind === 'private-pkcs8' || info.kind === 'private-pkcs1') {
    throw new AlipayKeyError('ERR_KEY_MISMATCH', "a private key was given where Alipay's public key belongs (alipayPublicKey)", { field: 'alipayPublicKey' });
  }
  const want = signType === 'DSA' ? 'dsa' : 'rsa';
  if (info.algorithm !== want) throw new AlipayKeyError('ERR_INVALID_KEY', `alipayPublicKey must be ${want.toUpperCase()} for signType ${signType}`, { field: 'alipayPublicKey' });
  if (signType !== 'DSA') {
    const keys = { alipayPublicKey: pub };
    return Object.freeze({ signType, verify: (p: Record<string, string>) => verifyParams(p, keys, { charset, signType }) });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(info.der), format: 'der', type: 'spki' });
  } catch {
    throw new AlipayKeyError('ERR_INVALID_KEY', 'alipayPublicKey could not be loaded as a DSA public key', { field: 'alipayPublicKey' });
  }
  return Object.freeze({
    signType,
    async verify(p: Record<string, string>): Promise<boolean> {
      try {
        const sign = Object.prototype.hasOwnProperty.call(p, 'sign') ? p.sign : undefined;
        if (typeof sign !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(sign)) return false;
        return cryptoVerify('sha1', encodeText(buildPreSignString(p), charset), key, Buffer.from(sign, 'base64'));
      } catch {
        return false;
      }
    },
  });
}
