/**
 * `alipay-sandbox serve` over HTTPS (`--tls-cert`/`--tls-key`, a self-signed certificate made
 * here with openssl), several merchants from `--config <file.json>`, and a pinned sandbox key
 * (`--alipay-private-key`). Issue 13 "Keys and transport".
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { behaviourFromFlags, serve } from '../src/cli/serve.js';
import { encode, KEY_A, PARTNER_A, rsaPair, sandboxKeys, signMd5, signRsa } from './helpers.js';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const PARTNER_B = '2088000000000002';

let dir: string;
let ca: string;
const shopB = rsaPair();

function httpsGet(url: string): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          type: String(res.headers['content-type'] ?? ''),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Run `serve` and resolve its banner (or reject with its output when it exits). */
function startServe(args: string[]): Promise<{ child: ChildProcess; banner: string }> {
  const child = spawn(tsx, [bin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no banner: ${out}`)), 25_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/merchants +.*\n/.test(out)) {
        clearTimeout(t);
        resolve({ child, banner: out });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(Object.assign(new Error(out), { code }));
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
  // The README's command, with a short lifetime.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  ca = execFileSync('cat', [join(dir, 'cert.pem')]).toString();
  writeFileSync(join(dir, 'alipay-private.pem'), sandboxKeys().privateKey);
  writeFileSync(join(dir, 'shop-b.pub.pem'), shopB.publicKey);
  writeFileSync(
    join(dir, 'merchants.json'),
    JSON.stringify({
      timeScale: 60,
      merchants: [
        { partner: PARTNER_A, md5Key: KEY_A, name: 'Kaligo test shop' },
        {
          partner: PARTNER_B,
          rsaPublicKeyFile: 'shop-b.pub.pem',
          name: 'Shop B',
          currencies: ['USD'],
          enabledTimeoutRules: ['12h', '1h'],
        },
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alipay-sandbox serve --tls-cert --tls-key --config --alipay-private-key', () => {
  let child: ChildProcess | undefined;
  let base = '';
  beforeAll(async () => {
    const started = await startServe([
      '--config',
      join(dir, 'merchants.json'),
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
      '--alipay-private-key',
      join(dir, 'alipay-private.pem'),
    ]);
    child = started.child;
    base = /gateway +(https:\/\/127\.0\.0\.1:\d+)\/gateway\.do/.exec(started.banner)![1]!;
    expect(started.banner).toContain('(HTTPS)');
    expect(started.banner).toContain(`merchants   ${PARTNER_A}, ${PARTNER_B}`);
  }, 40_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('should print https:// links and answer the §2.7 A3 vector over TLS trusted through the certificate', async () => {
    const r = await httpsGet(
      `${base}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`,
    );
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/\|USD\|6\.706400\r\n/);
  });

  it('should serve the pinned key as the Alipay public key', async () => {
    const r = await httpsGet(`${base}/.well-known/alipay-public-key`);
    const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(der(r.text)).toBe(der(sandboxKeys().publicKey));
  });

  it('should apply each config merchant its own keys, currencies and timeout rules, with https cashier links', async () => {
    const pay = (extra: Record<string, string>) =>
      httpsGet(
        `${base}/gateway.do?${encode(signRsa({ _input_charset: 'UTF-8', service: 'create_forex_trade', partner: PARTNER_B, out_trade_no: `B-${Math.random()}`, subject: 'x', currency: 'USD', total_fee: '1.00', ...extra }, shopB.privateKey, 'RSA2'))}`,
      );
    const ok = await pay({ timeout_rule: '1h' });
    expect(ok.text).toContain('id="merchant-name">Shop B<');
    expect(ok.text).toMatch(new RegExp(`action="${base.replace(/[.:/]/g, '\\$&')}/cashier/[0-9a-f]+/pay"`));
    expect(/id="alipay-error-code"[^>]*>([A-Z_]+)</.exec((await pay({ currency: 'EUR' })).text)?.[1]).toBe(
      'ILLEGAL_CURRENCY',
    );
    expect(/id="alipay-error-code"[^>]*>([A-Z_]+)</.exec((await pay({ timeout_rule: '30m' })).text)?.[1]).toBe(
      'ILLEGAL_TIMEOUT_RULE',
    );
    // Partner A (MD5 from the same file) keeps the default list: EUR is contracted.
    const a = signMd5({
      _input_charset: 'UTF-8',
      service: 'create_forex_trade',
      partner: PARTNER_A,
      out_trade_no: 'A-1',
      subject: 'x',
      currency: 'EUR',
      total_fee: '1.00',
    });
    expect((await httpsGet(`${base}/gateway.do?${encode(a)}`)).text).toContain('id="merchant-name">Kaligo test shop<');
  });
});

describe('serve() usage errors (what the CLI prints before its usage)', () => {
  it('should refuse --tls-cert without --tls-key, a key without --partner, and name an unknown config key', async () => {
    await expect(serve({ partner: PARTNER_A, 'md5-key': KEY_A, 'tls-cert': 'cert.pem' })).rejects.toThrow(
      /--tls-cert and --tls-key go together/,
    );
    await expect(serve({ 'md5-key': KEY_A })).rejects.toThrow(/need --partner/);
    await expect(serve({})).rejects.toThrow(/--partner with a key, or --config/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ merchants: [{ partner: PARTNER_A, md5key: KEY_A }] }));
    await expect(serve({ config: bad })).rejects.toThrow(/merchants\[0\]\.md5key is not a merchant setting/);
    writeFileSync(bad, JSON.stringify({ merchants: [{ partner: PARTNER_A, md5Key: KEY_A }], timescale: 60 }));
    await expect(serve({ config: bad })).rejects.toThrow(/config: timescale is not a setting/);
  });

  it('should read --lenient-ack and --refund-throttle <ms> [--refund-throttle-per] into the settings', () => {
    expect(
      behaviourFromFlags({ 'lenient-ack': true, 'refund-throttle': '3000', 'refund-throttle-per': 'trade' }),
    ).toEqual({ lenientAcknowledgement: true, refundThrottle: { intervalMs: 3000, per: 'trade' } });
    expect(behaviourFromFlags({})).toEqual({});
    expect(() => behaviourFromFlags({ 'refund-throttle': 'soon' })).toThrow(
      /--refund-throttle must be a positive number/,
    );
    expect(() => behaviourFromFlags({ 'refund-throttle-per': 'trade' })).toThrow(/needs --refund-throttle/);
  });

  it('should serve plain HTTP on port 0 in-process and report the bound port in its base URL', async () => {
    const served = await serve({ port: '0', partner: PARTNER_A, 'md5-key': KEY_A });
    try {
      expect(served.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(served.banner).toContain(`gateway     ${served.base}/gateway.do`);
      expect(
        await (
          await fetch(
            `${served.base}/gateway.do?partner=${PARTNER_A}&service=forex_rate_file&sign=4051af1716d522b47acff927d4fb9781&sign_type=MD5`,
          )
        ).text(),
      ).toMatch(/\|USD\|/);
    } finally {
      await served.sandbox.close();
      served.server.closeAllConnections();
      await new Promise((r) => served.server.close(r));
    }
  });
});
