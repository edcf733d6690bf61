import { findProduct, fromMinor, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { cnyAbout, money } from './format.js';
import { productText, t } from './i18n.js';
import { initShell } from './shell.js';
import * as store from './store.js';
import { mountCheckout } from './widget.js';

const root = $('#checkout');
const LOCK =
  '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/></svg>';

async function cnyHint(totalMinor: number, currency: string): Promise<string | undefined> {
  try {
    const r = await fetch('/api/rates', { headers: { accept: 'application/json' } });
    if (!r.ok) return undefined;
    const { rates } = (await r.json()) as { rates: Record<string, string> };
    const rate = Number(rates[currency]);
    if (!rate) return undefined;
    // Display only: the cashier shows the exact CNY amount Alipay charges.
    return t('checkout.cnyHint', { cny: cnyAbout(totalMinor, currency, rate) });
  } catch {
    return undefined;
  }
}

function render(): void {
  const currency = store.getCurrency();
  const lines = store.getLines();
  if (lines.length === 0) {
    root.replaceChildren(
      h(
        'div',
        { class: 'empty card' },
        h('h2', {}, t('checkout.nothing')),
        h('p', { class: 'muted' }, t('cart.empty')),
        h('a', { class: 'btn btn-primary', href: '/' }, t('cart.browse')),
      ),
    );
    return;
  }
  let total = 0;
  const items = lines.map((l) => {
    const p = findProduct(l.id)!;
    const name = productText(p).name;
    const line = toMinor(p.prices[currency], currency) * l.qty;
    total += line;
    return h(
      'li',
      { class: 'mini-line' },
      h(
        'div',
        { class: 'mini-thumb' },
        svg(productArt(p.art)),
        h('span', { class: 'mini-qty', 'aria-label': t('order.quantity', { n: l.qty }) }, String(l.qty)),
      ),
      h('span', { class: 'mini-name' }, name),
      h('span', { class: 'mini-price' }, money(line, currency)),
    );
  });
  const hint = h('p', { class: 'muted small', id: 'cny-hint' });
  const payBox = h('div', { class: 'pay-box' });
  root.replaceChildren(
    h(
      'div',
      { class: 'checkout-layout' },
      h(
        'section',
        { class: 'card pay-card', 'aria-labelledby': 'pay-title' },
        h('h2', { id: 'pay-title' }, t('checkout.payment')),
        h(
          'div',
          { class: 'pay-method' },
          h('span', { class: 'radio-dot', 'aria-hidden': 'true' }),
          h(
            'div',
            {},
            h('strong', {}, t('checkout.alipay')),
            h('p', { class: 'muted small' }, t('checkout.method', { currency })),
          ),
        ),
        payBox,
        h('p', { class: 'muted small secure' }, svg(LOCK), t('checkout.secure')),
        h('a', { class: 'link-btn', href: '/cart' }, t('checkout.back')),
      ),
      h(
        'aside',
        { class: 'card summary', 'aria-label': t('order.summary') },
        h('h2', {}, t('checkout.yourOrder')),
        h('ul', { class: 'mini-lines' }, items),
        h(
          'dl',
          {},
          h('div', {}, h('dt', {}, t('order.subtotal')), h('dd', {}, money(total, currency))),
          h('div', {}, h('dt', {}, t('order.shipping')), h('dd', {}, t('order.free'))),
          h(
            'div',
            { class: 'total' },
            h('dt', {}, t('order.total')),
            h('dd', { 'data-total': fromMinor(total, currency) }, money(total, currency)),
          ),
        ),
        hint,
      ),
    ),
  );
  mountCheckout(payBox, store.payload(), (outTradeNo) => {
    store.rememberOrder({ outTradeNo, cart: store.payload(), at: new Date().toISOString() });
    store.shareOrderToken(outTradeNo);
  });
  void cnyHint(total, currency).then((t) => {
    if (t) hint.textContent = t;
  });
}

initShell(render);
render();
