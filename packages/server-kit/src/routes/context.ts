// Shared router state: options, token service, hook dispatch and active confirmation.
import { AlipayError, isAlipayError, toMinorUnits, type AlipayErrorOptions } from '@alipay-kit/core';
import type { PublicOrderStatus } from '@alipay-kit/core/contract';
import type { GatewayClient } from '../client/create-gateway-client.js';
import type { EventClaim, Ledger, OrderRecord, OrderStatus } from '../ledger/types.js';
import type { Logger } from '../lib/logger.js';
import type { QueriedTrade } from '../client/query.js';
import type { AlipayRouterOptions } from './options.js';
import { _sendRefund } from './refund-send.js';
import type { TokenService } from './token.js';

export interface RouterContext {
  options: AlipayRouterOptions;
  client: GatewayClient;
  ledger: Ledger;
  tokens: TokenService;
  logger: Logger;
  now: () => Date;
  /** Set once the mis-mounted body parser has been reported (one error line per router). */
  misMountReported: boolean;
  /** Which adapter serves the routes, for the advice in messages. */
  adapter: 'alipayRouter' | 'alipayFetchHandler';
}

/**
 * The one error line for a body parser that consumed `/notify`'s body before the router could
 * read it (`express.urlencoded()` mounted first): logged once per router, at `error` level when
 * the logger has one, saying what to do. Every notification is answered `fail` until it is fixed.
 */
export function _reportMisMountedParser(ctx: RouterContext, detectedBy: 'mount' | 'app stack' | 'notification'): void {
  if (ctx.misMountReported) return;
  ctx.misMountReported = true;
  const consequence =
    'every Alipay notification will be answered fail, no order will be marked paid and onPaid will not run. ';
  const message =
    ctx.adapter === 'alipayFetchHandler'
      ? "alipay-kit: the notification's Request body was already read before alipayFetchHandler got it (a middleware called request.text(), formData() or json()): " +
        consequence +
        'Fix: hand the handler the untouched Request (in Hono: c.req.raw, with no body read before it).'
      : 'alipay-kit: a body parser (express.urlencoded() or similar) runs before alipayRouter and consumes the notification body: ' +
        consequence +
        "Fix: mount the router before the parser (app.use('/alipay', alipayRouter(...)) first, then app.use(express.urlencoded())), or mount the parser on your own paths only.";
  const fields = { code: 'ERR_CONFIG', detectedBy };
  if (ctx.logger.error) ctx.logger.error(message, fields);
  else ctx.logger.warn(message, fields);
}

/** What gateway synchronisation needs: a subset of {@link RouterContext}. */
export interface SyncContext {
  client: GatewayClient;
  ledger: Ledger;
  logger: Logger;
  options: Pick<
    AlipayRouterOptions,
    'onPaid' | 'onRefunded' | 'onClosed' | 'onLatePayment' | 'autoRefundLatePayments' | 'hookClaimStaleMs'
  > & {
    /** Where refund notifications go (the late-payment auto-refund). */
    notifyUrl?: string;
  };
}

/**
 * Public status of an order (`PublicOrderStatus`, @alipay-kit/core/contract): `created` is shown
 * as `pending`, and `paid_after_close` as `paid` (to the buyer the payment went through; the
 * merchant delivers or refunds it). A ledger status added without a mapping does not compile.
 */
export function _publicStatus(s: OrderStatus): PublicOrderStatus {
  return s === 'created' ? 'pending' : s === 'paid_after_close' ? 'paid' : s;
}

/**
 * Default `hookClaimStaleMs`: 90 s, below the gateway's first retry gap (2 min, §4), so that the
 * first retry after a crash mid-hook reclaims the event. A hook must finish well within it.
 */
export const _DEFAULT_HOOK_CLAIM_STALE_MS = 90_000;

/**
 * `ERR_HOOK_BUSY`: a hook event of the order is claimed by someone else and not done yet (a hook
 * running in another process, or a claimer that died and whose claim is not stale yet). `POST
 * /notify` then answers `fail` and records the delivery as `rejected:ERR_HOOK_BUSY`: the
 * gateway's retry comes back after the claim went stale and runs the hook. `syncOrder` reports
 * it as `hookError`; `drainHooks` counts the order as `failed`.
 *
 * @example
 * ```ts
 * const r = await router.syncOrder(id)
 * if (r.hookError instanceof HookBusyError) console.log('onPaid is running in another process')
 * ```
 */
export class HookBusyError extends AlipayError<'ERR_HOOK_BUSY'> {
  constructor(message: string, options: Omit<AlipayErrorOptions, 'status'> = {}) {
    super('ERR_HOOK_BUSY', message, options);
  }
}

/** Hooks running in this process, per ledger: event id → its run (claim → hook → complete). */
const running = new WeakMap<Ledger, Map<number, Promise<void>>>();

/** How long a delivery waits for a hook another process is running before answering `fail`. */
export const _HOOK_BUSY_WAIT_MS = 2000;

/**
 * Run the hooks of committed transitions, exactly once each: claim the order's pending outbox
 * events, call the hook, complete. A throwing hook releases its event and rethrows, so the
 * caller answers `fail` and the gateway's retry runs it again.
 *
 * Events of the order that are not done but not claimable (`busy`): when the claim is this
 * process's own hook still running (a concurrent duplicate delivery), wait for it and share its
 * outcome. A claim held elsewhere is polled for up to `busyWaitMs` (a live process finishes its
 * hook, or releases it and this call runs it); after that, throw {@link HookBusyError}, so a
 * claimer that crashed can never strand a hook behind a `success` answer.
 *
 * `pre` carries a claim already made (with the order it was made on) by
 * `Ledger.applyPaymentNotification`, in the transaction of the transition.
 */
export async function _fireHooks(
  ctx: SyncContext,
  outTradeNo: string,
  pre?: { events: EventClaim; order?: OrderRecord },
  options: { busyWaitMs?: number } = {},
): Promise<void> {
  const { ledger } = ctx;
  const staleMs = ctx.options.hookClaimStaleMs ?? _DEFAULT_HOOK_CLAIM_STALE_MS;
  const claimNow = (): Promise<EventClaim> => ledger.claimOrderEvents(outTradeNo, { staleMs });
  let claim = pre?.events ?? (await claimNow());
  if (claim.claimed.length === 0 && claim.busy.length === 0) return;
  let mine = running.get(ledger);
  if (!mine) running.set(ledger, (mine = new Map()));
  const deadline = Date.now() + (options.busyWaitMs ?? _HOOK_BUSY_WAIT_MS);
  let firstError: unknown;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    for (const ev of claim.claimed) {
      const run = (async () => {
        // The order the transition returned is current for its own paid/closed event; a refund changes amounts: read.
        const order =
          ev.kind !== 'refunded' && pre?.order?.out_trade_no === ev.out_trade_no
            ? pre.order
            : (await ledger.getOrder(ev.out_trade_no))!;
        if (ev.kind === 'paid') await ctx.options.onPaid?.(order);
        else if (ev.kind === 'closed') await ctx.options.onClosed?.(order);
        else if (ev.kind === 'late_paid') {
          // Refund first: it is idempotent (fixed out_return_no), so a hook that throws and runs again never refunds twice.
          if (ctx.options.autoRefundLatePayments) await _refundLatePayment(ctx, order);
          await ctx.options.onLatePayment?.(order);
        } else {
          const refund = await ledger.getRefund(ev.out_return_no ?? '');
          if (refund) await ctx.options.onRefunded?.(order, refund);
        }
        await ledger.completeEvent(ev.id);
      })();
      mine.set(ev.id, run);
      try {
        await run;
      } catch (e) {
        await ledger.releaseEvent(ev.id).catch(() => {});
        ctx.logger.warn('alipay hook failed; it will run again on the next delivery', {
          kind: ev.kind,
          out_trade_no: ev.out_trade_no,
          error: errName(e),
        });
        firstError ??= e;
      } finally {
        mine.delete(ev.id);
      }
    }
    let elsewhere = 0;
    for (const ev of claim.busy) {
      let run = mine.get(ev.id);
      // A claim of this process whose continuation has not registered yet (replies can come back out of order).
      if (!run) await new Promise((r) => setImmediate(r));
      run = mine.get(ev.id);
      if (run) await run.catch((e: unknown) => void (firstError ??= e));
      else elsewhere++;
    }
    if (elsewhere === 0 || firstError !== undefined) break;
    if (Date.now() + delay > deadline) {
      firstError = new HookBusyError(
        `a hook of this order is claimed by another process and not done yet (${elsewhere} event(s))`,
      );
      break;
    }
    await new Promise((r) => setTimeout(r, delay));
    claim = await claimNow(); // done elsewhere by now, or released (we run it), or still busy
    pre = undefined;
  }
  if (firstError !== undefined) throw firstError;
}

/** What {@link _drainHooks} did. */
export interface DrainHooksResult {
  /** Orders whose pending (or stale) hook events were run. */
  orders: number;
  /** Orders where a hook threw (its event stays pending) or was busy elsewhere. */
  failed: number;
}

/**
 * Run every pending hook event, and every claim older than `staleMs` (a process that died
 * mid-hook): what a process should do at startup. Needs `Ledger.listOrdersWithOpenEvents`
 * (both built-in ledgers have it); without it, nothing is done.
 */
export async function _drainHooks(ctx: SyncContext, options: { staleMs?: number } = {}): Promise<DrainHooksResult> {
  const staleMs = options.staleMs ?? ctx.options.hookClaimStaleMs ?? _DEFAULT_HOOK_CLAIM_STALE_MS;
  if (typeof staleMs !== 'number' || !Number.isFinite(staleMs) || staleMs < 0)
    throw new TypeError('drainHooks: staleMs must be a non-negative number');
  const ids = await ctx.ledger.listOrdersWithOpenEvents({ staleMs });
  const result: DrainHooksResult = { orders: 0, failed: 0 };
  const drainCtx: SyncContext = { ...ctx, options: { ...ctx.options, hookClaimStaleMs: staleMs } };
  for (const id of ids) {
    result.orders++;
    await _fireHooks(drainCtx, id, undefined, { busyWaitMs: 0 }).catch(() => void result.failed++); // hook failures are logged per hook
  }
  return result;
}

/**
 * The late-payment auto-refund: the whole amount, `out_return_no` `<out_trade_no>-LATE`, recorded
 * before it is sent. An ambiguous answer leaves it `possibly_done` for the sweeper; a refund the
 * ledger refuses (an operator already refunded part of it) is logged and left to the operator.
 */
async function _refundLatePayment(ctx: SyncContext, order: OrderRecord): Promise<void> {
  const rmb = order.total_fee_minor === null;
  const refundRequest = {
    out_return_no: `${order.out_trade_no.slice(0, 59)}-LATE`,
    out_trade_no: order.out_trade_no,
    currency: rmb ? 'CNY' : order.currency,
    amount_minor: rmb ? order.rmb_fee_minor! : order.total_fee_minor!,
    reason: 'late_payment',
  };
  let recorded;
  try {
    recorded = await ctx.ledger.createRefund(refundRequest);
  } catch (e) {
    if (
      !isAlipayError(e) ||
      (e.code !== 'ERR_INVALID_AMOUNT' && e.code !== 'ERR_INVALID_TRANSITION' && e.code !== 'ERR_ORDER_CONFLICT')
    )
      throw e;
    ctx.logger.warn('alipay late payment: not refunded automatically', {
      out_trade_no: order.out_trade_no,
      code: e.code,
    });
    return;
  }
  const { refund, created } = recorded;
  if (refund.status !== 'requested' && refund.status !== 'possibly_done') return;
  await _sendRefund(
    { ...ctx, ...(ctx.options.notifyUrl ? { notifyUrl: ctx.options.notifyUrl } : {}) },
    order,
    refund,
    !created,
  );
}

function errName(e: unknown): string {
  return isAlipayError(e) ? e.code : e instanceof Error ? e.name : 'unknown';
}

/**
 * What one synchronisation with the gateway found and did:
 * - `paid` / `closed`: the gateway's final state was applied through the ledger (`changed` says
 *   whether this call made the transition; a concurrent notification may have made it first);
 * - `pending`: the trade exists and is not final (`WAIT_BUYER_PAY`);
 * - `trade_not_exist`: no trade yet, the buyer has not logged in at the cashier (§3.1);
 * - `mismatch`: the gateway's amount or `out_trade_no` differs from the ledger, nothing applied;
 * - `query_failed`: the gateway could not be asked (transport, signature, gateway error);
 * - `not_pending`: the order is already final in the ledger, the gateway was not asked;
 * - `not_found`: the ledger has no such order.
 */
export type SyncOutcome =
  'paid' | 'closed' | 'pending' | 'trade_not_exist' | 'mismatch' | 'query_failed' | 'not_pending' | 'not_found';

/** What one synchronisation found and did: the public `SyncOrderResult` without its `outTradeNo`. */
export interface _SyncResult {
  /** The order after the call; `undefined` when the ledger does not know it. */
  order: OrderRecord | undefined;
  /** What the gateway said, or why it was not asked ({@link SyncOutcome}). */
  outcome: SyncOutcome;
  /** True when this call moved the order (`created → paid` or `created → closed`). */
  changed: boolean;
  /** The gateway's `<trade>`, when it answered with one. */
  trade?: QueriedTrade;
  /** The gateway or transport error, for `query_failed`. */
  error?: unknown;
  /** The first hook error. The event stays pending: the next notification or sync runs it again. */
  hookError?: unknown;
}

/**
 * Ask the gateway (single_trade_query) about a pending order and apply a confirmed final state
 * through the ledger, then run the queued hooks once (outbox). The sync return alone never marks
 * an order paid (§2.4 step 5); this does, when the query says TRADE_FINISHED with the recorded
 * amount. Ledger failures propagate; gateway and hook failures are reported in the result.
 */
export async function _syncOrder(ctx: SyncContext, order: OrderRecord): Promise<_SyncResult> {
  if (order.status !== 'created') return { order, outcome: 'not_pending', changed: false };
  let trade: QueriedTrade;
  try {
    trade = await ctx.client.query({ out_trade_no: order.out_trade_no });
  } catch (e) {
    if (isAlipayError(e) && e.gatewayCode === 'TRADE_NOT_EXIST')
      return { order, outcome: 'trade_not_exist', changed: false };
    ctx.logger.warn('alipay active query failed', { out_trade_no: order.out_trade_no, error: errName(e) });
    return { order, outcome: 'query_failed', changed: false, error: e };
  }
  if (trade.out_trade_no !== order.out_trade_no) return { order, outcome: 'mismatch', changed: false, trade };
  let outcome: 'paid' | 'closed';
  let changed: boolean;
  if (trade.trade_status === 'TRADE_FINISHED' || trade.trade_status === 'TRADE_SUCCESS') {
    // §5.3: the query's total_fee is the figure the order was priced in (the CNY figure for rmb_fee
    // orders); there is no currency element. A missing or unreadable amount is a mismatch.
    if (_queriedMinor(trade, order) !== (order.total_fee_minor ?? order.rmb_fee_minor)) {
      ctx.logger.warn('alipay active query: amount differs from the ledger, not applied', {
        out_trade_no: order.out_trade_no,
      });
      return { order, outcome: 'mismatch', changed: false, trade };
    }
    // A concurrent close (sweeper, notification) makes this paid_after_close in the ledger: never dropped.
    const r = await ctx.ledger.markPaid(order.out_trade_no, { trade_no: trade.trade_no || null, source: 'query' });
    outcome = 'paid';
    changed = r.changed;
  } else if (trade.trade_status === 'TRADE_CLOSED') {
    outcome = 'closed';
    changed = (await ctx.ledger.markClosed(order.out_trade_no, { source: 'query' })).changed;
  } else return { order, outcome: 'pending', changed: false, trade };
  let hookError: unknown;
  await _fireHooks(ctx, order.out_trade_no).catch((e: unknown) => {
    hookError = e;
  });
  return {
    order: await ctx.ledger.getOrder(order.out_trade_no),
    outcome,
    changed,
    trade,
    ...(hookError !== undefined ? { hookError } : {}),
  };
}

/** The queried `total_fee` in the order's pricing unit (minor units), or undefined when missing or unreadable. */
function _queriedMinor(trade: QueriedTrade, order: OrderRecord): number | undefined {
  if (trade.total_fee === undefined) return undefined;
  try {
    return toMinorUnits(trade.total_fee, order.total_fee_minor !== null ? order.currency : 'CNY', { range: false });
  } catch {
    return undefined;
  }
}

/** The router's active confirmation (GET /orders, POST /return): {@link _syncOrder}, order only. */
export async function _confirmByQuery(ctx: SyncContext, order: OrderRecord): Promise<OrderRecord> {
  return (await _syncOrder(ctx, order)).order ?? order;
}
