/**
 * The storefront in the buyer's language and notation (issue 14): Accept-Language picks the
 * first language, the switcher changes it and is remembered on every page, `<html lang>` matches
 * so the widget follows; JPY is "JP¥" in prices and in the currency menu, CNY is "CN¥"; unknown
 * shop paths get the branded 404 page, API paths stay JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, fillCart, newSession, startShop, type Shop } from './harness.js';
import { shopShots } from './shop-shots.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

const payButton = (page: import('playwright-core').Page) => page.locator('alipay-checkout').getByRole('button');

describe('language', () => {
  it('should serve the page in the Accept-Language choice, shop text and widget alike', async () => {
    const { page, context, problems } = await newSession({
      ...DESKTOP,
      locale: 'zh-CN',
      extraHTTPHeaders: { 'accept-language': 'fr-FR,zh-CN;q=0.8,en;q=0.5' },
    });
    await page.goto(`${shop.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#hero-title').textContent()).toBe('慢慢喝茶，美好生活。');
    expect(await page.locator('[data-product="oolong-tin"] .product-name').textContent()).toBe('高山乌龙茶');
    expect(await page.locator('[data-product="oolong-tin"] button').textContent()).toBe('加入购物车');
    expect(await page.title()).toBe('Lantern & Leaf · 茶叶与茶器');
    expect(await page.locator('#language').inputValue()).toBe('zh-CN');
    await shopShots(page, 'catalog-zh-CN');
    await fillCart(page, shop, [{ id: 'oolong-tin' }, { id: 'silk-fan' }]);
    await page.goto(`${shop.url}/cart`);
    expect(await page.locator('.summary h2').textContent()).toBe('订单摘要');
    await shopShots(page, 'cart-zh-CN');
    await page.goto(`${shop.url}/checkout`);
    await payButton(page).filter({ hasText: '使用支付宝付款' }).waitFor();
    await page.locator('#cny-hint', { hasText: /^按支付宝今日汇率约 CN¥/ }).waitFor();
    await shopShots(page, 'checkout-zh-CN');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('should switch language from the menu and remember it on every page, the widget in all its locales', async () => {
    const { page, context, problems } = await newSession({
      ...DESKTOP,
      extraHTTPHeaders: { 'accept-language': 'en-US,en;q=0.9' },
    });
    await page.goto(`${shop.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const offered = await page
      .locator('#language option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toEqual(['en', 'zh-CN', 'zh-TW', 'zh-HK', 'ja', 'ko', 'th']);
    await Promise.all([page.waitForEvent('load'), page.selectOption('#language', 'ja')]);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    // The shop's own text has English and Simplified Chinese; Japanese readers get English.
    expect(await page.locator('#hero-title').textContent()).toBe('Slow tea, made beautiful.');
    await fillCart(page, shop, [{ id: 'celadon-cup' }]);
    await page.goto(`${shop.url}/checkout`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await payButton(page).filter({ hasText: 'Alipayで支払う' }).waitFor();
    await Promise.all([page.waitForEvent('load'), page.selectOption('#language', 'zh-HK')]);
    await payButton(page).filter({ hasText: '使用支付寶付款' }).waitFor();
    expect(await page.locator('.pay-card h2').textContent()).toBe('付款方式');
    await Promise.all([page.waitForEvent('load'), page.selectOption('#language', 'en')]);
    await page.goto(`${shop.url}/cart`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('.page-title').textContent()).toBe('Your cart');
    const cookie = (await context.cookies()).find((c) => c.name === 'shop_lang');
    expect(cookie?.value).toBe('en');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('currency notation', () => {
  it('should show JPY as JP¥ in the menu and in every price, never a bare ¥', async () => {
    const { page, context, problems } = await newSession();
    await page.goto(`${shop.url}/`);
    const labels = await page.locator('#currency option').allTextContents();
    expect(labels).toEqual(['US$ USD', 'HK$ HKD', 'JP¥ JPY', '€ EUR', '£ GBP']);
    await page.selectOption('#currency', 'JPY');
    expect(await page.locator('[data-product="oolong-tin"] .price').textContent()).toBe('JP¥3,600');
    for (const price of await page.locator('[data-product] .price').allTextContents())
      expect(price).toMatch(/^JP¥[\d,]+$/);
    await shopShots(page, 'catalog-jpy');
    await fillCart(page, shop, [{ id: 'oolong-tin', qty: 2 }], 'JPY');
    await page.goto(`${shop.url}/cart`);
    expect(await page.locator('[data-total]').textContent()).toBe('JP¥7,200');
    const text = await page.locator('#main').innerText();
    expect(text.replace(/JP¥|CN¥/g, '')).not.toContain('¥');
    await shopShots(page, 'cart-jpy');
    await page.goto(`${shop.url}/checkout`);
    await page.locator('#cny-hint', { hasText: /^≈ CN¥[\d,]+\.\d\d at today’s Alipay rate$/ }).waitFor();
    await shopShots(page, 'checkout-jpy');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('404', () => {
  it('should answer unknown shop paths with the branded page and status 404, with a way home', async () => {
    const { page, context } = await newSession();
    const res = await page.goto(`${shop.url}/no/such/teapot`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This page is not on the shelf');
    await page.locator('.site-header .brand').waitFor();
    await shopShots(page, 'not-found');
    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await page.waitForURL(`${shop.url}/`);
    await page.locator('[data-product]').first().waitFor();
    await context.close();
  });

  it('should keep API 404s as JSON and answer non-browser clients in plain text', async () => {
    const api = await fetch(`${shop.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ERR_NOT_FOUND');
    const plain = await fetch(`${shop.url}/nothing-here`, { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toMatch(/text\/plain/);
    const zh = await fetch(`${shop.url}/nothing-here`, {
      headers: { accept: 'text/html', 'accept-language': 'zh-TW' },
    });
    expect(zh.status).toBe(404);
    expect(await zh.text()).toContain('<html lang="zh-TW">');
  });
});
