// An in-process world: the sandbox gateway and a merchant Express app with server-kit's
// alipayRouter, both on port 0, a real SQLite ledger file in a temp dir. Every log line (router,
// client, sandbox) goes to a SecretWatch, and every sign sent or received is registered there.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createSandbox, type FaultConfig, type Sandbox, type SandboxOptions } from '@alipay-kit/sandbox';
import {
  alipayRouter,
  createGatewayClient,
  createSqliteLedger,
  type AlipayRouterOptions,
  type GatewayClient,
  type GatewayClientConfig,
  type Ledger,
} from '@alipay-kit/server-kit';
import { SecretWatch } from './secrets.js';

export const KEY_A = '760bdzec6y9goq7ctyx96ezkz78287de';
export const PARTNER_A = '2088101122136241';
/** Protocol §2.7 Key B (another merchant's key, chloerei tests). */
export const KEY_B = '10000000000000000000000000000000';
export const TOKEN_SECRET = 'reliability-secret-reliability-secret!';
/** 2026-11-25 12:00 Beijing. */
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
export const ADMIN = { 'x-admin': 'ok' };

/** How the sandbox's notifications reach the merchant. */
export type Delivery =
  | { mode: 'deliver' }
  /** Not delivered: each body is recorded, and `answer(body, n)` (n = how many times that trade was seen) decides the reply. */
  | { mode: 'capture'; answer?: (body: string, seen: number) => string };

export interface WorldOptions {
  delivery?: Delivery;
  notifyVerify?: boolean;
  signType?: 'MD5' | 'RSA2';
  sandbox?: Partial<SandboxOptions>;
  client?: Partial<GatewayClientConfig>;
  router?: Partial<AlipayRouterOptions>;
  watch?: SecretWatch;
}

export interface World {
  sandbox: Sandbox;
  gatewayUrl: string;
  merchantUrl: string;
  client: GatewayClient;
  ledger: Ledger;
  dbFile: string;
  watch: SecretWatch;
  /** onPaid calls per out_trade_no. */
  paid: Map<string, number>;
  refunded: Map<string, number>;
  /** Notification bodies the sandbox sent (capture mode), with the out_trade_no they concern. */
  captured: Array<{ out_trade_no: string; body: string }>;
  checkout(amount?: string): Promise<{ outTradeNo: string; url: string }>;
  /** Checkout + pay through the sandbox's test buyer. */
  pay(amount?: string): Promise<{ outTradeNo: string; tradeNo: string }>;
  postNotify(body: string): Promise<string>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  setFaults(f: FaultConfig | undefined): void;
  close(): Promise<void>;
}

let cachedKeys: { privateKey: string; publicKey: string } | undefined;
/** "Alipay's" RSA key for the sandbox, 1024-bit (tests only), generated once per file. */
function sandboxKeyPair(): { privateKey: string; publicKey: string } {
  if (!cachedKeys) {
    const kp = generateKeyPairSync('rsa', { modulusLength: 1024 });
    cachedKeys = {
      privateKey: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return cachedKeys;
}

function listen(server: Server): Promise<string> {
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const watch = opts.watch ?? new SecretWatch();
  watch.secret(KEY_A);
  watch.secret(KEY_B);
  const dir = mkdtempSync(join(tmpdir(), 'ak-reliability-'));
  const dbFile = join(dir, 'ledger.db');
  const delivery = opts.delivery ?? { mode: 'deliver' };
  const captured: World['captured'] = [];
  const seen = new Map<string, number>();
  let merchantUrl = '';
  let rsa: { privateKey: string; publicKey: string } | undefined;
  if (opts.signType === 'RSA2') {
    const kp = generateKeyPairSync('rsa', { modulusLength: 1024 });
    rsa = {
      privateKey: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    watch.privateKey(rsa.privateKey);
  }
  const gatewayKeys = sandboxKeyPair();
  watch.privateKey(gatewayKeys.privateKey);
  const sandbox = createSandbox({
    keyPair: gatewayKeys,
    merchants: [{ partner: PARTNER_A, md5Key: KEY_A, ...(rsa ? { rsaPublicKey: rsa.publicKey } : {}) }],
    now: () => T0,
    logger: (line) => watch.line(`sandbox ${line}`),
    fetch: async (url, init) => {
      const body = String(init?.body ?? '');
      watch.signsIn(body);
      if (delivery.mode === 'capture') {
        const out = new URLSearchParams(body).get('out_trade_no') ?? '';
        const n = (seen.get(out) ?? 0) + 1;
        seen.set(out, n);
        captured.push({ out_trade_no: out, body });
        return new Response(delivery.answer ? delivery.answer(body, n) : 'success', { status: 200 });
      }
      const res = await fetch(url, init);
      return res;
    },
    ...opts.sandbox,
  });
  const gwServer = createServer(sandbox.app);
  const gatewayUrl = (await listen(gwServer)) + '/gateway.do';
  const now = () => new Date(sandbox.control.now());
  // Every request and reply of the client passes here so its signs become secrets to look for.
  const spyFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    watch.signsIn(url.slice(url.indexOf('?') + 1));
    if (typeof init?.body === 'string') watch.signsIn(init.body);
    const res = await fetch(input, init);
    const text = await res
      .clone()
      .text()
      .catch(() => '');
    watch.signsIn(text);
    return res;
  };
  const client = createGatewayClient({
    gateway: gatewayUrl,
    partner: PARTNER_A,
    ...(rsa
      ? { signType: 'RSA2', privateKey: rsa.privateKey, alipayPublicKey: sandbox.control.publicKey }
      : { signType: 'MD5', md5Key: KEY_A }),
    retry: { limit: 2, backoffMs: 5, maxBackoffMs: 20 },
    timeoutMs: 2000,
    now,
    fetch: spyFetch,
    logger: watch.logger('client '),
    ...opts.client,
  });
  const ledger = createSqliteLedger({ file: dbFile, now });
  const paid = new Map<string, number>();
  const refunded = new Map<string, number>();
  const app = express();
  const mServer = createServer(app);
  merchantUrl = await listen(mServer);
  app.use(
    '/alipay',
    alipayRouter({
      client,
      ledger,
      tokenSecret: TOKEN_SECRET,
      notifyUrl: `${merchantUrl}/alipay/notify`,
      returnUrl: `${merchantUrl}/alipay/return`,
      resolveOrder: (req) => ({
        amount: (req.body as { amount?: string }).amount ?? '10.00',
        currency: 'USD',
        subject: 'Reliability tea',
      }),
      authorize: (req) => (req.get('x-admin') === 'ok' ? true : 401),
      notifyVerify: opts.notifyVerify ?? true,
      onPaid: (o) => void paid.set(o.out_trade_no, (paid.get(o.out_trade_no) ?? 0) + 1),
      onRefunded: (o) => void refunded.set(o.out_trade_no, (refunded.get(o.out_trade_no) ?? 0) + 1),
      logger: watch.logger('router '),
      now,
      ...opts.router,
    }),
  );

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${merchantUrl}/alipay${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    // Error answers are error messages: scanned. (A 200 /checkout legitimately carries the signed
    // cashier URL for the browser, so successful bodies are not log lines.)
    if (res.status >= 400) watch.line(`http ${path} ${res.status} ${text}`);
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  };
  const w: World = {
    sandbox,
    gatewayUrl,
    merchantUrl,
    client,
    ledger,
    dbFile,
    watch,
    paid,
    refunded,
    captured,
    async checkout(amount = '10.00') {
      const r = await post('/checkout', { amount });
      if (r.status !== 200) throw new Error(`checkout answered ${r.status}: ${JSON.stringify(r.json)}`);
      watch.signsIn(r.json.url.slice(r.json.url.indexOf('?') + 1));
      return { outTradeNo: r.json.outTradeNo as string, url: r.json.url as string };
    },
    async pay(amount) {
      const c = await w.checkout(amount);
      const sim = await sandbox.control.simulatePayment(c.url);
      if (sim.errorCode || !sim.tradeNo) throw new Error(`payment failed: ${sim.errorCode}`);
      if (sim.returnUrl) watch.signsIn(sim.returnUrl.slice(sim.returnUrl.indexOf('?') + 1));
      return { outTradeNo: c.outTradeNo, tradeNo: sim.tradeNo };
    },
    async postNotify(body) {
      const res = await fetch(`${merchantUrl}/alipay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      return res.text();
    },
    post,
    setFaults(f) {
      if (f) sandbox.control.setFaults(undefined, f);
      else sandbox.control.clearFaults();
    },
    async close() {
      await sandbox.close();
      mServer.closeAllConnections();
      gwServer.closeAllConnections();
      await new Promise((r) => mServer.close(r));
      await new Promise((r) => gwServer.close(r));
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return w;
}

/** Run `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** A small seeded PRNG (mulberry32) so shuffles are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
