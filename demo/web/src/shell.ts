/**
 * What every storefront page shares: the header (logo, language and currency pickers, cart
 * badge), the test-mode banner and the footer. The markup is static HTML in each page; this wires
 * it up and puts its text in the page's language.
 */
import '../styles/shop.css';
import { SHOP_CURRENCIES, type ShopCurrency } from '../../src/catalog.js';
import { LOGO } from './art.js';
import { svg } from './dom.js';
import { CURRENCY_SYMBOL } from './format.js';
import { chooseLanguage, LANGUAGES, pageLang, t, translatePage } from './i18n.js';
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

/** The currency menu uses the prices' own notation: "JP¥ JPY", never a bare "¥". */
export const currencyLabel = (c: ShopCurrency): string => `${CURRENCY_SYMBOL[c]} ${c}`;

export function initShell(onCurrency?: () => void): void {
  translatePage();
  for (const el of document.querySelectorAll('[data-logo]')) el.replaceChildren(svg(LOGO));

  const select = document.querySelector<HTMLSelectElement>('#currency');
  if (select) {
    select.replaceChildren(...SHOP_CURRENCIES.map((c) => new Option(currencyLabel(c), c)));
    select.value = store.getCurrency();
    select.addEventListener('change', () => {
      store.setCurrency(select.value as ShopCurrency);
      onCurrency?.();
    });
  }

  const language = document.querySelector<HTMLSelectElement>('#language');
  if (language) {
    language.replaceChildren(...LANGUAGES.map((l) => Object.assign(new Option(l.label, l.tag), { lang: l.tag })));
    const current = LANGUAGES.find((l) => l.tag.toLowerCase() === pageLang().toLowerCase());
    language.value = current?.tag ?? 'en';
    language.addEventListener('change', () => chooseLanguage(language.value));
  }

  const badge = document.querySelector<HTMLElement>('#cart-count');
  const paintBadge = () => {
    if (!badge) return;
    const n = store.count();
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge
      .closest('a')
      ?.setAttribute(
        'aria-label',
        n === 0 ? t('nav.cartEmpty') : n === 1 ? t('nav.cartOne') : t('nav.cartItems', { n }),
      );
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
