/**
 * The result page a shopper lands on (issue 14): it survives a reload and opens in another tab
 * of the same browser with the order's live state, shows what was paid (currency and CNY),
 * promises no email, and says one thing in words with one button, never a raw error code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  fillCart,
  goToCashier,
  newSession,
  openOrder,
  startShop,
  type Session,
  type Shop,
} from './harness.js';
import { shopShots } from './shop-shots.js';

let shop: Shop;
let buyer: Session;
let outTradeNo = '';
beforeAll(async () => {
  shop = await startShop();
  buyer = await newSession();
});
afterAll(async () => {
  await buyer?.context.close();
  await shop?.close();
});

const visibleText = (s: Session) => s.page.locator('#main').innerText();

describe('result page', () => {
  it('should show the paid order with its total in USD and in CNY, keep only the order reference in the URL, and promise no email', async () => {
    const { page, problems } = buyer;
    await fillCart(page, shop, [{ id: 'oolong-tin', qty: 2 }, { id: 'iron-kettle' }]);
    await goToCashier(page, shop);
    await page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${shop.url}/result`));
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    outTradeNo = (await page.locator('#order-no').textContent())!;
    expect(outTradeNo).toMatch(/^LL-/);
    // Only the harmless reference stays: no sign, no token.
    await expect.poll(() => page.url()).toBe(`${shop.url}/result?out_trade_no=${encodeURIComponent(outTradeNo)}`);
    await page.locator('#paid-total').waitFor();
    expect(await page.locator('#paid-total').getAttribute('data-amount')).toBe('177.00');
    expect(await page.locator('#paid-total').getAttribute('data-currency')).toBe('USD');
    expect(await page.locator('#paid-total').textContent()).toBe('US$177.00');
    // The sandbox's rate for USD, converted for display.
    const rate = Number(
      ((await (await fetch(`${shop.url}/api/rates`)).json()) as { rates: Record<string, string> }).rates.USD,
    );
    const cny = (177 * rate).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await page.locator('#paid-cny').textContent()).toBe(`≈ CN¥${cny} at Alipay’s rate`);
    const text = await visibleText(buyer);
    expect(text).not.toMatch(/email/i);
    // One message (the widget's own status line stays out of sight), one button.
    expect(await page.locator('#result-widget').isHidden()).toBe(true);
    expect(
      await page.locator('#result-actions').getByRole('button').or(page.locator('#result-actions a')).count(),
    ).toBe(1);
    await shopShots(page, 'result-paid');
    expect(problems).toEqual([]);
  });

  it('should show the same paid order after a reload, with the cart still empty', async () => {
    const { page, problems } = buyer;
    await page.reload();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#result-title').textContent()).toMatch(/payment was received/i);
    expect(await page.locator('#order-no').textContent()).toBe(outTradeNo);
    await page.locator('#paid-total', { hasText: 'US$177.00' }).waitFor();
    expect(await page.locator('#cart-count').isHidden()).toBe(true);
    // A reload again: still there (the token stays for the tab's life).
    await page.reload();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
  });

  it('should show the paid order in Simplified Chinese after switching language', async () => {
    const { page, context, problems } = buyer;
    await context.addCookies([{ name: 'shop_lang', value: 'zh-CN', url: shop.url }]);
    await page.reload();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#result-title').textContent()).toBe('谢谢！我们已收到您的付款');
    await page.locator('.paid-summary dt', { hasText: '实付金额' }).waitFor();
    expect(await page.locator('#paid-cny').textContent()).toMatch(/^按支付宝汇率约 CN¥[\d,]+\.\d\d$/);
    await shopShots(page, 'result-paid-zh-CN');
    await context.clearCookies();
    expect(problems).toEqual([]);
  });

  it('should show the order in another tab of the same browser, and on /result without a reference', async () => {
    const other = await buyer.context.newPage();
    await other.goto(`${shop.url}/result?out_trade_no=${encodeURIComponent(outTradeNo)}`);
    await other.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    await other.locator('#paid-total', { hasText: 'US$177.00' }).waitFor();
    await other.close();
    // The same tab, the bare /result: its last order.
    await buyer.page.goto(`${shop.url}/result`);
    await buyer.page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(new URL(buyer.page.url()).searchParams.get('out_trade_no')).toBe(outTradeNo);
  });

  it('should not show the order to a browser without its token', async () => {
    const stranger = await newSession();
    await stranger.page.goto(`${shop.url}/result?out_trade_no=${encodeURIComponent(outTradeNo)}`);
    await stranger.page.locator('#result[data-state="bad"]').waitFor();
    expect(await visibleText(stranger)).not.toContain('177');
    expect(await stranger.page.locator('#result-title').textContent()).toBe('We could not check this payment');
    expect(stranger.problems).toEqual([]);
    await stranger.context.close();
  });

  it('should say the shop could not be reached, with one "Try again" that then shows the order', async () => {
    const { page } = buyer;
    await page.route('**/api/alipay/orders/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${shop.url}/result?out_trade_no=${encodeURIComponent(outTradeNo)}`);
    await page.locator('#result[data-state="bad"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#result').getAttribute('data-code')).toBe('NETWORK_ERROR');
    expect(await page.locator('#result-text').textContent()).toBe(
      'The shop could not be reached. Check your connection and try again.',
    );
    expect(await visibleText(buyer)).not.toContain('NETWORK_ERROR');
    const only = page.locator('#result-actions > *');
    expect(await only.count()).toBe(1);
    expect(await only.textContent()).toBe('Try again');
    await page.unroute('**/api/alipay/orders/**');
    await only.click();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    await page.locator('#paid-total', { hasText: 'US$177.00' }).waitFor();
  });

  it('should explain a refused lookup in words with one button, never the raw code', async () => {
    const { page } = buyer;
    // The stored token goes bad (tampered with, or signed with a rotated secret).
    await page.evaluate((no) => {
      const w = globalThis as unknown as {
        sessionStorage: { setItem(k: string, v: string): void };
        localStorage: { clear(): void };
      };
      w.sessionStorage.setItem(`alipay-checkout:token:${no}`, 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.bad');
      w.localStorage.clear();
    }, outTradeNo);
    await page.goto(`${shop.url}/result?out_trade_no=${encodeURIComponent(outTradeNo)}`);
    await page.locator('#result[data-state="bad"]').waitFor({ timeout: 30_000 });
    const code = await page.locator('#result').getAttribute('data-code');
    expect(code).toMatch(/^[A-Z_0-9]+$/);
    const text = await visibleText(buyer);
    expect(text).not.toContain(code!);
    expect(text).not.toMatch(/ERR_|HTTP_\d/);
    expect(await page.locator('#result-text').textContent()).toMatch(/can no longer look up the order/);
    expect(await page.locator('#result-actions > *').count()).toBe(1);
    expect(await page.locator('#result-actions > *').textContent()).toBe('Continue shopping');
    expect(await page.locator('#order-no').textContent()).toBe(outTradeNo);
    expect(await page.locator('#result-widget').isHidden()).toBe(true);
    await shopShots(page, 'result-error');
  });

  it('should say "No payment to show" with one way back in a fresh browser', async () => {
    const fresh = await newSession();
    await fresh.page.goto(`${shop.url}/result`);
    await fresh.page.locator('#result[data-state="bad"]').waitFor();
    expect(await fresh.page.locator('#result-title').textContent()).toBe('No payment to show');
    expect(await fresh.page.locator('#result-actions > *').count()).toBe(1);
    await shopShots(fresh.page, 'result-none');
    expect(fresh.problems).toEqual([]);
    await fresh.context.close();
  });
});

describe('result page for a payment that was not completed', () => {
  it('should say so in words with one "Try again" back to checkout, the cart kept', async () => {
    const { page, context, problems } = await newSession();
    await fillCart(page, shop, [{ id: 'paper-lantern' }], 'GBP');
    await goToCashier(page, shop);
    const no =
      new URL(page.url()).searchParams.get('out_trade_no') ?? (await shop.demo.backend.orders())[0]!.out_trade_no;
    await page.getByRole('button', { name: 'Let it time out' }).click();
    await page.getByRole('heading', { name: 'Payment timed out' }).waitFor();
    // The shop learns of the close by asking the gateway (the admin's order view does).
    const admin = await newSession();
    await adminLogin(admin.page, shop);
    await openOrder(admin.page, no);
    await expect.poll(() => admin.page.locator('#order-detail .status').first().textContent()).toBe('closed');
    await admin.context.close();

    await page.goto(`${shop.url}/result?out_trade_no=${encodeURIComponent(no)}`);
    await page.locator('#result[data-state="bad"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#result-title').textContent()).toBe('Payment not completed');
    expect(await page.locator('#result-text').textContent()).toBe(
      'The payment was closed without being paid. Nothing was charged; your cart is still here.',
    );
    const only = page.locator('#result-actions > *');
    expect(await only.count()).toBe(1);
    expect(await only.textContent()).toBe('Try again');
    expect(await page.locator('#order-no').textContent()).toBe(no);
    expect(await page.locator('#cart-count').textContent()).toBe('1');
    await shopShots(page, 'result-failed');
    await only.click();
    await page.waitForURL(`${shop.url}/checkout`);
    await page
      .locator('alipay-checkout')
      .getByRole('button', { name: /pay with alipay/i })
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
