// alipayRouter is a plain `(req, res, next)` middleware: it runs under node:http with no Express at
// all (req.url relative to where it is mounted), and Express is only one way to mount it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayRouter, createGatewayClient, createSqliteLedger, type AlipayRouter, type Ledger } from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { SECRET } from './helpers/world.js';

describe('alipayRouter under plain node:http', () => {
  let server: Server;
  let base: string;
  let router: AlipayRouter;
  let ledger: Ledger;
  let dir: string;
  const seen: Array<{ method: string; path: string; body: unknown; admin: string | undefined }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ak-plain-'));
    ledger = createSqliteLedger({ file: join(dir, 'l.db') });
    // Checkout and order status never call the gateway: an unreachable one is enough.
    const client = createGatewayClient({
      gateway: 'http://127.0.0.1:9/gateway.do',
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
    });
    router = alipayRouter({
      client,
      ledger,
      tokenSecret: SECRET,
      notifyUrl: 'https://shop.example/notify',
      returnUrl: 'https://shop.example/return',
      resolveOrder: (req) => {
        seen.push({ method: req.method, path: req.path, body: req.body, admin: req.get('x-admin') });
        return { amount: '2.00', currency: 'USD', subject: 'Plain tea' };
      },
    });
    server = createServer((req, res) =>
      router(req, res, (err) => {
        res.statusCode = err ? 500 : 404;
        res.end('not ours');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    router.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve checkout and order status, give the hooks get() and path, and fall through elsewhere', async () => {
    const c = await fetch(`${base}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin': 'no' },
      body: JSON.stringify({ order: { sku: 'tea' } }),
    });
    expect(c.status).toBe(200);
    expect(c.headers.get('content-length')).toBe(String((await c.clone().arrayBuffer()).byteLength));
    const { outTradeNo, orderToken } = (await c.json()) as { outTradeNo: string; orderToken: string };
    expect(seen).toEqual([{ method: 'POST', path: '/checkout', body: { order: { sku: 'tea' } }, admin: 'no' }]);
    const o = await fetch(`${base}/orders/${outTradeNo}`, { headers: { authorization: `Bearer ${orderToken}` } });
    expect(await o.json()).toMatchObject({ outTradeNo, status: 'pending', amount: '2.00', currency: 'USD' });
    expect((await fetch(`${base}/orders/%ZZ`)).status).toBe(400);
    const other = await fetch(`${base}/somewhere`);
    expect([other.status, await other.text()]).toEqual([404, 'not ours']);
  });
});
