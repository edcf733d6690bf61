import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { AlipayCheckout } from '../src/components/alipay-checkout/alipay-checkout.component.js';
import { en, type Messages } from '../src/i18n/en.js';
import { catalogs, localeChain, resolveMessages, type Locale } from '../src/i18n/resolve.js';
import { API, checkout, live, part } from './helpers.js';

const LOCALES: Locale[] = ['en', 'zh-CN', 'zh-TW', 'zh-HK', 'ja', 'ko', 'th'];
const KEYS = Object.keys(en) as (keyof Messages)[];

describe('i18n: catalogues and fallback', () => {
  it('should ship exactly en, zh-CN, zh-TW, zh-HK, ja, ko, th', () => {
    expect(Object.keys(catalogs).sort()).to.deep.equal([...LOCALES].sort());
  });

  for (const locale of LOCALES) {
    it(`should resolve every message for ${locale}, none empty, none left in English unless meant`, () => {
      const { lang, messages } = resolveMessages(locale);
      expect(lang).to.equal(locale);
      for (const key of KEYS) expect(messages[key], `${locale}.${key}`).to.be.a('string').and.not.equal('');
      if (locale !== 'en') {
        const english = KEYS.filter((k) => messages[k] === en[k]);
        expect(english, `${locale} messages still in English`).to.deep.equal([]);
      }
    });
  }

  it('should give complete catalogues for every locale but zh-HK, which only overrides zh-TW', () => {
    for (const locale of LOCALES.filter((l) => l !== 'zh-HK')) {
      expect(Object.keys(catalogs[locale]).sort(), locale).to.deep.equal([...KEYS].sort());
    }
    const hk = resolveMessages('zh-HK').messages;
    expect(hk.label).to.equal(catalogs['zh-TW'].label);
    expect(hk.loading).to.equal(catalogs['zh-HK'].loading).and.not.equal(catalogs['zh-TW'].loading);
  });

  const chains: [string, Locale[]][] = [
    ['zh-HK', ['zh-HK', 'zh-TW', 'en']],
    ['zh-Hant-HK', ['zh-HK', 'zh-TW', 'en']],
    ['zh-MO', ['zh-HK', 'zh-TW', 'en']],
    ['zh-TW', ['zh-TW', 'en']],
    ['zh_TW', ['zh-TW', 'en']],
    ['zh-Hant', ['zh-TW', 'en']],
    ['zh', ['zh-CN', 'en']],
    ['zh-Hans-SG', ['zh-CN', 'en']],
    ['ZH-cn', ['zh-CN', 'en']],
    ['ja-JP', ['ja', 'en']],
    ['ko-KR', ['ko', 'en']],
    ['th-TH', ['th', 'en']],
    ['en-GB', ['en']],
    ['fr', ['en']],
    ['jav', ['en']],
    ['', ['en']],
  ];
  for (const [tag, chain] of chains) {
    it(`should fall back ${tag || '(empty)'} → ${chain.join(' → ')}`, () => {
      expect(localeChain(tag)).to.deep.equal(chain);
    });
  }
  it('should fall back from null and undefined to en', () => {
    expect(localeChain(null)).to.deep.equal(['en']);
    expect(localeChain(undefined)).to.deep.equal(['en']);
  });
});

describe('i18n: the element', () => {
  for (const locale of LOCALES) {
    it(`should render ${locale}: label, lang, error and retry texts, and be accessible`, async () => {
      const m = resolveMessages(locale).messages;
      const { el } = await checkout('checkout-500', { locale });
      expect(part(el, 'button')!.textContent!.trim()).to.equal(m.label);
      expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal(locale);
      await expect(el).to.be.accessible();
      el.pay();
      await el.updateComplete;
      expect(live(el).polite).to.equal(m.loading);
      await oneEvent(el, 'alipay-checkout:error');
      await el.updateComplete;
      expect(live(el).assertive).to.equal(m.error);
      expect(part(el, 'retry')!.textContent!.trim()).to.equal(m.retry);
      await expect(el).to.be.accessible();
    });
  }

  it('should take the locale from the nearest lang attribute when none is set', async () => {
    const wrap = await fixture(
      html`<section lang="zh-Hant-HK">
        <div><alipay-checkout></alipay-checkout></div>
      </section>`,
    );
    const el = wrap.querySelector<AlipayCheckout>('alipay-checkout')!;
    await el.updateComplete;
    expect(part(el, 'button')!.textContent!.trim()).to.equal('使用支付寶付款');
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('zh-HK');
  });

  it('should prefer the locale property over the lang attribute, and re-render when it changes', async () => {
    const wrap = await fixture(html`<div lang="ja"><alipay-checkout locale="ko"></alipay-checkout></div>`);
    const el = wrap.querySelector<AlipayCheckout>('alipay-checkout')!;
    await el.updateComplete;
    expect(part(el, 'button')!.textContent!.trim()).to.equal(catalogs.ko.label);
    el.locale = 'th';
    await el.updateComplete;
    expect(part(el, 'button')!.textContent!.trim()).to.equal(catalogs.th.label);
  });

  it('should let messages override any message, over the locale and its fallbacks', async () => {
    const el = await fixture<AlipayCheckout>(
      html`<alipay-checkout
        endpoint=${API}
        order="checkout-500"
        locale="zh-HK"
        .messages=${{ label: '立即付款', error: '系統繁忙' }}
      ></alipay-checkout>`,
    );
    expect(part(el, 'button')!.textContent!.trim()).to.equal('立即付款');
    el.pay();
    await oneEvent(el, 'alipay-checkout:error');
    await el.updateComplete;
    expect(live(el).assertive).to.equal('系統繁忙');
    expect(part(el, 'retry')!.textContent!.trim()).to.equal(catalogs['zh-TW'].retry);
  });

  it('should fall back to English for a locale it does not ship', async () => {
    const { el } = await checkout('paid', { locale: 'de-DE' });
    expect(part(el, 'button')!.textContent!.trim()).to.equal('Pay with Alipay');
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('en');
  });
});
