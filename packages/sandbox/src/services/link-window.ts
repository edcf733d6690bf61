/**
 * The two refusals that protect money at the cashier, shared by the gateway (redirect) and the
 * cashier (login/pay): the payment link's §3.6 window (`order_gmt_create` + `order_valid_time`,
 * redirect → buyer login) has passed, or the `out_trade_no` belongs to a closed trade, which is
 * never reopened.
 *
 * Codes: `SESSION_TIMEOUT` (§1.6 "Session timed out") for an expired link; `TRADE_HAS_CLOSE`
 * (the §6.5 table's name for a closed trade, unconfirmed by the docs) for a closed trade.
 *
 * @module
 */
import { formatGmt8 } from '../lib/time.js';
import type { TradeRow } from '../store/trades.js';

/** The error code of an expired payment link (§1.6). */
export const LINK_EXPIRED_CODE = 'SESSION_TIMEOUT';
/** The error code for a payment request or login on a closed trade (§6.5 name). */
export const TRADE_CLOSED_CODE = 'TRADE_HAS_CLOSE';

/** True when a link with this expiry (ms epoch, or none) no longer lets the buyer log in at `now`. */
export function linkExpired(expiresAt: number | null | undefined, now: number): boolean {
  return expiresAt !== null && expiresAt !== undefined && now >= expiresAt;
}

/** Human text for an expired link. */
export function linkExpiredDetail(expiresAt: number): string {
  return `The payment link expired at ${formatGmt8(expiresAt)} (GMT+8): order_gmt_create + order_valid_time has passed (§3.6).`;
}

/** Human text for a closed trade. */
export function tradeClosedDetail(trade: Pick<TradeRow, 'trade_no' | 'out_trade_no'>): string {
  return `Trade ${trade.trade_no} for out_trade_no ${trade.out_trade_no} is TRADE_CLOSED; a closed trade is never reopened.`;
}
