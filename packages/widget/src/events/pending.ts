/** Detail of {@link AlipayCheckoutPendingEvent}. */
export interface AlipayCheckoutPendingDetail {
  outTradeNo: string;
}

/**
 * `alipay-checkout:pending` — back from the cashier, but the server had no confirmation before
 * the polling time limit (`poll-timeout`). The gateway's notification may still arrive. Bubbles
 * and is composed.
 *
 * @example
 * ```ts
 * el.addEventListener('alipay-checkout:pending', (e) => emailMeLater(e.detail.outTradeNo));
 * ```
 */
export type AlipayCheckoutPendingEvent = CustomEvent<AlipayCheckoutPendingDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:pending': AlipayCheckoutPendingEvent;
  }
}
