/**
 * Helpers for the security tests: a demo started with the options they need (trust proxy, an
 * admin clock, a file-backed data folder), and raw HTTP from a chosen loopback address
 * (127.0.0.2 is a different client than 127.0.0.1 to the server, with no header involved).
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TrustProxySetting } from '../src/client-address.js';
import type { SignType } from '../src/config.js';
import { startDemo, type RunningDemo } from '../src/start.js';
import { ADMIN_PASSWORD } from './harness.js';

export interface TestShop extends RunningDemo {
  dataDir: string;
  logs: string[];
}

export interface TestShopOptions {
  trustProxy?: TrustProxySetting;
  adminClock?: () => number;
  signType?: SignType;
  /** Use this data folder (not removed on close) and keep the sandbox state in it. */
  dataDir?: string;
}

export async function startTestShop(options: TestShopOptions = {}): Promise<TestShop> {
  const own = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'demo-sec-'));
  for (const f of ['merchant-rsa.pem', 'sandbox-rsa.pem']) copyFileSync(join(inject('keysDir'), f), join(dataDir, f));
  const logs: string[] = [];
  const running = await startDemo({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    adminPasswordGenerated: false,
    tokenSecret: randomBytes(32).toString('base64url'),
    sandbox: { port: 0, ...(own ? { dataFile: ':memory:' } : {}), signType: options.signType ?? 'RSA2' },
    sweepIntervalSeconds: 0,
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.adminClock ? { adminClock: options.adminClock } : {}),
    log: (line) => logs.push(line),
  });
  return {
    ...running,
    dataDir,
    logs,
    async close() {
      await running.close();
      if (own) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request from `localAddress` (default 127.0.0.1). */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        localAddress: init.localAddress ?? '127.0.0.1',
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POST the login form; `origin` defaults to the shop's own. */
export function postLogin(
  shop: TestShop,
  password: string,
  extra: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawResponse> {
  return send(`${shop.url}/admin/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: shop.url,
      'sec-fetch-site': 'same-origin',
      ...extra.headers,
    },
    body: new URLSearchParams({ password }).toString(),
    ...(extra.localAddress ? { localAddress: extra.localAddress } : {}),
  });
}

/** The `name=value` of the session cookie a login answer set, or undefined. */
export function sessionCookie(res: RawResponse): string | undefined {
  const set = res.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : set ? [set] : []).find((c) => c.startsWith('ll_admin='));
  return line?.split(';')[0];
}

/** Where a 303 went: `/admin` for a login, `/admin/login?error=…` for a refusal. */
export function location(res: RawResponse): string {
  return String(res.headers.location ?? '');
}
