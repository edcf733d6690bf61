/**
 * Request signing over `node:crypto` (protocol §2.1–§2.3): MD5 (through core), RSA
 * (SHA1withRSA), RSA2 (SHA256withRSA) and legacy DSA (SHA1withDSA).
 *
 * @module
 */
import { createHash, sign as cryptoSign, type KeyObject } from 'node:crypto';
import {
  AlipayKeyError,
  buildPreSignString,
  type Charset,
  type PreSignValue,
  type Signer as CoreSigner,
  type SignerSignType,
} from '@alipay-kit/core';
import { encodeText, normalizeCharset, type UnencodablePolicy } from '@alipay-kit/core/encoding';
import { _checkAlipayPublicKey, _loadPrivateKey } from './lib/private-key.js';

/** Sign types the Node signer supports (§2.3; DSA is legacy and Node-only): core's `SignerSignType`. */
export type { SignerSignType };

/** Configuration for {@link createSigner}. */
export interface SignerConfig {
  signType: SignerSignType;
  /** The 32-character MD5 key from the merchant portal (MD5 only). */
  md5Key?: string;
  /** The merchant's own private key: PEM PKCS#1 / PKCS#8, or the bare base64 portal string. */
  privateKey?: string;
  /** Charset of the signed bytes; must equal the `_input_charset` sent (§2.1 step 6). Default `utf-8`. */
  charset?: 'utf-8' | 'gbk' | 'UTF-8' | 'GBK';
  /** A character the charset cannot encode: `'error'` (default, `ERR_CHARSET_UNENCODABLE`) or `'replace'` with `?`. */
  unencodable?: UnencodablePolicy;
  /**
   * Optional: Alipay's public key. Only used here to detect that it is the merchant's own key
   * pair (same modulus) or a private key: both `ERR_KEY_MISMATCH`.
   */
  alipayPublicKey?: string;
}

/**
 * A configured signer: core's {@link CoreSigner} contract over node:crypto, answering
 * synchronously (it runs the same contract suite as core's WebCrypto signer).
 */
export interface NodeSigner extends CoreSigner {
  readonly signType: SignerSignType;
  readonly charset: Charset;
  /** Sign a parameter map: builds the §2.1 pre-sign string and returns `sign`. */
  sign(params: Record<string, PreSignValue>): string;
  /** Sign an already-built pre-sign string. */
  signString(preSign: string): string;
}

const HASH: Record<'RSA' | 'RSA2' | 'DSA', string> = { RSA: 'sha1', RSA2: 'sha256', DSA: 'sha1' };
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` has no lone surrogate (native `isWellFormed` where the runtime has it). */
function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(s) : !LONE_SURROGATE.test(s);
}

/**
 * Create a signer. Key material is parsed exactly once, here; `sign` does no key work.
 *
 * Throws `TypeError` for a bad `signType`/`charset`, and {@link AlipayKeyError} with
 * `ERR_INVALID_KEY` (malformed or wrong-algorithm key) or `ERR_KEY_MISMATCH` (a public key
 * where the private key is needed, or `alipayPublicKey` being the merchant's own pair).
 * No message ever contains key material.
 *
 * @example
 * ```ts
 * const signer = createSigner({ signType: 'RSA2', privateKey: process.env.MERCHANT_PRIVATE_KEY })
 * const sign = signer.sign({ service: 'single_trade_query', partner, _input_charset: 'UTF-8', out_trade_no: 'T1' })
 * ```
 * @example
 * ```ts
 * createSigner({ signType: 'MD5', md5Key: '760bdzec6y9goq7ctyx96ezkz78287de' })
 *   .sign({ service: 'forex_rate_file', partner: '2088101122136241' }) // '4051af1716d522b47acff927d4fb9781' (§2.7 A3)
 * ```
 */
export function createSigner(config: SignerConfig): NodeSigner {
  if (typeof config !== 'object' || config === null) throw new TypeError('createSigner: config must be an object');
  const { signType } = config;
  if (signType !== 'MD5' && signType !== 'RSA' && signType !== 'RSA2' && signType !== 'DSA') {
    throw new TypeError(`createSigner: signType must be 'MD5', 'RSA', 'RSA2' or 'DSA'`);
  }
  const charset = config.charset === undefined ? 'utf-8' : normalizeCharset(config.charset);
  if (charset === undefined) throw new TypeError(`createSigner: charset must be 'utf-8' or 'gbk'`);
  const unencodable: UnencodablePolicy = config.unencodable ?? 'error';
  if (unencodable !== 'error' && unencodable !== 'replace')
    throw new TypeError(`createSigner: unencodable must be 'error' or 'replace'`);

  if (signType === 'MD5') {
    const md5Key = config.md5Key;
    if (typeof md5Key !== 'string' || md5Key === '') {
      throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key is required for signType MD5', { field: 'md5Key' });
    }
    if (/[^\x21-\x7e]/.test(md5Key))
      throw new AlipayKeyError('ERR_INVALID_KEY', 'md5Key must be printable ASCII (the 32-character portal key)', {
        field: 'md5Key',
      });
    if (config.privateKey !== undefined && config.privateKey !== '') {
      throw new TypeError('createSigner: privateKey is not used with signType MD5; remove it or choose RSA/RSA2');
    }
    // node:crypto's native MD5 is ~3x faster than a pure-JS digest for these short strings
    // (bench P1.md5). For UTF-8 a well-formed string (no lone surrogate, so nothing can be
    // silently replaced) is hashed as one string with the key appended (§2.2); anything else,
    // and GBK, goes through core's strict encoder.
    const gbkKey = charset === 'gbk' ? encodeText(md5Key, 'gbk', { field: 'md5Key' }) : undefined;
    const signString = (preSign: string): string => {
      if (typeof preSign !== 'string') throw new TypeError('signString: preSign must be a string');
      if (gbkKey === undefined && isWellFormed(preSign))
        return createHash('md5')
          .update(preSign + md5Key, 'utf8')
          .digest('hex');
      const bytes = encodeText(preSign, charset, { unencodable });
      return createHash('md5')
        .update(bytes)
        .update(gbkKey ?? encodeText(md5Key, 'utf-8'))
        .digest('hex');
    };
    return freeze({ signType, charset, signString, sign: (params) => signString(buildPreSignString(params)) });
  }

  const loaded = _loadPrivateKey(config.privateKey, signType);
  if (config.alipayPublicKey !== undefined && config.alipayPublicKey !== '')
    _checkAlipayPublicKey(config.alipayPublicKey, loaded.modulusHex);
  const key: KeyObject = loaded.key;
  const hash = HASH[signType];
  const toBytes =
    charset === 'utf-8'
      ? (s: string): Uint8Array => {
          // Buffer.from is the fast path; it silently turns lone surrogates into U+FFFD, so
          // send only those rare strings through core's strict encoder (§2.1 step 6).
          if (!isWellFormed(s)) return encodeText(s, 'utf-8', { unencodable });
          return Buffer.from(s, 'utf8');
        }
      : (s: string): Uint8Array => encodeText(s, 'gbk', { unencodable });
  const signString = (preSign: string): string => {
    if (typeof preSign !== 'string') throw new TypeError('signString: preSign must be a string');
    return cryptoSign(hash, toBytes(preSign), key).toString('base64');
  };
  return freeze({ signType, charset, signString, sign: (params) => signString(buildPreSignString(params)) });
}

function freeze(s: NodeSigner): NodeSigner {
  return Object.freeze(s);
}
