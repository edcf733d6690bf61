/**
 * The cart lives in sessionStorage (per tab, gone when the tab closes): ids, quantities and the
 * chosen currency only. Prices are looked up in the shared catalog for display; the server
 * recomputes them at checkout.
 */
import { MAX_QUANTITY, SHOP_CURRENCIES, findProduct, isShopCurrency, type CartLine, type CartPayload, type ShopCurrency } from '../../src/catalog.js';

const CART_KEY = 'lantern-leaf:cart';
const CURRENCY_KEY = 'lantern-leaf:currency';
/** The last order placed, kept so the result page can show what was bought. */
const LAST_ORDER_KEY = 'lantern-leaf:last-order';

type Listener = () => void;
const listeners = new Set<Listener>();

function read<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the cart just does not persist */
  }
  for (const l of listeners) l();
}

export function onChange(listener: Listener): void {
  listeners.add(listener);
}

export function getCurrency(): ShopCurrency {
  const c = read<string>(CURRENCY_KEY, '');
  if (isShopCurrency(c)) return c;
  return guessCurrency();
}

/** First visit: pick a currency from the browser's locale, USD otherwise. */
function guessCurrency(): ShopCurrency {
  const lang = (navigator.language || '').toLowerCase();
  if (lang.endsWith('-hk') || lang === 'zh-hk') return 'HKD';
  if (lang.startsWith('ja')) return 'JPY';
  if (lang.endsWith('-gb')) return 'GBP';
  if (/^(de|fr|es|it|nl|pt|fi|el)\b/.test(lang)) return 'EUR';
  return SHOP_CURRENCIES[0];
}

export function setCurrency(c: ShopCurrency): void {
  write(CURRENCY_KEY, c);
}

export function getLines(): CartLine[] {
  const lines = read<CartLine[]>(CART_KEY, []);
  return Array.isArray(lines) ? lines.filter((l) => l && findProduct(l.id) && Number.isSafeInteger(l.qty) && l.qty > 0) : [];
}

export function count(): number {
  return getLines().reduce((n, l) => n + l.qty, 0);
}

export function add(id: string, qty = 1): void {
  const lines = getLines();
  const line = lines.find((l) => l.id === id);
  if (line) line.qty = Math.min(MAX_QUANTITY, line.qty + qty);
  else lines.push({ id, qty: Math.min(MAX_QUANTITY, qty) });
  write(CART_KEY, lines);
}

export function setQty(id: string, qty: number): void {
  const lines = getLines()
    .map((l) => (l.id === id ? { ...l, qty: Math.max(0, Math.min(MAX_QUANTITY, qty)) } : l))
    .filter((l) => l.qty > 0);
  write(CART_KEY, lines);
}

export function clear(): void {
  write(CART_KEY, []);
}

/** What `<alipay-checkout order=…>` carries: ids, quantities, currency. Never a price. */
export function payload(): CartPayload {
  return { currency: getCurrency(), items: getLines() };
}

export interface LastOrder {
  outTradeNo?: string;
  cart: CartPayload;
  at: string;
}
export function rememberOrder(o: LastOrder): void {
  write(LAST_ORDER_KEY, o);
}
export function lastOrder(): LastOrder | undefined {
  return read<LastOrder | undefined>(LAST_ORDER_KEY, undefined);
}
