import type { PublicOrderStatus } from '../types.js';

/** Detail of {@link AlipayCheckoutFailedEvent}. */
export interface AlipayCheckoutFailedDetail {
  outTradeNo: string;
  /** `closed`: the trade was closed without payment. */
  status: PublicOrderStatus;
}

/**
 * `alipay-checkout:failed` — the server reports the trade closed without payment. Bubbles and
 * is composed.
 *
 * @example
 * ```ts
 * el.addEventListener('alipay-checkout:failed', () => cart.restore());
 * ```
 */
export type AlipayCheckoutFailedEvent = CustomEvent<AlipayCheckoutFailedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:failed': AlipayCheckoutFailedEvent;
  }
}
