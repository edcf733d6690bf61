// forex_refund (protocol §6). Retried only with the SAME out_return_no and identical signed
// parameters; REPEATED_REFUNDMENT_REQUEST on a retry means "possibly already done" (§6.3) —
// the client's own retry, or the caller's retry of a refund it recorded (`previouslySent`).
import { AlipayGatewayError, AlipayValidationError, formatRequestAmount, toMinorUnits, validateForexRefund } from '@alipay-kit/core';
import { _formatGmt8 } from '../lib/gmt8.js';
import { _callXml, _signedParams, type ClientContext } from './context.js';

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

export async function _refund(ctx: ClientContext, r: RefundParams): Promise<RefundResult> {
  if (typeof r !== 'object' || r === null) throw new TypeError('refund params must be an object');
  for (const k of ['out_trade_no', 'out_return_no', 'currency'] as const) {
    if (typeof r[k] !== 'string' || r[k] === '') throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} is required`, { field: k });
    if (r[k].length > 64) throw new AlipayValidationError('ERR_INVALID_PARAMS', `${k} is longer than 64 characters`, { field: k });
  }
  if (!/^[A-Z]{3}$/.test(r.currency) || r.currency === 'CNY') throw new AlipayValidationError('ERR_INVALID_CURRENCY', 'currency must be the payment currency, never CNY (§6.2)', { field: 'currency' });
  const hasA = !!r.return_amount;
  const hasR = !!r.return_rmb_amount;
  if (hasA === hasR) throw new AlipayValidationError('ERR_INVALID_AMOUNT', 'exactly one of return_amount / return_rmb_amount is required (§6.2)', { field: 'return_amount' });
  const return_amount = hasA ? formatRequestAmount(toMinorUnits(r.return_amount!, r.currency, { field: 'return_amount' }), r.currency) : undefined;
  const return_rmb_amount = hasR ? formatRequestAmount(toMinorUnits(r.return_rmb_amount!, 'CNY', { field: 'return_rmb_amount' }), 'CNY') : undefined;
  const gmt_return = r.gmt_return ?? _formatGmt8(ctx.now());
  const reason = r.reason === undefined || r.reason === '' ? 'no_reason' : r.reason;
  if (reason.length > 100) throw new AlipayValidationError('ERR_INVALID_PARAMS', 'reason is longer than 100 characters', { field: 'reason' });
  if (r.previouslySent !== undefined && typeof r.previouslySent !== 'boolean') throw new AlipayValidationError('ERR_INVALID_PARAMS', 'previouslySent must be a boolean', { field: 'previouslySent' });
  const resent = r.previouslySent === true;
  // Signed once: every retry sends byte-identical parameters.
  const params = _signedParams(ctx, 'forex_refund', {
    out_trade_no: r.out_trade_no,
    out_return_no: r.out_return_no,
    currency: r.currency,
    return_amount,
    return_rmb_amount,
    reason,
    gmt_return,
    notify_url: r.notify_url,
    is_sync: r.is_sync,
    product_code: r.product_code,
  });
  validateForexRefund({ ...params } as never, ctx.validate);
  let attempts = 0;
  return ctx.http.withRetry('forex_refund', true, async (n) => {
    attempts = n;
    try {
      await _callXml(ctx, 'forex_refund', params);
      return { outcome: 'accepted', out_return_no: r.out_return_no, gmt_return, attempts } satisfies RefundResult;
    } catch (e) {
      if ((n > 1 || resent) && e instanceof AlipayGatewayError && e.gatewayCode === 'REPEATED_REFUNDMENT_REQUEST') {
        ctx.logger.warn('alipay refund: REPEATED_REFUNDMENT_REQUEST on a retry, treating as possibly done', { out_return_no: r.out_return_no, attempts: n, previously_sent: resent });
        return { outcome: 'possibly_done', out_return_no: r.out_return_no, gmt_return, attempts } satisfies RefundResult;
      }
      throw e;
    }
  });
}
