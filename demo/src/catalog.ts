/**
 * The demo shop's catalog: the single source of truth for what is sold and what it costs.
 *
 * Pure data and pure functions (no Node, no DOM), so the storefront shows the same prices the
 * server charges. The server never takes a price from the browser: {@link priceCart} recomputes
 * every order from product ids and quantities (issue 6, architecture.md "the browser never sets
 * the price").
 *
 * Prices are set by the merchant per currency (like a real multi-currency shop), not converted
 * on the fly. Amounts are decimal strings; JPY has no decimals (protocol §3.5).
 */

/** Currencies the demo shop sells in, in the order the currency picker shows them. */
export const SHOP_CURRENCIES = ['USD', 'HKD', 'JPY', 'EUR', 'GBP'] as const;
export type ShopCurrency = (typeof SHOP_CURRENCIES)[number];

export interface Product {
  /** Stable id used in the cart and in `resolveOrder`. */
  id: string;
  name: string;
  /** One line for the product card. */
  tagline: string;
  description: string;
  /** Prices per currency, as decimal strings in that currency's unit (JPY whole yen). */
  prices: Record<ShopCurrency, string>;
  /** Art key understood by the storefront's inline SVG set. */
  art: string;
  /** Short badge, shown on the card. */
  badge?: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'oolong-tin',
    name: 'High-Mountain Oolong',
    tagline: '100 g tin · Alishan, spring harvest',
    description: 'Rolled, lightly oxidised leaves with notes of orchid and fresh cream.',
    prices: { USD: '24.00', HKD: '188.00', JPY: '3600', EUR: '22.50', GBP: '19.00' },
    art: 'tin',
    badge: 'Bestseller',
  },
  {
    id: 'celadon-cup',
    name: 'Celadon Tea Cup',
    tagline: 'Hand-thrown stoneware · set of 2',
    description: 'A jade-green crackle glaze over a thin, warm-to-the-touch body.',
    prices: { USD: '38.00', HKD: '298.00', JPY: '5800', EUR: '35.00', GBP: '30.00' },
    art: 'cup',
  },
  {
    id: 'iron-kettle',
    name: 'Cast-Iron Kettle',
    tagline: '0.9 L tetsubin · enamelled inside',
    description: 'Keeps water hot for the second and third infusion. Works on gas and induction.',
    prices: { USD: '129.00', HKD: '1008.00', JPY: '19500', EUR: '119.00', GBP: '102.00' },
    art: 'kettle',
    badge: 'New',
  },
  {
    id: 'bamboo-whisk',
    name: 'Bamboo Matcha Whisk',
    tagline: '100 tines · with ceramic rest',
    description: 'Split from a single piece of golden bamboo for a fine, lasting foam.',
    prices: { USD: '19.50', HKD: '152.00', JPY: '2900', EUR: '18.00', GBP: '15.50' },
    art: 'whisk',
  },
  {
    id: 'silk-fan',
    name: 'Hand-Painted Silk Fan',
    tagline: 'Sandalwood ribs · plum blossom',
    description: 'Painted by hand on mulberry silk; every fan is a little different.',
    prices: { USD: '45.00', HKD: '350.00', JPY: '6800', EUR: '41.50', GBP: '35.50' },
    art: 'fan',
  },
  {
    id: 'paper-lantern',
    name: 'Paper Lantern Lamp',
    tagline: 'Washi and bamboo · 40 cm',
    description: 'Soft, even light. Folds flat for shipping; bulb holder included.',
    prices: { USD: '64.00', HKD: '498.00', JPY: '9600', EUR: '59.00', GBP: '50.00' },
    art: 'lantern',
  },
];

/** Shop name shown on the storefront and the admin. */
export const SHOP_NAME = 'Lantern & Leaf';
/**
 * The name sent as `supplier` (shown on the cashier). Protocol §3.2 asks to keep `&`, `=`, `%`
 * and `"` out of plain-text values, hence "and".
 */
export const SUPPLIER_NAME = 'Lantern and Leaf';

/** Most units of one product a single order may hold. */
export const MAX_QUANTITY = 20;

export interface CartLine {
  id: string;
  qty: number;
}
export interface CartPayload {
  currency: string;
  items: CartLine[];
}

export interface PricedLine {
  product: Product;
  qty: number;
  /** Line total in minor units. */
  minor: number;
}
export interface PricedCart {
  currency: ShopCurrency;
  lines: PricedLine[];
  /** Order total in minor units (cents, or yen for JPY). */
  totalMinor: number;
  /** Order total as the gateway request wants it (`3600` for JPY, `24.00` otherwise). */
  total: string;
  /** `Oolong ×2, Kettle ×1`-style subject, at most 128 characters. */
  subject: string;
  /** goods_info for trade_information (`name^qty|name^qty`, protocol §3.3). */
  goodsInfo: string;
  quantity: number;
}

/** Why a cart was refused; surfaces as a 400 from the checkout endpoint. */
export class CartError extends Error {
  override name = 'CartError';
}

export function isShopCurrency(c: unknown): c is ShopCurrency {
  return typeof c === 'string' && (SHOP_CURRENCIES as readonly string[]).includes(c);
}

export function decimalsOf(currency: string): 0 | 2 {
  return currency === 'JPY' || currency === 'KRW' ? 0 : 2;
}

/** `'24.00'` → 2400 (USD), `'3600'` → 3600 (JPY). Catalog amounts only: no validation games. */
export function toMinor(amount: string, currency: string): number {
  const [whole, frac = ''] = amount.split('.');
  if (decimalsOf(currency) === 0) return Number(whole);
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** 2400 → `'24.00'`; 3600 (JPY) → `'3600'`. */
export function fromMinor(minor: number, currency: string): string {
  if (decimalsOf(currency) === 0) return String(minor);
  const s = String(minor).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

/**
 * Price a cart the browser sent. Only ids, quantities and the currency are read from it; the
 * amounts come from {@link PRODUCTS}. Throws {@link CartError} for anything odd.
 */
export function priceCart(input: unknown): PricedCart {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw new CartError('order must be JSON');
    }
  }
  if (!input || typeof input !== 'object') throw new CartError('order must be an object');
  const { currency, items } = input as Partial<CartPayload>;
  if (!isShopCurrency(currency)) throw new CartError(`currency must be one of ${SHOP_CURRENCIES.join(', ')}`);
  if (!Array.isArray(items) || items.length === 0) throw new CartError('the cart is empty');
  if (items.length > PRODUCTS.length) throw new CartError('too many lines');
  const seen = new Set<string>();
  const lines: PricedLine[] = [];
  for (const item of items) {
    const id = (item as CartLine | undefined)?.id;
    const qty = (item as CartLine | undefined)?.qty;
    const product = typeof id === 'string' ? findProduct(id) : undefined;
    if (!product) throw new CartError('unknown product');
    if (seen.has(product.id)) throw new CartError('duplicate product line');
    seen.add(product.id);
    if (!Number.isSafeInteger(qty) || (qty as number) < 1 || (qty as number) > MAX_QUANTITY)
      throw new CartError(`quantity must be 1–${MAX_QUANTITY}`);
    lines.push({ product, qty: qty as number, minor: toMinor(product.prices[currency], currency) * (qty as number) });
  }
  const totalMinor = lines.reduce((sum, l) => sum + l.minor, 0);
  const quantity = lines.reduce((sum, l) => sum + l.qty, 0);
  let subject = lines.map((l) => (l.qty > 1 ? `${l.product.name} x${l.qty}` : l.product.name)).join(', ');
  if (subject.length > 128) subject = `${subject.slice(0, 120)}…`;
  return {
    currency,
    lines,
    totalMinor,
    total: fromMinor(totalMinor, currency),
    subject,
    // '^' and '|' are goods_info separators (§3.3): product names never contain them.
    goodsInfo: lines.map((l) => `${l.product.name}^${l.qty}`).join('|'),
    quantity,
  };
}
