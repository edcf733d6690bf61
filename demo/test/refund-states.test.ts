/**
 * Refund states in the admin (issue 12): a refund Alipay refuses shows why in words; a refund
 * whose answer is ambiguous (SYSTEM_ERROR, not executed: sandbox fault `refundSystemError` with
 * `refundSystemErrorApplied: false`) is "Sent — Alipay's answer was unclear", still holds the
 * order's remainder, and "Check again" (the same out_return_no and amount) resolves it, once.
 * The sweeper is off here so that only the operator resolves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLogin, buyAndPay, newSession, openOrder, shot, startShop, type Session, type Shop } from './harness.js';

let shop: Shop;
let admin: Session;
let outTradeNo = '';

beforeAll(async () => {
  shop = await startShop({ sweepIntervalSeconds: 0 });
  outTradeNo = await buyAndPay(shop, [{ id: 'celadon-cup', qty: 2 }, { id: 'oolong-tin' }], 'USD'); // $100.00
  admin = await newSession();
  await adminLogin(admin.page, shop);
});
afterAll(async () => {
  await admin?.context.close();
  await shop?.close();
});

const refundRow = (state: string) => admin.page.locator(`#refunds-table tr[data-state="${state}"]`);

async function refund(amount: string): Promise<void> {
  const { page } = admin;
  await openOrder(page, outTradeNo);
  await page.fill('#refund-amount', amount);
  await page.fill('#refund-reason', 'Lid cracked');
  await page.locator('#refund-review').click(); // the confirm step repeats amount and currency
  await page.locator('#refund-confirm').click();
  await page.locator('#order-detail .flash').waitFor();
}

describe('refund states in words', () => {
  it('should show a refund Alipay refused, with its code in words, and give the amount back', async () => {
    // Alipay accepts it, then its notification says REFUND_FAIL. The number is chosen here so
    // that the sandbox can be told the outcome first; the admin session sends it to the router.
    const outReturnNo = `${outTradeNo}-FAIL`;
    shop.sandbox.setRefundOutcome(outReturnNo, 'REFUND_FAIL', 'SYSTEM_EXCEPTION');
    await admin.page.goto(`${shop.url}/admin`);
    const status = await admin.page.evaluate(
      async (body) => {
        const r = await fetch('/api/alipay/refunds', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-admin-request': '1' },
          body: JSON.stringify(body),
        });
        return ((await r.json()) as { status?: string }).status;
      },
      { outTradeNo, outReturnNo, amount: '10.00', reason: 'Lid cracked' },
    );
    expect(status).toBe('accepted');
    await shop.sandbox.flushNotifications();
    await expect
      .poll(async () => (await shop.demo.backend.order(outTradeNo))?.refunds[0]?.status, { timeout: 15_000 })
      .toBe('failed');

    await openOrder(admin.page, outTradeNo);
    const row = refundRow('failed');
    expect(await row.locator('.state-words').textContent()).toBe('Refused — nothing was refunded');
    expect(await row.locator('.sub').last().textContent()).toBe(
      'Reason: Alipay reported an internal error (SYSTEM_EXCEPTION)',
    );
    expect(await row.locator('[data-action="check-again"]').count()).toBe(0);
    expect(await admin.page.locator('#refund-amount').getAttribute('data-refundable')).toBe('100.00'); // a failed refund holds nothing
  });

  it('should show an ambiguous refund as sent but unclear, and keep its amount held', async () => {
    shop.sandbox.setFaults({ service: 'forex_refund' }, { refundSystemError: 1, refundSystemErrorApplied: false });
    await refund('100.00');
    const flash = admin.page.locator('#order-detail .flash');
    expect(await flash.getAttribute('class')).toContain('info');
    expect(await flash.textContent()).toMatch(/Alipay’s answer was unclear/);

    const row = refundRow('possibly_done');
    expect(await row.locator('.status').textContent()).toBe('unclear');
    expect(await row.locator('.state-words').textContent()).toBe(
      'Sent — Alipay’s answer was unclear; waiting for confirmation',
    );
    expect(await row.locator('.sub').last().textContent()).toBe(
      'Last answer: Alipay reported an internal error (SYSTEM_ERROR)',
    );
    await row.locator('[data-action="check-again"]').waitFor();
    // Nothing was executed, yet nothing more can be refunded until it is resolved.
    expect(shop.sandbox.refunds().filter((x) => x.out_trade_no === outTradeNo && x.executed)).toHaveLength(0);
    expect(await admin.page.locator('#refund-form').count()).toBe(0);
    expect(await admin.page.locator('#refund-held').textContent()).toMatch(
      /^Nothing more can be refunded for now: a refund is waiting for Alipay’s confirmation/,
    );
    const more = await admin.page.evaluate(async (no) => {
      const r = await fetch('/api/alipay/refunds', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-request': '1' },
        body: JSON.stringify({ outTradeNo: no, amount: '1.00' }),
      });
      return { status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code };
    }, outTradeNo);
    expect(more).toEqual({ status: 400, code: 'ERR_INVALID_AMOUNT' });
    await shot(admin.page, '25-admin-refund-unclear');
  });

  it('should list every refund with its state on the Refunds tab', async () => {
    const { page } = admin;
    await page.goto(`${shop.url}/admin#refunds`);
    await page.locator('#all-refunds tbody tr').nth(1).waitFor();
    expect(
      await page.locator('#all-refunds tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))),
    ).toEqual(['possibly_done', 'failed']);
    expect(await page.locator('#refunds-note').textContent()).toBe('2 refunds · 1 waiting for Alipay’s confirmation');
    expect(await page.locator('#refunds-badge').textContent()).toBe('1');
    expect(await page.locator('#sweeper-note').textContent()).toMatch(/sweeper is off/);
    expect(await page.locator(`#all-refunds a[href="#orders/${outTradeNo}"]`).count()).toBe(2);
    await shot(page, '26-admin-refunds-tab');
  });

  it('should resolve it with "Check again": the same refund number, executed once', async () => {
    const { page } = admin;
    shop.sandbox.clearFaults();
    const before = shop.sandbox.refunds().filter((x) => x.out_trade_no === outTradeNo).length;
    await page.locator('#all-refunds tr[data-state="possibly_done"] [data-action="check-again"]').click();
    const flash = page.locator('#refunds-result .flash');
    await flash.waitFor();
    expect(await flash.textContent()).toMatch(/^Refund .* \((US)?\$100\.00\) accepted by Alipay/);
    // Accepted, or already settled by its notification (the sandbox sends it right away).
    expect(await page.locator(`#all-refunds tr:has([data-action="check-again"])`).count()).toBe(0);
    expect(await page.locator('#all-refunds tbody tr').first().getAttribute('data-state')).toMatch(
      /^(accepted|succeeded)$/,
    );

    await shop.sandbox.flushNotifications();
    await expect
      .poll(async () => (await shop.demo.backend.order(outTradeNo))?.status, { timeout: 15_000 })
      .toBe('refunded');
    await page.locator('#refunds-refresh').click();
    await page.locator('#all-refunds tr[data-state="succeeded"]').waitFor();
    expect(await page.locator('#refunds-badge').isHidden()).toBe(true);
    const executed = shop.sandbox.refunds().filter((x) => x.out_trade_no === outTradeNo && x.executed);
    expect(executed.map((x) => x.return_amount)).toEqual(['100.00']);
    expect(shop.sandbox.refunds().filter((x) => x.out_trade_no === outTradeNo).length).toBe(before + 1);
    expect(admin.problems.filter((p) => !/HTTP 400 POST .*\/api\/alipay\/refunds/.test(p))).toEqual([]);
    await shot(page, '27-admin-refund-resolved');
  });
});
