/**
 * What every storefront page shares: the header (logo, currency picker, cart badge), the test-mode
 * banner and the footer. The markup is static HTML in each page; this wires it up.
 */
import '../styles/shop.css';
import { SHOP_CURRENCIES, type ShopCurrency } from '../../src/catalog.js';
import { LOGO } from './art.js';
import { svg } from './dom.js';
import * as store from './store.js';

export interface ShopInfo {
  mode: 'sandbox' | 'live';
  sandboxDashboard?: string;
}

let infoPromise: Promise<ShopInfo> | undefined;
export function shopInfo(): Promise<ShopInfo> {
  infoPromise ??= fetch('/api/info', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<ShopInfo>) : { mode: 'live' as const }))
    .catch(() => ({ mode: 'live' as const }));
  return infoPromise;
}

const CURRENCY_LABEL: Record<ShopCurrency, string> = {
  USD: 'US$ USD',
  HKD: 'HK$ HKD',
  JPY: '¥ JPY',
  EUR: '€ EUR',
  GBP: '£ GBP',
};

export function initShell(onCurrency?: () => void): void {
  for (const el of document.querySelectorAll('[data-logo]')) el.replaceChildren(svg(LOGO));

  const select = document.querySelector<HTMLSelectElement>('#currency');
  if (select) {
    select.replaceChildren(...SHOP_CURRENCIES.map((c) => new Option(CURRENCY_LABEL[c], c)));
    select.value = store.getCurrency();
    select.addEventListener('change', () => {
      store.setCurrency(select.value as ShopCurrency);
      onCurrency?.();
    });
  }

  const badge = document.querySelector<HTMLElement>('#cart-count');
  const paintBadge = () => {
    if (!badge) return;
    const n = store.count();
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge.closest('a')?.setAttribute('aria-label', n === 0 ? 'Cart, empty' : `Cart, ${n} item${n === 1 ? '' : 's'}`);
  };
  paintBadge();
  store.onChange(paintBadge);

  void shopInfo().then((info) => {
    const banner = document.querySelector<HTMLElement>('#test-banner');
    if (!banner || info.mode !== 'sandbox') return;
    banner.hidden = false;
    const link = banner.querySelector<HTMLAnchorElement>('a');
    if (link && info.sandboxDashboard) link.href = info.sandboxDashboard;
  });
}

/** A short "Added to cart" toast, announced politely. */
export function toast(message: string): void {
  let region = document.querySelector<HTMLElement>('#toast');
  if (!region) {
    region = document.createElement('div');
    region.id = 'toast';
    region.className = 'toast';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    document.body.append(region);
  }
  region.textContent = message;
  region.classList.add('show');
  clearTimeout(Number(region.dataset.timer));
  region.dataset.timer = String(setTimeout(() => region?.classList.remove('show'), 2200));
}
