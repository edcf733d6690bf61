/**
 * Reading a trade with its time limit applied: an unpaid trade whose `timeout_rule` window has
 * passed is closed lazily on access (§3.6 "close unpaid trades lazily on access").
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { TradeRow } from '../store/trades.js';
import { enqueuePaymentNotification } from '../notify/payloads.js';

/** Return the row after applying expiry (closing it in the store when due). */
export function refreshTrade(ctx: SandboxContext, row: TradeRow | undefined): TradeRow | undefined {
  if (!row || row.status !== 'WAIT_BUYER_PAY') return row;
  const now = ctx.clock.now();
  if (now < row.expires_at) return row;
  return closeTrade(ctx, row, row.expires_at);
}

/** Close an unpaid trade (timeout). Sends a TRADE_CLOSED notification only when enabled (§3.9 decision). */
export function closeTrade(ctx: SandboxContext, row: TradeRow, at: number): TradeRow {
  ctx.trades.setStatus(row.partner, row.trade_no, 'TRADE_CLOSED', at);
  const closed: TradeRow = { ...row, status: 'TRADE_CLOSED', closed_at: at, modified_at: at };
  ctx.log(`trade ${row.trade_no} closed (timeout)`);
  if (ctx.notifyOnClose) enqueuePaymentNotification(ctx, closed);
  return closed;
}
