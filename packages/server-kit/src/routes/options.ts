// Router options and their startup validation (TypeError naming the option).
import type { GatewayClient } from '../client/create-gateway-client.js';
import { _missingLedgerMethods } from '../ledger/conformance.js';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import type { Logger } from '../lib/logger.js';

/** The authoritative order the merchant's `resolveOrder` hook returns. The browser never sets the price. */
export interface ResolvedOrder {
  /** Decimal string in `currency` (or in CNY when `rmb` is true). Give this or `amountMinor`. */
  amount?: string;
  /** Integer minor units (cents, yen; CNY fen when `rmb`). */
  amountMinor?: number;
  currency: string;
  subject: string;
  body?: string;
  /** Your own order id; generated when absent. */
  outTradeNo?: string;
  /** Price in CNY (`rmb_fee`), settled in `currency` (§3.5). */
  rmb?: boolean;
  /** Stored with the order (JSON-serialisable). */
  metadata?: unknown;
  /**
   * Optional `create_forex_trade(_wap)` parameters (§3.2) the merchant sets, sent and signed
   * with the payment. Only the keys of {@link ResolvedPaymentParams} are accepted: price,
   * currency, ids, callback URLs and signing fields stay with the router, and any other key
   * makes the checkout fail with `ERR_INVALID_PARAMS` (400) naming it. Values are checked by
   * core's `validateCreateForexTrade` / `validateCreateForexTradeWap`, like the client does.
   */
  payment?: ResolvedPaymentParams;
}

/**
 * The optional §3.2 payment parameters a resolved order may carry ({@link ResolvedOrder.payment}).
 * Spelled as on the wire. Variant-specific keys are sent for their variant only and ignored for
 * the other one (§3.1): `app_pay` is wap only; `order_gmt_create` / `order_valid_time` are web only.
 *
 * @example
 * ```ts
 * resolveOrder: async (req) => ({
 *   amount: cart.total, currency: 'USD', subject: cart.subject,
 *   payment: {
 *     refer_url: 'https://shop.example/checkout',
 *     supplier: 'Lantern and Leaf',
 *     trade_information: { business_type: '4', goods_info: 'Oolong^2|Kettle^1', total_quantity: '3' },
 *     timeout_rule: '30m',
 *   },
 * })
 * ```
 */
export interface ResolvedPaymentParams {
  /** The (secondary) merchant's website; the cashier's "back to the merchant" link. */
  refer_url?: string;
  /** Seller name shown on the cashier. */
  supplier?: string;
  /** §3.3 industry/goods information: a JSON object, or its JSON text (signed exactly as given). */
  trade_information?: string | Record<string, unknown>;
  /** Buyer login → payment window (§3.6). Values other than `12h` must be enabled by Alipay. */
  timeout_rule?: '5m' | '10m' | '15m' | '30m' | '1h' | '2h' | '3h' | '5h' | '10h' | '12h' | '1d' | '3d' | '7d' | '15d';
  /** Web only, paired with `order_valid_time`: `yyyy-MM-dd HH:mm:ss` Beijing time, or a `Date` (formatted in GMT+8). */
  order_gmt_create?: string | Date;
  /** Web only, paired with `order_gmt_create`: whole seconds until buyer login (1–2592000). */
  order_valid_time?: string | number;
  /** §3.4 split settlement: a JSON array of at most 10 entries, or its JSON text. */
  split_fund_info?: string | unknown[];
  /** Institutions/aggregators (§11): the sub-merchant's id. */
  secondary_merchant_id?: string;
  /** Institutions/aggregators: the sub-merchant's registered name. */
  secondary_merchant_name?: string;
  /** Institutions/aggregators: the sub-merchant's 4-digit MCC, e.g. `5499`. */
  secondary_merchant_industry?: string;
  /** Wap only: `Y` asks the H5 cashier to open the Alipay app. */
  app_pay?: 'Y' | 'N';
}

/**
 * What `resolveOrder` and `authorize` receive: the framework's request seen through the few members
 * every adapter provides. Under `alipayRouter` it is Express's own `Request` (annotate the hook's
 * parameter as `express.Request` to use the rest of it: session, cookies…); under
 * `alipayFetchHandler` it is an {@link AlipayFetchHookRequest}, which also carries the Fetch `Request`.
 * No framework types are needed to use it.
 *
 * @example
 * ```ts
 * resolveOrder: async (req) => cart.toOrder((req.body as { order?: unknown }).order, req.get('cookie')),
 * authorize: (req) => req.get('x-admin-key') === process.env.ADMIN_KEY || 401,
 * ```
 */
export interface AlipayHookRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The path below the router's mount point (`/checkout`, `/refunds`). */
  readonly path: string;
  /**
   * The parsed JSON body (`POST /checkout`: a `CheckoutRequest`), typed `any` as in Express: it is
   * the browser's, so check it before use. `undefined` in `authorize`, which runs before the body is read.
   */
  readonly body: any;
  /** A request header, case-insensitive; `undefined` when absent. */
  get(name: string): string | undefined;
}

/** `true` allows; `false` or `403` forbids; `401` asks for credentials. */
export type AuthorizeResult = boolean | 401 | 403;

/**
 * Options of `alipayRouter` (Express) and `alipayFetchHandler` (Fetch runtimes): the same routes,
 * hooks and behaviour behind both. `Req` is what the hooks receive ({@link AlipayHookRequest}).
 */
export interface AlipayRouterOptions<Req extends AlipayHookRequest = AlipayHookRequest> {
  client: GatewayClient;
  ledger: Ledger;
  /** Reads the request (cart id, session…) and returns the authoritative order. */
  resolveOrder: (req: Req) => ResolvedOrder | Promise<ResolvedOrder>;
  /** HS256 secret for order tokens, at least 32 bytes. */
  tokenSecret: string | Uint8Array;
  /** Absolute URL of this router's `POST /notify` (no query string, §1.4 rule 7). */
  notifyUrl: string;
  /** Absolute URL the browser returns to: this router's `GET /return`, or the page with the widget. */
  returnUrl: string;
  /** Same-origin path `GET /return` redirects to, e.g. `/checkout/result`. */
  returnPage?: string;
  /** Guards `POST /refunds` and `POST /reconcile`. Without it those routes answer 403. */
  authorize?: (req: Req) => AuthorizeResult | Promise<AuthorizeResult>;
  onPaid?: (order: OrderRecord) => void | Promise<void>;
  onRefunded?: (order: OrderRecord, refund: RefundRecord) => void | Promise<void>;
  onClosed?: (order: OrderRecord) => void | Promise<void>;
  /**
   * A verified payment arrived for an order the ledger had already closed (an abandoned order the
   * sweeper closed, a link paid after the order was given up). The money is real: the order is
   * now `paid_after_close`, the notification is answered `success`, and this hook runs exactly
   * once across instances (outbox), instead of `onPaid`. Deliver, or refund (see
   * {@link AlipayRouterOptions.autoRefundLatePayments}).
   */
  onLatePayment?: (order: OrderRecord) => void | Promise<void>;
  /**
   * Refund every late payment in full automatically (out_return_no `<out_trade_no>-LATE`, recorded
   * before sending, retried by the sweeper when the answer is ambiguous). Default false.
   */
  autoRefundLatePayments?: boolean;
  /**
   * How long a web payment link stays usable before the buyer logs in: the router sends
   * `order_gmt_create` (now, Beijing time) and `order_valid_time` with every web payment (§3.6),
   * so an order the sweeper closes after this window can no longer be paid. Default 3600 s;
   * `false` sends neither (then a "closed" order can still be paid — it becomes
   * `paid_after_close`). A `payment.order_gmt_create`/`order_valid_time` pair from `resolveOrder`
   * takes precedence. Wap payments cannot carry the pair (§3.1).
   */
  orderValidSeconds?: number | false;
  /**
   * Run the sweeper every this many seconds (jittered ±20 %): {@link AlipayRouter.syncPendingOrders}
   * then {@link AlipayRouter.resolvePendingRefunds}. Safe from several instances at once (the
   * ledger hands each pending order to one sweeper per interval). Off by default.
   */
  sweepIntervalSeconds?: number;
  /**
   * A pending order whose payment link has no window (wap, or `orderValidSeconds: false`) is
   * closed by the sweeper when the gateway still has no trade for it this long after it was
   * created. Default 86400 s (24 h). A payment after that becomes `paid_after_close`.
   */
  abandonAfterSeconds?: number;
  /** Call notify_verify for every notification (§7). Default true. */
  notifyVerify?: boolean;
  /** Order token lifetime. Default 3600 s. */
  tokenTtlSeconds?: number;
  /** Actively query the gateway when an order is still pending and older than this (seconds). Off by default. */
  activeQueryAfterSeconds?: number;
  /**
   * A hook claim older than this is considered abandoned (a process that died mid-hook) and is
   * claimed again. Default 90000 ms: below the gateway's first notification retry (+2 min, §4),
   * so the first retry after a crash runs the hook. Until then a notification for that order is
   * answered `fail` (the gateway keeps retrying) rather than `success`. Keep hooks well under it:
   * a hook still running after this long may run a second time. Claims are stamped and judged
   * by one clock: the database's with the PostgreSQL ledger (instances may drift apart), the host's
   * with SQLite (one machine).
   */
  hookClaimStaleMs?: number;
  /** Prefix of generated out_trade_no values. Default `AK`. */
  outTradeNoPrefix?: string;
  /**
   * Where warnings and errors go: one line per event, structured fields, never a key, a `sign` or a
   * signed URL. `error` (optional; `warn` otherwise) gets what stops payments from completing — a
   * body parser that eats every notification. `console` fits as is; for pino pass
   * `{ warn: (m, f) => log.warn(f, m), error: (m, f) => log.error(f, m) }`. Default: stderr
   * (`alipay-kit warn …`, `alipay-kit error …`), so that a rejected notification or a mis-mounted
   * body parser is never silent.
   */
  logger?: Logger;
  now?: () => Date;
}

type Fail = (name: string, why: string) => never;

function absoluteUrl(fail: Fail, name: string, v: unknown): void {
  if (typeof v !== 'string') fail(name, 'must be an absolute URL string');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail(name, 'must be an absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') fail(name, 'must be http(s)');
  if (u.search !== '' || v.includes('?')) fail(name, 'must not carry a query string (protocol §1.4 rule 7)');
}

/** Validate options once, at startup. */
export function _validateOptions(
  o: AlipayRouterOptions<never>,
  who: 'alipayRouter' | 'alipayFetchHandler' = 'alipayRouter',
): Uint8Array {
  const fail: Fail = (name, why) => {
    throw new TypeError(`${who}: option ${name} ${why}`);
  };
  if (typeof o !== 'object' || o === null) throw new TypeError(`${who}: options must be an object`);
  if (!o.client || typeof o.client.paymentForm !== 'function' || typeof o.client.verifier?.verify !== 'function')
    fail('client', 'must come from createGatewayClient()');
  const missing = _missingLedgerMethods(o.ledger);
  if (missing.length > 0) fail('ledger', `must implement the Ledger interface (missing: ${missing.join(', ')})`);
  if (typeof o.resolveOrder !== 'function') fail('resolveOrder', 'must be a function');
  const secret = typeof o.tokenSecret === 'string' ? new TextEncoder().encode(o.tokenSecret) : o.tokenSecret;
  if (!(secret instanceof Uint8Array) || secret.length < 32) fail('tokenSecret', 'must be at least 32 bytes');
  absoluteUrl(fail, 'notifyUrl', o.notifyUrl);
  absoluteUrl(fail, 'returnUrl', o.returnUrl);
  if (o.returnPage !== undefined && (typeof o.returnPage !== 'string' || !/^\/(?![/\\])[^\s?#]*$/.test(o.returnPage)))
    fail('returnPage', 'must be a same-origin path like /checkout/result');
  for (const k of ['authorize', 'onPaid', 'onRefunded', 'onClosed', 'onLatePayment'] as const)
    if (o[k] !== undefined && typeof o[k] !== 'function') fail(k, 'must be a function');
  if (o.notifyVerify !== undefined && typeof o.notifyVerify !== 'boolean') fail('notifyVerify', 'must be a boolean');
  if (o.autoRefundLatePayments !== undefined && typeof o.autoRefundLatePayments !== 'boolean')
    fail('autoRefundLatePayments', 'must be a boolean');
  const valid = o.orderValidSeconds;
  if (
    valid !== undefined &&
    valid !== false &&
    (typeof valid !== 'number' || !Number.isInteger(valid) || valid < 1 || valid > 2_592_000)
  ) {
    fail('orderValidSeconds', 'must be false or whole seconds from 1 to 2592000 (protocol §3.6)');
  }
  if (
    o.sweepIntervalSeconds !== undefined &&
    (typeof o.sweepIntervalSeconds !== 'number' ||
      !Number.isFinite(o.sweepIntervalSeconds) ||
      o.sweepIntervalSeconds < 1)
  ) {
    fail('sweepIntervalSeconds', 'must be a number of seconds ≥ 1');
  }
  for (const k of ['tokenTtlSeconds', 'activeQueryAfterSeconds', 'hookClaimStaleMs', 'abandonAfterSeconds'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      fail(k, 'must be a non-negative number');
  }
  if (
    o.outTradeNoPrefix !== undefined &&
    (typeof o.outTradeNoPrefix !== 'string' || !/^[A-Za-z0-9_-]{0,16}$/.test(o.outTradeNoPrefix))
  )
    fail('outTradeNoPrefix', 'must be up to 16 letters, digits, _ or -');
  if (o.logger !== undefined && typeof o.logger?.warn !== 'function')
    fail('logger', 'must have a warn(message, fields) method');
  if (o.now !== undefined && typeof o.now !== 'function') fail('now', 'must be a function returning a Date');
  return secret;
}
