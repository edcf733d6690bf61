import { findProduct, fromMinor, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { money } from './format.js';
import { initShell } from './shell.js';
import * as store from './store.js';
import { mountCheckout } from './widget.js';

const root = $('#checkout');
const LOCK = '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/></svg>';

async function cnyHint(totalMinor: number, currency: string): Promise<string | undefined> {
  try {
    const r = await fetch('/api/rates', { headers: { accept: 'application/json' } });
    if (!r.ok) return undefined;
    const { rates } = (await r.json()) as { rates: Record<string, string> };
    const rate = Number(rates[currency]);
    if (!rate) return undefined;
    const units = currency === 'JPY' ? totalMinor : totalMinor / 100;
    // Display only: the cashier shows the exact CNY amount Alipay charges.
    const cny = new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY', currencyDisplay: 'code' }).format(units * rate);
    return `≈ ${cny} at today's Alipay rate`;
  } catch {
    return undefined;
  }
}

function render(): void {
  const currency = store.getCurrency();
  const lines = store.getLines();
  if (lines.length === 0) {
    root.replaceChildren(
      h('div', { class: 'empty card' },
        h('h2', {}, 'Nothing to check out'),
        h('p', { class: 'muted' }, 'Your cart is empty.'),
        h('a', { class: 'btn btn-primary', href: '/' }, 'Browse the shop'),
      ),
    );
    return;
  }
  let total = 0;
  const items = lines.map((l) => {
    const p = findProduct(l.id)!;
    const line = toMinor(p.prices[currency], currency) * l.qty;
    total += line;
    return h('li', { class: 'mini-line' },
      h('div', { class: 'mini-thumb' }, svg(productArt(p.art)), h('span', { class: 'mini-qty', 'aria-label': `quantity ${l.qty}` }, String(l.qty))),
      h('span', { class: 'mini-name' }, p.name),
      h('span', { class: 'mini-price' }, money(line, currency)),
    );
  });
  const hint = h('p', { class: 'muted small', id: 'cny-hint' });
  const payBox = h('div', { class: 'pay-box' });
  root.replaceChildren(
    h('div', { class: 'checkout-layout' },
      h('section', { class: 'card pay-card', 'aria-labelledby': 'pay-title' },
        h('h2', { id: 'pay-title' }, 'Payment'),
        h('div', { class: 'pay-method' },
          h('span', { class: 'radio-dot', 'aria-hidden': 'true' }),
          h('div', {},
            h('strong', {}, 'Alipay'),
            h('p', { class: 'muted small' }, 'Scan with the Alipay app or log in on the next page. You pay in CNY; we receive ', currency, '.'),
          ),
        ),
        payBox,
        h('p', { class: 'muted small secure' }, svg(LOCK), 'You will be redirected to Alipay to complete your purchase securely.'),
        h('a', { class: 'link-btn', href: '/cart' }, '← Back to cart'),
      ),
      h('aside', { class: 'card summary', 'aria-label': 'Order summary' },
        h('h2', {}, 'Your order'),
        h('ul', { class: 'mini-lines' }, items),
        h('dl', {},
          h('div', {}, h('dt', {}, 'Subtotal'), h('dd', {}, money(total, currency))),
          h('div', {}, h('dt', {}, 'Shipping'), h('dd', {}, 'Free')),
          h('div', { class: 'total' }, h('dt', {}, 'Total'), h('dd', { 'data-total': fromMinor(total, currency) }, money(total, currency))),
        ),
        hint,
      ),
    ),
  );
  mountCheckout(payBox, store.payload(), (outTradeNo) => store.rememberOrder({ outTradeNo, cart: store.payload(), at: new Date().toISOString() }));
  void cnyHint(total, currency).then((t) => {
    if (t) hint.textContent = t;
  });
}

initShell(render);
render();
