/**
 * The cashier in Chromium (playwright-core, /usr/bin/chromium): keyboard-usable, labelled
 * buttons; paying ends in a signed 302 to the merchant's return_url and a notification.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeForm,
  KEY_A,
  md5Hex,
  paymentUrl,
  presign,
  startMerchant,
  startSandbox,
  type Running,
} from './helpers.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/wtr/browser-flags.mjs';

let browser: Browser;
let s: Running;
let m: Awaited<ReturnType<typeof startMerchant>>;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  s = await startSandbox();
  m = await startMerchant((r) => ({ body: r.method === 'GET' ? 'merchant return page' : 'success' }));
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
  await m?.close();
});

describe('cashier page in Chromium', () => {
  it('pays with the keyboard and lands on return_url with a signed query; the notification arrives', async () => {
    const page = await browser.newPage();
    await page.goto(
      paymentUrl(s.gateway, {
        out_trade_no: 'B-1',
        subject: 'Parcel fee',
        notify_url: `${m.url}/notify`,
        return_url: `${m.url}/return`,
      }),
    );
    await expect(page.locator('#merchant-name').textContent()).resolves.toBe('Kaligo test shop');
    await expect(page.locator('#order-subject').textContent()).resolves.toBe('Parcel fee');
    expect(await page.content()).toContain('USD 10.00');
    expect(await page.content()).toContain('CNY 67.06');
    for (const name of ['Log in as test buyer and pay', 'Cancel', 'Let it time out'])
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(1);
    // autofocus puts the pay button first; Enter submits the plain form
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Log in as test buyer and pay',
    );
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await Promise.all([page.waitForURL(`${m.url}/return?**`), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    const params = decodeForm(url.search.slice(1));
    expect(params).toMatchObject({
      out_trade_no: 'B-1',
      trade_status: 'TRADE_FINISHED',
      total_fee: '10.00',
      currency: 'USD',
      sign_type: 'MD5',
    });
    expect(params.sign).toBe(md5Hex(presign(params), KEY_A));
    await s.sandbox.control.flushNotifications();
    const n = m.notifications().find((x) => x.out_trade_no === 'B-1')!;
    expect(n.trade_no).toBe(params.trade_no);
    expect(n.sign).toBe(md5Hex(presign(n), KEY_A));
    await page.close();
  });

  it('cancel shows a "Payment cancelled" page linking back to the merchant; timeout closes the trade', async () => {
    const page = await browser.newPage();
    await page.goto(paymentUrl(s.gateway, { out_trade_no: 'B-2', return_url: `${m.url}/return` }));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Payment cancelled');
    await expect(page.getByRole('link', { name: 'Back to the merchant' }).getAttribute('href')).resolves.toBe(
      `${m.url}/`,
    );
    await page.goto(paymentUrl(s.gateway, { out_trade_no: 'B-3' }));
    await page.getByRole('button', { name: 'Let it time out' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Payment timed out');
    expect(s.sandbox.control.trades().find((t) => t.out_trade_no === 'B-3')!.trade_status).toBe('TRADE_CLOSED');
    expect(s.sandbox.control.trades().find((t) => t.out_trade_no === 'B-2')).toBeUndefined();
    await page.close();
  });

  it('shows the §3.7 error page with #alipay-error-code for a tampered link', async () => {
    const page = await browser.newPage();
    await page.goto(paymentUrl(s.gateway).replace('total_fee=10.00', 'total_fee=1.00'));
    await expect(page.locator('#alipay-error-code').textContent()).resolves.toBe('ILLEGAL_SIGN');
    await page.close();
  });

  it('renders the dashboard with trades and every notification attempt', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sandbox dashboard');
    const html = await page.content();
    expect(html).toContain('B-1');
    expect(html).toContain('trade_status_sync');
    await page.getByRole('button', { name: '+1 hour' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Sandbox dashboard');
    await page.close();
  });
});
