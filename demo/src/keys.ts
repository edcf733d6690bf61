/**
 * Key pairs for sandbox mode, generated once and kept in the data folder (mode 0600) so a restart
 * keeps verifying what was signed before: the merchant's RSA key (the demo signs its requests
 * with it) and the sandbox's own ("Alipay's") key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';

export interface PemKeyPair {
  privateKey: string;
  publicKey: string;
}

export function persistentKeyPair(dataDir: string, name: string): PemKeyPair {
  const file = join(dataDir, `${name}.pem`);
  if (existsSync(file)) {
    const privateKey = readFileSync(file, 'utf8');
    const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    return { privateKey, publicKey };
  }
  mkdirSync(dataDir, { recursive: true });
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(file, pair.privateKey, { mode: 0o600 });
  return pair;
}
