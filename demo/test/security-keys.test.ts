/**
 * Keys and files (issue 14): the sandbox knows only the key of the configured sign type — an
 * RSA2 merchant has no MD5 key anyone could sign with, asked over HTTP at the sandbox's gateway
 * (§1.6 step 6: ILLEGAL_SECURITY_PROFILE for a sign type the merchant has no key for) — and the
 * data folder is 0700 with 0600 files.
 */
import { createHash, createSign } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPreSignString } from '@alipay-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv, DEMO_PARTNER } from '../src/config.js';
import { send, startTestShop, type TestShop } from './security-client.js';

/** The constant MD5 key the demo used to register for every sign type. */
const OLD_CONSTANT_MD5_KEY = 'ltnleafdemo0md5key0sandbox000001';

let shop: TestShop | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await shop?.close();
  shop = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function query(signType: 'MD5' | 'RSA2', sign: (preSign: string) => string): Record<string, string> {
  const params: Record<string, string> = {
    service: 'single_trade_query',
    partner: DEMO_PARTNER,
    _input_charset: 'utf-8',
    out_trade_no: 'LL-NO-SUCH-ORDER',
  };
  return { ...params, sign_type: signType, sign: sign(buildPreSignString(params)) };
}
const md5 = (key: string) => (pre: string) =>
  createHash('md5')
    .update(pre + key, 'utf8')
    .digest('hex');
const rsa2 = (pem: string) => (pre: string) => createSign('RSA-SHA256').update(pre, 'utf8').sign(pem, 'base64');
async function gatewayError(s: TestShop, params: Record<string, string>): Promise<string | undefined> {
  const res = await send(`${s.demo.gateway.url}?${new URLSearchParams(params)}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatch(/<is_success>F<\/is_success>/);
  return /<error>([^<]*)<\/error>/.exec(res.body)?.[1];
}

describe('merchant keys in the sandbox', () => {
  it('should register no MD5 key for an RSA2 merchant: an MD5-signed call is ILLEGAL_SECURITY_PROFILE, the RSA2-signed one is verified', async () => {
    shop = await startTestShop({ signType: 'RSA2' });
    expect(shop.demo.gateway.signType).toBe('RSA2');
    expect(await gatewayError(shop, query('MD5', md5(OLD_CONSTANT_MD5_KEY)))).toBe('ILLEGAL_SECURITY_PROFILE');
    expect(await gatewayError(shop, query('MD5', md5('any key at all')))).toBe('ILLEGAL_SECURITY_PROFILE');
    // Control: the merchant's own RSA2 key passes the signature check (the trade simply does not exist).
    const merchantPem = readFileSync(join(shop.dataDir, 'merchant-rsa.pem'), 'utf8');
    expect(await gatewayError(shop, query('RSA2', rsa2(merchantPem)))).toBe('TRADE_NOT_EXIST');
    expect(existsSync(join(shop.dataDir, 'merchant-md5-key'))).toBe(false);
  });

  it('should give an MD5 merchant a random per-install key (never the old constant) and no RSA key', async () => {
    shop = await startTestShop({ signType: 'MD5' });
    const key = readFileSync(join(shop.dataDir, 'merchant-md5-key'), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await gatewayError(shop, query('MD5', md5(OLD_CONSTANT_MD5_KEY)))).toBe('ILLEGAL_SIGN');
    expect(await gatewayError(shop, query('MD5', md5(key)))).toBe('TRADE_NOT_EXIST');
    const merchantPem = readFileSync(join(shop.dataDir, 'merchant-rsa.pem'), 'utf8');
    expect(await gatewayError(shop, query('RSA2', rsa2(merchantPem)))).toBe('ILLEGAL_SECURITY_PROFILE');
    expect(JSON.stringify(shop.logs)).not.toContain(key);
  });
});

describe('data folder permissions', () => {
  it('should make an existing world-readable data folder 0700 and its files (SQLite included) 0600', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'demo-perm-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'token-secret'), 'x'.repeat(40), { mode: 0o644 });
    shop = await startTestShop({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['sandbox.sqlite', 'token-secret', 'merchant-rsa.pem']));
    expect(files.some((f) => /ledger|\.sqlite$/.test(f) && f !== 'sandbox.sqlite')).toBe(true);
    for (const f of files) expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600);
  });

  it('should create a missing data folder 0700 from the environment (npm start)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'demo-perm-'));
    dirs.push(parent);
    const dataDir = join(parent, 'nested', '.data');
    const config = configFromEnv({ DEMO_DATA_DIR: dataDir });
    expect(config.dataDir).toBe(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dataDir)) expect(statSync(join(dataDir, f)).mode & 0o777, f).toBe(0o600);
  });
});
