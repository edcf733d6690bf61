/**
 * The sandbox's signature checker and signer behind core's `Verifier` / `Signer` interfaces
 * (issue #16 point 2), so that the shared contract suite (`@alipay-kit/test-vectors`) runs them
 * with the same §2.7 vectors as core's WebCrypto/noble pair and server-kit's node:crypto pair.
 * The gateway itself keeps calling {@link verifyRequestSignature} and `SandboxSigner.sign`
 * directly; these adapters only fix the sign type, key and charset up front, as a merchant's
 * configuration does.
 *
 * @module
 */
import { type Charset, type PreSignValue, type Signer, type Verifier } from '@alipay-kit/core';
import { normalizeCharset } from '@alipay-kit/core/encoding';
import type { InboundSignType, MerchantConfig } from '../types.js';
import { importPublicKey } from './keys.js';
import type { SandboxSigner } from './signer.js';
import { hasKeyFor, verifyRequestSignature, type MerchantKeys } from './verify.js';

const SIGN_TYPES: readonly string[] = ['MD5', 'RSA', 'RSA2', 'DSA'];

/** What a merchant is configured with on the sandbox, for one sign type. */
export interface CheckerConfig {
  /** Required: the algorithm; the received `sign_type` is not consulted. */
  signType: InboundSignType;
  md5Key?: string;
  /** The signer's public key (the merchant's RSA or DSA key on the sandbox), PEM or bare base64. */
  publicKey?: string;
  /** The request's `_input_charset`. Default `utf-8`. */
  charset?: Charset;
}

function checkedCharset(charset: string | undefined, who: string): Charset {
  const c = charset === undefined ? 'utf-8' : normalizeCharset(charset);
  if (c === undefined) throw new TypeError(`${who}: charset must be 'utf-8' or 'gbk'`);
  return c;
}

/**
 * The sandbox's request checker as a core `Verifier`. Throws `TypeError` for a missing or unknown
 * `signType`, or when there is no key for it (what the gateway answers with
 * ILLEGAL_SECURITY_PROFILE, §1.6).
 *
 * @example
 * ```ts
 * const v = checkerAsVerifier({ signType: 'MD5', md5Key })
 * await v.verify(params) // true | false
 * ```
 */
export function checkerAsVerifier(
  config: CheckerConfig,
): Verifier & { readonly signType: InboundSignType; readonly charset: Charset } {
  const signType = config?.signType;
  if (!SIGN_TYPES.includes(signType))
    throw new TypeError(`checkerAsVerifier: signType must be 'MD5', 'RSA', 'RSA2' or 'DSA'`);
  const charset = checkedCharset(config.charset, 'checkerAsVerifier');
  const keys: MerchantKeys = { md5Key: signType === 'MD5' ? config.md5Key : undefined };
  if (signType !== 'MD5' && config.publicKey)
    keys[signType === 'DSA' ? 'dsa' : 'rsa'] = importPublicKey(config.publicKey, 'publicKey');
  if (!hasKeyFor(keys, signType)) throw new TypeError(`checkerAsVerifier: no key for ${signType}`);
  return Object.freeze({
    signType,
    charset,
    verify: async (params: Record<string, string>) => verifyRequestSignature(params, signType, keys, charset),
  });
}

/** A core `Signer` that answers synchronously (node:crypto). */
export interface SyncSigner extends Signer {
  readonly signType: InboundSignType;
  sign(params: Record<string, PreSignValue>): string;
  signString(preSign: string): string;
}

/**
 * The sandbox's signer (what it signs as "Alipay") as a core `Signer`, for one sign type,
 * charset and merchant (whose MD5 key MD5 uses).
 *
 * @example
 * ```ts
 * signerAsSigner(createSigner(rsaPem), { signType: 'RSA2', charset: 'utf-8', merchant }).sign(params)
 * ```
 */
export function signerAsSigner(
  signer: SandboxSigner,
  config: { signType: InboundSignType; charset?: Charset; merchant: MerchantConfig },
): SyncSigner {
  const signType = config?.signType;
  if (!SIGN_TYPES.includes(signType))
    throw new TypeError(`signerAsSigner: signType must be 'MD5', 'RSA', 'RSA2' or 'DSA'`);
  const charset = checkedCharset(config.charset, 'signerAsSigner');
  const { merchant } = config;
  return Object.freeze({
    signType,
    charset,
    sign: (params: Record<string, PreSignValue>): string =>
      signer.sign(params as Record<string, string>, signType, charset, merchant),
    signString: (preSign: string): string => signer.signString(preSign, signType, charset, merchant),
  });
}
