// GET /orders/:outTradeNo — order state for the widget, behind the order token.
import { formatRequestAmount } from '@alipay-kit/core';
import type { OrderStatusResponse, PublicOrder } from '@alipay-kit/core/contract';
import type { OrderRecord } from '../ledger/types.js';
import { _confirmByQuery, _publicStatus, type RouterContext } from './context.js';
import { _errorAnswer } from './errors.js';
import { _jsonAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import { _decodeOutTradeNo } from './ids.js';

export type { PublicOrder } from '@alipay-kit/core/contract';

/** The order as the browser may see it (`PublicOrder`, @alipay-kit/core/contract). */
export function _publicOrder(o: OrderRecord): PublicOrder {
  const rmb = o.total_fee_minor === null;
  return {
    outTradeNo: o.out_trade_no,
    status: _publicStatus(o.status),
    amount: rmb ? formatRequestAmount(o.rmb_fee_minor!, 'CNY') : formatRequestAmount(o.total_fee_minor!, o.currency),
    currency: o.currency,
    subject: o.subject,
    rmb,
  };
}

export function _ordersHandler(ctx: RouterContext) {
  const after = ctx.options.activeQueryAfterSeconds;
  /** `rawId`: the path segment after `/orders/`, still percent-encoded. */
  return async function alipayOrderStatus(req: _HttpRequest, rawId: string): Promise<_HttpAnswer> {
    const id = _decodeOutTradeNo(rawId);
    if (typeof id !== 'string') return id;
    const auth = req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m || !(await ctx.tokens.check(m[1], id)))
      return _errorAnswer(401, 'ERR_UNAUTHORIZED', 'a valid order token for this order is required');
    let order = await ctx.ledger.getOrder(id);
    if (!order) return _errorAnswer(404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
    if (
      order.status === 'created' &&
      after !== undefined &&
      ctx.now().getTime() - Date.parse(order.created_at) >= after * 1000
    ) {
      order = await _confirmByQuery(ctx, order);
    }
    return _jsonAnswer(200, _publicOrder(order) satisfies OrderStatusResponse);
  };
}
