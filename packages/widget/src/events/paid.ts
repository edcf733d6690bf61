import type { PublicOrderStatus } from '../types.js';

/** Detail of {@link AlipayCheckoutPaidEvent}. */
export interface AlipayCheckoutPaidDetail {
  outTradeNo: string;
  /** `paid`, or `refunded` / `partially_refunded` when the payment has since been refunded. */
  status: PublicOrderStatus;
}

/**
 * `alipay-checkout:paid` — the merchant's server confirmed the payment. Bubbles and is composed.
 *
 * @example
 * ```ts
 * document.addEventListener('alipay-checkout:paid', (e) => showReceipt(e.detail.outTradeNo));
 * ```
 */
export type AlipayCheckoutPaidEvent = CustomEvent<AlipayCheckoutPaidDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:paid': AlipayCheckoutPaidEvent;
  }
}
