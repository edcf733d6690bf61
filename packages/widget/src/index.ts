/**
 * `@alipay-kit/widget`: the `<alipay-checkout>` element. Importing this module registers the
 * tag (when there is a custom-element registry); import
 * `@alipay-kit/widget/alipay-checkout.component.js` for the class alone.
 *
 * @example
 * ```ts
 * import '@alipay-kit/widget';
 * const el = document.createElement('alipay-checkout');
 * el.endpoint = '/alipay';
 * el.order = { cart: 'c_81' };
 * el.addEventListener('alipay-checkout:paid', (e) => console.log(e.detail.outTradeNo));
 * document.body.append(el);
 * ```
 * @module
 */
export { AlipayCheckout } from './components/alipay-checkout/alipay-checkout.js';
export { TOKEN_KEY } from './components/alipay-checkout/alipay-checkout.component.js';
export type { AlipayCheckoutRedirectDetail, AlipayCheckoutRedirectEvent } from './events/redirect.js';
export type { AlipayCheckoutPaidDetail, AlipayCheckoutPaidEvent } from './events/paid.js';
export type { AlipayCheckoutPendingDetail, AlipayCheckoutPendingEvent } from './events/pending.js';
export type { AlipayCheckoutFailedDetail, AlipayCheckoutFailedEvent } from './events/failed.js';
export type { AlipayCheckoutErrorDetail, AlipayCheckoutErrorEvent } from './events/error.js';
export type { Messages } from './i18n/en.js';
export { catalogs, localeChain, resolveMessages, type Locale } from './i18n/resolve.js';
export type * from './types.js';
