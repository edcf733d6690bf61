/**
 * Demo configuration from environment variables. Without `ALIPAY_PARTNER` the demo embeds the
 * sandbox as its gateway; with it, the same code talks to the gateway named by `ALIPAY_GATEWAY`.
 * Every variable is documented in `demo/.env.example`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrustProxy, type TrustProxySetting } from './client-address.js';
import { ensurePrivateDataDir } from './data-dir.js';

export type SignType = 'MD5' | 'RSA' | 'RSA2';
export type GatewayCharset = 'UTF-8' | 'GBK';

/** How the demo reaches a gateway: the embedded sandbox, or real credentials. */
export interface MerchantCredentials {
  partner: string;
  signType: SignType;
  md5Key?: string;
  /** The merchant's private key (PEM or bare base64). */
  privateKey?: string;
  /** Alipay's public key (or the sandbox's), for RSA/RSA2 verification. */
  alipayPublicKey?: string;
  charset: GatewayCharset;
}

export interface RealGatewayConfig extends MerchantCredentials {
  /** Full gateway URL, e.g. https://intlmapi.alipay.com/gateway.do */
  gateway: string;
}

export interface EmbeddedSandboxConfig {
  /** Port for the sandbox (0 = any free port). */
  port: number;
  /** Divides the notification retry schedule and trade timeouts. */
  timeScale: number;
  signType: SignType;
}

export interface DemoConfig {
  /** Storefront port (0 = any). */
  port: number;
  host: string;
  /** Where the SQLite ledger, the sandbox state and generated keys live. */
  dataDir: string;
  /**
   * Express `trust proxy` (`TRUST_PROXY`): `false` (default) when browsers connect to the shop
   * directly, so `X-Forwarded-For` is ignored; a hop count or proxy addresses behind a proxy.
   */
  trustProxy?: TrustProxySetting;
  /** Public base URL of the storefront (notify_url / return_url are built from it). Unset: from the listening address. */
  publicUrl?: string;
  adminPassword: string;
  /** True when the admin password was generated (printed once at start). */
  adminPasswordGenerated: boolean;
  tokenSecret: string;
  /**
   * The router's sweeper runs this often (seconds): abandoned orders are checked with the gateway
   * and closed, open refunds sent again with the same out_return_no. 0 turns it off.
   */
  sweepIntervalSeconds: number;
  /** Ledger location (server-kit `createLedgerFromUrl`): unset = SQLite in dataDir; `postgres://…[?schema=]` = PostgreSQL; `sqlite:`/`file:` URL or a path = that SQLite file. */
  ledgerUrl?: string;
  /** Exactly one of these two is set. */
  gateway?: RealGatewayConfig;
  sandbox?: EmbeddedSandboxConfig;
}

const here = dirname(fileURLToPath(import.meta.url));
/** demo/ (this file is demo/src/config.ts or demo/dist/config.js). */
export const DEMO_ROOT = resolve(here, '..');

/**
 * The fixed sandbox merchant of the demo. Not a secret: it only exists in the local sandbox. Its
 * keys are generated per data folder (keys.ts), never a constant in the repository.
 */
export const DEMO_PARTNER = '2088101000000001';

/** `SWEEP_INTERVAL_SECONDS` when unset. */
export const DEFAULT_SWEEP_INTERVAL_SECONDS = 60;

function readKeyFile(file: string | undefined, name: string): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${name}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseSignType(v: string | undefined, fallback: SignType): SignType {
  const s = (v ?? '').trim().toUpperCase();
  if (!s) return fallback;
  if (s === 'MD5' || s === 'RSA' || s === 'RSA2') return s;
  throw new Error(`ALIPAY_SIGN_TYPE must be MD5, RSA or RSA2 (got ${JSON.stringify(v)})`);
}

function parsePort(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number (got ${JSON.stringify(v)})`);
  return n;
}

function parseInterval(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (n > 0 && n < 1))
    throw new Error(`${name} must be 0 (off) or a number of seconds ≥ 1 (got ${JSON.stringify(v)})`);
  return n;
}

/**
 * A secret that survives restarts: read from `dataDir/<name>`, or generated and stored there
 * (mode 0600, in a 0700 folder) the first time. Used for the token secret and the admin password in demo mode.
 */
export function persistentSecret(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  ensurePrivateDataDir(dataDir);
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** Read the configuration from `env` (defaults to `process.env`). Throws with a clear message. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const port = parsePort(env.PORT, 3000, 'PORT');
  const dataDir = env.DEMO_DATA_DIR
    ? isAbsolute(env.DEMO_DATA_DIR)
      ? env.DEMO_DATA_DIR
      : resolve(env.DEMO_DATA_DIR)
    : join(DEMO_ROOT, '.data');
  ensurePrivateDataDir(dataDir);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);

  let adminPasswordGenerated = false;
  let adminPassword = env.ADMIN_PASSWORD ?? '';
  if (!adminPassword) {
    // Demo mode: a readable password, generated once and kept in the data folder.
    adminPassword = persistentSecret(dataDir, 'admin-password', () => `tea-${randomBytes(4).toString('hex')}`);
    adminPasswordGenerated = true;
  }
  const tokenSecret =
    env.TOKEN_SECRET || persistentSecret(dataDir, 'token-secret', () => randomBytes(32).toString('base64url'));
  if (tokenSecret.length < 32) throw new Error('TOKEN_SECRET must be at least 32 characters');

  const base: DemoConfig = {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    adminPassword,
    adminPasswordGenerated,
    tokenSecret,
    trustProxy,
    sweepIntervalSeconds: parseInterval(
      env.SWEEP_INTERVAL_SECONDS,
      DEFAULT_SWEEP_INTERVAL_SECONDS,
      'SWEEP_INTERVAL_SECONDS',
    ),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    ...(env.ALIPAY_LEDGER_URL ? { ledgerUrl: env.ALIPAY_LEDGER_URL } : {}),
  };

  if (env.ALIPAY_PARTNER) {
    const signType = parseSignType(env.ALIPAY_SIGN_TYPE, env.ALIPAY_MD5_KEY ? 'MD5' : 'RSA2');
    const charset = (env.ALIPAY_CHARSET || 'UTF-8').toUpperCase();
    if (charset !== 'UTF-8' && charset !== 'GBK') throw new Error('ALIPAY_CHARSET must be UTF-8 or GBK');
    const gateway: RealGatewayConfig = {
      gateway: env.ALIPAY_GATEWAY || 'https://intlmapi.alipay.com/gateway.do',
      partner: env.ALIPAY_PARTNER,
      signType,
      charset,
      md5Key: env.ALIPAY_MD5_KEY || undefined,
      privateKey: env.ALIPAY_PRIVATE_KEY || readKeyFile(env.ALIPAY_PRIVATE_KEY_FILE, 'ALIPAY_PRIVATE_KEY_FILE'),
      alipayPublicKey: env.ALIPAY_PUBLIC_KEY || readKeyFile(env.ALIPAY_PUBLIC_KEY_FILE, 'ALIPAY_PUBLIC_KEY_FILE'),
    };
    if (signType === 'MD5' && !gateway.md5Key) throw new Error('ALIPAY_SIGN_TYPE=MD5 needs ALIPAY_MD5_KEY');
    if (signType !== 'MD5' && (!gateway.privateKey || !gateway.alipayPublicKey)) {
      throw new Error(`ALIPAY_SIGN_TYPE=${signType} needs ALIPAY_PRIVATE_KEY_FILE and ALIPAY_PUBLIC_KEY_FILE`);
    }
    if (!/^https?:\/\//.test(gateway.gateway)) throw new Error('ALIPAY_GATEWAY must be an http(s) URL');
    if (!env.ADMIN_PASSWORD) throw new Error('ADMIN_PASSWORD is required with real gateway credentials');
    if (!env.TOKEN_SECRET) throw new Error('TOKEN_SECRET is required with real gateway credentials');
    return { ...base, gateway };
  }

  return {
    ...base,
    sandbox: {
      port: parsePort(env.SANDBOX_PORT, port === 0 ? 0 : port + 1, 'SANDBOX_PORT'),
      timeScale: env.SANDBOX_TIME_SCALE ? Number(env.SANDBOX_TIME_SCALE) : 60,
      signType: parseSignType(env.ALIPAY_SIGN_TYPE, 'RSA2'),
    },
  };
}
