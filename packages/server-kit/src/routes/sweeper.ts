/**
 * The sweeper: what brings every order and refund to a final state when no notification comes.
 * - {@link _syncPendingOrders}: pending orders past a minimum age are asked about with
 *   `single_trade_query` (§5) and paid, closed or left pending from the answer; one whose payment
 *   link has expired and for which the gateway has no trade (`TRADE_NOT_EXIST`: the buyer never
 *   logged in, §5.4) is closed — the gateway refuses the login from then on (§3.6).
 * - {@link _resolvePendingRefunds}: refunds left `requested` (crash, lost reply) or
 *   `possibly_done` (ambiguous answer) are sent again with the same `out_return_no` and terms
 *   (§6.3): `T` → `accepted`, `REPEATED_REFUNDMENT_REQUEST` → stays `possibly_done` (the gateway has
 *   it; its notification or the compare file settles it), a definitive refusal → `failed`.
 *
 * Several instances may sweep at once: the ledger hands each pending order to one sweeper per
 * interval (`claimOrdersForSync`), and a refund sent twice with one `out_return_no` is executed at
 * most once by the gateway (§6.3).
 *
 * @module
 */
import type { OrderRecord } from '../ledger/types.js';
import { _fireHooks, _syncOrder, type SyncContext } from './context.js';
import { _sendRefund } from './refund-send.js';

/** Options of `router.syncPendingOrders()`. */
export interface SyncPendingOrdersOptions {
  /** Only orders created at least this long ago. Default 600 s. */
  olderThanSeconds?: number;
  /** At most this many orders per call. Default 100. */
  limit?: number;
  /** Skip an order asked about less than this long ago (by any instance). Default 300 s. */
  minIntervalSeconds?: number;
}

/** What `router.syncPendingOrders()` did, counted per outcome. */
export interface SyncPendingOrdersResult {
  /** Orders asked about. */
  checked: number;
  /** Moved to `paid` (or `paid_after_close`) by this call. */
  paid: number;
  /** Moved to `closed`: the gateway closed the trade, or the link expired with no trade. */
  closed: number;
  /** Still pending: the buyer is paying, or the link has not expired yet. */
  pending: number;
  /** The gateway's answer disagreed with the ledger (amount, id): nothing applied, logged. */
  mismatched: number;
  /** The gateway could not be asked; tried again after `minIntervalSeconds`. */
  failed: number;
}

/** Options of `router.resolvePendingRefunds()`. */
export interface ResolvePendingRefundsOptions {
  /** Only refunds whose last change is at least this old. Default 60 s. */
  olderThanSeconds?: number;
  /** At most this many refunds per call. Default 100. */
  limit?: number;
}

/** What `router.resolvePendingRefunds()` did. */
export interface ResolvePendingRefundsResult {
  /** Refunds sent again. */
  checked: number;
  /** Now `accepted` (their notification follows) or `succeeded`. */
  accepted: number;
  /** Definitively refused by the gateway: now `failed`. */
  failed: number;
  /** Still `possibly_done`: waiting for the notification or the compare file. */
  open: number;
}

/** The sweeper's view of the router. */
export interface SweepContext extends SyncContext {
  now: () => Date;
  /** A link without a window is given up this long after creation (`abandonAfterSeconds`). */
  abandonAfterSeconds: number;
}

/** Clock skew allowed between this server and the gateway before an expired link counts as expired. */
export const _EXPIRY_MARGIN_MS = 60_000;

function nonNegative(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new TypeError(`${name} must be a non-negative number`);
  return v;
}

/** When the order's payment link stops working, in ms since the epoch. */
function linkDeadline(order: OrderRecord, abandonAfterSeconds: number): number {
  return order.expires_at !== null
    ? Date.parse(order.expires_at)
    : Date.parse(order.created_at) + abandonAfterSeconds * 1000;
}

/** Ask the gateway about pending orders and apply its answers (see the module doc). */
export async function _syncPendingOrders(
  ctx: SweepContext,
  options: SyncPendingOrdersOptions = {},
): Promise<SyncPendingOrdersResult> {
  const olderThan = nonNegative('syncPendingOrders: olderThanSeconds', options.olderThanSeconds, 600);
  const limit = Math.floor(nonNegative('syncPendingOrders: limit', options.limit, 100));
  const minInterval = nonNegative('syncPendingOrders: minIntervalSeconds', options.minIntervalSeconds, 300);
  const now = ctx.now().getTime();
  const orders = await ctx.ledger.claimOrdersForSync({
    createdBefore: new Date(now - olderThan * 1000).toISOString(),
    minIntervalMs: minInterval * 1000,
    limit,
  });
  const result: SyncPendingOrdersResult = { checked: 0, paid: 0, closed: 0, pending: 0, mismatched: 0, failed: 0 };
  for (const order of orders) {
    result.checked++;
    const r = await _syncOrder(ctx, order);
    if (r.outcome === 'paid') result.paid += r.changed ? 1 : 0;
    else if (r.outcome === 'closed') result.closed += r.changed ? 1 : 0;
    else if (r.outcome === 'mismatch') result.mismatched++;
    else if (r.outcome === 'query_failed') result.failed++;
    else if (
      r.outcome === 'trade_not_exist' &&
      ctx.now().getTime() >= linkDeadline(order, ctx.abandonAfterSeconds) + _EXPIRY_MARGIN_MS
    ) {
      // No trade and the link no longer works: the buyer can never pay it (§3.6).
      const closed = await ctx.ledger.markClosed(order.out_trade_no, { source: 'sweeper' });
      if (closed.changed) {
        result.closed++;
        await _runHooksQuietly(ctx, order.out_trade_no);
      }
    } else result.pending++;
  }
  return result;
}

async function _runHooksQuietly(ctx: SyncContext, outTradeNo: string): Promise<void> {
  await _fireHooks(ctx, outTradeNo).catch(() => {}); // logged per hook; the event stays pending for drainHooks
}

/** Send open refunds again with the same `out_return_no` (see the module doc). */
export async function _resolvePendingRefunds(
  ctx: SweepContext,
  options: ResolvePendingRefundsOptions = {},
): Promise<ResolvePendingRefundsResult> {
  const olderThan = nonNegative('resolvePendingRefunds: olderThanSeconds', options.olderThanSeconds, 60);
  const limit = Math.floor(nonNegative('resolvePendingRefunds: limit', options.limit, 100));
  const refunds = await ctx.ledger.listOpenRefunds({
    updatedBefore: new Date(ctx.now().getTime() - olderThan * 1000).toISOString(),
    limit,
  });
  const result: ResolvePendingRefundsResult = { checked: 0, accepted: 0, failed: 0, open: 0 };
  for (const refund of refunds) {
    // `accepted`: the gateway said T; its notification (or the compare file) completes it. Asking again can only say REPEATED.
    if (refund.status === 'accepted') continue;
    const order = await ctx.ledger.getOrder(refund.out_trade_no);
    if (!order) continue;
    result.checked++;
    const { refund: after } = await _sendRefund(
      {
        client: ctx.client,
        ledger: ctx.ledger,
        logger: ctx.logger,
        ...(ctx.options.notifyUrl ? { notifyUrl: ctx.options.notifyUrl } : {}),
      },
      order,
      refund,
      true,
    );
    if (after.status === 'failed') result.failed++;
    else if (after.status === 'accepted' || after.status === 'succeeded') result.accepted++;
    else result.open++;
  }
  return result;
}

/**
 * Run both sweeps every `intervalSeconds`, jittered ±20 % so that instances started together do
 * not query in lockstep. The timer is unref'd; returns a function that stops it.
 */
export function _startSweeper(ctx: SweepContext, intervalSeconds: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, intervalSeconds * 1000 * (0.8 + Math.random() * 0.4));
    timer.unref();
  };
  const tick = async () => {
    try {
      await _syncPendingOrders(ctx);
      await _resolvePendingRefunds(ctx);
    } catch (e) {
      if ((e as { code?: unknown })?.code !== 'ERR_CONFIG')
        ctx.logger.warn('alipay sweeper failed; it runs again at the next interval', {
          error: e instanceof Error ? e.name : 'unknown',
        });
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
