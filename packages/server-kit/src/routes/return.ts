// GET /return and POST /return (protocol §3.8, §1.4 rule 6): verify the sync return; never
// mark an order paid from it. Redirects stay same-origin.
import { isAlipayError, parseReturn, repairReturnSign } from '@alipay-kit/core';
import type { ReturnRequest, ReturnResponse } from '@alipay-kit/core/contract';
import { _isOutTradeNo } from './ids.js';
import { _confirmByQuery, _publicStatus, type RouterContext } from './context.js';
import { _errorAnswer } from './errors.js';
import { _jsonAnswer, _redirectAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import { _readJsonBody } from './json-body.js';

/** Parse the RAW query string, repair spaces → `+` in `sign` only (§1.4 rule 6), verify. */
async function verifyReturn(
  ctx: RouterContext,
  rawQuery: string,
): Promise<{ params: Record<string, string>; verified: boolean }> {
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
  return async function alipayReturnRedirect(req: _HttpRequest): Promise<_HttpAnswer> {
    const { params, verified } = await verifyReturn(ctx, req.rawQuery.length > 8192 ? '' : req.rawQuery);
    if (!verified) ctx.logger.warn('alipay return did not verify', { out_trade_no: params.out_trade_no?.slice(0, 64) });
    const id = params.out_trade_no;
    // Always a path on this origin (validated at startup), never a URL from the request.
    const target = _isOutTradeNo(id) ? `${page}?out_trade_no=${encodeURIComponent(id)}` : page;
    return _redirectAnswer(target);
  };
}

export function _postReturnHandler(ctx: RouterContext) {
  return async function alipayReturnVerify(req: _HttpRequest): Promise<_HttpAnswer> {
    const read = await _readJsonBody(req);
    if ('answer' in read) return read.answer;
    const body = read.body as { [K in keyof ReturnRequest]?: unknown } | undefined; // untrusted until checked
    if (typeof body?.query !== 'string' || body.query.length > 8192)
      return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'query must be the raw return query string');
    const { params, verified } = await verifyReturn(ctx, body.query);
    const id = params.out_trade_no;
    if (typeof id !== 'string' || id === '')
      return _errorAnswer(400, 'ERR_INVALID_PARAMS', 'the return carries no out_trade_no');
    if (!_isOutTradeNo(id))
      return _errorAnswer(
        400,
        'ERR_INVALID_PARAMS',
        'the return carries an out_trade_no that is not 1–64 letters, digits, _ or -',
      );
    if (!(await ctx.tokens.check(body.orderToken, id)))
      return _errorAnswer(401, 'ERR_UNAUTHORIZED', 'a valid order token for this order is required');
    let order = await ctx.ledger.getOrder(id);
    if (!order) return _errorAnswer(404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
    // A verified return is a hint to ask the gateway now; the query, not the return, decides.
    if (verified && order.status === 'created') {
      try {
        order = await _confirmByQuery(ctx, order);
      } catch (e) {
        ctx.logger.warn('alipay return: confirmation failed', {
          out_trade_no: id.slice(0, 64),
          error: isAlipayError(e) ? e.code : 'unknown',
        });
      }
    }
    return _jsonAnswer(200, { outTradeNo: id, status: _publicStatus(order.status), verified } satisfies ReturnResponse);
  };
}
