/**
 * Core's {@link Signer} (protocol §2.1–§2.3): MD5 through noble, RSA / RSA2 through WebCrypto,
 * in Node, the browser and edge runtimes. Answers with promises (WebCrypto is asynchronous).
 * DSA is Node-only: server-kit's node:crypto signer.
 *
 * @module
 */
import { normalizeCharset, type Charset, type UnencodablePolicy } from './charset.js';
import { AlipayKeyError } from './errors.js';
import { md5SignString } from './md5.js';
import { buildPreSignString, type PreSignValue } from './presign.js';
import { importRsaPrivateKey, rsaSignString } from './rsa.js';
import type { SignType } from './verify.js';
import type { Signer } from './verifier.js';

/** Configuration of core's {@link createSigner}. */
export interface CreateSignerOptions {
  /** The merchant's configured sign type (required). */
  signType: SignType;
  /** The 32-character MD5 key from the merchant portal (MD5 only). */
  md5Key?: string;
  /** The merchant's own RSA private key (RSA / RSA2): PEM PKCS#8 / PKCS#1 or the bare base64 portal string. */
  privateKey?: string;
  /** Charset of the signed bytes; must equal the `_input_charset` sent (§2.1 step 6). Default `utf-8`. */
  charset?: Charset | 'UTF-8' | 'GBK';
  /** A character the charset cannot encode: `'error'` (default, `ERR_CHARSET_UNENCODABLE`) or `'replace'` with `?`. */
  unencodable?: UnencodablePolicy;
}

/** Core's signer: every answer is a promise. */
export interface AsyncSigner extends Signer {
  readonly signType: SignType;
  sign(params: Record<string, PreSignValue>): Promise<string>;
  signString(preSign: string): Promise<string>;
}

/**
 * Create core's signer. Key text is checked here (synchronously); the WebCrypto import of an
 * RSA key happens once, in the background. Throws `TypeError` for a bad `signType`, `charset`
 * or `unencodable`, and {@link AlipayKeyError} with `ERR_INVALID_KEY` (missing, malformed or
 * non-RSA key) or `ERR_KEY_MISMATCH` (a public key where the private key is needed). No
 * message ever contains key material. Parameter problems (a non-string value, an unencodable
 * character) reject the `sign` promise.
 *
 * @example
 * ```ts
 * await createSigner({ signType: 'MD5', md5Key: '760bdzec6y9goq7ctyx96ezkz78287de' })
 *   .sign({ service: 'forex_rate_file', partner: '2088101122136241' }) // '4051af1716d522b47acff927d4fb9781' (§2.7 A3)
 * ```
 */
export function createSigner(config: CreateSignerOptions): AsyncSigner {
  if (typeof config !== 'object' || config === null) throw new TypeError('createSigner: config must be an object');
  const { signType } = config;
  if (signType !== 'MD5' && signType !== 'RSA' && signType !== 'RSA2')
    throw new TypeError(`createSigner: signType must be 'MD5', 'RSA' or 'RSA2' (DSA: server-kit)`);
  const charset = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (charset === undefined) throw new TypeError(`createSigner: charset must be 'utf-8' or 'gbk'`);
  const unencodable: UnencodablePolicy = config.unencodable ?? 'error';
  if (unencodable !== 'error' && unencodable !== 'replace')
    throw new TypeError(`createSigner: unencodable must be 'error' or 'replace'`);

  let signString: (preSign: string) => Promise<string>;
  if (signType === 'MD5') {
    const md5Key = config.md5Key;
    if (typeof md5Key !== 'string' || md5Key === '')
      throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key is required for signType MD5', { field: 'md5Key' });
    if (config.privateKey !== undefined && config.privateKey !== '')
      throw new TypeError('createSigner: privateKey is not used with signType MD5; remove it or choose RSA/RSA2');
    signString = async (preSign) => {
      if (typeof preSign !== 'string') throw new TypeError('signString: preSign must be a string');
      return md5SignString(preSign, md5Key, { charset, unencodable });
    };
  } else {
    const key = importRsaPrivateKey(config.privateKey as string, signType);
    key.catch(() => undefined); // reported by the first sign(), not as an unhandled rejection
    signString = async (preSign) => rsaSignString(preSign, await key, { charset, unencodable });
  }
  return Object.freeze({
    signType,
    charset,
    signString,
    sign: async (params: Record<string, PreSignValue>) => signString(buildPreSignString(params)),
  });
}
