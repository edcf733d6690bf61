/**
 * Where the sandbox's own ("Alipay's") keys live. Merchants store Alipay's public key once and
 * verify every return, notification and signed XML reply with it (§2.3, §2.4), so with a data
 * file the keys are kept in its `meta` table: a restart signs with the same key, and pending
 * notification retries (re-signed at every attempt, §4) still verify with the key the merchant
 * already has. A pinned key (`keyPair`, `--alipay-private-key`) wins and is stored in turn.
 *
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { getMeta, setMeta, type Db } from '../store/db.js';
import { generateRsaKeyPair, keyPairFromPrivateKey, keysMatch } from './keys.js';

const RSA_META = 'alipay_rsa_private_key';
const DSA_META = 'alipay_dsa_private_key';

/** A PEM key pair. */
export interface PemKeyPair {
  privateKey: string;
  publicKey: string;
}

/** How the RSA pair in use was obtained (logged at start-up). */
export type KeySource = 'pinned' | 'stored' | 'generated';

/** Load/save hooks for the lazily generated DSA key (legacy §2.3 merchants only). */
export interface DsaKeyStore {
  load(): string | undefined;
  save(privateKeyPem: string): void;
}

/**
 * Resolve the RSA pair: the pinned one (checked: its halves must match), else the one stored
 * in the data file, else a new one (stored when the database is a file).
 *
 * @example
 * ```ts
 * const { pair, source } = resolveRsaKeyPair(db, options.keyPair, true)
 * ```
 */
export function resolveRsaKeyPair(
  db: Db,
  pinned: PemKeyPair | undefined,
  persistent: boolean,
): { pair: PemKeyPair; source: KeySource; replaced: boolean } {
  const stored = persistent ? getMeta(db, RSA_META) : undefined;
  if (pinned) {
    if (typeof pinned.privateKey !== 'string' || typeof pinned.publicKey !== 'string')
      throw new TypeError('createSandbox: options.keyPair needs privateKey and publicKey (PEM)');
    if (!keysMatch(pinned.privateKey, pinned.publicKey))
      throw new TypeError('createSandbox: options.keyPair.publicKey is not the public half of keyPair.privateKey');
    const pair = keyPairFromPrivateKey(pinned.privateKey, 'options.keyPair.privateKey');
    const replaced = stored !== undefined && stored !== pair.privateKey;
    if (persistent) setMeta(db, RSA_META, pair.privateKey);
    return { pair: { privateKey: pinned.privateKey, publicKey: pinned.publicKey }, source: 'pinned', replaced };
  }
  if (stored !== undefined)
    return {
      pair: keyPairFromPrivateKey(stored, 'the RSA key stored in the data file'),
      source: 'stored',
      replaced: false,
    };
  const pair = generateRsaKeyPair();
  if (persistent) setMeta(db, RSA_META, pair.privateKey);
  return { pair, source: 'generated', replaced: false };
}

/** The DSA key's store: the data file's `meta` table, or nothing for an in-memory sandbox. */
export function dsaKeyStore(db: Db, persistent: boolean): DsaKeyStore {
  let memory: string | undefined;
  return {
    load: () => (persistent ? getMeta(db, DSA_META) : memory),
    save(pem) {
      memory = pem;
      if (persistent) setMeta(db, DSA_META, pem);
    },
  };
}

/** Generate the sandbox's DSA key (2048/256, SHA1withDSA signatures, §2.3), PKCS#8 PEM. */
export function generateDsaPrivateKey(): string {
  return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}
