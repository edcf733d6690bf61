/**
 * Admin sessions and cross-site requests (issue 14): the session is a jose HS256 token naming a
 * server-side session; logout must come from the shop's own pages and revokes it, so a copied
 * cookie stops working; 30 minutes idle or 8 hours in all ends it (clock injected); every admin
 * POST from another origin gets 403 ERR_CROSS_SITE, also from a real browser on another port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, newSession } from './harness.js';
import { location, postLogin, send, sessionCookie, startTestShop, type TestShop } from './security-client.js';

const EVIL = 'http://evil.example';
let t = Date.UTC(2026, 0, 1, 9);
let shop: TestShop;
beforeAll(async () => {
  shop = await startTestShop({ adminClock: () => t });
});
afterAll(async () => {
  await shop?.close();
});

async function login(): Promise<string> {
  const res = await postLogin(shop, ADMIN_PASSWORD);
  expect(location(res)).toBe('/admin');
  return sessionCookie(res)!;
}
const orders = (cookie: string) => send(`${shop.url}/admin/api/orders`, { headers: { cookie } });
const code = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('admin session token', () => {
  it('should be a jose HS256 token with a session id, subject and expiry, and refuse a tampered or old-style cookie', async () => {
    const cookie = await login();
    const token = cookie.slice('ll_admin='.length);
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'admin', aud: 'lantern-leaf/admin' });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
    expect((await orders(cookie)).status).toBe(200);
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp! + 86400 })).toString('base64url');
    expect((await orders(`ll_admin=${h}.${forged}.${s}`)).status).toBe(401);
    expect((await orders(`ll_admin=${t + 3600_000}.AAAA`)).status).toBe(401);
  });
});

describe('logout', () => {
  it('should refuse a logout from another origin and keep the session', async () => {
    const cookie = await login();
    const attempts: Record<string, string>[] = [
      { origin: EVIL },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { origin: shop.url, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await send(`${shop.url}/admin/logout`, { method: 'POST', headers: { cookie, ...headers } });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(code(res.body)).toBe('ERR_CROSS_SITE');
    }
    expect((await orders(cookie)).status).toBe(200);
    expect(shop.logs).toContain('admin: cross-site POST refused (origin) from 127.0.0.1');
  });

  it('should revoke the session so a copied cookie is refused afterwards', async () => {
    const cookie = await login();
    const copy = cookie;
    const out = await send(`${shop.url}/admin/logout`, {
      method: 'POST',
      headers: { cookie, origin: shop.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(out.status).toBe(303);
    expect(location(out)).toBe('/admin/login');
    expect(String(out.headers['set-cookie'])).toMatch(/ll_admin=;.*Expires=Thu, 01 Jan 1970/);
    expect((await orders(copy)).status).toBe(401);
    const page = await send(`${shop.url}/admin`, { headers: { cookie: copy } });
    expect(page.status).toBe(303);
    expect(location(page)).toMatch(/^\/admin\/login/);
    // Another session is untouched by that logout.
    expect((await orders(await login())).status).toBe(200);
  });
});

describe('timeouts (injected clock)', () => {
  it('should end a session after 30 minutes without a request, and keep one that is used', async () => {
    const cookie = await login();
    t += 29 * 60_000;
    expect((await orders(cookie)).status).toBe(200);
    t += 29 * 60_000;
    expect((await orders(cookie)).status).toBe(200);
    t += 30 * 60_000;
    expect((await orders(cookie)).status).toBe(401);
    // Idle expiry is final: going back in time does not revive it.
    t -= 10 * 60_000;
    expect((await orders(cookie)).status).toBe(401);
  });

  it('should end a session 8 hours after login however busy it is', async () => {
    const cookie = await login();
    const start = t;
    while (t - start < 8 * 3600_000 - 20 * 60_000) {
      t += 20 * 60_000;
      expect((await orders(cookie)).status).toBe(200);
    }
    t = start + 8 * 3600_000;
    expect((await orders(cookie)).status).toBe(401);
  });
});

describe('cross-site admin POSTs', () => {
  it('should 403 every admin POST from another origin before the session or the body is looked at', async () => {
    const cookie = await login();
    const targets: [string, string][] = [
      ['/admin/api/reconcile', '{"from":"2026-01-01","to":"2026-01-02"}'],
      ['/api/alipay/refunds', '{"outTradeNo":"LL-1","amount":"1.00"}'],
      ['/api/alipay/reconcile', '{"startDate":"20260101","endDate":"20260102"}'],
      ['/admin/login', `password=${encodeURIComponent(ADMIN_PASSWORD)}`],
    ];
    for (const [path, body] of targets) {
      const attempts: Record<string, string>[] = [
        { origin: EVIL, 'sec-fetch-site': 'cross-site' },
        { origin: EVIL },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of attempts) {
        const res = await send(`${shop.url}${path}`, {
          method: 'POST',
          headers: {
            cookie,
            'x-admin-request': '1',
            'content-type': path === '/admin/login' ? 'application/x-www-form-urlencoded' : 'application/json',
            ...headers,
          },
          body,
        });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(code(res.body)).toBe('ERR_CROSS_SITE');
      }
    }
    // The same call from the shop's own page passes this check (and reaches the route: unknown order → 404).
    const own = await send(`${shop.url}/api/alipay/refunds`, {
      method: 'POST',
      headers: {
        cookie,
        'x-admin-request': '1',
        'content-type': 'application/json',
        origin: shop.url,
        'sec-fetch-site': 'same-origin',
      },
      body: targets[1]![1],
    });
    expect(own.status).toBe(404);
    // The storefront's own POSTs are not admin writes: checkout from anywhere is still answered.
    const checkout = await send(`${shop.url}/api/alipay/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: EVIL },
      body: JSON.stringify({ order: { currency: 'USD', items: [{ id: 'silk-fan', qty: 1 }] } }),
    });
    expect(checkout.status).toBe(200);
  });

  it('should keep the admin logged in when a page on another port auto-submits a logout form (same site, other origin)', async () => {
    // Another origin on the same host: SameSite=Strict does send the cookie here; the Origin check is what stops it.
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form id="f" method="post" action="${shop.url}/admin/logout"></form><script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const { page, context } = await newSession();
    try {
      await page.goto(`${shop.url}/admin`);
      await page.fill('#password', ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/admin');
      const answer = page.waitForResponse((r) => r.url() === `${shop.url}/admin/logout`);
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
      const cookie = (await context.cookies(shop.url)).find((c) => c.name === 'll_admin');
      expect(cookie).toBeDefined();
      expect((await orders(`ll_admin=${cookie!.value}`)).status).toBe(200);
      // The shop's own Log out button works and ends that session.
      await page.goto(`${shop.url}/admin`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/admin\/login/);
      expect((await orders(`ll_admin=${cookie!.value}`)).status).toBe(401);
    } finally {
      await context.close();
      await new Promise<void>((r) => evil.close(() => r()));
    }
  });
});
