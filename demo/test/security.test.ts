/**
 * What a shop must not get wrong around the payment: the price comes from the server, order
 * status needs the order token, the admin needs the password, pages run under a strict CSP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, newSession, shot, startShop, type Shop } from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop({ signType: 'MD5' });
});
afterAll(async () => {
  await shop?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${shop.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });

describe('checkout endpoint', () => {
  it('should price the order from the catalog and ignore any price the browser sends', async () => {
    const res = await post('/api/alipay/checkout', {
      order: {
        currency: 'EUR',
        items: [{ id: 'iron-kettle', qty: 2, price: '0.01', total: '0.01' }],
        total_fee: '0.01',
      },
      variant: 'web',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outTradeNo: string; url: string; orderToken: string };
    const url = new URL(body.url);
    expect(url.origin).toBe(shop.sandboxUrl);
    expect(url.searchParams.get('total_fee')).toBe('238.00');
    expect(url.searchParams.get('currency')).toBe('EUR');
    expect(url.searchParams.get('sign_type')).toBe('MD5');
    expect(url.searchParams.get('notify_url')).toBe(`${shop.url}/api/alipay/notify`);
    expect(url.searchParams.get('return_url')).toBe(`${shop.url}/result`);
    // Optional §3.2 parameters from the server's cart: the cashier's way back is checkout, and
    // the goods are described for risk control (§3.3, business_type 4).
    expect(url.searchParams.get('refer_url')).toBe(`${shop.url}/checkout`);
    expect(url.searchParams.get('supplier')).toBe('Lantern and Leaf');
    expect(JSON.parse(url.searchParams.get('trade_information')!)).toEqual({
      business_type: '4',
      goods_info: 'Cast-Iron Kettle^2',
      total_quantity: '2',
    });
    expect(body.outTradeNo).toMatch(/^LL-\d{6}-[0-9A-F]{8}$/);
    const order = await shop.demo.backend.order(body.outTradeNo);
    expect(order?.items).toEqual([{ id: 'iron-kettle', name: 'Cast-Iron Kettle', qty: 2, amount: '238.00' }]);
  });

  it('should 400 an unknown product, a bad quantity or an unsold currency', async () => {
    for (const order of [
      { currency: 'USD', items: [{ id: 'gold-bar', qty: 1 }] },
      { currency: 'USD', items: [{ id: 'oolong-tin', qty: 0 }] },
      { currency: 'USD', items: [{ id: 'oolong-tin', qty: 1.5 }] },
      { currency: 'CNY', items: [{ id: 'oolong-tin', qty: 1 }] },
      { currency: 'USD', items: [] },
    ]) {
      const res = await post('/api/alipay/checkout', { order, variant: 'web' });
      expect(res.status, JSON.stringify(order)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_PARAMS');
    }
  });

  it('should 401 the order status without the order token of that order', async () => {
    const a = (await (
      await post('/api/alipay/checkout', { order: { currency: 'USD', items: [{ id: 'silk-fan', qty: 1 }] } })
    ).json()) as { outTradeNo: string; orderToken: string };
    const b = (await (
      await post('/api/alipay/checkout', { order: { currency: 'USD', items: [{ id: 'silk-fan', qty: 1 }] } })
    ).json()) as { outTradeNo: string; orderToken: string };
    expect((await fetch(`${shop.url}/api/alipay/orders/${a.outTradeNo}`)).status).toBe(401);
    expect(
      (
        await fetch(`${shop.url}/api/alipay/orders/${a.outTradeNo}`, {
          headers: { authorization: `Bearer ${b.orderToken}` },
        })
      ).status,
    ).toBe(401);
    const ok = await fetch(`${shop.url}/api/alipay/orders/${a.outTradeNo}`, {
      headers: { authorization: `Bearer ${a.orderToken}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      outTradeNo: a.outTradeNo,
      status: 'pending',
      amount: '45.00',
      currency: 'USD',
    });
  });
});

describe('admin', () => {
  it('should send visitors without a session to the login page and refuse a wrong password', async () => {
    const { page, context } = await newSession();
    await page.goto(`${shop.url}/admin`);
    await page.waitForURL(/\/admin\/login\?next=/);
    await page.fill('#password', 'not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error:not([hidden])').waitFor();
    expect(await page.locator('#login-error').textContent()).toMatch(/not right/);
    await shot(page, '20-admin-login-error');
    await page.fill('#password', ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/admin');
    await page.locator('#orders-table tbody tr').first().waitFor();
    await shot(page, '21-admin-orders');
    await context.close();
  });

  it('should 401 the admin API and the router admin routes without a session, 403 without the CSRF header', async () => {
    expect((await fetch(`${shop.url}/admin/api/orders`)).status).toBe(401);
    expect((await post('/admin/api/reconcile', { from: '2026-01-01', to: '2026-01-02' })).status).toBe(401);
    expect((await post('/api/alipay/refunds', { outTradeNo: 'LL-1', amount: '1.00' })).status).toBe(401);
    expect((await post('/api/alipay/reconcile', { startDate: '20260101', endDate: '20260102' })).status).toBe(401);
    const login = await fetch(`${shop.url}/admin/login`, {
      method: 'POST',
      body: new URLSearchParams({ password: ADMIN_PASSWORD }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await fetch(`${shop.url}/admin/api/orders`, { headers: { cookie } })).status).toBe(200);
    expect((await post('/api/alipay/refunds', { outTradeNo: 'LL-1', amount: '1.00' }, { cookie })).status).toBe(403);
    expect(
      (await post('/api/alipay/refunds', { outTradeNo: 'LL-1', amount: '1.00' }, { cookie, 'x-admin-request': '1' }))
        .status,
    ).toBe(404);
  });
});

describe('pages', () => {
  it('should serve every page with a strict Content-Security-Policy and no inline script or style', async () => {
    const web = fileURLToPath(new URL('../dist/web/', import.meta.url));
    for (const path of ['/', '/cart', '/checkout', '/result', '/admin/login']) {
      const res = await fetch(`${shop.url}${path}`);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain(`form-action 'self' ${shop.sandboxUrl}`);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    const html = [...readdirSync(web), ...readdirSync(join(web, 'admin')).map((f) => `admin/${f}`)].filter((f) =>
      f.endsWith('.html'),
    );
    expect(html.length).toBe(7);
    for (const f of html) {
      const text = readFileSync(join(web, f), 'utf8');
      expect(text, f).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text, f).not.toMatch(/\sstyle=|<style/);
    }
  });

  it('should not serve the admin page or the raw HTML files without a session', async () => {
    const res = await fetch(`${shop.url}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await fetch(`${shop.url}/admin/index.html`)).status).toBe(404);
  });
});

describe('error answers', () => {
  it('should answer 404 for a missing asset and 400 for a malformed admin body, not 500', async () => {
    expect((await fetch(`${shop.url}/assets/nope.js`)).status).toBe(404);
    const login = await fetch(`${shop.url}/admin/login`, {
      method: 'POST',
      body: new URLSearchParams({ password: ADMIN_PASSWORD }),
      redirect: 'manual',
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${shop.url}/admin/api/reconcile`, {
      method: 'POST',
      headers: { cookie, 'x-admin-request': '1', 'content-type': 'application/json' },
      body: '{"from":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_INVALID_PARAMS');
    expect((await fetch(`${shop.url}/api/nope`)).status).toBe(404);
  });
});
