/**
 * Verifying signed parameters: returns, notifications, and the `<response>` of XML replies
 * (protocol §2.4, §2.5).
 *
 * @module
 */
import type { Charset } from './charset.js';
import { md5VerifyString } from './md5.js';
import { buildPreSignString } from './presign.js';
import { rsaVerifyString } from './rsa.js';

/** The `sign_type` values the gateway uses for this product (§2.3). DSA is Node-only. */
export type SignType = 'MD5' | 'RSA' | 'RSA2';

/** Verification keys: the merchant's MD5 key and/or **Alipay's** RSA public key (never the merchant's own). */
export interface VerifyKeys {
  md5Key?: string;
  alipayPublicKey?: string;
}

/** Options for {@link verifyParams}. */
export interface VerifyOptions {
  /** Charset for the signed bytes; the merchant's configured charset. Default `utf-8`. */
  charset?: Charset;
  /**
   * The merchant's configured sign type. It decides the algorithm (§2.4 decision); the
   * received `sign_type` is then ignored. When omitted, the payload's `sign_type` chooses,
   * but only among the algorithms for which a key was supplied.
   */
  signType?: SignType;
}

/**
 * Verify `sign` in received parameters (protocol §2.4 step 3).
 *
 * Resolves `true` only when `sign` verifies. A missing, empty or malformed `sign`, a payload
 * whose values are not strings, an algorithm without a key, undecodable base64 or a
 * wrong-length signature resolve `false`, never reject. `sign` is checked exactly as received:
 * a `+` turned into a space fails (§1.4 rule 6). Unusable key material (a malformed key, a
 * private key where Alipay's public key belongs) rejects with an {@link AlipayKeyError}, because
 * that is a configuration error, not a bad payload.
 *
 * @example
 * ```ts
 * const ok = await verifyParams(req.body, { md5Key }, { signType: 'MD5' })
 * if (!ok) return res.send('fail')
 * ```
 */
export async function verifyParams(
  params: Record<string, string>,
  keys: VerifyKeys,
  options: VerifyOptions = {},
): Promise<boolean> {
  const signed = signedPreSign(params);
  if (!signed) return false;
  const received = Object.prototype.hasOwnProperty.call(params, 'sign_type') ? params.sign_type : undefined;
  const signType = options.signType ?? (typeof received === 'string' ? received : undefined);
  return verifyPreSignString(signed.preSign, signed.sign, signType, keys, options.charset ?? 'utf-8');
}

/**
 * The input rules of verification in one place (§2.1, §2.4 step 3): the received `sign` and the
 * pre-sign string of the other parameters, or `undefined` when the payload cannot verify (not
 * a plain object, no or empty `sign`, a value that is not a string). Verifiers built on another
 * crypto backend (server-kit's node:crypto one) use it so that both fail closed alike.
 *
 * @example
 * ```ts
 * signedPreSign({ partner: '123', service: 'test', sign: 'x', sign_type: 'RSA' })
 * // => { sign: 'x', preSign: 'partner=123&service=test' }
 * ```
 */
export function signedPreSign(params: Record<string, string>): { sign: string; preSign: string } | undefined {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
  const sign = Object.prototype.hasOwnProperty.call(params, 'sign') ? params.sign : undefined;
  if (typeof sign !== 'string' || sign === '') return undefined;
  try {
    for (const k of Object.keys(params)) {
      const v = (params as Record<string, unknown>)[k];
      if (v !== undefined && v !== null && typeof v !== 'string') return undefined;
    }
    return { sign, preSign: buildPreSignString(params) };
  } catch {
    return undefined;
  }
}

/**
 * Check `sign` over an already-built pre-sign string with the algorithm `signType` names
 * (§2.2, §2.3). Resolves `false` for an unknown sign type, a missing key or a signature that
 * does not verify; rejects only for unusable RSA key material. Shared by {@link verifyParams}
 * and the XML reply verifier (§2.5).
 *
 * @example
 * ```ts
 * await verifyPreSignString('partner=2088101122136241&service=forex_rate_file', '4051af1716d522b47acff927d4fb9781', 'MD5', { md5Key })
 * ```
 */
export async function verifyPreSignString(
  preSign: string,
  sign: string,
  signType: string | undefined,
  keys: VerifyKeys,
  charset: Charset = 'utf-8',
): Promise<boolean> {
  if (typeof keys !== 'object' || keys === null) return false;
  if (signType === 'MD5') {
    if (typeof keys.md5Key !== 'string' || keys.md5Key === '') return false;
    return md5VerifyString(preSign, sign, keys.md5Key, { charset });
  }
  if (signType === 'RSA' || signType === 'RSA2') {
    if (typeof keys.alipayPublicKey !== 'string' || keys.alipayPublicKey === '') return false;
    return rsaVerifyString(preSign, sign, keys.alipayPublicKey, signType, { charset });
  }
  return false;
}
