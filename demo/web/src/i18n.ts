/**
 * The shop's language: English or Simplified Chinese for its own text (i18n-en.ts,
 * i18n-zh-CN.ts), any of the widget's seven locales for `<alipay-checkout>`. The server picks
 * the first choice from the `shop_lang` cookie, else `Accept-Language`, and renders it into
 * `<html lang>` (src/web.ts); the widget, `Intl` and this module all read that attribute.
 * The switcher writes the cookie, so the choice holds on every page.
 */
import type { Product } from '../../src/catalog.js';
import { en, type ShopKey } from './i18n-en.js';
import { zhCN } from './i18n-zh-CN.js';

/** What the language menu offers: the widget's locales, each named in itself. */
export const LANGUAGES = [
  { tag: 'en', label: 'English' },
  { tag: 'zh-CN', label: '简体中文' },
  { tag: 'zh-TW', label: '繁體中文（台灣）' },
  { tag: 'zh-HK', label: '繁體中文（香港）' },
  { tag: 'ja', label: '日本語' },
  { tag: 'ko', label: '한국어' },
  { tag: 'th', label: 'ไทย' },
] as const;

/** The cookie that remembers the choice (read by the server, src/web.ts). */
export const LANG_COOKIE = 'shop_lang';

/** The page's language tag, as `<html lang>` has it. */
export function pageLang(): string {
  return document.documentElement.lang || 'en';
}

/** The dictionary for a tag: Chinese in any script reads the Simplified one, the rest English. */
export function shopLangOf(tag: string): 'en' | 'zh-CN' {
  return /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

/**
 * The shop's text for `key` in the page's language, `{name}` filled from `vars`.
 *
 * @example
 * ```ts
 * t('catalog.added', { name: 'Celadon Tea Cup' }); // 'Celadon Tea Cup added to your cart'
 * ```
 */
export function t(key: ShopKey, vars: Record<string, string | number> = {}): string {
  const text: string = (shopLangOf(pageLang()) === 'zh-CN' ? zhCN : en)[key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const PRODUCTS_ZH: Record<string, Pick<Product, 'name' | 'tagline' | 'description'> & { badge?: string }> = {
  'oolong-tin': {
    name: '高山乌龙茶',
    tagline: '100 克罐装 · 阿里山春茶',
    description: '揉捻轻发酵的茶叶，带有兰花与鲜奶油的香气。',
    badge: '畅销',
  },
  'celadon-cup': {
    name: '青瓷茶杯',
    tagline: '手拉坯炻器 · 两只装',
    description: '薄而温润的胎体，覆以玉绿色开片釉。',
  },
  'iron-kettle': {
    name: '铸铁壶',
    tagline: '0.9 升铁瓶 · 内壁搪瓷',
    description: '第二泡、第三泡的水依然温热。燃气灶与电磁炉均可使用。',
    badge: '新品',
  },
  'bamboo-whisk': {
    name: '竹制抹茶刷',
    tagline: '100 穗 · 附陶瓷刷架',
    description: '以整段金竹劈制，打出细腻持久的泡沫。',
  },
  'silk-fan': {
    name: '手绘丝绸扇',
    tagline: '檀香木扇骨 · 梅花',
    description: '在桑蚕丝上手工绘制，每一把都略有不同。',
  },
  'paper-lantern': {
    name: '纸灯笼台灯',
    tagline: '和纸与竹 · 40 厘米',
    description: '光线柔和均匀。可折叠运输，附灯座。',
  },
};

/** A product's name, tagline, description and badge in the page's language. */
export function productText(p: Product): {
  name: string;
  tagline: string;
  description: string;
  badge?: string | undefined;
} {
  const zh = shopLangOf(pageLang()) === 'zh-CN' ? PRODUCTS_ZH[p.id] : undefined;
  return zh
    ? { ...zh, badge: p.badge && zh.badge }
    : { name: p.name, tagline: p.tagline, description: p.description, badge: p.badge };
}

/** Fill the static markup: `data-i18n` (text), `data-i18n-label` (aria-label). */
export function translatePage(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as ShopKey);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nLabel as ShopKey));
}

/** Remember `tag` (cookie, a year) and show the page in it. */
export function chooseLanguage(tag: string): void {
  document.cookie = `${LANG_COOKIE}=${encodeURIComponent(tag)}; path=/; max-age=31536000; samesite=lax`;
  location.reload();
}
