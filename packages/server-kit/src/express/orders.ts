// GET /orders/:outTradeNo — order state for the widget, behind the order token.
import type { Request, Response } from 'express';
import { formatRequestAmount } from '@alipay-kit/core';
import type { OrderStatusResponse, PublicOrder } from '@alipay-kit/core/contract';
import type { OrderRecord } from '../ledger/types.js';
import { _confirmByQuery, _publicStatus, type RouterContext } from './context.js';
import { _sendError } from './errors.js';

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
  return async function alipayOrderStatus(req: Request, res: Response): Promise<void> {
    const id = String(req.params.outTradeNo ?? '');
    const auth = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m || !(await ctx.tokens.check(m[1], id))) return _sendError(res, 401, 'ERR_UNAUTHORIZED', 'a valid order token for this order is required');
    let order = await ctx.ledger.getOrder(id);
    if (!order) return _sendError(res, 404, 'ERR_ORDER_NOT_FOUND', 'unknown order');
    if (order.status === 'created' && after !== undefined && ctx.now().getTime() - Date.parse(order.created_at) >= after * 1000) {
      order = await _confirmByQuery(ctx, order);
    }
    res.json(_publicOrder(order) satisfies OrderStatusResponse);
  };
}
