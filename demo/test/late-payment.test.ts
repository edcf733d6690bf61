/**
 * A late payment (issue 12): the buyer leaves the cashier open, the shop's sweeper closes the
 * abandoned order once its payment link has expired, then the buyer pays anyway. The order becomes
 * "Paid after close" (onLatePayment, not onPaid) and the admin refunds it in full in one click.
 *
 * Only the shop's clock moves (two hours, for the sweep): the sandbox keeps the real time, so its
 * cashier still takes the payment, as a gateway does when the buyer logged in before the deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  fillCart,
  goToCashier,
  newSession,
  openOrder,
  shot,
  startShop,
  type Session,
  type Shop,
} from './harness.js';

let shop: Shop;
let buyer: Session;
let admin: Session;
let outTradeNo = '';
let clockOffsetMs = 0;

beforeAll(async () => {
  shop = await startShop({ sweepIntervalSeconds: 1, now: () => new Date(Date.now() + clockOffsetMs) });
  buyer = await newSession();
  admin = await newSession();
  await adminLogin(admin.page, shop);
});
afterAll(async () => {
  await buyer?.context.close();
  await admin?.context.close();
  await shop?.close();
});

const ledgerStatus = async () => (await shop.demo.backend.orders()).find((o) => o.out_trade_no === outTradeNo)?.status;
const orderRow = () => admin.page.locator(`#orders-table tr[data-order="${outTradeNo}"]`);

describe('a payment for an order the shop had closed', () => {
  it('should close the abandoned order with the sweeper and show it closed, not pending', async () => {
    await fillCart(buyer.page, shop, [{ id: 'celadon-cup', qty: 2 }, { id: 'oolong-tin' }], 'USD');
    await goToCashier(buyer.page, shop); // the order exists; the buyer has not logged in
    const orders = await shop.demo.backend.orders();
    expect(orders).toHaveLength(1);
    outTradeNo = orders[0]!.out_trade_no;

    await admin.page.locator('#orders-refresh').click();
    await orderRow().locator('.status', { hasText: 'awaiting payment' }).waitFor();

    // Two hours later for the shop: the one-hour link has expired and Alipay has no trade.
    clockOffsetMs = 2 * 3600_000;
    await expect.poll(ledgerStatus, { timeout: 15_000 }).toBe('closed');
    clockOffsetMs = 0;
    expect(shop.logs).toContain(`closed hook ${outTradeNo}`);

    await admin.page.locator('#orders-refresh').click();
    await orderRow().locator('.status-closed', { hasText: 'closed' }).waitFor();
    await openOrder(admin.page, outTradeNo);
    expect(await admin.page.locator('#order-detail .closed-note').textContent()).toMatch(/Closed without a payment/);
    expect(await admin.page.locator('#order-detail .timeline').textContent()).toMatch(/order sweeper/);
    await shot(admin.page, '20-admin-order-closed-by-sweeper');
  });

  it('should record the payment as paid after close, run the late-payment hook once and not onPaid', async () => {
    await buyer.page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await buyer.page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    await expect.poll(ledgerStatus, { timeout: 15_000 }).toBe('paid_after_close');
    expect(shop.logs.filter((l) => l.startsWith(`LATE payment hook ${outTradeNo}:`))).toHaveLength(1);
    expect(shop.logs.some((l) => l.startsWith(`paid hook ${outTradeNo}`))).toBe(false);

    const tradeNo = shop.sandbox.trades().find((t) => t.out_trade_no === outTradeNo)!.trade_no;
    await admin.page.locator('#orders-refresh').click();
    const badge = orderRow().locator('.status-paid_after_close');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('Paid after close');
    expect(await orderRow().locator('td.state .trade-no').textContent()).toBe(tradeNo);
    await shot(admin.page, '21-admin-orders-paid-after-close');
  });

  it('should refund the late payment in full in one click, after a confirm step with amount and currency', async () => {
    const { page } = admin;
    await openOrder(page, outTradeNo);
    expect(await page.locator('#order-detail .detail-head .status').textContent()).toBe('Paid after close');
    await page.locator('#refund-in-full').click();
    expect(await page.locator('#refund-in-full-question').textContent()).toMatch(
      /^Refund (US)?\$100\.00 USD to the buyer through Alipay\? This returns the whole payment\.$/,
    );
    await shot(page, '22-admin-late-payment-confirm');
    await page.locator('#refund-in-full-confirm').click();

    const flash = page.locator('#order-detail .flash');
    await flash.waitFor();
    expect(await flash.getAttribute('class')).toContain('ok');
    expect(await flash.textContent()).toMatch(/^Refund .* \((US)?\$100\.00\) accepted by Alipay/);
    // Accepted, and settled as soon as its notification lands (the sandbox sends it right away).
    const state = await page.locator('#refunds-table tbody tr').getAttribute('data-state');
    expect(state).toMatch(/^(accepted|succeeded)$/);
    if (state === 'accepted')
      expect(await page.locator('#refunds-table .state-words').textContent()).toBe(
        'Accepted by Alipay — waiting for its refund notification',
      );
    await shot(page, '23-admin-late-payment-refund-sent');

    await shop.sandbox.flushNotifications();
    await expect.poll(ledgerStatus, { timeout: 15_000 }).toBe('refunded');
    await page.locator('#orders-refresh').click();
    await page.locator('#order-detail .detail-head .status', { hasText: 'refunded' }).waitFor();
    expect(await page.locator('#refunds-table tr[data-state="succeeded"] .state-words').textContent()).toBe(
      'Refunded to the buyer',
    );
    // The history tells the story: closed by the sweeper, paid late, refunded.
    expect(await page.locator('#order-detail .timeline .what').allTextContents()).toEqual([
      'awaiting payment',
      'awaiting payment → closed',
      'closed → Paid after close',
      'Paid after close → refunded',
    ]);
    const refunds = shop.sandbox.refunds().filter((r) => r.out_trade_no === outTradeNo);
    expect(refunds.map((r) => r.return_amount)).toEqual(['100.00']);
    expect(admin.problems).toEqual([]);
    await shot(page, '24-admin-late-payment-refunded');
  });
});
