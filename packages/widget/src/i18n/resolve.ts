import { en, type Messages } from './en.js';
import { ja } from './ja.js';
import { ko } from './ko.js';
import { th } from './th.js';
import { zhCN } from './zh-CN.js';
import { zhHK } from './zh-HK.js';
import { zhTW } from './zh-TW.js';

/** The locales shipped with the element. */
export type Locale = 'en' | 'zh-CN' | 'zh-TW' | 'zh-HK' | 'ja' | 'ko' | 'th';

/** The shipped catalogues, by locale. */
export const catalogs: Record<Locale, Partial<Messages>> = {
  en,
  'zh-CN': zhCN,
  'zh-TW': zhTW,
  'zh-HK': zhHK,
  ja,
  ko,
  th,
};

/**
 * The fallback chain for a BCP 47 tag, most specific first, always ending in `en`.
 * Chinese goes by region or script: HK/MO → zh-HK → zh-TW; TW/Hant → zh-TW; the rest → zh-CN.
 *
 * @example
 * ```ts
 * localeChain('zh-Hant-HK'); // ['zh-HK', 'zh-TW', 'en']
 * localeChain('ja-JP');      // ['ja', 'en']
 * localeChain('fr');         // ['en']
 * ```
 */
export function localeChain(tag: string | null | undefined): Locale[] {
  const t = `-${tag ?? ''}`.toLowerCase().replace(/_/g, '-');
  return [
    ...((/^-zh\b/.test(t)
      ? /-(hk|mo)\b/.test(t)
        ? ['zh-HK', 'zh-TW']
        : /-(tw|hant)\b/.test(t)
          ? ['zh-TW']
          : ['zh-CN']
      : /^-(ja|ko|th)\b/.test(t)
        ? [t.slice(1, 3)]
        : []) as Locale[]),
    'en',
  ];
}

/**
 * The messages for a tag: the chain's catalogues merged (most specific wins), then `overrides`.
 * `lang` is the first locale of the chain, for the rendered `lang` attribute.
 *
 * @example
 * ```ts
 * resolveMessages('zh-HK', { paid: '多謝惠顧' }).messages.label; // '使用支付寶付款' (from zh-TW)
 * ```
 */
export function resolveMessages(
  tag: string | null | undefined,
  overrides?: Partial<Messages> | null,
): { lang: Locale; messages: Messages } {
  const chain = localeChain(tag);
  const messages = Object.assign({}, ...chain.map((l) => catalogs[l]).reverse(), overrides) as Messages;
  return { lang: chain[0]!, messages };
}
