/**
 * `single_trade_query` (§5): trade_no takes precedence over out_trade_no; neither is
 * ILLEGAL_ARGUMENT; no trade (including "buyer has not logged in yet", §3.1) is TRADE_NOT_EXIST.
 * The `<trade>` children come in the §5.3 decided order and are all signed.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { CheckedRequest } from '../gateway/checks.js';
import { outAmount, outCny } from '../lib/amounts.js';
import { formatGmt8 } from '../lib/time.js';
import { fitsWidth } from '../lib/width.js';
import { xmlFailure } from '../lib/xml.js';
import { TEST_BUYER_EMAIL, TEST_BUYER_ID } from '../notify/payloads.js';
import type { TradeRow } from '../store/trades.js';
import { signedReply } from './sign-reply.js';
import { refreshTrade } from './trade-state.js';

/** The seller login as the query shows it (masked, §5.3). */
export function maskedSellerEmail(partner: string): string {
  return `mer***${partner.slice(-4)}@sandbox.test`;
}

/** The §5.3 `<trade>` fields, in the decided order. */
export function queryFields(trade: TradeRow): Array<[string, string]> {
  // §5.3 decision: price / to_seller_fee / total_fee are the figure the order was priced in.
  const priced = trade.priced_in === 'cny' ? outCny(trade.cny_cents) : outAmount(trade.foreign_minor, trade.currency);
  return [
    ['body', trade.body ?? ''],
    ['buyer_email', TEST_BUYER_EMAIL],
    ['buyer_id', TEST_BUYER_ID],
    ['discount', '0.00'],
    ['flag_trade_locked', '0'],
    ['gmt_create', formatGmt8(trade.created_at)],
    ['gmt_last_modified_time', formatGmt8(trade.modified_at)],
    ['gmt_payment', trade.paid_at !== null ? formatGmt8(trade.paid_at) : ''],
    ['gmt_close', trade.closed_at !== null ? formatGmt8(trade.closed_at) : ''],
    ['is_total_fee_adjust', 'F'],
    ['operator_role', 'B'],
    ['out_trade_no', trade.out_trade_no],
    ['payment_type', '100'],
    ['price', priced],
    ['quantity', '1'],
    ['seller_email', maskedSellerEmail(trade.partner)],
    ['seller_id', trade.partner],
    ['subject', trade.subject],
    ['to_buyer_fee', '0.00'],
    ['to_seller_fee', priced],
    ['total_fee', priced],
    ['trade_no', trade.trade_no],
    ['trade_status', trade.status],
    ['use_coupon', 'F'],
  ];
}

/** Answer a checked single_trade_query. */
export function singleTradeQuery(ctx: SandboxContext, req: CheckedRequest): string {
  const { trade_no: tradeNo, out_trade_no: outTradeNo } = req.params;
  if (!tradeNo && !outTradeNo) return xmlFailure('ILLEGAL_ARGUMENT');
  // §5.2 String(64), a non-ASCII character counting 2 (§3.2).
  if (!fitsWidth(tradeNo, 64) || !fitsWidth(outTradeNo, 64)) return xmlFailure('ILLEGAL_ARGUMENT');
  const row = tradeNo ? ctx.trades.byTradeNo(req.partner, tradeNo) : ctx.trades.byOutTradeNo(req.partner, outTradeNo!);
  const trade = refreshTrade(ctx, row);
  if (!trade) return xmlFailure('TRADE_NOT_EXIST');
  return signedReply(ctx, req, 'trade', queryFields(trade));
}
