import { findProduct, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { money } from './format.js';
import { initShell } from './shell.js';
import * as store from './store.js';
import { mountReturn } from './widget.js';

initShell();

const icon = $('#result-icon');
const title = $('#result-title');
const text = $('#result-text');
const details = $('#result-details');
const actions = $('#result-actions');
const section = $('#result');

function show(kind: 'ok' | 'wait' | 'bad', heading: string, body: string, buttons: HTMLElement[]): void {
  section.dataset.state = kind;
  icon.className = `result-icon ${kind}`;
  icon.textContent = kind === 'ok' ? '✓' : kind === 'wait' ? '…' : '!';
  title.textContent = heading;
  text.textContent = body;
  actions.replaceChildren(...buttons);
}

function orderSummary(outTradeNo: string): void {
  const last = store.lastOrder();
  const parts: HTMLElement[] = [h('p', {}, 'Order ', h('span', { class: 'order-ref mono', id: 'order-no' }, outTradeNo))];
  if (last && last.outTradeNo === outTradeNo) {
    const c = last.cart.currency;
    parts.push(h('ul', { class: 'mini-lines' }, last.cart.items.map((l) => {
      const p = findProduct(l.id);
      if (!p) return null;
      return h('li', { class: 'mini-line' },
        h('div', { class: 'mini-thumb' }, svg(productArt(p.art)), h('span', { class: 'mini-qty' }, String(l.qty))),
        h('span', { class: 'mini-name' }, p.name),
        h('span', { class: 'mini-price' }, money(toMinor(p.prices[c as 'USD'], c) * l.qty, c)));
    })));
  }
  details.replaceChildren(...parts);
}

const shop = () => h('a', { class: 'btn btn-primary', href: '/' }, 'Continue shopping');
const retry = () => h('a', { class: 'btn btn-primary', href: '/checkout' }, 'Try again');

const params = new URLSearchParams(location.search);
if (!params.has('out_trade_no')) {
  show('bad', 'No payment to show', 'This page shows the result of a payment when Alipay sends you back to the shop.', [shop(), h('a', { class: 'btn btn-ghost', href: '/cart' }, 'View cart')]);
  $('#result-widget').remove();
} else {
  mountReturn($('#result-widget'), {
    paid(no, status) {
      show('ok', 'Thank you! Your payment was received', status === 'paid'
        ? 'Alipay confirmed your payment. We are packing your order and will email you when it ships.'
        : 'Alipay confirmed this payment. It has since been refunded in part or in full.', [shop()]);
      orderSummary(no);
      const last = store.lastOrder();
      if (last?.outTradeNo === no) store.clear();
    },
    pending(no) {
      show('wait', 'Payment is being confirmed', 'Alipay has not confirmed your payment yet. This can take a minute; we will email you as soon as it arrives. You will not be charged twice.', [shop()]);
      orderSummary(no);
    },
    failed(no) {
      show('bad', 'Payment not completed', 'The payment was closed without being paid. Nothing was charged; your cart is still here.', [retry(), h('a', { class: 'btn btn-ghost', href: '/cart' }, 'View cart')]);
      orderSummary(no);
    },
    error(code) {
      show('bad', 'We could not confirm this payment', `Something went wrong while checking with the shop (${code}). If you paid, your order is safe: we will confirm it by email.`, [shop()]);
    },
  });
}
