/**
 * The demo's {@link ShopBackend}: the kit wiring from `payments.ts` (the README's file), the
 * shop's prices and hooks, and the admin's read side (orders, refunds, reconciliation, rates)
 * over the same client and ledger.
 */
import { join } from 'node:path';
import type { Request } from 'express';
import { reconcile, type AuthorizeResult, type OrderRecord } from '@alipay-kit/server-kit';
import { formatBeijingDate, formatRequestAmount } from '@alipay-kit/core';
import type { Sandbox } from '@alipay-kit/sandbox';
import type { AdminRates, ReconReport } from './admin-types.js';
import { gatewayView, orderDetail, orderSummary, ratesView, refundView } from './admin-views.js';
import type { ShopBackend } from './backend.js';
import type { RealGatewayConfig } from './config.js';
import { createPayments } from './payments.js';
import { reconReport } from './recon-report.js';
import { shopOrderResolver } from './shop-orders.js';

export interface AlipayBackendOptions {
  credentials: RealGatewayConfig;
  /** Storefront origin; notify_url = `${publicUrl}/api/alipay/notify`, return_url = `${publicUrl}/result`. */
  publicUrl: string;
  dataDir: string;
  tokenSecret: string;
  /** `postgres://…[?schema=name]`, `sqlite:/path`, `file:` URL or a path; default `<dataDir>/ledger.sqlite`. */
  ledgerUrl?: string;
  /** The embedded sandbox, when there is one: the admin shows its delivery attempts. */
  sandbox?: Sandbox;
  /** Guards the router's admin routes (`POST /refunds`, `POST /reconcile`). */
  authorize: (req: Request) => AuthorizeResult;
  /**
   * Run the router's sweeper this often: abandoned orders are asked about and closed, open
   * refunds (`requested`, `possibly_done`) sent again with the same out_return_no. Unset or 0: off.
   */
  sweepIntervalSeconds?: number;
  /** The router's clock (order tokens, link windows, the sweeper's ages). Default: the system clock. */
  now?: () => Date;
  log: (line: string) => void;
}

/** How many rejected notifications the admin lists (the ledger keeps a ring of 256). */
const RECENT_REJECTIONS = 8;

const priceOf = (order: OrderRecord) =>
  `${formatRequestAmount(order.total_fee_minor ?? 0, order.currency)} ${order.currency}`;

const newestFirst = (a: { created_at: string }, b: { created_at: string }) =>
  a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;

/**
 * Build the demo's payment side.
 *
 * @example const backend = await createAlipayBackend({ credentials, publicUrl, dataDir, tokenSecret, authorize, log: console.log })
 */
export async function createAlipayBackend(o: AlipayBackendOptions): Promise<ShopBackend> {
  const c = o.credentials;
  const { log } = o;
  const { client, ledger, router } = createPayments({
    gateway: {
      gateway: c.gateway,
      partner: c.partner,
      signType: c.signType,
      charset: c.charset,
      ...(c.md5Key ? { md5Key: c.md5Key } : {}),
      ...(c.privateKey ? { privateKey: c.privateKey } : {}),
      ...(c.alipayPublicKey ? { alipayPublicKey: c.alipayPublicKey } : {}),
    },
    // Several shop instances share one PostgreSQL ledger (`postgres://…?schema=name`); one
    // instance is fine with SQLite. An unknown scheme is a TypeError, never a silent local file.
    ledgerUrl: o.ledgerUrl || join(o.dataDir, 'ledger.sqlite'),
    publicUrl: o.publicUrl,
    tokenSecret: o.tokenSecret,
    // The page with <alipay-checkout> hands the signed return to POST /return itself.
    returnPage: '/result',
    // The price comes from the catalog; the browser only says which products and how many.
    resolveOrder: shopOrderResolver(o.publicUrl),
    authorize: o.authorize,
    // Pending orders older than this are confirmed with single_trade_query when the widget polls.
    activeQueryAfterSeconds: 15,
    // payments.ts turns the sweeper on; SWEEP_INTERVAL_SECONDS=0 turns it off here.
    sweepIntervalSeconds: o.sweepIntervalSeconds || undefined,
    ...(o.now ? { now: o.now } : {}),
    onPaid(order) {
      log(`paid hook ${order.out_trade_no}: ${priceOf(order)}, ready to ship`);
    },
    // A verified payment for an order the shop had already closed (the sweeper gave up on its
    // link, the cashier timed out): the money is real. The admin shows it as "Paid after close"
    // with a full refund behind a confirm step; shipping it instead is the merchant's call.
    onLatePayment(order) {
      log(
        `LATE payment hook ${order.out_trade_no}: ${priceOf(order)} paid after the order was closed (trade ${order.trade_no ?? 'unknown'}); ship it or refund it in full from the admin`,
      );
    },
    onRefunded(order, refund) {
      log(`refunded hook ${order.out_trade_no}: ${refund.out_return_no} ${refund.status}`);
    },
    onClosed(order) {
      log(`closed hook ${order.out_trade_no}`);
    },
    // The kit's log lines carry no keys or signatures; fields are ids and codes.
    logger: { warn: (message, fields) => log(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`) },
  });

  let ratesCache: { at: number; value: AdminRates } | undefined;

  return {
    router,

    async orders() {
      const all = await ledger.listOrders();
      return all.map(orderSummary).sort(newestFirst);
    },

    async refunds() {
      return (await ledger.listRefunds()).map(refundView).sort(newestFirst);
    },

    async rejections() {
      const { total, recent } = await ledger.listRejections();
      return {
        total,
        recent: recent.slice(0, RECENT_REJECTIONS).map((r) => ({ code: r.code, source: r.source, at: r.at })),
      };
    },

    async order(no) {
      // Opening an order checks it with the gateway (single_trade_query, sandbox and live mode
      // alike): a trade paid or closed there (timeout, §3.6; no notification is promised for
      // TRADE_CLOSED, §3.9) is applied through the ledger, hooks once. Pending orders only; a
      // gateway that cannot be reached leaves the order as it is.
      if (no === '') return undefined;
      const synced = await router.syncOrder(no);
      const order = synced.order;
      if (!order) return undefined;
      // Sandbox only: what the gateway tried to deliver, as its dashboard shows it.
      const gateway = gatewayView(
        synced,
        o.sandbox?.control.notifications({ partner: client.partner, out_trade_no: order.out_trade_no }),
      );
      const [history, notifications, refunds] = await Promise.all([
        ledger.history(no),
        ledger.listNotifications({ out_trade_no: no }),
        ledger.listRefunds(no),
      ]);
      return { ...orderDetail(order, { history, notifications, refunds }), ...(gateway ? { gateway } : {}) };
    },

    gatewayToday() {
      return formatBeijingDate(o.sandbox ? o.sandbox.control.now() : (o.now?.() ?? new Date()).getTime());
    },

    async reconcile(from: string, to: string): Promise<ReconReport> {
      return reconReport(await reconcile({ client, ledger, startDate: from, endDate: to }), ledger, from, to);
    },

    async rates() {
      if (ratesCache && Date.now() - ratesCache.at < 3_600_000) return ratesCache.value;
      const value = ratesView(await client.rateFile(), new Date());
      ratesCache = { at: Date.now(), value };
      return value;
    },

    async close() {
      router.close(); // the sweeper's timer first: nothing may touch the ledger once it is closed
      await ledger.close();
    },
  };
}
