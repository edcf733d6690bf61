// POST /refunds and POST /reconcile, for the merchant's admin, behind authorize(req).
import type { ReconcileRequest, RefundRequest, RefundResponse } from '@alipay-kit/core/contract';
import { reconcile } from '../reconcile.js';
import type { RouterContext } from './context.js';
import { _errorAnswer, _thrownAnswer } from './errors.js';
import { _jsonAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import { _readJsonBody } from './json-body.js';
import { refundThroughLedger } from './refund-through-ledger.js';

/** Run `authorize` (before the body is read): undefined when allowed, else the refusal. */
export async function _authorize(ctx: RouterContext, req: _HttpRequest): Promise<_HttpAnswer | undefined> {
  const hook = ctx.options.authorize;
  if (!hook) return _errorAnswer(403, 'ERR_UNAUTHORIZED', 'admin routes are disabled: no authorize hook configured');
  let r: unknown;
  try {
    r = await hook(req.hookRequest(undefined));
  } catch {
    r = 401;
  }
  if (r === true) return undefined;
  if (r === 401) return _errorAnswer(401, 'ERR_UNAUTHORIZED', 'authentication required');
  return _errorAnswer(403, 'ERR_UNAUTHORIZED', 'not allowed');
}

/**
 * POST /refunds: {@link refundThroughLedger} (the same function merchants call), answered from
 * what it recorded: a refusal recorded earlier is final (200), a refusal now is 409
 * `ERR_REFUND_REJECTED`, anything else — accepted, succeeded, or `possibly_done` (ambiguous) — 202.
 * Sending the same `outReturnNo` again retries a `requested` or `possibly_done` refund with
 * identical terms (§6.3), which is how an operator resolves an ambiguous one.
 */
export function _refundHandler(ctx: RouterContext) {
  return async function alipayRefund(req: _HttpRequest): Promise<_HttpAnswer> {
    const denied = await _authorize(ctx, req);
    if (denied) return denied;
    const read = await _readJsonBody(req);
    if ('answer' in read) return read.answer;
    const b = read.body as { [K in keyof RefundRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof b?.outTradeNo !== 'string' || b.outTradeNo === '')
      return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'outTradeNo is required');
    try {
      const r = await refundThroughLedger({
        client: ctx.client,
        ledger: ctx.ledger,
        logger: ctx.logger,
        notifyUrl: ctx.options.notifyUrl,
        outTradeNo: b.outTradeNo,
        ...(b.amount !== undefined ? { amount: b.amount as string } : {}),
        ...(b.reason !== undefined ? { reason: b.reason as string } : {}),
        ...(b.outReturnNo !== undefined ? { outReturnNo: b.outReturnNo as string } : {}),
      });
      if (r.sent && r.refund.status === 'failed')
        return _errorAnswer(
          409,
          'ERR_REFUND_REJECTED',
          `the gateway refused the refund: ${r.refund.error_code ?? 'UNKNOWN'}`,
        );
      const body: RefundResponse = {
        outReturnNo: r.refund.out_return_no,
        outTradeNo: r.refund.out_trade_no,
        status: r.refund.status,
        amount: r.amount,
        currency: r.currency,
      };
      return _jsonAnswer(r.refund.status === 'failed' ? 200 : 202, body);
    } catch (e) {
      return _thrownAnswer(e);
    }
  };
}

export function _reconcileHandler(ctx: RouterContext) {
  return async function alipayReconcile(req: _HttpRequest): Promise<_HttpAnswer> {
    const denied = await _authorize(ctx, req);
    if (denied) return denied;
    const read = await _readJsonBody(req);
    if ('answer' in read) return read.answer;
    const b = read.body as { [K in keyof ReconcileRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof b?.startDate !== 'string' || typeof b.endDate !== 'string')
      return _errorAnswer(400, 'ERR_INVALID_DATE', 'startDate and endDate are required (YYYYMMDD or YYYY-MM-DD)');
    try {
      return _jsonAnswer(
        200,
        await reconcile({ client: ctx.client, ledger: ctx.ledger, startDate: b.startDate, endDate: b.endDate }),
      );
    } catch (e) {
      return _thrownAnswer(e);
    }
  };
}
