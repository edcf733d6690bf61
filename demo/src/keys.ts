/**
 * Keys for sandbox mode, generated once and kept in the data folder (0600 files in a 0700
 * folder) so a restart keeps verifying what was signed before: the merchant's RSA key (the demo
 * signs its requests with it), the sandbox's own ("Alipay's") key, and — only for an MD5
 * merchant — a random MD5 key. The sandbox is told only the key of the configured sign type, so
 * nobody can sign as the demo merchant with a key they read somewhere else.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { persistentSecret, type SignType } from './config.js';
import { ensurePrivateDataDir } from './data-dir.js';

export interface PemKeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * The RSA key pair stored as `dataDir/<name>.pem`, generated (2048 bits) the first time.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = persistentKeyPair(dataDir, 'merchant-rsa')
 * ```
 */
export function persistentKeyPair(dataDir: string, name: string): PemKeyPair {
  const file = join(dataDir, `${name}.pem`);
  if (existsSync(file)) {
    const privateKey = readFileSync(file, 'utf8');
    const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    return { privateKey, publicKey };
  }
  ensurePrivateDataDir(dataDir);
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(file, pair.privateKey, { mode: 0o600 });
  return pair;
}

/** What the demo merchant registers in the sandbox and what it signs with, for one sign type. */
export interface SandboxMerchantKeys {
  /** Goes into the sandbox's merchant entry: exactly one key. */
  registration: { md5Key: string } | { rsaPublicKey: string };
  /** Goes into the kit's credentials. */
  signing: { md5Key: string } | { privateKey: string };
}

/**
 * The demo merchant's keys for `signType`: MD5 → a random 32-character key stored as
 * `dataDir/merchant-md5-key`; RSA / RSA2 → the `merchant-rsa` key pair (no MD5 key at all).
 *
 * @example
 * ```ts
 * const keys = sandboxMerchantKeys(dataDir, 'RSA2')
 * createSandbox({ merchants: [{ partner, ...keys.registration }] })
 * ```
 */
export function sandboxMerchantKeys(dataDir: string, signType: SignType): SandboxMerchantKeys {
  if (signType === 'MD5') {
    const md5Key = persistentSecret(dataDir, 'merchant-md5-key', () => randomBytes(16).toString('hex'));
    return { registration: { md5Key }, signing: { md5Key } };
  }
  const pair = persistentKeyPair(dataDir, 'merchant-rsa');
  return { registration: { rsaPublicKey: pair.publicKey }, signing: { privateKey: pair.privateKey } };
}
