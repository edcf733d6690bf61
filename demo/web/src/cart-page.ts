import { MAX_QUANTITY, findProduct, fromMinor, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { money } from './format.js';
import { productText, t } from './i18n.js';
import { initShell } from './shell.js';
import * as store from './store.js';

const root = $('#cart');

function render(): void {
  const currency = store.getCurrency();
  const lines = store.getLines();
  if (lines.length === 0) {
    root.replaceChildren(
      h(
        'div',
        { class: 'empty card' },
        h('h2', {}, t('cart.empty')),
        h('p', { class: 'muted' }, t('cart.emptyText')),
        h('a', { class: 'btn btn-primary', href: '/' }, t('cart.browse')),
      ),
    );
    return;
  }
  let total = 0;
  const rows = lines.map((l) => {
    const p = findProduct(l.id)!;
    const unit = toMinor(p.prices[currency], currency);
    total += unit * l.qty;
    const qtyId = `qty-${p.id}`;
    const { name, tagline } = productText(p);
    return h(
      'li',
      { class: 'cart-line', 'data-line': p.id },
      h('div', { class: 'cart-thumb' }, svg(productArt(p.art))),
      h(
        'div',
        { class: 'cart-info' },
        h('h3', {}, name),
        h('p', { class: 'muted' }, tagline),
        h('p', { class: 'muted small' }, t('cart.each', { price: money(unit, currency) })),
      ),
      h(
        'div',
        { class: 'qty' },
        h('label', { for: qtyId, class: 'visually-hidden' }, t('cart.qtyOf', { name })),
        h(
          'button',
          {
            type: 'button',
            class: 'qty-btn',
            'aria-label': t('cart.fewer', { name }),
            onclick: () => store.setQty(p.id, l.qty - 1),
          },
          '−',
        ),
        h('input', {
          id: qtyId,
          type: 'number',
          inputmode: 'numeric',
          min: 1,
          max: MAX_QUANTITY,
          value: l.qty,
          onchange: (e: Event) => store.setQty(p.id, Number((e.target as HTMLInputElement).value) || 0),
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'qty-btn',
            'aria-label': t('cart.more', { name }),
            disabled: l.qty >= MAX_QUANTITY,
            onclick: () => store.setQty(p.id, l.qty + 1),
          },
          '+',
        ),
      ),
      h('div', { class: 'cart-line-total' }, money(unit * l.qty, currency)),
      h('button', { type: 'button', class: 'link-btn', onclick: () => store.setQty(p.id, 0) }, t('cart.remove')),
    );
  });
  root.replaceChildren(
    h(
      'div',
      { class: 'cart-layout' },
      h('ul', { class: 'cart-lines card', 'aria-label': t('cart.items') }, rows),
      h(
        'aside',
        { class: 'summary card', 'aria-label': t('order.summary') },
        h('h2', {}, t('cart.summary')),
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
        h('a', { class: 'btn btn-primary btn-block', href: '/checkout' }, t('cart.checkout')),
        h('p', { class: 'muted small center' }, t('cart.pricesIn', { currency })),
      ),
    ),
  );
}

initShell(render);
store.onChange(render);
render();
