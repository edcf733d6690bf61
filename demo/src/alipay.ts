/**
 * The demo's payment side, built from `@alipay-kit/server-kit`: gateway client, ledger (SQLite
 * by default, or whatever `ALIPAY_LEDGER_URL` names), `alipayRouter` (checkout, notify, return,
 * order status) and the admin operations (gateway sync, refunds, reconciliation, rates). This
 * is the one file that knows the kit's API.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Request } from 'express';
import { alipayRouter, createGatewayClient, createLedgerFromUrl, reconcile, type AuthorizeResult, type GatewayClient, type Ledger, type OrderRecord, type ReconcileReport, type ResolvedOrder, type SyncOrderResult } from '@alipay-kit/server-kit';
import type { Sandbox } from '@alipay-kit/sandbox';
import type { AdminGatewayView, AdminOrderDetail, AdminOrderSummary, AdminRates, ReconReport, ReconRow } from './admin-types.js';
import type { ShopBackend } from './backend.js';
import { CartError, fromMinor, priceCart, SUPPLIER_NAME, type PricedCart } from './catalog.js';
import type { RealGatewayConfig } from './config.js';

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

/** The priced cart as `trade_information` (protocol §3.3, business_type 4 "goods trade"). */
export function tradeInformation(cart: PricedCart): { business_type: string; goods_info: string; total_quantity: string } {
  return { business_type: '4', goods_info: cart.goodsInfo, total_quantity: String(cart.quantity) };
}

function openLedger(o: AlipayBackendOptions): Ledger {
  // Several shop instances share one PostgreSQL ledger (`postgres://…?schema=name`); one
  // instance is fine with SQLite. An unknown scheme is a TypeError, never a silent local file.
  return createLedgerFromUrl(o.ledgerUrl || join(o.dataDir, 'ledger.sqlite'));
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
    onPaid(order) {
      log(`paid hook ${order.out_trade_no}: ${fromMinor(order.total_fee_minor ?? 0, order.currency)} ${order.currency}, ready to ship`);
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
      return all.map(summary).sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
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
      await ledger.close();
    },
  };
}

/** The priced lines, stored with the order (the router JSON-serialises `metadata`). */
export function orderMetadata(cart: PricedCart): OrderMetadata {
  return { items: cart.lines.map((l) => ({ id: l.product.id, name: l.product.name, qty: l.qty, amount: fromMinor(l.minor, cart.currency) })) };
}

/** server-kit's {@link ReconcileReport} → the admin's table: one row per file row or ledger entry. */
async function reconReport(r: ReconcileReport, ledger: Ledger, from: string, to: string): Promise<ReconReport> {
  const rows: ReconRow[] = [];
  const totals = new Map<string, { p: number; r: number }>();
  const add = (currency: string, kind: 'p' | 'r', minor: number) => {
    const t = totals.get(currency) ?? { p: 0, r: 0 };
    t[kind] += minor;
    totals.set(currency, t);
  };
  for (const id of r.matched) {
    const o = await ledger.getOrder(id);
    if (!o) continue;
    const amount = fromMinor(o.total_fee_minor ?? 0, o.currency);
    rows.push({ kind: 'matched', type: 'P', out_trade_no: id, ledger_amount: amount, gateway_amount: amount, currency: o.currency });
    add(o.currency, 'p', o.total_fee_minor ?? 0);
  }
  for (const id of r.refunds.matched) {
    const f = await ledger.getRefund(id);
    if (!f) continue;
    const amount = fromMinor(f.amount_minor, f.currency);
    rows.push({ kind: 'matched', type: 'R', out_trade_no: f.out_trade_no, out_return_no: id, ledger_amount: amount, gateway_amount: amount, currency: f.currency });
    add(f.currency, 'r', f.amount_minor);
  }
  for (const m of r.mismatches) {
    rows.push({ kind: `${m.field}_mismatch`, type: m.type, ...(m.type === 'P' ? { out_trade_no: m.partner_transaction_id } : { out_return_no: m.partner_transaction_id }), note: `file ${m.file}, ledger ${m.ledger}` });
  }
  for (const row of [...r.missingInLedger, ...r.refunds.missingInLedger]) {
    rows.push({ kind: 'missing_in_ledger', type: row.type, ...(row.type === 'R' ? { out_return_no: row.partner_transaction_id } : { out_trade_no: row.partner_transaction_id }), gateway_amount: row.amount, currency: row.currency, note: 'in the gateway file, not in the ledger' });
  }
  for (const o of r.missingInFile) {
    rows.push({ kind: 'missing_in_gateway', type: 'P', out_trade_no: o.out_trade_no, ledger_amount: fromMinor(o.total_fee_minor ?? 0, o.currency), currency: o.currency, note: 'paid in the ledger, absent from the file' });
  }
  for (const f of r.refunds.missingInFile) {
    rows.push({ kind: 'missing_in_gateway', type: 'R', out_trade_no: f.out_trade_no, out_return_no: f.out_return_no, ledger_amount: fromMinor(f.amount_minor, f.currency), currency: f.currency, note: 'refunded in the ledger, absent from the file' });
  }
  const matched = rows.filter((x) => x.kind === 'matched').length;
  return {
    from,
    to,
    generated_at: new Date().toISOString(),
    matched,
    differences: rows.length - matched,
    totals: [...totals].map(([currency, t]) => ({ currency, payments: fromMinor(t.p, currency), refunds: fromMinor(t.r, currency), net: t.p - t.r >= 0 ? fromMinor(t.p - t.r, currency) : `-${fromMinor(t.r - t.p, currency)}` })),
    rows,
  };
}
