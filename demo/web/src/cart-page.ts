import { MAX_QUANTITY, findProduct, fromMinor, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { money } from './format.js';
import { initShell } from './shell.js';
import * as store from './store.js';

const root = $('#cart');

function render(): void {
  const currency = store.getCurrency();
  const lines = store.getLines();
  if (lines.length === 0) {
    root.replaceChildren(
      h('div', { class: 'empty card' },
        h('h2', {}, 'Your cart is empty'),
        h('p', { class: 'muted' }, 'Teas, teaware and a few lovely things for slow afternoons.'),
        h('a', { class: 'btn btn-primary', href: '/' }, 'Browse the shop'),
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
    return h('li', { class: 'cart-line', 'data-line': p.id },
      h('div', { class: 'cart-thumb' }, svg(productArt(p.art))),
      h('div', { class: 'cart-info' },
        h('h3', {}, p.name),
        h('p', { class: 'muted' }, p.tagline),
        h('p', { class: 'muted small' }, `${money(unit, currency)} each`),
      ),
      h('div', { class: 'qty' },
        h('label', { for: qtyId, class: 'visually-hidden' }, `Quantity of ${p.name}`),
        h('button', { type: 'button', class: 'qty-btn', 'aria-label': `One fewer ${p.name}`, onclick: () => store.setQty(p.id, l.qty - 1) }, '−'),
        h('input', {
          id: qtyId, type: 'number', inputmode: 'numeric', min: 1, max: MAX_QUANTITY, value: l.qty,
          onchange: (e: Event) => store.setQty(p.id, Number((e.target as HTMLInputElement).value) || 0),
        }),
        h('button', { type: 'button', class: 'qty-btn', 'aria-label': `One more ${p.name}`, disabled: l.qty >= MAX_QUANTITY, onclick: () => store.setQty(p.id, l.qty + 1) }, '+'),
      ),
      h('div', { class: 'cart-line-total' }, money(unit * l.qty, currency)),
      h('button', { type: 'button', class: 'link-btn', onclick: () => store.setQty(p.id, 0) }, 'Remove'),
    );
  });
  root.replaceChildren(
    h('div', { class: 'cart-layout' },
      h('ul', { class: 'cart-lines card', 'aria-label': 'Items in your cart' }, rows),
      h('aside', { class: 'summary card', 'aria-label': 'Order summary' },
        h('h2', {}, 'Summary'),
        h('dl', {},
          h('div', {}, h('dt', {}, 'Subtotal'), h('dd', {}, money(total, currency))),
          h('div', {}, h('dt', {}, 'Shipping'), h('dd', {}, 'Free')),
          h('div', { class: 'total' }, h('dt', {}, 'Total'), h('dd', { 'data-total': fromMinor(total, currency) }, money(total, currency))),
        ),
        h('a', { class: 'btn btn-primary btn-block', href: '/checkout' }, 'Check out'),
        h('p', { class: 'muted small center' }, 'Prices in ', currency, '. You pay the CNY equivalent with Alipay.'),
      ),
    ),
  );
}

initShell(render);
store.onChange(render);
render();
