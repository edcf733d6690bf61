// A sandbox gateway + a merchant Express app with alipayRouter, both on port 0, real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createSandbox, type Sandbox } from '@alipay-kit/sandbox';
import {
  alipayRouter,
  createGatewayClient,
  createSqliteLedger,
  type AlipayRouter,
  type AlipayRouterOptions,
  type GatewayClient,
  type Ledger,
  type OrderRecord,
  type RefundRecord,
} from '../../src/index.js';
import { KEY_A, PARTNER_A } from '../fixtures/keys.js';

export const SECRET = 'test-secret-test-secret-test-secret!';
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0); // 2026-11-25 12:00 Beijing

export const CATALOG: Record<string, { amount: string; currency: string; subject: string; rmb?: boolean }> = {
  tea: { amount: '10.00', currency: 'USD', subject: 'Green tea' },
  jpy: { amount: '300', currency: 'JPY', subject: 'Matcha' },
  rmb: { amount: '1.01', currency: 'JPY', subject: 'CNY-priced', rmb: true },
  cn: { amount: '1.00', currency: 'USD', subject: '测试商品' },
  cny: { amount: '1.00', currency: 'CNY', subject: 'bad' },
  yen: { amount: '3.50', currency: 'JPY', subject: 'bad yen' },
};

export interface World {
  sandbox: Sandbox;
  gatewayUrl: string;
  merchantUrl: string;
  client: GatewayClient;
  ledger: Ledger;
  paid: OrderRecord[];
  refunded: Array<[OrderRecord, RefundRecord]>;
  closed: OrderRecord[];
  /** Orders `onLatePayment` ran for. */
  late: OrderRecord[];
  logs: string[];
  app: express.Express;
  router: AlipayRouter;
  close(): Promise<void>;
}

/** Listens on a free loopback port and answers the server's base URL. */
export function listen(server: Server): Promise<string> {
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** The gateway half of a world: the sandbox over HTTP, an MD5 client on its clock, a real SQLite ledger. */
export interface GatewayWorld {
  sandbox: Sandbox;
  gatewayUrl: string;
  client: GatewayClient;
  ledger: Ledger;
  now: () => Date;
  close(): Promise<void>;
}

/** Starts the sandbox on port 0 (clock at T0), a client for merchant A and a SQLite ledger in a temp folder. */
export async function startGateway(charset: 'utf-8' | 'gbk' = 'utf-8'): Promise<GatewayWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'ak-world-'));
  const sandbox = createSandbox({ merchants: [{ partner: PARTNER_A, md5Key: KEY_A }], now: () => T0 });
  const gwServer = createServer(sandbox.app);
  const gatewayUrl = (await listen(gwServer)) + '/gateway.do';
  const now = () => new Date(sandbox.control.now());
  const client = createGatewayClient({
    gateway: gatewayUrl,
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    charset,
    retry: { limit: 1, backoffMs: 5 },
    timeoutMs: 5000,
    now,
  });
  const ledger = createSqliteLedger({ file: join(dir, 'ledger.db'), now });
  return {
    sandbox,
    gatewayUrl,
    client,
    ledger,
    now,
    async close() {
      await sandbox.close();
      gwServer.closeAllConnections();
      await new Promise((r) => gwServer.close(r));
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startWorld(
  opts: {
    charset?: 'utf-8' | 'gbk';
    router?: Partial<AlipayRouterOptions>;
    wrapLedger?: (l: Ledger) => Ledger;
    beforeRouter?: express.RequestHandler[];
  } = {},
): Promise<World> {
  const { sandbox, gatewayUrl, client, now, ledger: base, close: closeGateway } = await startGateway(opts.charset);
  const ledger = opts.wrapLedger ? opts.wrapLedger(base) : base;
  const app = express();
  const mServer = createServer(app);
  const merchantUrl = await listen(mServer);
  const w: World = {
    sandbox,
    gatewayUrl,
    merchantUrl,
    client,
    ledger,
    paid: [],
    refunded: [],
    closed: [],
    late: [],
    logs: [],
    app,
    router: undefined as unknown as AlipayRouter,
    async close() {
      w.router?.close();
      mServer.closeAllConnections();
      await new Promise((r) => mServer.close(r));
      await closeGateway();
    },
  };
  for (const mw of opts.beforeRouter ?? []) app.use(mw);
  app.use(
    '/alipay',
    (w.router = alipayRouter({
      client,
      ledger,
      tokenSecret: SECRET,
      notifyUrl: `${merchantUrl}/alipay/notify`,
      returnUrl: `${merchantUrl}/alipay/return`,
      returnPage: '/thanks',
      resolveOrder: (req) => {
        const sku = (req.body as { order?: { sku?: string } }).order?.sku ?? '';
        const item = CATALOG[sku];
        if (!item) throw Object.assign(new Error('no such sku'), { status: 404 });
        return { ...item };
      },
      authorize: (req) => (req.get('x-admin') === 'ok' ? true : req.get('x-admin') ? 403 : 401),
      onPaid: (o) => void w.paid.push(o),
      onRefunded: (o, r) => void w.refunded.push([o, r]),
      onClosed: (o) => void w.closed.push(o),
      onLatePayment: (o) => void w.late.push(o),
      logger: { warn: (m, f) => void w.logs.push(m + ' ' + JSON.stringify(f ?? {})) },
      now,
      ...opts.router,
    })),
  );
  return w;
}

export async function post(
  w: World,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const res = await fetch(`${w.merchantUrl}/alipay${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function get(
  w: World,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; location: string | null }> {
  const res = await fetch(`${w.merchantUrl}/alipay${path}`, { headers, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, location: res.headers.get('location') };
}

export async function postNotify(w: World, body: string): Promise<string> {
  const res = await fetch(`${w.merchantUrl}/alipay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return res.text();
}
