/**
 * After a payment: a partial refund, then a refund of the rest, from the admin; then the
 * reconciliation report for today matches the gateway's transaction file row for row.
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
let admin: Session;
let outTradeNo = '';

beforeAll(async () => {
  shop = await startShop();
  const buyer = await newSession();
  await fillCart(buyer.page, shop, [{ id: 'celadon-cup', qty: 2 }, { id: 'oolong-tin' }], 'USD');
  await goToCashier(buyer.page, shop);
  await buyer.page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
  await buyer.page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
  outTradeNo = (await buyer.page.locator('#order-no').textContent())!;
  await buyer.context.close();
  admin = await newSession();
  await adminLogin(admin.page, shop);
});
afterAll(async () => {
  await admin?.context.close();
  await shop?.close();
});

async function refundFromAdmin(amount: string | 'full', expectStatus: string): Promise<void> {
  const { page } = admin;
  await openOrder(page, outTradeNo);
  if (amount === 'full') await page.getByRole('button', { name: /full amount/i }).click();
  else await page.fill('#refund-amount', amount);
  await page.fill('#refund-reason', amount === 'full' ? 'Order returned' : 'One cup arrived chipped');
  await page.locator('#refund-review').click(); // the confirm step repeats amount and currency
  await page.locator('#refund-confirm').click();
  const notice = page.locator('#order-detail .flash, #refund-form .notice:not([hidden])').first();
  await notice.waitFor();
  expect(`${await notice.getAttribute('class')}: ${await notice.textContent()}`).toMatch(
    /^notice ok flash: Refund .* accepted/,
  );
  // The refund notification (is_sync=N) settles it; the sandbox delivers it right away.
  await shop.sandbox.flushNotifications();
  await expect
    .poll(async () => (await shop.demo.backend.order(outTradeNo))?.status, { timeout: 15_000 })
    .toBe(expectStatus);
  await page.locator('#orders-refresh').click();
  await page.locator('#order-detail .detail-head .status', { hasText: expectStatus.replace(/_/g, ' ') }).waitFor();
}

describe('refunds from the admin', () => {
  it('should refund part of the payment and show the order partially refunded', async () => {
    await refundFromAdmin('38.00', 'partially_refunded');
    const order = (await shop.demo.backend.order(outTradeNo))!;
    expect(order.total_fee).toBe('100.00');
    expect(order.refunded_fee).toBe('38.00');
    expect(order.refundable).toBe('62.00');
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]!.status).toBe('succeeded');
    expect(await admin.page.locator('#order-detail .status').first().textContent()).toBe('partially refunded');
    await shot(admin.page, '14-admin-partial-refund');
  });

  it('should refund the rest and show the order refunded', async () => {
    await refundFromAdmin('full', 'refunded');
    const order = (await shop.demo.backend.order(outTradeNo))!;
    expect(order.refunded_fee).toBe('100.00');
    expect(order.refundable).toBe('0.00');
    expect(order.refunds.map((r) => [r.amount, r.status])).toEqual(
      expect.arrayContaining([
        ['38.00', 'succeeded'],
        ['62.00', 'succeeded'],
      ]),
    );
    const sandboxRefunds = shop.sandbox.refunds().filter((r) => r.out_trade_no === outTradeNo);
    expect(sandboxRefunds.map((r) => r.return_amount).sort()).toEqual(['38.00', '62.00']);
    // Two refund notifications, each applied once.
    expect(order.notifications.filter((n) => n.notify_type === 'refund_status_sync').map((n) => n.outcome)).toEqual([
      'applied',
      'applied',
    ]);
    expect(await admin.page.locator('#refund-form').count()).toBe(0);
    await shot(admin.page, '15-admin-refunded');
  });

  it('should refuse a refund larger than what is left', async () => {
    // Through the kit's router, with the admin's session, as the admin page does.
    const answer = await admin.page.evaluate(async (no) => {
      const r = await fetch('/api/alipay/refunds', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-request': '1' },
        body: JSON.stringify({ outTradeNo: no, amount: '1.00', reason: 'too much' }),
      });
      return { status: r.status, body: (await r.json()) as { error?: { code: string } } };
    }, outTradeNo);
    expect(answer.status).toBe(409);
    expect(answer.body.error?.code).toBe('ERR_INVALID_TRANSITION');
  });
});

describe('reconciliation', () => {
  it('should match every row of the transaction file with the ledger', async () => {
    const { page } = admin;
    // Files cover past days only: move the gateway's clock to tomorrow, then report on today.
    await shop.sandbox.advanceClock(24 * 3600_000);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.goto(`${shop.url}/admin#reconciliation`);
    await page.locator('#recon-form').waitFor();
    await page.fill('#recon-from', today);
    await page.fill('#recon-to', today);
    await page.getByRole('button', { name: 'Run report' }).click();
    await page.locator('#recon-verdict, #recon-result .error-box').first().waitFor({ timeout: 30_000 });
    expect(
      await page.locator('#recon-result .error-box').count(),
      (await page.locator('#recon-result').textContent()) ?? '',
    ).toBe(0);
    expect(await page.locator('#recon-verdict').textContent()).toBe('all matched');
    // One payment and two refunds.
    expect(await page.locator('[data-stat="matched"]').textContent()).toBe('3');
    expect(await page.locator('[data-stat="differences"]').textContent()).toBe('0');
    await shot(page, '16-admin-reconciliation');
  });

  it("should show today's exchange rates from the rate file", async () => {
    const { page } = admin;
    await page.goto(`${shop.url}/admin#rates`);
    await page.locator('#rates-grid [data-currency="USD"]').waitFor();
    for (const c of ['USD', 'HKD', 'JPY', 'EUR', 'GBP'])
      expect(await page.locator(`#rates-grid [data-currency="${c}"] .rate`).textContent()).toMatch(/^\d+\.\d+$/);
    await shot(page, '17-admin-rates');
  });
});
