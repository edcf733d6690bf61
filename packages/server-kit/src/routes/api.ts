/**
 * The routes of alipay-kit's HTTP API and the controls that go with them (sync, sweeper, hook
 * drain, refunds), built once from the options; `alipayRouter` (Express) and `alipayFetchHandler`
 * (Fetch runtimes) are thin adapters over it.
 *
 * @module
 */
import { _stderrLogger } from '../lib/logger.js';
import { _refundHandler, _reconcileHandler } from './admin.js';
import { _checkoutHandler } from './checkout.js';
import { _drainHooks, _DEFAULT_HOOK_CLAIM_STALE_MS, type DrainHooksResult, type RouterContext } from './context.js';
import { _thrownAnswer } from './errors.js';
import { _notifyAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import { _notifyHandler } from './notify.js';
import { _validateOptions, type AlipayHookRequest, type AlipayRouterOptions } from './options.js';
import { _ordersHandler } from './orders.js';
import { refundThroughLedger, type RefundThroughLedgerResult } from './refund-through-ledger.js';
import { _getReturnHandler, _postReturnHandler } from './return.js';
import {
  _resolvePendingRefunds,
  _startSweeper,
  _syncPendingOrders,
  type ResolvePendingRefundsOptions,
  type ResolvePendingRefundsResult,
  type SweepContext,
  type SyncPendingOrdersOptions,
  type SyncPendingOrdersResult,
} from './sweeper.js';
import { _syncOrderById, type SyncOrderResult } from './sync.js';
import { _createTokenService } from './token.js';

/**
 * A refund asked of `router.refund()` / `handler.refund()`: {@link refundThroughLedger} with the router's client, ledger, notify URL and logger.
 *
 * @example
 * ```ts
 * const input: AlipayRefundInput = { outTradeNo: 'AK20261125120000a1b2c3d4e5', amount: '4.00', reason: 'chipped cup' }
 * await router.refund(input)
 * ```
 */
export interface AlipayRefundInput {
  outTradeNo: string;
  amount?: string;
  reason?: string;
  outReturnNo?: string;
}

/**
 * What both `alipayRouter` and `alipayFetchHandler` return besides the routes: the router's own
 * operations, with its client, ledger, hooks and logger.
 *
 * @example
 * ```ts
 * const ops: AlipayControls = alipayRouter(options) // or alipayFetchHandler(options)
 * setInterval(() => void ops.syncPendingOrders(), 10 * 60_000).unref()
 * ```
 */
export interface AlipayControls {
  /**
   * Ask the gateway about one order (`single_trade_query`) and apply a final state through the
   * ledger, running `onPaid` / `onClosed` exactly once (see `syncOrderWithGateway`). The same
   * confirmation the routes run for `GET /orders` and `POST /return`.
   *
   * @example
   * ```ts
   * // admin "check with Alipay" button, or a cron over old pending orders:
   * const { outcome, order } = await router.syncOrder('AK20261125120000a1b2c3d4e5')
   * if (outcome === 'closed') console.log(order?.status) // 'closed', onClosed has run
   * ```
   */
  syncOrder(outTradeNo: string): Promise<SyncOrderResult>;
  /**
   * Run every hook event left pending in the ledger (a hook that threw, a crash between commit
   * and hook) and every claim older than `staleMs` (default `hookClaimStaleMs`; a process that
   * died mid-hook). Done once at creation and once more when a previous run's claims have gone
   * stale; call it yourself on boot to wait for it, or from a cron. A single-process deployment
   * may pass `{ staleMs: 0 }` at boot. Never throws for hook failures (logged and counted);
   * ledger errors propagate.
   *
   * @example
   * ```ts
   * await router.drainHooks({ staleMs: 0 }) // single instance: nothing else can hold a claim
   * ```
   */
  drainHooks(options?: { staleMs?: number }): Promise<DrainHooksResult>;
  /**
   * The order sweeper: ask the gateway about pending orders created at least `olderThanSeconds`
   * ago (default 600) and not asked about in the last `minIntervalSeconds` (default 300, across
   * instances), and apply the answers — paid, closed, or closed because the payment link expired
   * with no trade (§3.6, §5.4). Hooks run exactly once. Runs by itself every
   * `sweepIntervalSeconds` when that option is set.
   *
   * @example
   * ```ts
   * const r = await router.syncPendingOrders({ olderThanSeconds: 3600, limit: 200 })
   * console.log(`${r.checked} checked, ${r.paid} paid, ${r.closed} closed, ${r.failed} unreachable`)
   * ```
   */
  syncPendingOrders(options?: SyncPendingOrdersOptions): Promise<SyncPendingOrdersResult>;
  /**
   * Send refunds left `requested` (a crash, a lost reply) or `possibly_done` (`SYSTEM_ERROR`, a
   * timeout…) again with the same `out_return_no` and amount (§6.3). Never refunds twice: the
   * gateway executes one `out_return_no` at most once.
   *
   * @example
   * ```ts
   * const r = await router.resolvePendingRefunds({ olderThanSeconds: 120 })
   * if (r.open > 0) console.log(`${r.open} refund(s) still waiting for the gateway's confirmation`)
   * ```
   */
  resolvePendingRefunds(options?: ResolvePendingRefundsOptions): Promise<ResolvePendingRefundsResult>;
  /**
   * Refund through the ledger ({@link refundThroughLedger}) with the router's client, ledger,
   * notify URL and logger: the same code as `POST /refunds`. Never use `client.refund()` for an
   * order the router took: the ledger would not know about the refund.
   *
   * @example
   * ```ts
   * const r = await router.refund({ outTradeNo: order.out_trade_no, amount: '4.00', reason: 'chipped cup' })
   * console.log(r.refund.status) // 'accepted' → 'succeeded' when the notification arrives
   * ```
   */
  refund(input: AlipayRefundInput): Promise<RefundThroughLedgerResult>;
  /**
   * Stop the timers (the sweeper and the startup hook drain). Call it before closing the ledger;
   * requests already running finish.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', async () => { router.close(); server.close(); await ledger.close() })
   * ```
   */
  close(): void;
}

/** The shared implementation: `handle` answers a request, or `undefined` when no route matches. */
export interface _AlipayApi {
  ctx: RouterContext;
  handle(req: _HttpRequest): Promise<_HttpAnswer | undefined>;
  controls: AlipayControls;
}

const ORDERS = '/orders/';

/** The route key of a path: lower case (Express's routing is case-insensitive) without one trailing `/`. */
function routeKey(path: string): string {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return p.toLowerCase();
}

/** Build the routes and controls from validated options. Throws `TypeError` naming a bad option. */
export function _createAlipayApi<R extends AlipayHookRequest>(
  options: AlipayRouterOptions<R>,
  who: 'alipayRouter' | 'alipayFetchHandler',
): _AlipayApi {
  const secret = _validateOptions(options, who);
  const opts = options as unknown as AlipayRouterOptions; // hooks receive the adapter's own request type
  const now = options.now ?? (() => new Date());
  const ctx: RouterContext = {
    options: opts,
    client: options.client,
    ledger: options.ledger,
    tokens: _createTokenService(secret, options.tokenTtlSeconds ?? 3600, now),
    logger: options.logger ?? _stderrLogger,
    now,
    misMountReported: false,
    adapter: who,
  };
  const checkout = _checkoutHandler(ctx);
  const notify = _notifyHandler(ctx);
  const getReturn = _getReturnHandler(ctx);
  const postReturn = _postReturnHandler(ctx);
  const orders = _ordersHandler(ctx);
  const refunds = _refundHandler(ctx);
  const reconcileRoute = _reconcileHandler(ctx);

  async function route(req: _HttpRequest): Promise<_HttpAnswer | undefined> {
    const key = routeKey(req.path);
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (req.method === 'POST') {
      if (key === '/checkout') return checkout(req);
      if (key === '/notify') return notify(req);
      if (key === '/return') return postReturn(req);
      if (key === '/refunds') return refunds(req);
      if (key === '/reconcile') return reconcileRoute(req);
    } else if (read) {
      if (key === '/return') return getReturn(req);
      if (key.startsWith(ORDERS) && key.length > ORDERS.length && !key.slice(ORDERS.length).includes('/')) {
        return orders(req, (req.path.endsWith('/') ? req.path.slice(0, -1) : req.path).slice(ORDERS.length));
      }
    }
    return undefined;
  }

  async function handle(req: _HttpRequest): Promise<_HttpAnswer | undefined> {
    try {
      return await route(req);
    } catch (e) {
      // A route's own failures are answered inside it; this is the last line (ledger down…).
      ctx.logger.warn('alipay route failed', {
        path: req.path.slice(0, 80),
        error: e instanceof Error ? e.name : 'unknown',
      });
      return routeKey(req.path) === '/notify' ? _notifyAnswer('fail') : _thrownAnswer(e);
    }
  }

  // Startup: run what a previous process left pending, then once more when its claims are stale.
  const drain = () =>
    _drainHooks(ctx).catch((e: unknown) => {
      if ((e as { code?: unknown })?.code !== 'ERR_CONFIG')
        ctx.logger.warn('alipay hook drain failed', { error: e instanceof Error ? e.name : 'unknown' }); // ERR_CONFIG: ledger closed
    });
  const first = setImmediate(drain);
  const second = setTimeout(
    drain,
    Math.min((options.hookClaimStaleMs ?? _DEFAULT_HOOK_CLAIM_STALE_MS) + 1000, 2 ** 31 - 1),
  );
  second.unref();
  const sweep: SweepContext = { ...ctx, abandonAfterSeconds: options.abandonAfterSeconds ?? 86_400 };
  const stopSweeper =
    options.sweepIntervalSeconds !== undefined ? _startSweeper(sweep, options.sweepIntervalSeconds) : () => {};
  const controls: AlipayControls = {
    syncOrder: (outTradeNo) => _syncOrderById(ctx, outTradeNo),
    drainHooks: (o) => _drainHooks(ctx, o),
    syncPendingOrders: (o) => _syncPendingOrders(sweep, o),
    resolvePendingRefunds: (o) => _resolvePendingRefunds(sweep, o),
    refund: (input) =>
      refundThroughLedger({
        ...input,
        client: ctx.client,
        ledger: ctx.ledger,
        logger: ctx.logger,
        notifyUrl: options.notifyUrl,
      }),
    close: () => {
      clearImmediate(first);
      clearTimeout(second);
      stopSweeper();
    },
  };
  return { ctx, handle, controls };
}
