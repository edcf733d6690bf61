/**
 * Turning key text (PEM of any common container, or the bare base64 the merchant portal hands
 * out, §2.6) into node:crypto key objects.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { publicKeyToSpki } from '@alipay-kit/core';

/** Import a public key (RSA or DSA). Throws `TypeError` naming `what` when unusable; never quotes the key. */
export function importPublicKey(text: string, what: string): KeyObject {
  try {
    if (/-----BEGIN/.test(text)) return createPublicKey(text);
    return createPublicKey({ key: Buffer.from(publicKeyToSpki(text)), format: 'der', type: 'spki' });
  } catch {
    try {
      return createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new TypeError(`${what} is not a usable public key (PEM or base64 SPKI/PKCS#1 expected)`);
    }
  }
}

/** Import a private key (PEM PKCS#8/PKCS#1, or bare base64 PKCS#8). */
export function importPrivateKey(text: string, what: string): KeyObject {
  try {
    if (/-----BEGIN/.test(text)) return createPrivateKey(text);
    return createPrivateKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new TypeError(`${what} is not a usable private key (PEM or base64 PKCS#8 expected)`);
  }
}

/** Generate the sandbox's own RSA-2048 key pair ("Alipay's" key, §2.3), PEM SPKI + PKCS#8. */
export function generateRsaKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey };
}

/**
 * The PEM pair (SPKI public + PKCS#8 private) of an RSA private key given as PEM or bare base64
 * PKCS#8: what `--alipay-private-key <file>` pins. Throws `TypeError` naming `what` for a key
 * that is not an RSA private key.
 *
 * @example
 * ```ts
 * const pair = keyPairFromPrivateKey(readFileSync('alipay-private.pem', 'utf8'), '--alipay-private-key')
 * createSandbox({ merchants, keyPair: pair })
 * ```
 */
export function keyPairFromPrivateKey(text: string, what: string): { privateKey: string; publicKey: string } {
  const key = importPrivateKey(text, what);
  if (key.asymmetricKeyType !== 'rsa')
    throw new TypeError(`${what} must be an RSA private key (the sandbox signs RSA and RSA2 with it, §2.3)`);
  return {
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** True when `publicKey` (PEM/base64) is the public half of `privateKey` (PEM/base64). Never throws. */
export function keysMatch(privateKey: string, publicKey: string): boolean {
  try {
    const derived = createPublicKey(importPrivateKey(privateKey, 'privateKey')).export({ type: 'spki', format: 'der' });
    const given = importPublicKey(publicKey, 'publicKey').export({ type: 'spki', format: 'der' });
    return derived.equals(given);
  } catch {
    return false;
  }
}
