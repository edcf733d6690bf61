// GET /return and POST /return (protocol §3.8, §1.4 rule 6): verify the sync return; never
// mark an order paid from it. Redirects stay same-origin.
import type { Request, Response } from 'express';
import { isAlipayError, parseReturn, repairReturnSign } from '@alipay-kit/core';
import type { ReturnRequest, ReturnResponse } from '@alipay-kit/core/contract';
import { _confirmByQuery, _publicStatus, type RouterContext } from './context.js';
import { _sendError } from './errors.js';

/** Parse the RAW query string, repair spaces → `+` in `sign` only (§1.4 rule 6), verify. */
async function verifyReturn(ctx: RouterContext, rawQuery: string): Promise<{ params: Record<string, string>; verified: boolean }> {
  let params: Record<string, string>;
  try {
    params = repairReturnSign(rawQuery, ctx.client.charset);
  } catch {
    return { params: Object.create(null), verified: false };
  }
  let verified = await ctx.client.verifier.verify(params);
  if (verified) {
    try {
      parseReturn(params);
    } catch {
      verified = false;
    }
  }
  return { params, verified };
}

export function _getReturnHandler(ctx: RouterContext) {
  const page = ctx.options.returnPage ?? '/';
  return async function alipayReturnRedirect(req: Request, res: Response): Promise<void> {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const { params, verified } = await verifyReturn(ctx, q === -1 ? '' : url.slice(q + 1));
    if (!verified) ctx.logger.warn('alipay return did not verify', { out_trade_no: params.out_trade_no?.slice(0, 64) });
    const id = params.out_trade_no;
    // Always a path on this origin (validated at startup), never a URL from the request.
    const target = typeof id === 'string' && id !== '' && id.length <= 64 ? `${page}?out_trade_no=${encodeURIComponent(id)}` : page;
    res.redirect(303, target);
  };
}

export function _postReturnHandler(ctx: RouterContext) {
  return async function alipayReturnVerify(req: Request, res: Response): Promise<void> {
    const body = req.body as { [K in keyof ReturnRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof body?.query !== 'string' || body.query.length > 8192) return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'query must be the raw return query string');
    const { params, verified } = await verifyReturn(ctx, body.query);
    const id = params.out_trade_no;
    if (typeof id !== 'string' || id === '') return _sendError(res, 400, 'ERR_INVALID_PARAMS', 'the return carries no out_trade_no');
    if (!(await ctx.tokens.check(body.orderToken, id))) return _sendError(res, 401, 'ERR_UNAUTHORIZED', 'a valid order token for this order is required');
    let order = await ctx.ledger.getOrder(id);
    if (!order) return _sendError(res, 404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
    // A verified return is a hint to ask the gateway now; the query, not the return, decides.
    if (verified && order.status === 'created') {
      try {
        order = await _confirmByQuery(ctx, order);
      } catch (e) {
        ctx.logger.warn('alipay return: confirmation failed', { out_trade_no: id.slice(0, 64), error: isAlipayError(e) ? e.code : 'unknown' });
      }
    }
    res.json({ outTradeNo: id, status: _publicStatus(order.status), verified } satisfies ReturnResponse);
  };
}
