/**
 * The demo's payment side, built from `@alipay-kit/server-kit`: gateway client, ledger (SQLite
 * by default, or whatever `ALIPAY_LEDGER_URL` names), `alipayRouter` (checkout, notify, return,
 * order status) and the admin operations (gateway sync, refunds, reconciliation, rates). This
 * is the one file that knows the kit's API.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Request } from 'express';
import { alipayRouter, createGatewayClient, createLedgerFromUrl, reconcile, type AuthorizeResult, type GatewayClient, type Ledger, type OrderRecord, type ResolvedOrder, type SyncOrderResult } from '@alipay-kit/server-kit';
import type { Sandbox } from '@alipay-kit/sandbox';
import type { AdminGatewayView, AdminRates, ReconReport } from './admin-types.js';
import { orderDetail, orderSummary, refundView, type OrderMetadata } from './admin-views.js';
import type { ShopBackend } from './backend.js';
import { CartError, fromMinor, priceCart, SUPPLIER_NAME, type PricedCart } from './catalog.js';
import type { RealGatewayConfig } from './config.js';
import { reconReport } from './recon-report.js';

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

export function newOrderNumber(now = new Date()): string {
  // LL-YYMMDD-xxxxxx: readable, sortable by day, unguessable enough for a demo (the order token
  // is what actually protects an order's status, not the number).
  const d = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `LL-${d}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** The priced cart as `trade_information` (protocol §3.3, business_type 4 "goods trade"). */
export function tradeInformation(cart: PricedCart): { business_type: string; goods_info: string; total_quantity: string } {
  return { business_type: '4', goods_info: cart.goodsInfo, total_quantity: String(cart.quantity) };
}

function openLedger(o: AlipayBackendOptions): Ledger {
  // Several shop instances share one PostgreSQL ledger (`postgres://…?schema=name`); one
  // instance is fine with SQLite. An unknown scheme is a TypeError, never a silent local file.
  return createLedgerFromUrl(o.ledgerUrl || join(o.dataDir, 'ledger.sqlite'));
}

const priceOf = (order: OrderRecord) => `${fromMinor(order.total_fee_minor ?? 0, order.currency)} ${order.currency}`;

const newestFirst = (a: { created_at: string }, b: { created_at: string }) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0);

export async function createAlipayBackend(o: AlipayBackendOptions): Promise<ShopBackend> {
  const c = o.credentials;
  const client: GatewayClient = createGatewayClient({
    gateway: c.gateway,
    partner: c.partner,
    signType: c.signType,
    charset: c.charset,
    ...(c.md5Key ? { md5Key: c.md5Key } : {}),
    ...(c.privateKey ? { privateKey: c.privateKey } : {}),
    ...(c.alipayPublicKey ? { alipayPublicKey: c.alipayPublicKey } : {}),
  });
  const ledger = openLedger(o);
  const { log } = o;

  const router = alipayRouter({
    client,
    ledger,
    tokenSecret: o.tokenSecret,
    notifyUrl: `${o.publicUrl}/api/alipay/notify`,
    // The page with <alipay-checkout>: it hands the signed return to POST /return itself.
    returnUrl: `${o.publicUrl}/result`,
    returnPage: '/result',
    // The price comes from the catalog; the browser only says which products and how many.
    resolveOrder(req): ResolvedOrder {
      let cart: PricedCart;
      try {
        cart = priceCart((req.body as { order?: unknown } | undefined)?.order);
      } catch (e) {
        if (e instanceof CartError) throw Object.assign(e, { status: 400 });
        throw e;
      }
      return {
        outTradeNo: newOrderNumber(),
        amount: cart.total,
        currency: cart.currency,
        subject: cart.subject,
        body: `${cart.quantity} item${cart.quantity === 1 ? '' : 's'} from ${SUPPLIER_NAME}`,
        metadata: orderMetadata(cart),
        // Optional §3.2 parameters; the router refuses anything that would touch price or callbacks.
        payment: {
          supplier: SUPPLIER_NAME,
          // The cashier's "Back to the merchant" link: back to checkout, cart intact.
          refer_url: `${o.publicUrl}/checkout`,
          trade_information: tradeInformation(cart),
        },
      };
    },
    authorize: o.authorize,
    // Pending orders older than this are confirmed with single_trade_query when the widget polls.
    activeQueryAfterSeconds: 15,
    // Web payment links stop working after an hour (order_gmt_create + order_valid_time, §3.6);
    // the sweeper then closes the order once the gateway has no trade for it.
    orderValidSeconds: 3600,
    ...(o.sweepIntervalSeconds ? { sweepIntervalSeconds: o.sweepIntervalSeconds } : {}),
    ...(o.now ? { now: o.now } : {}),
    onPaid(order) {
      log(`paid hook ${order.out_trade_no}: ${priceOf(order)}, ready to ship`);
    },
    // A verified payment for an order the shop had already closed (the sweeper gave up on its
    // link, the cashier timed out): the money is real. The admin shows it as "Paid after close"
    // with a one-click full refund; shipping it instead is the merchant's call.
    onLatePayment(order) {
      log(`LATE payment hook ${order.out_trade_no}: ${priceOf(order)} paid after the order was closed (trade ${order.trade_no ?? 'unknown'}); ship it or refund it in full from the admin`);
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

  const gatewayView = (order: OrderRecord, synced: SyncOrderResult): AdminGatewayView | undefined => {
    const t = synced.trade;
    const view: AdminGatewayView = { ...(t?.trade_status ? { trade_status: t.trade_status } : {}), ...(t?.trade_no ? { trade_no: t.trade_no } : {}) };
    if (o.sandbox) {
      // Sandbox only: what the gateway tried to deliver, as its dashboard shows it.
      view.attempts = o.sandbox.control
        .notifications({ partner: client.partner, out_trade_no: order.out_trade_no })
        .flatMap((n) => n.attempts.map((a) => ({ notify_type: n.notify_type, n: a.n, duplicate: a.duplicate, time: a.time, status: a.status, acknowledged: a.acknowledged, body: a.body })));
    }
    return Object.keys(view).length ? view : undefined;
  };

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
      return { total, recent: recent.slice(0, RECENT_REJECTIONS).map((r) => ({ code: r.code, source: r.source, at: r.at })) };
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
      const gateway = gatewayView(order, synced);
      const [history, notifications, refunds] = await Promise.all([ledger.history(no), ledger.listNotifications({ out_trade_no: no }), ledger.listRefunds(no)]);
      return { ...orderDetail(order, { history, notifications, refunds }), ...(gateway ? { gateway } : {}) };
    },

    async reconcile(from: string, to: string): Promise<ReconReport> {
      return reconReport(await reconcile({ client, ledger, startDate: from, endDate: to }), ledger, from, to);
    },

    async rates() {
      if (ratesCache && Date.now() - ratesCache.at < 3_600_000) return ratesCache.value;
      const file = await client.rateFile();
      const value: AdminRates = {
        fetched_at: new Date().toISOString(),
        rates: file.rows.map((r) => ({
          currency: r.currency,
          rate: r.rate,
          updated: `${r.date.slice(0, 4)}-${r.date.slice(4, 6)}-${r.date.slice(6, 8)} ${r.time.slice(0, 2)}:${r.time.slice(2, 4)}`,
        })),
      };
      ratesCache = { at: Date.now(), value };
      return value;
    },

    async close() {
      router.close(); // the sweeper's timer first: nothing may touch the ledger once it is closed
      await ledger.close();
    },
  };
}

/** The priced lines, stored with the order (the router JSON-serialises `metadata`). */
export function orderMetadata(cart: PricedCart): OrderMetadata {
  return { items: cart.lines.map((l) => ({ id: l.product.id, name: l.product.name, qty: l.qty, amount: fromMinor(l.minor, cart.currency) })) };
}
