/**
 * Detail of {@link AlipayCheckoutErrorEvent}. `code` is the router's `error.code` verbatim when it
 * sent one, else one of the widget's own: `NO_ENDPOINT`, `NETWORK_ERROR`, `TIMEOUT`,
 * `BAD_RESPONSE`, `HTTP_<status>`.
 */
export interface AlipayCheckoutErrorDetail {
  code: string;
}

/**
 * `alipay-checkout:error` — a request failed; the element shows the error state with a retry
 * button. Bubbles and is composed.
 *
 * @example
 * ```ts
 * el.addEventListener('alipay-checkout:error', (e) => telemetry.count(e.detail.code));
 * ```
 */
export type AlipayCheckoutErrorEvent = CustomEvent<AlipayCheckoutErrorDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:error': AlipayCheckoutErrorEvent;
  }
}
