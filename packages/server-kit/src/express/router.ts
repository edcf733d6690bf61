/**
 * `alipayRouter(options)`: the Express 5 router the widget talks to (JSON contract in the
 * option docs) and the gateway calls back (`/notify`, `/return`).
 *
 * @module
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { _stderrLogger } from '../lib/logger.js';
import { _authorize, _reconcileHandler, _refundHandler } from './admin.js';
import { _checkoutHandler } from './checkout.js';
import { _drainHooks, _DEFAULT_HOOK_CLAIM_STALE_MS, type DrainHooksResult, type RouterContext } from './context.js';
import { _sendError, _sendThrown } from './errors.js';
import { _answerNotify, _notifyHandler } from './notify.js';
import { _validateOptions, type AlipayRouterOptions } from './options.js';
import { _ordersHandler } from './orders.js';
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
 * The Express router {@link alipayRouter} returns, plus a method to check one order against the
 * gateway with the router's own client, ledger, hooks and logger.
 */
export interface AlipayRouter extends Router {
  /**
   * Ask the gateway about one order (`single_trade_query`) and apply a final state through the
   * ledger, running `onPaid` / `onClosed` exactly once (see `syncOrderWithGateway`). The same
   * confirmation the router runs for `GET /orders` and `POST /return`.
   *
   * @example
   * ```ts
   * const router = alipayRouter(options)
   * app.use('/alipay', router)
   * // admin "check with Alipay" button, or a cron over old pending orders:
   * const { outcome, order } = await router.syncOrder('AK20261125120000a1b2c3d4e5')
   * if (outcome === 'closed') console.log(order?.status) // 'closed', onClosed has run
   * ```
   */
  syncOrder(outTradeNo: string): Promise<SyncOrderResult>;
  /**
   * Run every hook event left pending in the ledger (a hook that threw, a crash between commit
   * and hook) and every claim older than `staleMs` (default `hookClaimStaleMs`; a process that
   * died mid-hook). The router already does this once when it is created and once more when the
   * claims of a previous run have gone stale; call it yourself on boot to wait for it, or from a
   * cron. A single-process deployment may pass `{ staleMs: 0 }` at boot: every claim then
   * belongs to a process that no longer exists. Never throws for hook failures (they are
   * logged and counted); ledger errors propagate.
   *
   * @example
   * ```ts
   * const router = alipayRouter(options)
   * await router.drainHooks({ staleMs: 0 }) // single instance: nothing else can hold a claim
   * app.use('/alipay', router)
   * ```
   */
  drainHooks(options?: { staleMs?: number }): Promise<DrainHooksResult>;
  /**
   * The order sweeper: ask the gateway about pending orders created at least `olderThanSeconds`
   * ago (default 600) and not asked about in the last `minIntervalSeconds` (default 300, across
   * instances), and apply the answers — paid, closed, or closed because the payment link expired
   * with no trade (§3.6, §5.4). Hooks run exactly once. Safe to call from several instances at
   * once; the router calls it itself every `sweepIntervalSeconds` when that option is set.
   *
   * @example
   * ```ts
   * // a cron job every 10 minutes
   * const r = await router.syncPendingOrders({ olderThanSeconds: 3600, limit: 200 })
   * console.log(`${r.checked} checked, ${r.paid} paid, ${r.closed} closed, ${r.failed} unreachable`)
   * ```
   */
  syncPendingOrders(options?: SyncPendingOrdersOptions): Promise<SyncPendingOrdersResult>;
  /**
   * Send refunds left `requested` (a crash, a lost reply) or `possibly_done` (`SYSTEM_ERROR`, a
   * timeout…) again with the same `out_return_no` and amount (§6.3): `T` makes them `accepted`,
   * a definitive refusal `failed`, `REPEATED_REFUNDMENT_REQUEST` leaves them `possibly_done` until
   * their notification or `reconcile` (compare file) settles them. Never refunds twice: the
   * gateway executes one `out_return_no` at most once.
   *
   * @example
   * ```ts
   * const r = await router.resolvePendingRefunds({ olderThanSeconds: 120 })
   * if (r.open > 0) console.log(`${r.open} refund(s) still waiting for the gateway's confirmation`)
   * ```
   */
  resolvePendingRefunds(options?: ResolvePendingRefundsOptions): Promise<ResolvePendingRefundsResult>;
  /** Stop the router's timers (the sweeper and the startup hook drain). Call it before closing the ledger. */
  close(): void;
}

/**
 * Create the router. Options are validated here (`TypeError` naming the option).
 *
 * Routes: `POST /checkout`, `POST /notify`, `GET /return`, `POST /return`,
 * `GET /orders/:outTradeNo`, `POST /refunds`, `POST /reconcile`. Bodies and answers are the
 * types of `@alipay-kit/core/contract`; errors are `{ error: { code, message } }`
 * (`ErrorResponse`, `code` an `AlipayErrorCode`); `/notify` answers `success` / `fail` as text.
 * The returned router also has {@link AlipayRouter.syncOrder}.
 *
 * @example
 * ```ts
 * app.use('/alipay', alipayRouter({
 *   client, ledger: createSqliteLedger({ file: 'alipay.db' }),
 *   resolveOrder: async (req) => cart.toOrder(req.body.order),
 *   tokenSecret: process.env.ORDER_TOKEN_SECRET!,
 *   notifyUrl: 'https://shop.example/alipay/notify',
 *   returnUrl: 'https://shop.example/alipay/return',
 *   returnPage: '/thanks',
 *   onPaid: (order) => fulfil(order.out_trade_no),
 *   authorize: (req) => req.get('x-admin-key') === process.env.ADMIN_KEY || 401,
 * }))
 * ```
 */
export function alipayRouter(options: AlipayRouterOptions): AlipayRouter {
  const secret = _validateOptions(options);
  const now = options.now ?? (() => new Date());
  const ctx: RouterContext = {
    options,
    client: options.client,
    ledger: options.ledger,
    tokens: _createTokenService(secret, options.tokenTtlSeconds ?? 3600, now),
    logger: options.logger ?? _stderrLogger,
    now,
  };
  const router = express.Router();
  const json = express.json({ limit: '32kb', strict: true });
  router.post('/checkout', json, _checkoutHandler(ctx));
  router.post('/notify', _notifyHandler(ctx)); // reads its own raw body (notify-body.ts)
  router.get('/return', _getReturnHandler(ctx));
  router.post('/return', json, _postReturnHandler(ctx));
  router.get('/orders/:outTradeNo', _ordersHandler(ctx));
  router.post('/refunds', _authorize(ctx), json, _refundHandler(ctx));
  router.post('/reconcile', _authorize(ctx), json, _reconcileHandler(ctx));
  router.use(function alipayErrors(err: unknown, req: Request, res: Response, _next: NextFunction) {
    if (req.path === '/notify') return _answerNotify(res, 'fail');
    const type = (err as { type?: unknown })?.type;
    if (type === 'entity.parse.failed') return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'body is not valid JSON');
    if (type === 'entity.too.large') return _sendError(res, 413, 'ERR_INVALID_PARAMS', 'body is too large');
    _sendThrown(res, err);
  });
  // Startup: run what a previous process left pending, then once more when its claims are stale.
  const drain = () =>
    _drainHooks(ctx).catch((e: unknown) => {
      if ((e as { code?: unknown })?.code !== 'ERR_CONFIG') ctx.logger.warn('alipay hook drain failed', { error: e instanceof Error ? e.name : 'unknown' }); // ERR_CONFIG: ledger closed
    });
  const first = setImmediate(drain);
  const second = setTimeout(drain, Math.min((options.hookClaimStaleMs ?? _DEFAULT_HOOK_CLAIM_STALE_MS) + 1000, 2 ** 31 - 1));
  second.unref();
  const sweep: SweepContext = { ...ctx, abandonAfterSeconds: options.abandonAfterSeconds ?? 86_400 };
  const stopSweeper = options.sweepIntervalSeconds !== undefined ? _startSweeper(sweep, options.sweepIntervalSeconds) : () => {};
  return Object.assign(router, {
    syncOrder: (outTradeNo: string) => _syncOrderById(ctx, outTradeNo),
    drainHooks: (o?: { staleMs?: number }) => _drainHooks(ctx, o),
    syncPendingOrders: (o?: SyncPendingOrdersOptions) => _syncPendingOrders(sweep, o),
    resolvePendingRefunds: (o?: ResolvePendingRefundsOptions) => _resolvePendingRefunds(sweep, o),
    close: () => {
      clearImmediate(first);
      clearTimeout(second);
      stopSweeper();
    },
  });
}
