// POST /refunds and POST /reconcile, for the merchant's admin, behind authorize(req).
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AlipayGatewayError, formatRequestAmount, isAlipayError, toMinorUnits } from '@alipay-kit/core';
import { reconcile } from '../reconcile.js';
import type { RouterContext } from './context.js';
import { _sendError, _sendThrown } from './errors.js';

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

export function _refundHandler(ctx: RouterContext) {
  return async function alipayRefund(req: Request, res: Response): Promise<void> {
    const b = req.body as { outTradeNo?: unknown; amount?: unknown; reason?: unknown; outReturnNo?: unknown } | undefined;
    if (typeof b?.outTradeNo !== 'string' || b.outTradeNo === '') return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'outTradeNo is required');
    if (b.amount !== undefined && typeof b.amount !== 'string') return _sendError(res, 400, 'ERR_INVALID_AMOUNT', 'amount must be a decimal string');
    if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 100)) return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'reason must be a string of at most 100 characters');
    if (b.outReturnNo !== undefined && (typeof b.outReturnNo !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(b.outReturnNo))) return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'outReturnNo must be 1–64 letters, digits, _ or -');
    try {
      const order = await ctx.ledger.getOrder(b.outTradeNo);
      if (!order) return _sendError(res, 404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
      const rmb = order.total_fee_minor === null;
      const unit = rmb ? 'CNY' : order.currency;
      const total = rmb ? order.rmb_fee_minor! : order.total_fee_minor!;
      const existing = await ctx.ledger.listRefunds(order.out_trade_no);
      const outReturnNo = (b.outReturnNo as string | undefined) ?? `${order.out_trade_no.slice(0, 50)}-R${randomBytes(4).toString('hex')}`;
      const prior = existing.find((r) => r.out_return_no === outReturnNo);
      // A retry of a recorded refund is answered whatever the order's state (its own
      // notification may already have made the order `refunded`); a new refund needs a paid order.
      if (!prior && order.status !== 'paid' && order.status !== 'partially_refunded') return _sendError(res, 409, 'ERR_INVALID_TRANSITION', `an order in state ${order.status} cannot be refunded`);
      const committed = existing.filter((r) => r.status !== 'failed' && r.out_return_no !== outReturnNo).reduce((s, r) => s + (r.currency === unit ? r.amount_minor : 0), 0);
      const remaining = total - committed;
      const amountMinor = b.amount === undefined ? (prior?.amount_minor ?? remaining) : toMinorUnits(b.amount, unit, { field: 'amount' });
      if (amountMinor <= 0 || amountMinor > remaining) return _sendError(res, 400, 'ERR_INVALID_AMOUNT', `amount exceeds the refundable remainder (${formatRequestAmount(Math.max(remaining, 0), unit)} ${unit})`);
      // Durable log before the gateway call (§6.3): a crash leaves a 'requested' refund to reconcile.
      const { refund, created } = await ctx.ledger.createRefund({ out_return_no: outReturnNo, out_trade_no: order.out_trade_no, currency: unit, amount_minor: amountMinor, reason: (b.reason as string | undefined) ?? null });
      const amount = formatRequestAmount(amountMinor, unit);
      if (refund.status === 'failed') return void res.status(200).json({ outReturnNo, outTradeNo: order.out_trade_no, status: refund.status, amount, currency: unit });
      // The gateway already has this refund (T, REPEATED on a retry, or its notification came):
      // asking again can only bring REPEATED_REFUNDMENT_REQUEST. 202 with how far it got.
      if (refund.status !== 'requested') return void res.status(202).json({ outReturnNo, outTradeNo: order.out_trade_no, status: refund.status, amount, currency: unit });
      try {
        const result = await ctx.client.refund({
          out_trade_no: order.out_trade_no,
          out_return_no: outReturnNo,
          currency: order.currency,
          ...(rmb ? { return_rmb_amount: amount } : { return_amount: amount }),
          reason: (b.reason as string | undefined) ?? undefined,
          notify_url: ctx.options.notifyUrl,
          // A recorded refund still 'requested' may have reached the gateway (lost reply, crash):
          // REPEATED_REFUNDMENT_REQUEST then means possibly done, never failed (§6.3).
          previouslySent: !created,
        });
        const updated = await ctx.ledger.setRefundRequestStatus(outReturnNo, result.outcome);
        res.status(202).json({ outReturnNo, outTradeNo: order.out_trade_no, status: updated.status, amount, currency: unit });
      } catch (e) {
        if (e instanceof AlipayGatewayError || (isAlipayError(e) && e.code === 'ERR_GATEWAY')) {
          await ctx.ledger.setRefundRequestStatus(outReturnNo, 'failed', e.gatewayCode ?? null);
          return _sendError(res, 409, 'ERR_REFUND_REJECTED', `the gateway refused the refund: ${e.gatewayCode ?? 'UNKNOWN'}`);
        }
        throw e; // transport trouble: the refund stays 'requested'; retry with the same outReturnNo
      }
    } catch (e) {
      _sendThrown(res, e);
    }
  };
}

export function _reconcileHandler(ctx: RouterContext) {
  return async function alipayReconcile(req: Request, res: Response): Promise<void> {
    const b = req.body as { startDate?: unknown; endDate?: unknown } | undefined;
    if (typeof b?.startDate !== 'string' || typeof b.endDate !== 'string') return _sendError(res, 400, 'ERR_INVALID_DATE', 'startDate and endDate are required (YYYYMMDD or YYYY-MM-DD)');
    try {
      res.json(await reconcile({ client: ctx.client, ledger: ctx.ledger, startDate: b.startDate, endDate: b.endDate }));
    } catch (e) {
      _sendThrown(res, e);
    }
  };
}
