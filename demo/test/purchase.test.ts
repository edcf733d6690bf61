/**
 * The happy path in a real browser: catalog → cart → checkout → sandbox cashier → pay → back on
 * the result page with "paid" confirmed by the server, and the notification recorded once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  fillCart,
  goToCashier,
  newSession,
  openOrder,
  PHONE,
  shot,
  startShop,
  type Shop,
} from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

describe('purchase on a desktop browser', () => {
  let outTradeNo = '';

  it('should show the catalog in the chosen currency and price the cart from the catalog', async () => {
    const { page, context, problems } = await newSession();
    await page.goto(`${shop.url}/`);
    await page.locator('[data-product] .price').first().waitFor();
    expect(await page.locator('[data-product]').count()).toBe(6);
    await page.locator('#test-banner').waitFor();
    await shot(page, '01-catalog');
    await page.selectOption('#currency', 'JPY');
    expect(await page.locator('[data-product="oolong-tin"] .price').textContent()).toMatch(/3,600/);
    await page.selectOption('#currency', 'USD');
    await fillCart(page, shop, [{ id: 'oolong-tin', qty: 2 }, { id: 'iron-kettle' }]);
    await page.goto(`${shop.url}/cart`);
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('177.00');
    await shot(page, '02-cart');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('should pay at the cashier, come back and show the order as paid', async () => {
    const { page, context, problems } = await newSession();
    await fillCart(page, shop, [{ id: 'oolong-tin', qty: 2 }, { id: 'iron-kettle' }]);
    await page.goto(`${shop.url}/checkout`);
    await page
      .locator('alipay-checkout')
      .getByRole('button', { name: /pay with alipay/i })
      .waitFor();
    await page.locator('#cny-hint').filter({ hasText: 'CN¥' }).waitFor();
    await shot(page, '03-checkout');
    await goToCashier(page, shop);
    // The cashier shows the server's price, not anything the browser said.
    expect(await page.locator('.amount').first().textContent()).toContain('177.00');
    expect(await page.locator('#cashier-title').textContent()).toBe('Alipay cashier');
    // supplier (§3.2), sent by the shop's resolveOrder, is shown by the cashier.
    await page
      .locator('dt', { hasText: 'Supplier' })
      .locator('xpath=following-sibling::dd[1]')
      .filter({ hasText: 'Lantern and Leaf' })
      .waitFor();
    await shot(page, '04-cashier');
    await page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${shop.url}/result`));
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#result-title').textContent()).toMatch(/payment was received/i);
    outTradeNo = (await page.locator('#order-no').textContent()) ?? '';
    expect(outTradeNo).toMatch(/^LL-/);
    // The widget removed the gateway's parameters from the address bar.
    expect(new URL(page.url()).searchParams.has('sign')).toBe(false);
    // The cart is emptied once the payment is confirmed.
    await expect.poll(() => page.locator('#cart-count').isHidden()).toBe(true);
    await shot(page, '05-result-paid');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('should record the notification exactly once and show the order paid in the admin', async () => {
    expect(outTradeNo).not.toBe('');
    await shop.sandbox.flushNotifications();
    const sent = shop.sandbox.notifications({ out_trade_no: outTradeNo });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.state).toBe('acknowledged');
    const order = await shop.demo.backend.order(outTradeNo);
    expect(order?.status).toBe('paid');
    expect(order?.notifications).toHaveLength(1);
    expect(order?.notifications[0]!.outcome).toBe('applied');
    expect(order?.total_fee).toBe('177.00');
    expect(order?.currency).toBe('USD');

    const { page, context } = await newSession();
    await adminLogin(page, shop);
    await page.locator(`tr[data-order="${outTradeNo}"]`).waitFor();
    await openOrder(page, outTradeNo);
    expect(await page.locator('#order-detail .status').first().textContent()).toBe('paid');
    expect(await page.locator('[data-notifications]').getAttribute('data-notifications')).toBe('1');
    await shot(page, '06-admin-order-paid');
    await context.close();
  });
});

describe('purchase on a phone', () => {
  it('should use the wap cashier (create_forex_trade_wap) on a phone-sized touch screen', async () => {
    const { page, context, problems } = await newSession(PHONE);
    await fillCart(page, shop, [{ id: 'silk-fan' }], 'HKD');
    await shot(page, '07a-phone-catalog');
    await page.goto(`${shop.url}/cart`);
    await page.locator('[data-line="silk-fan"]').waitFor();
    await shot(page, '07b-phone-cart');
    await page.goto(`${shop.url}/checkout`);
    await page
      .locator('alipay-checkout')
      .getByRole('button', { name: /pay with alipay/i })
      .waitFor();
    await shot(page, '07-phone-checkout');
    await goToCashier(page, shop);
    expect(await page.locator('#cashier-title').textContent()).toBe('Alipay mobile cashier');
    await shot(page, '08-phone-cashier');
    await page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    await shot(page, '09-phone-result');
    const no = (await page.locator('#order-no').textContent())!;
    const trade = shop.sandbox.trades().find((t) => t.out_trade_no === no);
    expect(trade?.service).toBe('create_forex_trade_wap');
    expect(trade?.currency).toBe('HKD');
    expect(trade?.total_fee).toBe('350.00');
    expect(problems).toEqual([]);
    await context.close();
  });
});
