/**
 * The demo's payment side, built from `@alipay-kit/server-kit`: gateway client, SQLite ledger,
 * `alipayRouter` (checkout, notify, return, order status) and the admin operations (refunds,
 * reconciliation, rates). This is the one file that knows the kit's API.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { createGatewayClient, createSqliteLedger, type GatewayClient, type Ledger, type OrderRecord } from '@alipay-kit/server-kit';
import type { Sandbox } from '@alipay-kit/sandbox';
import type { AdminGatewayView, AdminOrderDetail, AdminOrderSummary, AdminRates, ReconReport } from './admin-types.js';
import { DemoError, type RefundRequest, type ShopBackend } from './backend.js';
import { fromMinor, toMinor, type PricedCart } from './catalog.js';
import type { RealGatewayConfig } from './config.js';

export interface AlipayBackendOptions {
  credentials: RealGatewayConfig;
  /** Storefront origin; notify_url = `${publicUrl}/api/alipay/notify`, return_url = `${publicUrl}/result`. */
  publicUrl: string;
  dataDir: string;
  tokenSecret: string;
  ledgerUrl?: string;
  /** The embedded sandbox, when there is one: the admin shows its delivery attempts. */
  sandbox?: Sandbox;
  log: (line: string) => void;
}

/** What the demo stores in the order's `metadata`: the priced lines, for the admin. */
interface OrderMetadata {
  items: { id: string; name: string; qty: number; amount: string }[];
}

export function newOrderNumber(now = new Date()): string {
  // LL-YYMMDD-xxxxxx: readable, sortable by day, unguessable enough for a demo (the order token
  // is what actually protects an order's status, not the number).
  const d = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `LL-${d}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

function openLedger(o: AlipayBackendOptions): Ledger {
  if (o.ledgerUrl && /^postgres(ql)?:/i.test(o.ledgerUrl)) {
    throw new Error('ALIPAY_LEDGER_URL=postgres://… needs the PostgreSQL ledger, which this version of @alipay-kit/server-kit does not ship yet; unset it to use SQLite.');
  }
  const file = o.ledgerUrl ? o.ledgerUrl.replace(/^sqlite:(\/\/)?/i, '') : join(o.dataDir, 'ledger.sqlite');
  return createSqliteLedger({ file });
}

const amountOf = (minor: number | null, currency: string) => (minor === null ? '0' : fromMinor(minor, currency));

function summary(o: OrderRecord): AdminOrderSummary {
  return {
    out_trade_no: o.out_trade_no,
    ...(o.trade_no ? { trade_no: o.trade_no } : {}),
    status: o.status,
    currency: o.currency,
    total_fee: amountOf(o.total_fee_minor, o.currency),
    refunded_fee: amountOf(o.refunded_minor, o.currency),
    subject: o.subject,
    created_at: o.created_at,
    updated_at: o.updated_at,
  };
}

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
  const router: Router = express.Router();
  router.use((_req, res) => {
    res.status(503).json({ error: { code: 'ERR_NOT_READY', message: 'The payment router is not wired yet.' } });
  });

  let ratesCache: { at: number; value: AdminRates } | undefined;

  const gatewayView = async (order: OrderRecord): Promise<AdminGatewayView | undefined> => {
    if (o.sandbox) {
      const c = o.sandbox.control;
      const trade = c.trades(client.partner).find((t) => t.out_trade_no === order.out_trade_no);
      const attempts = c
        .notifications({ partner: client.partner, out_trade_no: order.out_trade_no })
        .flatMap((n) => n.attempts.map((a) => ({ notify_type: n.notify_type, n: a.n, duplicate: a.duplicate, time: a.time, status: a.status, acknowledged: a.acknowledged, body: a.body })));
      return { ...(trade ? { trade_status: trade.trade_status, trade_no: trade.trade_no } : {}), attempts };
    }
    if (order.status !== 'created') return undefined;
    try {
      const t = await client.query({ out_trade_no: order.out_trade_no });
      return { trade_status: t.trade_status, trade_no: t.trade_no };
    } catch {
      return undefined; // TRADE_NOT_EXIST until the buyer logs in (§3.1), or the gateway is down.
    }
  };

  return {
    router,

    async orders() {
      const all = await ledger.listOrders();
      return all.map(summary).sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    },

    async order(no) {
      const order = await ledger.getOrder(no);
      if (!order) return undefined;
      const [history, notifications, refunds, gateway] = await Promise.all([ledger.history(no), ledger.listNotifications({ out_trade_no: no }), ledger.listRefunds(no), gatewayView(order)]);
      let items: AdminOrderDetail['items'] = [];
      try {
        items = (JSON.parse(order.metadata ?? 'null') as OrderMetadata | null)?.items ?? [];
      } catch {
        /* metadata from another tool: show the subject instead */
      }
      const total = order.total_fee_minor ?? 0;
      // Refunds not yet final still count against what can be refunded.
      const inFlight = refunds.filter((r) => r.status === 'requested' || r.status === 'accepted' || r.status === 'possibly_done').reduce((s, r) => s + r.amount_minor, 0);
      const refundable = order.status === 'paid' || order.status === 'partially_refunded' ? Math.max(0, total - order.refunded_minor - inFlight) : 0;
      return {
        ...summary(order),
        items,
        refundable: fromMinor(refundable, order.currency),
        history: history.map((h) => ({ at: h.at, ...(h.from ? { from: h.from } : {}), to: h.to, source: h.source })),
        notifications: notifications.map((n) => ({
          received_at: n.received_at,
          notify_type: n.notify_type ?? 'unknown',
          ...(n.notify_id ? { notify_id: n.notify_id } : {}),
          ...(n.status ? { status: n.status } : {}),
          ...(n.out_return_no ? { out_return_no: n.out_return_no } : {}),
          outcome: n.outcome,
        })),
        refunds: refunds.map((r) => ({
          out_return_no: r.out_return_no,
          amount: fromMinor(r.amount_minor, r.currency),
          currency: r.currency,
          status: r.status,
          ...(r.reason ? { reason: r.reason } : {}),
          created_at: r.created_at,
          updated_at: r.updated_at,
          ...(r.error_code ? { error: r.error_code } : {}),
        })),
        ...(gateway ? { gateway } : {}),
      };
    },

    async refund(req: RefundRequest) {
      void req;
      throw new DemoError(503, 'ERR_NOT_READY', 'Refunds are not wired yet.');
    },

    async reconcile(from: string, to: string): Promise<ReconReport> {
      void from;
      void to;
      throw new DemoError(503, 'ERR_NOT_READY', 'Reconciliation is not wired yet.');
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
      await ledger.close();
    },
  };
}

/** @internal exported for tests of the catalog → order mapping. */
export function orderMetadata(cart: PricedCart): string {
  const meta: OrderMetadata = { items: cart.lines.map((l) => ({ id: l.product.id, name: l.product.name, qty: l.qty, amount: fromMinor(l.minor, cart.currency) })) };
  return JSON.stringify(meta);
}
void toMinor;
