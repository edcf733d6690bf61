import { PRODUCTS, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { money } from './format.js';
import { productText, t } from './i18n.js';
import { initShell, toast } from './shell.js';
import * as store from './store.js';

const grid = $('#products');

function render(): void {
  const currency = store.getCurrency();
  grid.replaceChildren(
    ...PRODUCTS.map((p) => {
      const price = money(toMinor(p.prices[currency], currency), currency);
      const titleId = `p-${p.id}`;
      const text = productText(p);
      return h(
        'li',
        { class: 'product-card', 'data-product': p.id },
        h(
          'article',
          { 'aria-labelledby': titleId },
          h(
            'div',
            { class: 'product-art' },
            svg(productArt(p.art)),
            text.badge ? h('span', { class: 'chip' }, text.badge) : null,
          ),
          h(
            'div',
            { class: 'product-body' },
            h('h3', { id: titleId, class: 'product-name' }, text.name),
            h('p', { class: 'product-tagline' }, text.tagline),
            h('p', { class: 'product-desc' }, text.description),
            h(
              'div',
              { class: 'product-foot' },
              h('span', { class: 'price', 'data-price': '' }, price),
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn-primary',
                  'aria-label': t('catalog.addLabel', { name: text.name }),
                  onclick: () => {
                    store.add(p.id);
                    toast(t('catalog.added', { name: text.name }));
                  },
                },
                t('catalog.add'),
              ),
            ),
          ),
        ),
      );
    }),
  );
}

/** Back from the cashier without paying (Cancel, time-out): offer the way back to checkout. */
function resumeNotice(): void {
  const box = document.querySelector<HTMLElement>('#resume');
  const last = store.lastOrder();
  if (!box || !last?.outTradeNo || store.count() === 0) return;
  if (
    Date.now() - Date.parse(last.at) > 60 * 60 * 1000 ||
    sessionStorage.getItem('lantern-leaf:resume-dismissed') === last.outTradeNo
  )
    return;
  box.hidden = false;
  document.querySelector('#resume-dismiss')?.addEventListener('click', () => {
    sessionStorage.setItem('lantern-leaf:resume-dismissed', last.outTradeNo!);
    box.hidden = true;
  });
}

initShell(render);
render();
resumeNotice();
