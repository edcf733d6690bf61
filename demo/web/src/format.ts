import { decimalsOf } from '../../src/catalog.js';

/**
 * One notation per currency everywhere (prices, the currency menu, totals): never a bare "¥",
 * which Chinese buyers read as yuan, nor a bare "$".
 */
export const CURRENCY_SYMBOL: Readonly<Record<string, string>> = {
  USD: 'US$',
  HKD: 'HK$',
  JPY: 'JP¥',
  EUR: '€',
  GBP: '£',
  CNY: 'CN¥',
};

const cache = new Map<string, Intl.NumberFormat>();

/**
 * Minor units → "US$24.00", "JP¥3,600", "€22.50", "CN¥1,234.50", grouped in the page's language.
 *
 * @example
 * ```ts
 * money(360000, 'JPY'); // 'JP¥360,000' (JPY has no minor unit)
 * ```
 */
export function money(minor: number, currency: string): string {
  const lang = document.documentElement.lang || 'en';
  let f = cache.get(`${lang} ${currency}`);
  if (!f) {
    const d = decimalsOf(currency);
    f = new Intl.NumberFormat(lang, {
      style: 'currency',
      currency,
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    });
    cache.set(`${lang} ${currency}`, f);
  }
  return f
    .formatToParts(decimalsOf(currency) === 0 ? minor : minor / 100)
    .map((part) => (part.type === 'currency' ? (CURRENCY_SYMBOL[currency] ?? part.value) : part.value))
    .join('');
}

/** Decimal string amount ("24.00", "3600") → formatted. */
export function moneyOf(amount: string, currency: string): string {
  const [w, fr = ''] = amount.split('.');
  const minor = decimalsOf(currency) === 0 ? Number(w) : Number(w) * 100 + Number((fr + '00').slice(0, 2));
  return money(minor, currency);
}

export function dateTime(iso: string | number | Date | undefined): string {
  if (iso === undefined || iso === null || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(document.documentElement.lang || 'en', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Compact date-time for tables: "Nov 25, 19:51". */
export function shortDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(document.documentElement.lang || 'en', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/**
 * A foreign amount in CNY at a gateway rate (CNY per unit), for display only: "CN¥1,263.50".
 *
 * @example
 * ```ts
 * cnyAbout(17700, 'USD', 7.1387); // 'CN¥1,263.55'
 * ```
 */
export function cnyAbout(minor: number, currency: string, rate: number): string {
  const units = decimalsOf(currency) === 0 ? minor : minor / 100;
  return money(Math.round(units * rate * 100), 'CNY');
}

/**
 * The one time format of the shop, the admin and the sandbox links: Beijing time (the gateway's
 * zone, protocol §0.1), zone named: `2026-12-03 14:05 UTC+8`. Accepts an ISO instant, epoch ms, a
 * Date, or a gateway time (`2026-12-03 14:05:09`, already Beijing). Unreadable input is returned
 * as it came, missing input as "—".
 *
 * @example beijingTime('2026-12-03T06:05:09Z') // '2026-12-03 14:05 UTC+8'
 */
export function beijingTime(at: string | number | Date | undefined | null): string {
  if (at === undefined || at === null || at === '') return '—';
  const gateway = typeof at === 'string' ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2})?$/.exec(at) : null;
  if (gateway) return `${gateway[1]} ${gateway[2]} UTC+8`;
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) return String(at);
  const b = new Date(ms + 8 * 3600_000).toISOString();
  return `${b.slice(0, 10)} ${b.slice(11, 16)} UTC+8`;
}
