/**
 * Notifications that fail verification (issue 12) touch no order and are only counted: the admin
 * shows how many, and the last few (why, when, from where), behind the admin session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLogin, newSession, shot, startShop, type Shop } from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

const notify = (body: string) =>
  fetch(`${shop.url}/api/alipay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('rejected notifications', () => {
  it('should say there are none, then count forged and unreadable ones and list the last few', async () => {
    const admin = await newSession();
    await adminLogin(admin.page, shop);
    const panel = admin.page.locator('#rejections');
    await panel.locator('.rej-line').waitFor();
    expect(await panel.textContent()).toMatch(/^Rejected notifications: none\./);

    const forged = new URLSearchParams({
      notify_type: 'trade_status_sync',
      notify_id: 'forged-1',
      notify_time: '2026-12-02 10:00:00',
      out_trade_no: 'LL-000000-DEADBEEF',
      trade_no: '2026120222001',
      trade_status: 'TRADE_FINISHED',
      total_fee: '1.00',
      currency: 'USD',
      sign_type: 'RSA2',
      sign: 'bm90IGEgc2lnbmF0dXJl',
    });
    expect(await (await notify(forged.toString())).text()).toBe('fail');
    expect(await (await notify('')).text()).toBe('fail');

    await admin.page.locator('#orders-refresh').click();
    await panel.locator('summary', { hasText: 'Rejected notifications: 2' }).waitFor();
    await panel.locator('summary').click();
    const rows = panel.locator('#rejections-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')))).toEqual([
      'ERR_NOTIFICATION_INVALID',
      'ERR_SIGNATURE_INVALID',
    ]);
    expect(await rows.nth(1).locator('td').nth(1).textContent()).toBe('bad signatureERR_SIGNATURE_INVALID');
    expect(await rows.nth(0).locator('td').nth(2).textContent()).toBe('127.0.0.1');
    // Nothing of them reached the ledger's orders.
    expect(await shop.demo.backend.orders()).toEqual([]);
    await shot(admin.page, '28-admin-rejected-notifications');
    await admin.context.close();
  });

  it('should keep the list behind the admin session', async () => {
    const res = await fetch(`${shop.url}/admin/api/rejections`);
    expect(res.status).toBe(401);
  });
});
