/**
 * Check one order against the gateway (`single_trade_query`, protocol §5) and apply what it says
 * through the ledger, with the hooks run exactly once: the router's own active confirmation,
 * made public for admin screens, cron jobs and "check again" buttons.
 *
 * @module
 */
import type { GatewayClient } from '../client/create-gateway-client.js';
import { _missingLedgerMethods } from '../ledger/conformance.js';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import { _stderrLogger, type Logger } from '../lib/logger.js';
import { _fireHooks, _syncOrder, type _SyncResult, type SyncContext } from './context.js';

export type { SyncOutcome } from './context.js';

/** The hooks a synchronisation may run (the same ones as `AlipayRouterOptions`). */
export interface SyncOrderHooks {
  onPaid?: (order: OrderRecord) => void | Promise<void>;
  onRefunded?: (order: OrderRecord, refund: RefundRecord) => void | Promise<void>;
  onClosed?: (order: OrderRecord) => void | Promise<void>;
  /** A confirmed payment for an order the ledger had closed (`paid_after_close`). */
  onLatePayment?: (order: OrderRecord) => void | Promise<void>;
}

/** Options of {@link syncOrderWithGateway}. */
export interface SyncOrderOptions {
  client: GatewayClient;
  ledger: Ledger;
  /** The order to check. */
  outTradeNo: string;
  /** Run for the transitions this call (or an earlier, interrupted one) committed. */
  hooks?: SyncOrderHooks;
  /** A hook claim older than this is considered abandoned (crashed process). Default 90000 ms (see `AlipayRouterOptions.hookClaimStaleMs`). */
  hookClaimStaleMs?: number;
  logger?: Logger;
}

/** What {@link syncOrderWithGateway} found and did. */
export interface SyncOrderResult extends _SyncResult {
  outTradeNo: string;
}

/** @internal Shared by {@link syncOrderWithGateway} and the router's `syncOrder`. */
export async function _syncOrderById(ctx: SyncContext, outTradeNo: string): Promise<SyncOrderResult> {
  if (typeof outTradeNo !== 'string' || outTradeNo === '')
    throw new TypeError('syncOrder: outTradeNo must be a non-empty string');
  const order = await ctx.ledger.getOrder(outTradeNo);
  if (!order) return { outTradeNo, order: undefined, outcome: 'not_found', changed: false };
  const r = await _syncOrder(ctx, order);
  if (r.outcome !== 'not_pending') return { outTradeNo, ...r };
  // Already final: still run hooks a crash or a throwing hook left pending (claimed once, outbox).
  let hookError: unknown;
  await _fireHooks(ctx, outTradeNo).catch((e: unknown) => {
    hookError = e;
  });
  return {
    outTradeNo,
    order: hookError === undefined ? r.order : await ctx.ledger.getOrder(outTradeNo),
    outcome: r.outcome,
    changed: false,
    ...(hookError !== undefined ? { hookError } : {}),
  };
}

/**
 * Check one order against the gateway and apply the result exactly once.
 *
 * For a pending order, `single_trade_query` is asked; `TRADE_FINISHED`/`TRADE_SUCCESS` with the
 * recorded amount marks it paid, `TRADE_CLOSED` (timeout, §3.6 — no notification is promised
 * for it, §3.9) marks it closed, both with source `query`. The transition and its hook event are
 * committed together, and the hook runs once across this call, concurrent calls, notifications
 * and the router's own queries (outbox claim). An order already final is not queried, but hooks
 * left pending by a crash or a throwing hook are run. Never throws for gateway or hook trouble
 * (see `outcome`, `error`, `hookError`); ledger errors propagate.
 *
 * Inside an `alipayRouter`, prefer `router.syncOrder(outTradeNo)`, which uses the router's
 * client, ledger, hooks and logger.
 *
 * @example
 * ```ts
 * const r = await syncOrderWithGateway({ client, ledger, outTradeNo: 'LL-260101-1A2B3C4D', hooks: { onPaid: ship, onClosed: release } })
 * if (r.outcome === 'closed') console.log('timed out at the gateway', r.order?.status) // 'closed'
 * if (r.outcome === 'query_failed') console.warn('gateway unreachable', r.error)
 * ```
 */
export async function syncOrderWithGateway(options: SyncOrderOptions): Promise<SyncOrderResult> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('syncOrderWithGateway: options must be an object');
  const { client, ledger, hooks = {}, logger = _stderrLogger } = options;
  if (!client || typeof client.query !== 'function')
    throw new TypeError('syncOrderWithGateway: client must come from createGatewayClient()');
  const missing = _missingLedgerMethods(ledger);
  if (missing.length > 0)
    throw new TypeError(
      `syncOrderWithGateway: ledger must implement the Ledger interface (missing: ${missing.join(', ')})`,
    );
  for (const k of ['onPaid', 'onRefunded', 'onClosed', 'onLatePayment'] as const)
    if (hooks[k] !== undefined && typeof hooks[k] !== 'function')
      throw new TypeError(`syncOrderWithGateway: hooks.${k} must be a function`);
  return _syncOrderById(
    { client, ledger, logger, options: { ...hooks, hookClaimStaleMs: options.hookClaimStaleMs } },
    options.outTradeNo,
  );
}
