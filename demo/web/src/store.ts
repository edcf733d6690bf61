/**
 * The cart lives in sessionStorage (per tab, gone when the tab closes): ids, quantities and the
 * chosen currency only. Prices are looked up in the shared catalog for display; the server
 * recomputes them at checkout.
 */
import { TOKEN_KEY } from '@alipay-kit/widget';
import {
  MAX_QUANTITY,
  SHOP_CURRENCIES,
  findProduct,
  isShopCurrency,
  type CartLine,
  type CartPayload,
  type ShopCurrency,
} from '../../src/catalog.js';

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
  return Array.isArray(lines)
    ? lines.filter((l) => l && findProduct(l.id) && Number.isSafeInteger(l.qty) && l.qty > 0)
    : [];
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

/**
 * Order tokens shared by the tabs of this browser: the widget keeps its token in this tab's
 * sessionStorage; a copy here (localStorage, until the token's own `exp`) lets the result page
 * show the order in another tab too. The token only reads that one order's public state.
 */
const SHARED_TOKENS_KEY = 'lantern-leaf:order-tokens';

function tokenExpiry(token: string): number {
  try {
    const claims = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function sharedTokens(): Record<string, string> {
  try {
    const all = JSON.parse(localStorage.getItem(SHARED_TOKENS_KEY) || '{}') as Record<string, unknown>;
    const live: Record<string, string> = {};
    for (const [id, token] of Object.entries(all))
      if (typeof token === 'string' && tokenExpiry(token) > Date.now()) live[id] = token;
    return live;
  } catch {
    return {};
  }
}

/** Copy the widget's token for `outTradeNo` (stored before its redirect event) where other tabs see it. */
export function shareOrderToken(outTradeNo: string): void {
  try {
    const token = sessionStorage.getItem(TOKEN_KEY + outTradeNo);
    if (!token) return;
    localStorage.setItem(SHARED_TOKENS_KEY, JSON.stringify({ ...sharedTokens(), [outTradeNo]: token }));
  } catch {
    /* storage disabled: the result shows in this tab only */
  }
}

/**
 * The order token for `outTradeNo`: this tab's (the widget's), else a live shared copy, which is
 * then put where the widget looks. `undefined` when neither exists.
 */
export function orderToken(outTradeNo: string): string | undefined {
  try {
    const own = sessionStorage.getItem(TOKEN_KEY + outTradeNo);
    if (own && tokenExpiry(own) > Date.now()) return own;
    const shared = sharedTokens()[outTradeNo];
    if (shared) sessionStorage.setItem(TOKEN_KEY + outTradeNo, shared);
    return shared;
  } catch {
    return undefined;
  }
}
