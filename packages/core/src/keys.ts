/**
 * Reading key material as merchants paste it: PEM (SPKI, PKCS#1, PKCS#8) or the bare base64
 * string the merchant portal hands out (protocol §2.3, §2.6 "PKCS#1 vs PKCS#8", "pasted as one
 * line with no PEM armour").
 *
 * @module
 */
import { AlipayKeyError } from './errors.js';
import { base64ToBytes } from './lib/bytes.js';
import { children, hexOf, OID_DSA, OID_EC, OID_RSA, pkcs1ToSpki, readNode } from './lib/der.js';

/** What a piece of key material turned out to be. */
export type KeyKind = 'public-spki' | 'public-pkcs1' | 'private-pkcs8' | 'private-pkcs1' | 'unknown';

/** The result of {@link inspectKey}. */
export interface KeyInfo {
  kind: KeyKind;
  /** `rsa`, `dsa`, `ec` or `unknown`. */
  algorithm: 'rsa' | 'dsa' | 'ec' | 'unknown';
  /** DER bytes of the key container. */
  der: Uint8Array;
  /** Hex of the RSA modulus when it could be read (used to tell whose key it is). */
  modulusHex?: string;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/**
 * Identify key material without importing it. Throws {@link AlipayKeyError} `ERR_INVALID_KEY`
 * when the text is neither PEM nor base64 DER of a known container. The message never quotes
 * the key.
 *
 * @example
 * ```ts
 * inspectKey('MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ…').kind // 'public-spki'
 * ```
 */
export function inspectKey(text: string): KeyInfo {
  if (typeof text !== 'string' || text.trim() === '')
    throw new AlipayKeyError('ERR_INVALID_KEY', 'key must be a non-empty PEM or base64 string');
  let label: string | undefined;
  let body = text;
  const m = PEM.exec(text);
  if (m) {
    label = m[1]!;
    body = m[2]!;
  } else if (text.includes('-----BEGIN')) {
    throw new AlipayKeyError('ERR_INVALID_KEY', 'key PEM armour is incomplete (BEGIN without a matching END line)');
  }
  if (label && /ENCRYPTED/.test(label))
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      'encrypted private keys are not supported: decrypt it first (openssl pkcs8 -nocrypt)',
    );
  if (label === 'CERTIFICATE')
    throw new AlipayKeyError('ERR_INVALID_KEY', 'an X.509 certificate was given: pass the public key (SPKI) instead');
  const der = base64ToBytes(body.replace(/\s+/g, ''));
  if (!der)
    throw new AlipayKeyError('ERR_INVALID_KEY', 'key is not valid base64 (PEM body or bare portal string expected)');
  const info = classify(der);
  if (info.kind === 'unknown')
    throw new AlipayKeyError('ERR_INVALID_KEY', 'key bytes are not an SPKI, PKCS#1 or PKCS#8 structure');
  return info;
}

function classify(der: Uint8Array): KeyInfo {
  const top = readNode(der, 0);
  const unknown: KeyInfo = { kind: 'unknown', algorithm: 'unknown', der };
  if (!top || top.tag !== 0x30 || top.end !== der.length) return unknown;
  const kids = children(der, top);
  const algOf = (seq: { start: number; end: number; tag: number } | undefined): KeyInfo['algorithm'] => {
    if (!seq || seq.tag !== 0x30) return 'unknown';
    const oid = children(der, seq)[0];
    if (!oid || oid.tag !== 0x06) return 'unknown';
    const h = hexOf(der, oid);
    return h === OID_RSA ? 'rsa' : h === OID_DSA ? 'dsa' : h === OID_EC ? 'ec' : 'unknown';
  };
  // SPKI: SEQUENCE { AlgorithmIdentifier, BIT STRING }
  if (kids.length === 2 && kids[0]!.tag === 0x30 && kids[1]!.tag === 0x03) {
    const algorithm = algOf(kids[0]);
    const info: KeyInfo = { kind: 'public-spki', algorithm, der };
    if (algorithm === 'rsa') {
      const inner = der.subarray(kids[1]!.start + 1, kids[1]!.end);
      const mod = rsaModulus(inner);
      if (mod) info.modulusHex = mod;
    }
    return info;
  }
  // PKCS#1 public: SEQUENCE { INTEGER n, INTEGER e }
  if (kids.length === 2 && kids[0]!.tag === 0x02 && kids[1]!.tag === 0x02) {
    const info: KeyInfo = { kind: 'public-pkcs1', algorithm: 'rsa', der };
    const mod = rsaModulus(der);
    if (mod) info.modulusHex = mod;
    return info;
  }
  // PKCS#8: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING }
  if (kids.length >= 3 && kids[0]!.tag === 0x02 && kids[1]!.tag === 0x30 && kids[2]!.tag === 0x04) {
    const algorithm = algOf(kids[1]);
    const info: KeyInfo = { kind: 'private-pkcs8', algorithm, der };
    if (algorithm === 'rsa') {
      const inner = der.subarray(kids[2]!.start, kids[2]!.end);
      const mod = rsaPrivateModulus(inner);
      if (mod) info.modulusHex = mod;
    }
    return info;
  }
  // PKCS#1 private: SEQUENCE { INTEGER 0, INTEGER n, INTEGER e, … } (9 integers)
  if (kids.length >= 9 && kids.every((k) => k.tag === 0x02)) {
    const info: KeyInfo = { kind: 'private-pkcs1', algorithm: 'rsa', der };
    const mod = rsaPrivateModulus(der);
    if (mod) info.modulusHex = mod;
    return info;
  }
  // DSA private key (OpenSSL "DSA PRIVATE KEY"): SEQUENCE of 6 INTEGERs
  if (kids.length === 6 && kids.every((k) => k.tag === 0x02)) return { kind: 'private-pkcs1', algorithm: 'dsa', der };
  return unknown;
}

function stripInt(hex: string): string {
  return hex.replace(/^(00)+/, '');
}
function rsaModulus(pkcs1: Uint8Array): string | undefined {
  const top = readNode(pkcs1, 0);
  if (!top || top.tag !== 0x30) return undefined;
  const n = children(pkcs1, top)[0];
  return n && n.tag === 0x02 ? stripInt(hexOf(pkcs1, n)) : undefined;
}
function rsaPrivateModulus(pkcs1: Uint8Array): string | undefined {
  const top = readNode(pkcs1, 0);
  if (!top || top.tag !== 0x30) return undefined;
  const n = children(pkcs1, top)[1];
  return n && n.tag === 0x02 ? stripInt(hexOf(pkcs1, n)) : undefined;
}

/**
 * Turn public key text into SPKI DER for WebCrypto. A private key here means the merchant
 * passed its own private key where Alipay's public key belongs: `ERR_KEY_MISMATCH`.
 *
 * @example
 * ```ts
 * const spki = publicKeyToSpki(config.alipayPublicKey)
 * ```
 */
export function publicKeyToSpki(text: string): Uint8Array {
  const info = inspectKey(text);
  if (info.kind === 'private-pkcs8' || info.kind === 'private-pkcs1') {
    throw new AlipayKeyError('ERR_KEY_MISMATCH', "a private key was given where Alipay's public key belongs");
  }
  if (info.algorithm !== 'rsa')
    throw new AlipayKeyError('ERR_INVALID_KEY', `expected an RSA public key, got ${info.algorithm.toUpperCase()}`);
  return info.kind === 'public-pkcs1' ? pkcs1ToSpki(info.der) : info.der;
}

/**
 * The checks every verifier makes of the configured Alipay public key, with the same typed errors
 * everywhere: present (`ERR_INVALID_KEY`), not a private key given by mistake
 * (`ERR_KEY_MISMATCH`), and of the algorithm the sign type needs — RSA for `RSA`/`RSA2`, DSA for
 * `DSA` (`ERR_INVALID_KEY`). Returns the key text.
 *
 * @example
 * ```ts
 * const pem = checkAlipayPublicKey(config.alipayPublicKey, 'RSA2') // throws at start-up, not at the first notification
 * ```
 */
export function checkAlipayPublicKey(pub: unknown, signType: 'RSA' | 'RSA2' | 'DSA'): string {
  if (typeof pub !== 'string' || pub === '') {
    throw new AlipayKeyError('ERR_INVALID_KEY', `alipayPublicKey is required to verify ${signType} signatures`, {
      field: 'alipayPublicKey',
    });
  }
  const info = inspectKey(pub);
  if (info.kind === 'private-pkcs8' || info.kind === 'private-pkcs1') {
    throw new AlipayKeyError(
      'ERR_KEY_MISMATCH',
      "a private key was given where Alipay's public key belongs (alipayPublicKey)",
      { field: 'alipayPublicKey' },
    );
  }
  const want = signType === 'DSA' ? 'dsa' : 'rsa';
  if (info.algorithm !== want)
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      `alipayPublicKey must be ${want.toUpperCase()} for signType ${signType}`,
      { field: 'alipayPublicKey' },
    );
  return pub;
}
