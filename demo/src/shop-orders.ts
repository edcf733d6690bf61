/**
 * The demo shop's answer to the router's `resolveOrder`: the browser says which products and how
 * many, the catalog says the price. Also the order number format and what is stored with each
 * order for the admin.
 */
import { randomBytes } from 'node:crypto';
import { formatRequestAmount } from '@alipay-kit/core';
import type { ResolvedOrder } from '@alipay-kit/server-kit';
import type { OrderMetadata } from './admin-views.js';
import { CartError, priceCart, SUPPLIER_NAME, type PricedCart } from './catalog.js';

/**
 * A new order number, `LL-YYMMDD-XXXXXXXX`: readable, sortable by day, unguessable enough for a
 * demo (the order token protects an order's status, not the number).
 *
 * @example newOrderNumber(new Date('2026-12-03T06:00:00Z')) // 'LL-261203-9F2C01AB'
 */
export function newOrderNumber(now = new Date()): string {
  const d = now.toISOString().slice(2, 10).replace(/-/g, '');
  return `LL-${d}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * The priced cart as `trade_information` (protocol §3.3, business_type 4 "goods trade").
 *
 * @example tradeInformation(priceCart({ currency: 'USD', items: [{ id: 'oolong-tin', qty: 1 }] })).business_type // '4'
 */
export function tradeInformation(cart: PricedCart): {
  business_type: string;
  goods_info: string;
  total_quantity: string;
} {
  return { business_type: '4', goods_info: cart.goodsInfo, total_quantity: String(cart.quantity) };
}

/**
 * The priced lines, stored with the order (the router JSON-serialises `metadata`).
 *
 * @example orderMetadata(cart).items[0] // { id: 'oolong-tin', name: 'Oolong tin', qty: 1, amount: '18.00' }
 */
export function orderMetadata(cart: PricedCart): OrderMetadata {
  return {
    items: cart.lines.map((l) => ({
      id: l.product.id,
      name: l.product.name,
      qty: l.qty,
      amount: formatRequestAmount(l.minor, cart.currency),
    })),
  };
}

/**
 * `resolveOrder` for the demo shop: prices the posted cart from the catalog (a bad cart is a 400
 * with the cart's own code) and adds the optional §3.2 parameters the router allows.
 *
 * @example alipayRouter({ …, resolveOrder: shopOrderResolver('https://shop.example.com') })
 */
export function shopOrderResolver(publicUrl: string): (req: { body?: unknown }) => ResolvedOrder {
  return (req) => {
    let cart: PricedCart;
    try {
      cart = priceCart((req.body as { order?: unknown } | undefined)?.order);
    } catch (e) {
      if (e instanceof CartError) throw Object.assign(e, { status: 400 });
      throw e;
    }
    return {
      outTradeNo: newOrderNumber(),
      amount: cart.total,
      currency: cart.currency,
      subject: cart.subject,
      body: `${cart.quantity} item${cart.quantity === 1 ? '' : 's'} from ${SUPPLIER_NAME}`,
      metadata: orderMetadata(cart),
      payment: {
        supplier: SUPPLIER_NAME,
        // The cashier's "Back to the merchant" link: back to checkout, cart intact.
        refer_url: `${publicUrl}/checkout`,
        trade_information: tradeInformation(cart),
      },
    };
  };
}
