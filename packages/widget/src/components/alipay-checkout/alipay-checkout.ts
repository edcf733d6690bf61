import { AlipayCheckout } from './alipay-checkout.component.js';

export { AlipayCheckout };

// Registration is this module's only side effect, and it is guarded: no DOM, no registry
// (Node, SSR) → nothing happens; a second copy of the widget on the page → the first one wins.
if (globalThis.customElements && !customElements.get('alipay-checkout')) {
  customElements.define('alipay-checkout', AlipayCheckout);
}

declare global {
  interface HTMLElementTagNameMap {
    'alipay-checkout': AlipayCheckout;
  }
}
