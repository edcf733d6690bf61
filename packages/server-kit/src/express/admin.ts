// POST /refunds and POST /reconcile, for the merchant's admin, behind authorize(req).
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { formatRequestAmount, toMinorUnits } from '@alipay-kit/core';
import type { ReconcileRequest, RefundRequest, RefundResponse } from '@alipay-kit/core/contract';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import { reconcile } from '../reconcile.js';
import type { RouterContext } from './context.js';
import { _sendError, _sendThrown } from './errors.js';
import { _sendRefund, type RefundSendContext } from './refund-send.js';

export function _authorize(ctx: RouterContext) {
  return async function alipayAuthorize(req: Request, res: Response, next: NextFunction): Promise<void> {
    const hook = ctx.options.authorize;
    if (!hook) return _sendError(res, 403, 'ERR_UNAUTHORIZED', 'admin routes are disabled: no authorize hook configured');
    let r: unknown;
    try {
      r = await hook(req);
    } catch {
      r = 401;
    }
    if (r === true) return next();
    if (r === 401) return _sendError(res, 401, 'ERR_UNAUTHORIZED', 'authentication required');
    return _sendError(res, 403, 'ERR_UNAUTHORIZED', 'not allowed');
  };
}

/**
 * POST /refunds. The ledger checks the refundable remainder atomically (`createRefund`, order row
 * locked), so two instances refunding at once can never over-commit; the gateway's answer is
 * recorded by {@link _sendRefund} and never guessed: an ambiguous answer is `possibly_done` (202),
 * a definitive refusal `failed` (409 `ERR_REFUND_REJECTED`). Sending the same `outReturnNo` again
 * retries a `requested` or `possibly_done` refund with identical terms (§6.3), which is how an
 * operator resolves an ambiguous one.
 */
export function _refundHandler(ctx: RouterContext) {
  const send: RefundSendContext = { client: ctx.client, ledger: ctx.ledger, logger: ctx.logger, notifyUrl: ctx.options.notifyUrl };
  return async function alipayRefund(req: Request, res: Response): Promise<void> {
    const b = req.body as { [K in keyof RefundRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof b?.outTradeNo !== 'string' || b.outTradeNo === '') return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'outTradeNo is required');
    if (b.amount !== undefined && typeof b.amount !== 'string') return _sendError(res, 400, 'ERR_INVALID_AMOUNT', 'amount must be a decimal string');
    if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 100)) return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'reason must be a string of at most 100 characters');
    if (b.outReturnNo !== undefined && (typeof b.outReturnNo !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(b.outReturnNo))) return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'outReturnNo must be 1–64 letters, digits, _ or -');
    try {
      const order = await ctx.ledger.getOrder(b.outTradeNo);
      if (!order) return _sendError(res, 404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
      const unit = order.total_fee_minor === null ? 'CNY' : order.currency;
      const outReturnNo = (b.outReturnNo as string | undefined) ?? `${order.out_trade_no.slice(0, 50)}-R${randomBytes(4).toString('hex')}`;
      // Without an amount: a retry repeats the recorded one; a new refund takes what is left now
      // (the ledger re-checks it under its lock, so a concurrent refund makes this one fail cleanly).
      const amountMinor =
        b.amount !== undefined ? toMinorUnits(b.amount, unit, { field: 'amount' }) : ((await ctx.ledger.getRefund(outReturnNo))?.amount_minor ?? (await _refundableRemainder(ctx.ledger, order)));
      if (amountMinor <= 0) return _sendError(res, 400, 'ERR_INVALID_AMOUNT', `nothing is left to refund on this order (0 ${unit})`);
      // Durable log before the gateway call (§6.3), remainder checked in the same transaction.
      const { refund, created } = await ctx.ledger.createRefund({ out_return_no: outReturnNo, out_trade_no: order.out_trade_no, currency: unit, amount_minor: amountMinor, reason: (b.reason as string | undefined) ?? null });
      const amount = formatRequestAmount(amountMinor, unit);
      const answer = (status: number, r: RefundRecord) => void res.status(status).json({ outReturnNo, outTradeNo: order.out_trade_no, status: r.status, amount, currency: unit } satisfies RefundResponse);
      // A recorded refusal is final (200); succeeded or accepted (its notification is coming; asking
      // again could only bring REPEATED_REFUNDMENT_REQUEST) is answered from the ledger (202).
      if (refund.status === 'failed') return answer(200, refund);
      if (refund.status === 'succeeded' || refund.status === 'accepted') return answer(202, refund);
      const sent = await _sendRefund(send, order, refund, !created);
      if (sent.refund.status === 'failed') return _sendError(res, 409, 'ERR_REFUND_REJECTED', `the gateway refused the refund: ${sent.refund.error_code ?? 'UNKNOWN'}`);
      answer(202, sent.refund);
    } catch (e) {
      _sendThrown(res, e);
    }
  };
}

/** What is left to refund on an order now: paid minus every refund that is not `failed` (a hint; the ledger enforces it). */
async function _refundableRemainder(ledger: Ledger, order: OrderRecord): Promise<number> {
  const rmb = order.total_fee_minor === null;
  const unit = rmb ? 'CNY' : order.currency;
  const total = rmb ? order.rmb_fee_minor! : order.total_fee_minor!;
  const committed = (await ledger.listRefunds(order.out_trade_no)).filter((r) => r.status !== 'failed' && r.currency === unit).reduce((s, r) => s + r.amount_minor, 0);
  return total - committed;
}

export function _reconcileHandler(ctx: RouterContext) {
  return async function alipayReconcile(req: Request, res: Response): Promise<void> {
    const b = req.body as { [K in keyof ReconcileRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof b?.startDate !== 'string' || typeof b.endDate !== 'string') return _sendError(res, 400, 'ERR_INVALID_DATE', 'startDate and endDate are required (YYYYMMDD or YYYY-MM-DD)');
    try {
      res.json(await reconcile({ client: ctx.client, ledger: ctx.ledger, startDate: b.startDate, endDate: b.endDate }));
    } catch (e) {
      _sendThrown(res, e);
    }
  };
}
