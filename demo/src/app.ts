/**
 * `createDemo(options)`: the storefront + admin as an Express app, with the Alipay sandbox
 * embedded as the gateway unless real credentials are given. No `listen` here (style.md §13):
 * `start.ts` binds the ports, tests use port 0.
 */
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createSandbox, type Sandbox } from '@alipay-kit/sandbox';
import { CSRF_HEADER, createAdminAuth } from './admin-auth.js';
import { adminLoginRouter } from './admin-login.js';
import type { AdminInfo } from './admin-types.js';
import { adminRouter, sendJsonError } from './admin.js';
import { createAlipayBackend } from './alipay.js';
import type { ShopBackend } from './backend.js';
import { SHOP_CURRENCIES, SHOP_NAME, SUPPLIER_NAME } from './catalog.js';
import type { TrustProxySetting } from './client-address.js';
import { DEFAULT_SWEEP_INTERVAL_SECONDS, DEMO_PARTNER, type RealGatewayConfig, type SignType } from './config.js';
import { persistentKeyPair, sandboxMerchantKeys } from './keys.js';
import { sameOriginAdminWrites, securityHeaders } from './security.js';
import { notFoundPage, WEB_DIST, webRouter } from './web.js';

export interface DemoSandboxOptions {
  /** Absolute base URL the browser reaches the sandbox at (cashier links, dashboard). */
  publicBaseUrl: string;
  /** Sign type the demo merchant uses against the sandbox. Default RSA2. */
  signType?: SignType;
  /** Notification schedule and trade timeouts divided by this. Default 60 (minutes → seconds). */
  timeScale?: number;
  /** SQLite file for the sandbox's state. Default `<dataDir>/sandbox.sqlite`; `':memory:'` in tests. */
  dataFile?: string;
  /** Injectable clock for the sandbox. */
  now?: () => number;
}

export interface DemoOptions {
  /** Public base URL of the storefront, e.g. `http://127.0.0.1:3000` (notify_url and return_url). */
  publicUrl: string;
  /** Ledger, sandbox state and generated keys. */
  dataDir: string;
  adminPassword: string;
  /** Show the "password was printed in the terminal" hint on the login page. */
  adminPasswordGenerated?: boolean;
  /** HS256 secret of the order tokens (≥ 32 characters). */
  tokenSecret: string;
  /** Unset: SQLite ledger in `dataDir`. */
  ledgerUrl?: string;
  /** Real gateway (production, Alipay's sandbox, or any gateway.do). Exclusive with `sandbox`. */
  gateway?: RealGatewayConfig;
  /** Embed `@alipay-kit/sandbox` as the gateway. Exclusive with `gateway`. */
  sandbox?: DemoSandboxOptions;
  /**
   * The router's sweeper interval in seconds (abandoned orders closed, open refunds resolved).
   * Default {@link DEFAULT_SWEEP_INTERVAL_SECONDS}; 0 turns it off.
   */
  sweepIntervalSeconds?: number;
  /** Express `trust proxy`: default `false` (clients connect directly; `X-Forwarded-For` ignored). */
  trustProxy?: TrustProxySetting;
  /** Clock (ms) of admin sessions (idle and absolute timeouts) and the login throttle. Tests move it. */
  adminClock?: () => number;
  /** The payment router's clock (order tokens, payment-link windows, the sweeper's ages). Tests move it. */
  now?: () => Date;
  /** Built front end. Default demo/dist/web. */
  webDir?: string;
  /** One line per event; never receives keys or signatures. Default: console.log with a prefix. */
  log?: (line: string) => void;
}

export interface Demo {
  /** The storefront + admin + `/api/alipay` router. */
  app: Express;
  /** The embedded sandbox (mount `sandbox.app` on its own port), when there is one. */
  sandbox?: Sandbox;
  backend: ShopBackend;
  /** What the demo talks to. */
  gateway: { mode: 'sandbox' | 'live'; url: string; partner: string; signType: SignType };
  close(): Promise<void>;
}

/**
 * Build the demo.
 *
 * @example
 * ```ts
 * const demo = await createDemo({ publicUrl, dataDir, adminPassword, tokenSecret, sandbox: { publicBaseUrl } })
 * shopServer.on('request', demo.app); sandboxServer.on('request', demo.sandbox!.app)
 * ```
 */
export async function createDemo(options: DemoOptions): Promise<Demo> {
  if (!options || typeof options !== 'object') throw new TypeError('createDemo: options must be an object');
  if (typeof options.publicUrl !== 'string' || !/^https?:\/\/[^/]+$/.test(options.publicUrl.replace(/\/+$/, '')))
    throw new TypeError('createDemo: publicUrl must be an origin like http://127.0.0.1:3000');
  if (!options.dataDir) throw new TypeError('createDemo: dataDir is required');
  if (!options.adminPassword) throw new TypeError('createDemo: adminPassword is required');
  if (typeof options.tokenSecret !== 'string' || options.tokenSecret.length < 32)
    throw new TypeError('createDemo: tokenSecret must be at least 32 characters');
  if (!!options.gateway === !!options.sandbox)
    throw new TypeError('createDemo: give exactly one of gateway and sandbox');
  const log = options.log ?? ((line: string) => console.log(`[demo] ${line}`));
  const publicUrl = options.publicUrl.replace(/\/+$/, '');

  let sandbox: Sandbox | undefined;
  let credentials: RealGatewayConfig;
  let sandboxDashboard: string | undefined;
  if (options.sandbox) {
    const sb = options.sandbox;
    const base = sb.publicBaseUrl.replace(/\/+$/, '');
    const signType = sb.signType ?? 'RSA2';
    // Only the key of the configured sign type is registered (no MD5 key for an RSA2 merchant).
    const merchantKeys = sandboxMerchantKeys(options.dataDir, signType);
    const sandboxKeys = persistentKeyPair(options.dataDir, 'sandbox-rsa');
    sandbox = createSandbox({
      merchants: [
        { partner: DEMO_PARTNER, ...merchantKeys.registration, name: SUPPLIER_NAME, currencies: [...SHOP_CURRENCIES] },
      ],
      dataFile: sb.dataFile ?? join(options.dataDir, 'sandbox.sqlite'),
      timeScale: sb.timeScale ?? 60,
      keyPair: sandboxKeys,
      publicBaseUrl: base,
      ...(sb.now ? { now: sb.now } : {}),
      logger: (line) => log(`sandbox: ${line}`),
    });
    credentials = {
      gateway: `${base}/gateway.do`,
      partner: DEMO_PARTNER,
      signType,
      charset: 'UTF-8',
      ...merchantKeys.signing,
      ...(signType === 'MD5' ? {} : { alipayPublicKey: sandbox.control.publicKey }),
    };
    sandboxDashboard = `${base}/`;
  } else {
    credentials = options.gateway!;
  }

  const auth = createAdminAuth({
    password: options.adminPassword,
    secret: options.tokenSecret,
    ...(options.adminClock ? { now: options.adminClock } : {}),
  });
  const sweepIntervalSeconds = options.sweepIntervalSeconds ?? DEFAULT_SWEEP_INTERVAL_SECONDS;
  const backend = await createAlipayBackend({
    credentials,
    publicUrl,
    dataDir: options.dataDir,
    tokenSecret: options.tokenSecret,
    ledgerUrl: options.ledgerUrl,
    sandbox,
    // The router's POST /refunds and /reconcile: an admin session plus the CSRF header.
    authorize: (req) => (!auth.isAdmin(req) ? 401 : req.get(CSRF_HEADER) === '1' ? true : 403),
    sweepIntervalSeconds,
    ...(options.now ? { now: options.now } : {}),
    log,
  });

  const info: AdminInfo = {
    mode: sandbox ? 'sandbox' : 'live',
    sweepIntervalSeconds,
    shop: SHOP_NAME,
    partner: credentials.partner,
    signType: credentials.signType,
    gateway: credentials.gateway,
    ...(sandboxDashboard ? { sandboxDashboard } : {}),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders(new URL(credentials.gateway).origin));
  app.use(sameOriginAdminWrites(publicUrl, log));
  app.use(auth.session);

  // Public storefront JSON.
  app.get('/api/info', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      mode: info.mode,
      ...(sandboxDashboard ? { sandboxDashboard } : {}),
      generatedAdminPassword: !!options.adminPasswordGenerated,
    });
  });
  let ratesCache: { at: number; body: { rates: Record<string, string>; fetched_at: string } } | undefined;
  app.get('/api/rates', async (_req, res) => {
    // The gateway allows 100 rate-file downloads a day (§10): cache for an hour.
    if (!ratesCache || Date.now() - ratesCache.at > 3_600_000) {
      const r = await backend.rates();
      ratesCache = {
        at: Date.now(),
        body: { rates: Object.fromEntries(r.rates.map((x) => [x.currency, x.rate])), fetched_at: r.fetched_at },
      };
    }
    res.setHeader('Cache-Control', 'public, max-age=600');
    res.json(ratesCache.body);
  });

  app.use('/api/alipay', backend.router);
  app.use(adminLoginRouter({ auth, log }));
  app.use(adminRouter({ auth, backend, info, log }));
  app.use(webRouter(auth, options.webDir ?? WEB_DIST));

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'ERR_NOT_FOUND', message: 'No such endpoint.' } });
  });
  app.use(notFoundPage(options.webDir ?? WEB_DIST));
  app.use(function demoError(err: unknown, req: Request, res: Response, _next: NextFunction) {
    if (res.headersSent) return;
    if (req.path.startsWith('/api/') || req.path.startsWith('/admin/api/')) return sendJsonError(res, err, log);
    const status = (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .type('text/plain')
        .send(status === 404 ? 'Not found' : 'Bad request');
      return;
    }
    log(`unexpected error on ${req.method} ${req.path}: ${(err as Error)?.message ?? String(err)}`);
    res.status(500).type('text/plain').send('Something went wrong.');
  });

  let closed = false;
  return {
    app,
    ...(sandbox ? { sandbox } : {}),
    backend,
    gateway: {
      mode: info.mode,
      url: credentials.gateway,
      partner: credentials.partner,
      signType: credentials.signType,
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
      await sandbox?.close();
    },
  };
}
