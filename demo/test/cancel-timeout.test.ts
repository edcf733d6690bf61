/**
 * The two ways a buyer leaves the cashier without paying: Cancel (nothing happens at the
 * gateway; the order stays pending) and "Let it time out" (the trade closes, TRADE_CLOSED, and the
 * shop learns it by querying the gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLogin, fillCart, goToCashier, newSession, openOrder, shot, startShop, type Shop } from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

async function pendingOrderNo(): Promise<string> {
  const orders = await shop.demo.backend.orders();
  return orders[0]!.out_trade_no;
}

describe('leaving the cashier without paying', () => {
  it('should keep the order pending, send no notification and keep the cart after Cancel', async () => {
    const { page, context, problems } = await newSession();
    await fillCart(page, shop, [{ id: 'bamboo-whisk' }], 'EUR');
    await goToCashier(page, shop);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
    await shot(page, '10-cashier-cancelled');
    // "Back to the merchant" follows the refer_url the shop sent: straight back to checkout.
    await page.getByRole('link', { name: 'Back to the merchant' }).click();
    await page.waitForURL(`${shop.url}/checkout`);
    await expect.poll(() => page.locator('#cart-count').textContent()).toBe('1');
    await page
      .locator('alipay-checkout')
      .getByRole('button', { name: /pay with alipay/i })
      .waitFor();
    await shot(page, '11-back-after-cancel');
    // The catalog also offers the way back to checkout, with the cart intact.
    await page.goto(`${shop.url}/`);
    await page.locator('#resume').waitFor();
    await page.getByRole('link', { name: 'Back to checkout' }).click();
    await page.waitForURL(`${shop.url}/checkout`);
    await page
      .locator('alipay-checkout')
      .getByRole('button', { name: /pay with alipay/i })
      .waitFor();

    const no = await pendingOrderNo();
    await shop.sandbox.flushNotifications();
    expect(shop.sandbox.notifications({ out_trade_no: no })).toHaveLength(0);
    const order = await shop.demo.backend.order(no);
    expect(order?.status).toBe('created');
    expect(order?.notifications).toHaveLength(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('should mark the order closed once the gateway says the trade timed out', async () => {
    const { page, context } = await newSession();
    await fillCart(page, shop, [{ id: 'paper-lantern' }], 'GBP');
    await goToCashier(page, shop);
    await page.getByRole('button', { name: 'Let it time out' }).click();
    await page.getByRole('heading', { name: 'Payment timed out' }).waitFor();
    await shot(page, '12-cashier-timed-out');
    const no = await pendingOrderNo();
    const trade = shop.sandbox.trades().find((t) => t.out_trade_no === no);
    expect(trade?.trade_status).toBe('TRADE_CLOSED');

    // The admin asks the gateway (single_trade_query) about a pending order and records the close.
    const admin = await newSession();
    await adminLogin(admin.page, shop);
    await openOrder(admin.page, no);
    await expect.poll(() => admin.page.locator('#order-detail .status').first().textContent()).toBe('closed');
    await shot(admin.page, '13-admin-order-closed');
    const order = await shop.demo.backend.order(no);
    expect(order?.status).toBe('closed');
    expect(order?.history.map((h) => `${h.to}:${h.source}`)).toContain('closed:query');
    expect(order?.refundable).toBe('0.00');
    await admin.context.close();
    await context.close();
  });
});
