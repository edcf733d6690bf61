// Shared router state: options, token service, hook dispatch and active confirmation.
import { amountToMinor, isAlipayError } from '@alipay-kit/core';
import type { GatewayClient } from '../client/create-gateway-client.js';
import type { Ledger, OrderRecord, OrderStatus } from '../ledger/types.js';
import type { Logger } from '../lib/logger.js';
import type { AlipayRouterOptions } from './options.js';
import type { TokenService } from './token.js';

export interface RouterContext {
  options: AlipayRouterOptions;
  client: GatewayClient;
  ledger: Ledger;
  tokens: TokenService;
  logger: Logger;
  now: () => Date;
}

/** Public status of an order (`created` is shown as `pending`). */
export type PublicStatus = 'pending' | Exclude<OrderStatus, 'created'>;
export function _publicStatus(s: OrderStatus): PublicStatus {
  return s === 'created' ? 'pending' : s;
}

/**
 * Run the hooks of committed transitions, exactly once each: claim the order's pending outbox
 * events, call the hook, complete. A throwing hook releases its event and rethrows, so the
 * caller answers `fail` and the gateway's retry runs it again.
 */
export async function _fireHooks(ctx: RouterContext, outTradeNo: string): Promise<void> {
  const events = await ctx.ledger.claimEvents(outTradeNo, { staleMs: ctx.options.hookClaimStaleMs ?? 300_000 });
  let firstError: unknown;
  for (const ev of events) {
    try {
      const order = (await ctx.ledger.getOrder(ev.out_trade_no))!;
      if (ev.kind === 'paid') await ctx.options.onPaid?.(order);
      else if (ev.kind === 'closed') await ctx.options.onClosed?.(order);
      else {
        const refund = await ctx.ledger.getRefund(ev.out_return_no ?? '');
        if (refund) await ctx.options.onRefunded?.(order, refund);
      }
      await ctx.ledger.completeEvent(ev.id);
    } catch (e) {
      await ctx.ledger.releaseEvent(ev.id).catch(() => {});
      ctx.logger.warn('alipay hook failed; it will run again on the next delivery', { kind: ev.kind, out_trade_no: ev.out_trade_no, error: errName(e) });
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
}

function errName(e: unknown): string {
  return isAlipayError(e) ? e.code : e instanceof Error ? e.name : 'unknown';
}

/**
 * Ask the gateway (single_trade_query) and apply a confirmed final state. The sync return alone
 * never marks an order paid (§2.4 step 5); this does, when the query says TRADE_FINISHED with
 * the recorded amount.
 */
export async function _confirmByQuery(ctx: RouterContext, order: OrderRecord): Promise<OrderRecord> {
  if (order.status !== 'created') return order;
  let trade;
  try {
    trade = await ctx.client.query({ out_trade_no: order.out_trade_no });
  } catch (e) {
    if (!(isAlipayError(e) && e.gatewayCode === 'TRADE_NOT_EXIST')) ctx.logger.warn('alipay active query failed', { out_trade_no: order.out_trade_no, error: errName(e) });
    return order;
  }
  if (trade.out_trade_no !== order.out_trade_no) return order;
  if (trade.trade_status === 'TRADE_FINISHED' || trade.trade_status === 'TRADE_SUCCESS') {
    // §5.3: query amounts are the figure the order was priced in; compare only foreign-priced orders.
    if (order.total_fee_minor !== null && trade.total_fee !== undefined) {
      let minor: number | undefined;
      try {
        minor = amountToMinor(trade.total_fee, order.currency);
      } catch {
        minor = undefined;
      }
      if (minor !== order.total_fee_minor) {
        ctx.logger.warn('alipay active query: amount differs from the ledger, not applied', { out_trade_no: order.out_trade_no });
        return order;
      }
    }
    await ctx.ledger.markPaid(order.out_trade_no, { trade_no: trade.trade_no || null, source: 'query' });
  } else if (trade.trade_status === 'TRADE_CLOSED') {
    await ctx.ledger.markClosed(order.out_trade_no, { source: 'query' });
  } else return order;
  await _fireHooks(ctx, order.out_trade_no).catch(() => {});
  return (await ctx.ledger.getOrder(order.out_trade_no))!;
}

