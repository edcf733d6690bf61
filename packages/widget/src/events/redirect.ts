import type { CheckoutForm } from '../types.js';

/** Detail of {@link AlipayCheckoutRedirectEvent}. */
export interface AlipayCheckoutRedirectDetail {
  outTradeNo: string;
  /** The signed cashier URL ('' when the form is to be posted). */
  url: string;
  /** The form alternative, for merchants who navigate themselves. */
  form: CheckoutForm;
}

/**
 * `alipay-checkout:redirect` — the router answered with a signed cashier URL and the element is
 * about to leave the page. Cancelable: `preventDefault()` keeps the buyer here (the element goes
 * back to `idle`; the order token is already in `sessionStorage` should you navigate yourself).
 * Bubbles and is composed.
 *
 * @example
 * ```ts
 * el.addEventListener('alipay-checkout:redirect', (e) => {
 *   if (!confirm(`Pay order ${e.detail.outTradeNo}?`)) e.preventDefault();
 * });
 * ```
 */
export type AlipayCheckoutRedirectEvent = CustomEvent<AlipayCheckoutRedirectDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:redirect': AlipayCheckoutRedirectEvent;
  }
}
