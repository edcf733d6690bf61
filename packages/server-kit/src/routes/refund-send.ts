/**
 * Sending one recorded refund to the gateway and recording what its answer proves — never more.
 * Shared by `POST /refunds`, `resolvePendingRefunds()` and the late-payment auto-refund.
 *
 * The rule (protocol §6.3–§6.5): only an answer that proves the gateway did NOT execute the refund
 * may mark it `failed`. Everything else — `SYSTEM_ERROR` / `SYSTEM_EXCEPTION` ("internal error,
 * retry later"), `REPEATED_REFUNDMENT_REQUEST`, an unknown code, a timeout, a 5xx, a reset
 * connection, an unreadable reply — leaves it `possibly_done`, which still counts against the
 * order's refundable remainder until a notification, a retry with the same `out_return_no` or the
 * compare file resolves it.
 *
 * @module
 */
import { formatRequestAmount, isAlipayError } from '@alipay-kit/core';
import type { GatewayClient } from '../client/create-gateway-client.js';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import type { Logger } from '../lib/logger.js';

/**
 * Gateway codes that prove a `forex_refund` was refused before anything was executed (§6.4 order
 * of checks, §6.5, §1.6). `REPEATED_REFUNDMENT_REQUEST` is deliberately absent: the gateway checks
 * the id before the amount, so it is exactly what a retry of an executed refund gets.
 */
const DEFINITIVE_REFUSALS = new Set([
  'RETURN_AMOUNT_EXCEED',
  'CURRENCY_NOT_SAME',
  'PURCHASE_TRADE_NOT_EXIST',
  'REFUNDMENT_VALID_DATE_EXCEED',
]);

/** True when a `forex_refund` failure proves the refund was not executed. */
export function _isDefinitiveRefundRefusal(e: unknown): boolean {
  if (!isAlipayError(e)) return false;
  // Refused by our own validation: nothing left the process.
  if (e.code === 'ERR_INVALID_PARAMS' || e.code === 'ERR_INVALID_AMOUNT' || e.code === 'ERR_INVALID_CURRENCY')
    return e.gatewayCode === undefined;
  const g = e.gatewayCode;
  if (e.code !== 'ERR_GATEWAY' || g === undefined) return false;
  return DEFINITIVE_REFUSALS.has(g) || g.startsWith('ILLEGAL_');
}

/** What {@link _sendRefund} needs of the router. */
export interface RefundSendContext {
  client: GatewayClient;
  ledger: Ledger;
  logger: Logger;
  notifyUrl?: string;
}

/** The result of one send: the refund as now stored, and the gateway's code when it gave one. */
export interface RefundSendResult {
  refund: RefundRecord;
  gatewayCode?: string;
}

/**
 * Send a recorded refund (`requested` or `possibly_done`) and store the outcome. Never throws for
 * gateway or transport trouble (the outcome is in the stored refund); ledger errors propagate.
 * `previouslySent`: this `out_return_no` may already have reached the gateway (a retry).
 */
export async function _sendRefund(
  ctx: RefundSendContext,
  order: OrderRecord,
  refund: RefundRecord,
  previouslySent: boolean,
): Promise<RefundSendResult> {
  const rmb = refund.currency === 'CNY' && order.currency !== 'CNY';
  const amount = formatRequestAmount(refund.amount_minor, refund.currency);
  try {
    const result = await ctx.client.refund({
      out_trade_no: order.out_trade_no,
      out_return_no: refund.out_return_no,
      currency: order.currency,
      ...(rmb ? { return_rmb_amount: amount } : { return_amount: amount }),
      reason: refund.reason ?? undefined,
      notify_url: ctx.notifyUrl,
      previouslySent,
    });
    // possibly_done here means a retry was answered REPEATED_REFUNDMENT_REQUEST (§6.3).
    return {
      refund: await ctx.ledger.setRefundRequestStatus(
        refund.out_return_no,
        result.outcome,
        result.outcome === 'possibly_done' ? 'REPEATED_REFUNDMENT_REQUEST' : null,
      ),
    };
  } catch (e) {
    const gatewayCode = isAlipayError(e) ? e.gatewayCode : undefined;
    const code = gatewayCode ?? (isAlipayError(e) ? e.code : 'ERR_NETWORK');
    if (_isDefinitiveRefundRefusal(e)) {
      return {
        refund: await ctx.ledger.setRefundRequestStatus(refund.out_return_no, 'failed', code),
        ...(gatewayCode ? { gatewayCode } : {}),
      };
    }
    ctx.logger.warn(
      'alipay refund: the answer does not say whether the refund was executed; kept possibly_done until a notification, a retry or the compare file resolves it',
      {
        out_return_no: refund.out_return_no,
        code,
      },
    );
    return {
      refund: await ctx.ledger.setRefundRequestStatus(refund.out_return_no, 'possibly_done', code),
      ...(gatewayCode ? { gatewayCode } : {}),
    };
  }
}
