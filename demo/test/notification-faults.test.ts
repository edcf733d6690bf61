/**
 * The same purchase with the sandbox misbehaving the way the real gateway may: the notification
 * held back (the buyer is back before the server knows), then delivered late and duplicated.
 * The shop must show "being confirmed" rather than "paid" until it knows, record every delivery,
 * apply the payment once and fire its paid hook once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillCart, goToCashier, newSession, shot, startShop, type Shop } from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

describe('notifications delayed and duplicated by the gateway', () => {
  it('should wait for the late notification, then apply it once despite the duplicates', async () => {
    // Hold notifications (delivered later, newest first) and send every attempt three times; and
    // make single_trade_query fail, so the shop cannot confirm the payment any other way.
    shop.sandbox.setFaults(undefined, { outOfOrderNotifications: true, duplicateNotifications: 2 });
    shop.sandbox.setFaults({ service: 'single_trade_query' }, { http5xx: 1 });
    const { page, context, problems } = await newSession();
    await fillCart(page, shop, [{ id: 'iron-kettle' }, { id: 'bamboo-whisk', qty: 3 }], 'JPY');
    await goToCashier(page, shop);
    await page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${shop.url}/result`));
    // Back from the cashier, but no notification yet: the page must not claim "paid".
    await page.locator('alipay-checkout').waitFor({ state: 'attached' });
    await page.waitForTimeout(1500);
    expect(await page.locator('#result').getAttribute('data-state')).not.toBe('ok');
    const no =
      new URL(page.url()).searchParams.get('out_trade_no') ?? (await shop.demo.backend.orders())[0]!.out_trade_no;
    expect((await shop.demo.backend.order(no))?.status).toBe('created');
    await shot(page, '18-result-waiting-for-notification');

    // The gateway finally delivers: the held notification, three times.
    await shop.sandbox.flushNotifications();
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 45_000 });
    await shot(page, '19-result-paid-after-delay');

    const order = (await shop.demo.backend.order(no))!;
    expect(order.status).toBe('paid');
    expect(order.total_fee).toBe('28200');
    // Every delivery is recorded; exactly one of them changed anything.
    const outcomes = order.notifications.map((n) => n.outcome);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    expect(shop.sandbox.notifications({ out_trade_no: no })[0]!.attempts.filter((a) => a.duplicate)).toHaveLength(2);
    expect(order.history.filter((h) => h.to === 'paid')).toHaveLength(1);
    // The shop's paid hook ran exactly once.
    expect(shop.logs.filter((l) => l.includes(`paid hook ${no}`))).toHaveLength(1);
    expect(problems).toEqual([]);
    shop.sandbox.clearFaults();
    await context.close();
  });
});
