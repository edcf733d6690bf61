// forex_refund (protocol §6): core's validateForexRefund → sign once → POST → verified XML →
// core's readForexRefundResponse. Retried only with the SAME out_return_no and identical signed
// parameters; REPEATED_REFUNDMENT_REQUEST on a retry means "possibly already done" (§6.3) —
// the client's own retry, or the caller's retry of a refund it recorded (`previouslySent`).
import {
  AlipayGatewayError,
  AlipayValidationError,
  formatBeijingDateTime,
  formatRequestAmount,
  toMinorUnits,
} from '@alipay-kit/core';
import { _exchangeXml, _request, type ClientContext } from './context.js';
import { _OPERATIONS } from './services.js';

/** A refund request (§6.2). Exactly one of `return_amount` / `return_rmb_amount`. */
export interface RefundParams {
  out_trade_no: string;
  /** Merchant refund id, unique per refund. Reuse it to retry the same refund. */
  out_return_no: string;
  /** The payment's currency (never CNY, even with `return_rmb_amount`). */
  currency: string;
  return_amount?: string;
  return_rmb_amount?: string;
  /** Always sent; defaults to `no_reason` (§6.2, vector A10). */
  reason?: string;
  notify_url?: string;
  is_sync?: 'Y' | 'N';
  product_code?: string;
  /** Override the request time (`yyyy-MM-dd HH:mm:ss`, GMT+8); default: the client's clock. */
  gmt_return?: string;
  /**
   * Not sent. True when this `out_return_no` may already have reached the gateway: the caller
   * retries a refund it recorded (after a timeout, a lost reply, a crash). A
   * REPEATED_REFUNDMENT_REQUEST is then `possibly_done` from the first attempt (§6.3), not only
   * on the client's own retries. Leave it unset for a fresh `out_return_no`: there the code
   * means the id was already used for another refund.
   */
  previouslySent?: boolean;
}

/** Outcome of {@link GatewayClient.refund}. */
export interface RefundResult {
  /**
   * `accepted`: the gateway answered T. `possibly_done`: a retry (the client's own, or any
   * attempt with `previouslySent`) got REPEATED_REFUNDMENT_REQUEST, so an earlier attempt
   * probably went through — its notification or reconciliation confirms it.
   */
  outcome: 'accepted' | 'possibly_done';
  out_return_no: string;
  gmt_return: string;
  attempts: number;
}

const SERVICE = 'forex_refund';

/** An amount as the gateway wants it (`1.5` → `1.50`, JPY whole); anything else is left for core's validator. */
function amount(value: unknown, currency: unknown, field: string): string | undefined {
  if (typeof value !== 'string' || value === '' || typeof currency !== 'string') return value as string | undefined;
  return formatRequestAmount(toMinorUnits(value, currency, { field }), currency);
}

export async function _refund(ctx: ClientContext, r: RefundParams): Promise<RefundResult> {
  if (typeof r !== 'object' || r === null) throw new TypeError('refund params must be an object');
  if (r.previouslySent !== undefined && typeof r.previouslySent !== 'boolean')
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'previouslySent must be a boolean', {
      field: 'previouslySent',
    });
  const resent = r.previouslySent === true;
  const gmt_return = r.gmt_return ?? formatBeijingDateTime(ctx.now().getTime());
  // Signed once: every retry sends byte-identical parameters.
  const params = _request(ctx, SERVICE, {
    out_trade_no: r.out_trade_no,
    out_return_no: r.out_return_no,
    currency: r.currency,
    return_amount: amount(r.return_amount, r.currency, 'return_amount'),
    // return_rmb_amount is CNY even on a JPY order (§3.5).
    return_rmb_amount: amount(r.return_rmb_amount, 'CNY', 'return_rmb_amount'),
    reason: r.reason === undefined || r.reason === '' ? 'no_reason' : r.reason,
    gmt_return,
    notify_url: r.notify_url,
    is_sync: r.is_sync,
    product_code: r.product_code,
  });
  let attempts = 0;
  return ctx.http.withRetry(SERVICE, true, async (n) => {
    attempts = n;
    try {
      _OPERATIONS[SERVICE].read(await _exchangeXml(ctx, SERVICE, params));
      return { outcome: 'accepted', out_return_no: params.out_return_no!, gmt_return, attempts } satisfies RefundResult;
    } catch (e) {
      if ((n > 1 || resent) && e instanceof AlipayGatewayError && e.gatewayCode === 'REPEATED_REFUNDMENT_REQUEST') {
        ctx.logger.warn('alipay refund: REPEATED_REFUNDMENT_REQUEST on a retry, treating as possibly done', {
          out_return_no: params.out_return_no,
          attempts: n,
          previously_sent: resent,
        });
        return {
          outcome: 'possibly_done',
          out_return_no: params.out_return_no!,
          gmt_return,
          attempts,
        } satisfies RefundResult;
      }
      throw e;
    }
  });
}
