import { decimalsOf } from '../../src/catalog.js';

const cache = new Map<string, Intl.NumberFormat>();

/** Minor units → "US$24.00", "¥3,600", "€22.50", in the page's language. */
export function money(minor: number, currency: string): string {
  let f = cache.get(currency);
  if (!f) {
    const d = decimalsOf(currency);
    f = new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency, minimumFractionDigits: d, maximumFractionDigits: d });
    cache.set(currency, f);
  }
  return f.format(decimalsOf(currency) === 0 ? minor : minor / 100);
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
  return d.toLocaleString(document.documentElement.lang || 'en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}
