/**
 * The one place the storefront touches `<alipay-checkout>` (packages/widget). Everything the
 * pages need from it goes through these two functions.
 */
import '@alipay-kit/widget';
import type { CartPayload } from '../../src/catalog.js';

/** The server-kit router is mounted here (src/app.ts). */
export const ENDPOINT = '/api/alipay';

type Checkout = HTMLElement & { order?: unknown; endpoint?: string; variant?: string };

/**
 * The pay button on the checkout page. `order` is ids + quantities + currency, never a price.
 * Its text follows `<html lang>` (any of the widget's seven locales).
 */
export function mountCheckout(
  container: HTMLElement,
  order: CartPayload,
  onRedirect: (outTradeNo: string) => void,
): HTMLElement {
  const el = document.createElement('alipay-checkout') as Checkout;
  el.setAttribute('endpoint', ENDPOINT);
  el.setAttribute('variant', 'auto');
  el.setAttribute('order', JSON.stringify(order));
  el.addEventListener('alipay-checkout:redirect', (e) => onRedirect(e.detail.outTradeNo));
  container.replaceChildren(el);
  return el;
}

export interface ReturnHandlers {
  paid(outTradeNo: string, status: string): void;
  pending(outTradeNo: string): void;
  failed(outTradeNo: string, status: string): void;
  error(code: string): void;
}

/**
 * The result page: the same element, reading the gateway's return parameters from the address
 * bar, verifying them with the server and polling the order until the notification confirms it.
 */
export function mountReturn(container: HTMLElement, on: ReturnHandlers): HTMLElement {
  const el = document.createElement('alipay-checkout') as Checkout;
  el.setAttribute('endpoint', ENDPOINT);
  el.addEventListener('alipay-checkout:paid', (e) => on.paid(e.detail.outTradeNo, e.detail.status));
  el.addEventListener('alipay-checkout:pending', (e) => on.pending(e.detail.outTradeNo));
  el.addEventListener('alipay-checkout:failed', (e) => on.failed(e.detail.outTradeNo, e.detail.status));
  el.addEventListener('alipay-checkout:error', (e) => on.error(e.detail.code));
  container.replaceChildren(el);
  return el;
}
