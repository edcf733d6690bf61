// Loading the merchant's private key into a node:crypto KeyObject, once (protocol §2.3, §2.6:
// PKCS#1 vs PKCS#8, bare portal base64). Messages never quote key material (style.md §7).
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { AlipayKeyError, inspectKey, isAlipayError } from '@alipay-kit/core';

/** The private-key flavours of sign_type. */
export type PrivateKeySignType = 'RSA' | 'RSA2' | 'DSA';

/** A parsed private key plus the RSA modulus (hex) used to tell whose key it is. */
export interface LoadedPrivateKey {
  key: KeyObject;
  modulusHex: string | undefined;
}

function armour(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/**
 * A key as it usually arrives from a `.env` file or a secret store: the PEM on one line with
 * literal `\n` (or `\r\n`) escapes, sometimes wrapped in quotes. Turned back into a PEM; any
 * other text is returned trimmed and otherwise unchanged.
 *
 * @example
 * ```ts
 * _normalizeKeyText('-----BEGIN PRIVATE KEY-----\\nMIIE…\\n-----END PRIVATE KEY-----') // real line breaks
 * ```
 */
export function _normalizeKeyText<T>(text: T): T {
  if (typeof text !== 'string') return text;
  let t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) t = t.slice(1, -1).trim();
  if (t.includes('-----BEGIN') && /\\[nr]/.test(t)) t = t.replace(/\\r\\n|\\n|\\r/g, '\n');
  return t as T;
}

/** The key error for `field`, saying what a usable value looks like; the key is never quoted. */
export function _unreadableKey(field: 'privateKey' | 'alipayPublicKey', e: unknown): AlipayKeyError {
  const what =
    field === 'privateKey'
      ? "your merchant private key (PKCS#8 '-----BEGIN PRIVATE KEY-----' or PKCS#1 '-----BEGIN RSA PRIVATE KEY-----')"
      : "Alipay's public key ('-----BEGIN PUBLIC KEY-----')";
  const why = isAlipayError(e) ? e.message : 'unreadable';
  return new AlipayKeyError(
    'ERR_INVALID_KEY',
    `${field} is not a usable key (${why}). Give ${what} as a whole PEM block — line breaks as real newlines or as \\n escapes, as .env files keep them — or the bare base64 string from the Alipay portal`,
    { field, cause: e },
  );
}

/** Parse `text` (PEM PKCS#1/PKCS#8 or bare base64, `\n`-escaped PEMs too) as a private key usable for `signType`. */
export function _loadPrivateKey(raw: unknown, signType: PrivateKeySignType): LoadedPrivateKey {
  const text = _normalizeKeyText(raw);
  if (typeof text !== 'string' || text.trim() === '') {
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      `privateKey is required for signType ${signType} (PEM or bare base64)`,
      { field: 'privateKey' },
    );
  }
  let info: ReturnType<typeof inspectKey>;
  try {
    info = inspectKey(text); // throws ERR_INVALID_KEY without quoting the key
  } catch (e) {
    throw _unreadableKey('privateKey', e);
  }
  if (info.kind === 'public-spki' || info.kind === 'public-pkcs1') {
    throw new AlipayKeyError(
      'ERR_KEY_MISMATCH',
      "a public key was given where the merchant's private key is needed (privateKey)",
      { field: 'privateKey' },
    );
  }
  const want = signType === 'DSA' ? 'dsa' : 'rsa';
  if (info.algorithm !== want) {
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      `signType ${signType} needs a ${want.toUpperCase()} private key, got ${info.algorithm.toUpperCase()}`,
      { field: 'privateKey' },
    );
  }
  let key: KeyObject;
  try {
    if (info.kind === 'private-pkcs8')
      key = createPrivateKey({ key: Buffer.from(info.der), format: 'der', type: 'pkcs8' });
    else if (info.algorithm === 'rsa')
      key = createPrivateKey({ key: Buffer.from(info.der), format: 'der', type: 'pkcs1' });
    else key = createPrivateKey(armour('DSA PRIVATE KEY', info.der));
  } catch {
    // OpenSSL's message is dropped on purpose: it is not useful and we never risk echoing input.
    throw new AlipayKeyError(
      'ERR_INVALID_KEY',
      `privateKey could not be loaded as a ${want.toUpperCase()} private key`,
      { field: 'privateKey' },
    );
  }
  if (key.asymmetricKeyType !== want) {
    throw new AlipayKeyError('ERR_INVALID_KEY', `signType ${signType} needs a ${want.toUpperCase()} private key`, {
      field: 'privateKey',
    });
  }
  return { key, modulusHex: info.modulusHex };
}

/**
 * Throw `ERR_KEY_MISMATCH` when Alipay's public key and the merchant's private key are the same
 * pair (one was pasted where the other belongs), or when a private key sits in `alipayPublicKey`.
 */
export function _checkAlipayPublicKey(alipayPublicKey: string, merchantModulusHex: string | undefined): void {
  let info: ReturnType<typeof inspectKey>;
  try {
    info = inspectKey(_normalizeKeyText(alipayPublicKey));
  } catch (e) {
    throw _unreadableKey('alipayPublicKey', e);
  }
  if (info.kind === 'private-pkcs8' || info.kind === 'private-pkcs1') {
    throw new AlipayKeyError(
      'ERR_KEY_MISMATCH',
      "a private key was given where Alipay's public key belongs (alipayPublicKey)",
      { field: 'alipayPublicKey' },
    );
  }
  if (merchantModulusHex !== undefined && info.modulusHex !== undefined && info.modulusHex === merchantModulusHex) {
    throw new AlipayKeyError(
      'ERR_KEY_MISMATCH',
      "alipayPublicKey has the same modulus as the merchant's private key: use the public key Alipay gave you, not your own",
      { field: 'alipayPublicKey' },
    );
  }
}
