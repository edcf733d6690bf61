/** The Exchange rates tab: today's rate file from the gateway. */
import type { AdminRates } from '../../src/admin-types.js';
import { SHOP_CURRENCIES } from '../../src/catalog.js';
import { api, errorBox } from './admin-api.js';
import { $, h } from './dom.js';
import { beijingTime } from './format.js';

export async function loadRates(): Promise<void> {
  const box = $('#rates-result');
  box.replaceChildren(h('p', { class: 'loading' }, 'Downloading the rate file…'));
  try {
    const r = await api<AdminRates>('/rates');
    const shop = new Set<string>(SHOP_CURRENCIES);
    const sorted = [...r.rates].sort(
      (a, b) => Number(shop.has(b.currency)) - Number(shop.has(a.currency)) || a.currency.localeCompare(b.currency),
    );
    box.replaceChildren(
      h(
        'div',
        { class: 'rates-grid', id: 'rates-grid' },
        sorted.map((x) =>
          h(
            'div',
            { class: `card rate-card${shop.has(x.currency) ? ' shop' : ''}`, 'data-currency': x.currency },
            shop.has(x.currency) ? h('span', { class: 'chip tag' }, 'sold in') : null,
            h('div', { class: 'cur' }, x.currency),
            h('div', { class: 'rate' }, x.rate),
            h('div', { class: 'small muted' }, `CNY per 1 ${x.currency} · updated ${beijingTime(x.updated)}`),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted small' },
        `Fetched ${beijingTime(r.fetched_at)}. The gateway allows 100 rate-file downloads a day; the shop caches it for an hour.`,
      ),
    );
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}
