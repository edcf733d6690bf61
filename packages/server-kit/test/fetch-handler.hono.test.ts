// alipayFetchHandler mounted in a real Hono app, served over HTTP on port 0 by @hono/node-server,
// against the sandbox gateway (also over HTTP) and a real SQLite file: a full payment, the order
// query, the sync return, refunds, and the raw-body rule for /notify (§2.4) on the Fetch side.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { CheckoutResponse, ErrorResponse, PublicOrder, RefundResponse } from '@alipay-kit/core/contract';
import type { Sandbox } from '@alipay-kit/sandbox';
import {
  alipayFetchHandler,
  createGatewayClient,
  createSqliteLedger,
  type AlipayFetchHandler,
  type AlipayFetchHookRequest,
  type GatewayClient,
  type Ledger,
  type OrderRecord,
} from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { CATALOG, SECRET, listen, startGateway } from './helpers/world.js';

interface HonoWorld {
  sandbox: Sandbox;
  client: GatewayClient;
  ledger: Ledger;
  handler: AlipayFetchHandler;
  base: string;
  paid: OrderRecord[];
  logs: string[];
  /** What resolveOrder saw of the request. */
  seen: AlipayFetchHookRequest[];
  close(): Promise<void>;
}

async function startHonoWorld(): Promise<HonoWorld> {
  const { sandbox, client, ledger, now, close: closeGateway } = await startGateway();
  const app = new Hono();
  const shop = createAdaptorServer({ fetch: app.fetch });
  const base = await listen(shop as Server);
  const w: HonoWorld = {
    sandbox,
    client,
    ledger,
    handler: undefined as unknown as AlipayFetchHandler,
    base,
    paid: [],
    logs: [],
    seen: [],
    close: async () => {},
  };
  w.handler = alipayFetchHandler({
    client,
    ledger,
    tokenSecret: SECRET,
    // basePath defaults to /api/alipay, from notifyUrl
    notifyUrl: `${base}/api/alipay/notify`,
    returnUrl: `${base}/api/alipay/return`,
    returnPage: '/thanks',
    resolveOrder: (req) => {
      w.seen.push(req);
      const item = CATALOG[(req.body as { order?: { sku?: string } }).order?.sku ?? ''];
      if (!item) throw Object.assign(new Error('no such sku'), { status: 404 });
      return { ...item };
    },
    authorize: (req) => (req.headers.get('x-admin') === 'ok' ? true : 401),
    onPaid: (o) => void w.paid.push(o),
    logger: { warn: (m, f) => void w.logs.push(`${m} ${JSON.stringify(f ?? {})}`) },
    now,
  });
  app.get('/', (c) => c.text('shop'));
  app.all('/api/alipay/*', (c) => w.handler(c.req.raw));
  w.close = async () => {
    w.handler.close();
    (shop as Server).closeAllConnections();
    await new Promise((r) => (shop as Server).close(r));
    await closeGateway();
  };
  return w;
}

async function call(
  w: HonoWorld,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const init: RequestInit = {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    redirect: 'manual',
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${w.base}/api/alipay${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const notifyPost = (w: HonoWorld, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${w.base}/api/alipay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  }).then((r) => r.text());

describe('alipayFetchHandler in a Hono app over HTTP, against the sandbox', () => {
  let w: HonoWorld;
  beforeAll(async () => (w = await startHonoWorld()));
  afterAll(() => w.close());

  it('should pay → notify → query → return → refund, onPaid once, with the same JSON contract as the Express router', async () => {
    const c = await call(w, 'POST', '/checkout', { order: { sku: 'tea' } });
    expect(c.status, c.text).toBe(200);
    const checkout = c.json as CheckoutResponse;
    expect(checkout.form.fields).toMatchObject({
      total_fee: '10.00',
      currency: 'USD',
      notify_url: `${w.base}/api/alipay/notify`,
    });
    expect(c.headers.get('cache-control')).toBe('no-store');
    // resolveOrder got the parsed body, the path below the base, and the Fetch request itself
    expect(w.seen.at(-1)).toMatchObject({ method: 'POST', path: '/checkout', body: { order: { sku: 'tea' } } });
    expect(w.seen.at(-1)!.request).toBeInstanceOf(Request);
    const auth = { authorization: `Bearer ${checkout.orderToken}` };
    expect((await call(w, 'GET', `/orders/${checkout.outTradeNo}`, undefined, auth)).json).toEqual({
      outTradeNo: checkout.outTradeNo,
      status: 'pending',
      amount: '10.00',
      currency: 'USD',
      subject: 'Green tea',
      rmb: false,
    } satisfies PublicOrder);

    const sim = await w.sandbox.control.simulatePayment(checkout.url);
    expect(sim.errorCode).toBeUndefined();
    // §3.8: GET /return redirects to returnPage on this origin
    const ret = await fetch(sim.returnUrl!, { redirect: 'manual' });
    expect([ret.status, ret.headers.get('location')]).toEqual([303, `/thanks?out_trade_no=${checkout.outTradeNo}`]);
    await w.sandbox.control.flushNotifications();
    expect(w.paid.map((o) => o.out_trade_no)).toEqual([checkout.outTradeNo]);
    expect(await w.ledger.getOrder(checkout.outTradeNo)).toMatchObject({ status: 'paid', trade_no: sim.tradeNo });
    expect((await call(w, 'GET', `/orders/${checkout.outTradeNo}`, undefined, auth)).json.status).toBe('paid');
    const query = sim.returnUrl!.slice(sim.returnUrl!.indexOf('?') + 1);
    expect((await call(w, 'POST', '/return', { query, orderToken: checkout.orderToken })).json).toEqual({
      outTradeNo: checkout.outTradeNo,
      status: 'paid',
      verified: true,
    });
    expect((await w.ledger.listNotifications({ out_trade_no: checkout.outTradeNo })).map((n) => n.outcome)).toEqual([
      'applied',
    ]);

    // refunds: admin route behind authorize, then the controls' ledger-aware refund
    expect((await call(w, 'POST', '/refunds', { outTradeNo: checkout.outTradeNo, amount: '4.00' })).status).toBe(401);
    const r1 = await call(
      w,
      'POST',
      '/refunds',
      { outTradeNo: checkout.outTradeNo, amount: '4.00', reason: 'chipped cup' },
      { 'x-admin': 'ok' },
    );
    expect(r1.status, r1.text).toBe(202);
    expect(r1.json).toMatchObject({
      outTradeNo: checkout.outTradeNo,
      status: 'accepted',
      amount: '4.00',
      currency: 'USD',
    } satisfies Partial<RefundResponse>);
    await w.sandbox.control.flushNotifications();
    expect((await call(w, 'GET', `/orders/${checkout.outTradeNo}`, undefined, auth)).json.status).toBe(
      'partially_refunded',
    );
    const r2 = await w.handler.refund({ outTradeNo: checkout.outTradeNo });
    expect(r2).toMatchObject({ amount: '6.00', currency: 'USD', sent: true, refund: { status: 'accepted' } });
    await w.sandbox.control.flushNotifications();
    expect((await call(w, 'GET', `/orders/${checkout.outTradeNo}`, undefined, auth)).json.status).toBe('refunded');
    expect((await w.ledger.listRefunds(checkout.outTradeNo)).map((r) => [r.amount_minor, r.status])).toEqual([
      [400, 'succeeded'],
      [600, 'succeeded'],
    ]);
    // the gateway agrees with the ledger
    expect(await w.client.query({ out_trade_no: checkout.outTradeNo })).toMatchObject({
      trade_no: sim.tradeNo,
      total_fee: '10.00',
    });
    // and syncOrder is there too
    expect((await w.handler.syncOrder(checkout.outTradeNo)).outcome).toBe('not_pending');
  });

  it('should answer malformed input with 400 ERR_INVALID_PARAMS, never 500', async () => {
    const c = (await call(w, 'POST', '/checkout', { order: { sku: 'tea' } })).json as CheckoutResponse;
    const auth = { authorization: `Bearer ${c.orderToken}` };
    for (const path of [
      '/orders/%ZZ',
      '/orders/%E0%A4%A',
      `/orders/${'A'.repeat(65)}`,
      `/orders/${'A'.repeat(5000)}`,
      '/orders/a%20b',
    ]) {
      const r = await call(w, 'GET', path, undefined, auth);
      expect([r.status, (r.json as ErrorResponse).error.code], path).toEqual([400, 'ERR_INVALID_PARAMS']);
    }
    expect((await call(w, 'POST', '/checkout', '{')).status).toBe(400);
    expect((await call(w, 'POST', '/checkout', JSON.stringify({ order: 'x'.repeat(40_000) }))).status).toBe(413);
    const badRefund = await call(w, 'POST', '/refunds', { outTradeNo: 'x'.repeat(65) }, { 'x-admin': 'ok' });
    expect([badRefund.status, badRefund.json.error.code]).toEqual([400, 'ERR_INVALID_PARAMS']);
    // a bad return query is an unverified return, redirected home, not an error
    expect((await call(w, 'GET', '/return?out_trade_no=%ZZ&sign=%')).status).toBe(303);
    // not a route of ours
    expect((await call(w, 'GET', '/checkout')).status).toBe(404);
    expect((await fetch(`${w.base}/`)).status).toBe(200);
  });

  it('should keep the raw-body rule for /notify: over 64 KiB, compressed or empty is answered fail and changes nothing', async () => {
    const c = (await call(w, 'POST', '/checkout', { order: { sku: 'tea' } })).json as CheckoutResponse;
    const p = {
      notify_id: 'n'.repeat(34),
      notify_type: 'trade_status_sync',
      notify_time: '2026-11-25 12:00:00',
      trade_no: '2026112522001300000000000001',
      trade_status: 'TRADE_FINISHED',
      out_trade_no: c.outTradeNo,
      total_fee: '10.00',
      currency: 'USD',
    };
    const genuine = encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
    expect(await notifyPost(w, genuine + '&pad=' + 'x'.repeat(70_000))).toBe('fail');
    expect(await notifyPost(w, new Uint8Array(gzipSync(genuine)), { 'content-encoding': 'gzip' })).toBe('fail');
    expect(await notifyPost(w, '')).toBe('fail');
    expect(w.logs.filter((l) => l.includes('answered fail: ERR_NOTIFICATION_INVALID'))).toHaveLength(3);
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
    expect((await w.ledger.listRejections()).recent.length).toBeGreaterThanOrEqual(3);
  });
});

describe('a Request whose body was read before the handler got it', () => {
  it('should answer fail with ERR_CONFIG and log one error line saying to pass the untouched Request', async () => {
    const client = createGatewayClient({
      gateway: 'http://127.0.0.1:9/gateway.do',
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
    });
    const dir = mkdtempSync(join(tmpdir(), 'ak-hono-read-'));
    const ledger = createSqliteLedger({ file: join(dir, 'l.db') });
    const errors: string[] = [];
    const warnings: string[] = [];
    const handler = alipayFetchHandler({
      client,
      ledger,
      tokenSecret: SECRET,
      notifyUrl: 'https://shop.example/api/alipay/notify',
      returnUrl: 'https://shop.example/r',
      notifyVerify: false,
      resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
      logger: { warn: (m) => void warnings.push(m), error: (m) => void errors.push(m) },
    });
    const app = new Hono();
    // a logging middleware that reads the raw body first
    app.use('*', async (c, next) => {
      await c.req.raw.clone().text(); // a clone leaves the original readable
      if (c.req.header('x-read-original')) await c.req.raw.text();
      await next();
    });
    app.all('/api/alipay/*', (c) => handler(c.req.raw));
    try {
      const post = (headers: Record<string, string>) =>
        app.request('https://shop.example/api/alipay/notify', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: 'a=b',
        });
      expect(await (await post({})).text()).toBe('fail'); // read fine, then refused as unsigned
      expect(errors).toEqual([]);
      expect(await (await post({ 'x-read-original': '1' })).text()).toBe('fail');
      expect(await (await post({ 'x-read-original': '1' })).text()).toBe('fail');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/already read before alipayFetchHandler.*Fix: hand the handler the untouched Request/);
      expect(
        warnings.filter((m) =>
          m.startsWith('alipay notify answered fail: ERR_CONFIG: the notification body was already read'),
        ),
      ).toHaveLength(2);
    } finally {
      handler.close();
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('alipayFetchHandler options', () => {
  const client = createGatewayClient({
    gateway: 'http://127.0.0.1:9/gateway.do',
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ak-hono-opt-'));
  const ledger = createSqliteLedger({ file: join(dir, 'l.db') });
  afterAll(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = {
    client,
    ledger,
    tokenSecret: SECRET,
    returnUrl: 'https://shop.example/r',
    resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
  };

  it('should need basePath when notifyUrl does not end in /notify, and route under an explicit one', async () => {
    expect(() => alipayFetchHandler({ ...base, notifyUrl: 'https://shop.example/hooks/alipay' })).toThrow(
      /basePath is required/,
    );
    expect(() => alipayFetchHandler({ ...base, notifyUrl: 'https://shop.example/n', basePath: 'pay/' })).toThrow(
      /basePath must be a path/,
    );
    const h = alipayFetchHandler({ ...base, notifyUrl: 'https://shop.example/hooks/alipay', basePath: '/pay' });
    try {
      const r = await h(new Request('https://shop.example/pay/orders/%ZZ'));
      expect(r.status).toBe(400);
      expect((await h(new Request('https://shop.example/other/checkout', { method: 'POST' }))).status).toBe(404);
    } finally {
      h.close();
    }
  });
});
