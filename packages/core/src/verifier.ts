/**
 * The crypto contract (protocol §2.1–§2.5): one {@link Signer} and one {@link Verifier}
 * interface, each configured with the merchant's sign type, key and charset. Core's
 * verify-then-parse functions accept a Verifier in place of raw keys, so that every crypto
 * backend runs the same rules around its own primitive. Implementations: core's
 * WebCrypto/noble {@link createVerifier} and `createSigner`, server-kit's node:crypto
 * `createSigner` / `createVerifier` (with DSA and native MD5), and the sandbox's checker behind
 * an adapter. One contract suite (the private `@alipay-kit/test-vectors` package) runs against
 * each of them, with the §2.7 vectors.
 *
 * @module
 */
import { normalizeCharset, type Charset } from './charset.js';
import { AlipayKeyError } from './errors.js';
import { checkAlipayPublicKey } from './keys.js';
import type { PreSignValue } from './presign.js';
import { verifyParams, type SignType, type VerifyKeys } from './verify.js';

/** Every sign type a {@link Signer} can be configured for: core's three plus legacy DSA (Node-only, §2.3). */
export type SignerSignType = SignType | 'DSA';

/**
 * Checks `sign` in a received parameter map. Resolves `true` only when it verifies with the
 * configured sign type; never rejects for a bad payload (fails closed). The received
 * `sign_type` never chooses the algorithm (§2.4 decision).
 *
 * @example
 * ```ts
 * const verifier: Verifier = createVerifier({ signType: 'MD5', md5Key })
 * await verifyNotification(params, verifier, { expect: 'notification' })
 * ```
 */
export interface Verifier {
  verify(params: Record<string, string>): Promise<boolean>;
}

/**
 * Signs request parameters with the merchant's configured sign type, key and charset (§2.1–§2.3).
 * `sign` builds the §2.1 pre-sign string (dropping `sign`, `sign_type` and empty values) and
 * returns the `sign` value: lowercase hex for MD5, standard base64 for RSA / RSA2 / DSA. A
 * backend may answer synchronously (server-kit's node:crypto signer) or with a promise (core's
 * WebCrypto signer); `await` covers both.
 *
 * @example
 * ```ts
 * const sign = await signer.sign({ service: 'forex_rate_file', partner: '2088101122136241' })
 * ```
 */
export interface Signer {
  readonly signType: SignerSignType;
  /** Charset of the signed bytes; must equal the `_input_charset` sent (§2.1 step 6). */
  readonly charset: Charset;
  /** Sign a parameter map (§2.1) and return `sign`. */
  sign(params: Record<string, PreSignValue>): string | Promise<string>;
  /** Sign an already-built pre-sign string. */
  signString(preSign: string): string | Promise<string>;
}

/** Configuration of core's {@link createVerifier}. */
export interface CreateVerifierOptions {
  /** The merchant's configured sign type: required, the received `sign_type` is never used. */
  signType: SignType;
  /** MD5 key (MD5). */
  md5Key?: string;
  /** ALIPAY's public key (RSA, RSA2): PEM SPKI / PKCS#1 or the bare base64 portal string. Never the merchant's own. */
  alipayPublicKey?: string;
  /** Charset of the signed bytes, the merchant's configured charset. Default `utf-8`. */
  charset?: Charset | 'UTF-8' | 'GBK';
}

/**
 * True when `x` is a {@link Verifier} rather than {@link VerifyKeys}.
 *
 * @example
 * ```ts
 * isVerifier({ md5Key }) // false
 * isVerifier({ verify: async () => false }) // true
 * ```
 */
export function isVerifier(x: VerifyKeys | Verifier | null | undefined): x is Verifier {
  return typeof x === 'object' && x !== null && typeof (x as Verifier).verify === 'function';
}

/**
 * Core's {@link Verifier}: MD5 through noble, RSA / RSA2 through WebCrypto, in Node and the
 * browser. `signType` is required and alone picks the algorithm; unlike {@link verifyParams}
 * without `signType`, the payload's `sign_type` never chooses (§2.4 decision). Configuration
 * problems surface here, at startup: `TypeError` for a missing or unknown `signType` or
 * `charset`, {@link AlipayKeyError} `ERR_INVALID_KEY` for a missing or malformed key, or a
 * non-RSA key, and `ERR_KEY_MISMATCH` for a private key given as Alipay's public key.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ signType: 'RSA2', alipayPublicKey })
 * const n = await verifyNotification(params, verifier, { expect: 'notification' })
 * ```
 */
export function createVerifier(
  config: CreateVerifierOptions,
): Verifier & { readonly signType: SignType; readonly charset: Charset } {
  if (typeof config !== 'object' || config === null) throw new TypeError('createVerifier: config must be an object');
  const { signType } = config;
  if (signType !== 'MD5' && signType !== 'RSA' && signType !== 'RSA2') {
    throw new TypeError(
      `createVerifier: signType must be 'MD5', 'RSA' or 'RSA2' (the merchant's configured sign type; the received sign_type is never used)`,
    );
  }
  const charset = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (charset === undefined) throw new TypeError(`createVerifier: charset must be 'utf-8' or 'gbk'`);
  let keys: VerifyKeys;
  if (signType === 'MD5') {
    if (typeof config.md5Key !== 'string' || config.md5Key === '')
      throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key is required to verify MD5 signatures', { field: 'md5Key' });
    keys = { md5Key: config.md5Key };
  } else {
    keys = { alipayPublicKey: checkAlipayPublicKey(config.alipayPublicKey, signType) };
  }
  const options = { signType, charset };
  return Object.freeze({
    signType,
    charset,
    verify: (params: Record<string, string>): Promise<boolean> => verifyParams(params, keys, options),
  });
}
