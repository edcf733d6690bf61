import type { AlipayErrorCode } from '@alipay-kit/core/contract';
import type { WidgetErrorCode } from '../types.js';

/**
 * Detail of {@link AlipayCheckoutErrorEvent}. `code` is the router's `error.code` verbatim when it
 * sent one (an `AlipayErrorCode`, e.g. `ERR_UNAUTHORIZED`, `ERR_INVALID_PARAMS`, `ERR_INTERNAL`),
 * else one of the widget's own ({@link WidgetErrorCode}).
 */
export interface AlipayCheckoutErrorDetail {
  code: AlipayErrorCode | WidgetErrorCode;
}

/**
 * `alipay-checkout:error` — a request failed; the element shows the error state with a retry
 * button. Bubbles and is composed.
 *
 * @example
 * ```ts
 * el.addEventListener('alipay-checkout:error', (e) => {
 *   if (e.detail.code === 'NETWORK_ERROR') showOfflineHint();
 *   telemetry.count(e.detail.code);
 * });
 * ```
 */
export type AlipayCheckoutErrorEvent = CustomEvent<AlipayCheckoutErrorDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'alipay-checkout:error': AlipayCheckoutErrorEvent;
  }
}
