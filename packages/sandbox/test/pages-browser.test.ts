/**
 * Dashboard and cashier in Chromium at 1280 px and 390 px (issue 13 "Dashboard and cashier a
 * QA engineer enjoys"): nothing cut off, actions confirm what they did, faults with scope and a
 * one-click clear, finished refunds without "Set outcome", cashier wording and amounts.
 * Screenshots go to /tmp/shots/sandbox-*.png for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, PARTNER_A, paymentUrl, signMd5, startMerchant, startSandbox, type Running } from './helpers.js';

const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
];
const SHOTS = '/tmp/shots';

let browser: Browser;
let s: Running;
let m: Awaited<ReturnType<typeof startMerchant>>;
const refund = (no: string, extra: Record<string, string> = {}) =>
  s.get(
    signMd5({
      _input_charset: 'UTF-8',
      service: 'forex_refund',
      partner: PARTNER_A,
      out_trade_no: 'ORDER-2026-1000',
      out_return_no: no,
      currency: 'USD',
      return_amount: '1.00',
      gmt_return: '2026-11-25 12:00:00',
      ...extra,
    }),
  );

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  s = await startSandbox({
    merchants: [
      { partner: PARTNER_A, md5Key: KEY_A, name: 'Kaligo test shop' },
      { partner: '2088000000000002', md5Key: KEY_A, name: 'Shop B' },
    ],
  });
  m = await startMerchant((_r, n) => ({ body: n % 2 ? 'fail' : 'success' }));
  for (let i = 0; i < 3; i++) {
    await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, {
        out_trade_no: `ORDER-2026-${1000 + i}`,
        subject: i === 1 ? 'Lantern & Leaf — Tieguanyin oolong tea, 250 g tin, gift wrapped' : 'Parcel fee',
        total_fee: i === 2 ? '2052.16' : '10.00',
        notify_url: `${m.url}/alipay/notify`,
      }),
    );
  }
  await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'ORDER-CLOSED' }), {
    action: 'timeout',
  });
  await refund('REFUND-ASYNC', { notify_url: `${m.url}/alipay/refund-notify` });
  await refund('REFUND-SYNC', { is_sync: 'Y' });
  s.sandbox.control.setFaults(undefined, { duplicateNotifications: 1 });
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
  await m?.close();
});

async function overflow(page: Page): Promise<{ page: boolean; tables: string[] }> {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    tables: [...document.querySelectorAll('.table-scroll')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.closest('details') === null)
      .map((el) => el.closest('section')?.querySelector('h2')?.textContent ?? '?'),
  }));
}

describe('dashboard', () => {
  it('should fit 1280 px with every table inside its card, and 390 px with tables scrolling inside their cards', async () => {
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(`${s.base}/`);
      await page.screenshot({ path: `${SHOTS}/sandbox-dashboard-${width}.png`, fullPage: true });
      const o = await overflow(page);
      expect(o.page, `page wider than ${width}px`).toBe(false);
      if (width === 1280) expect(o.tables).toEqual([]);
      await page.close();
    }
  });

  it('should confirm what an action did and show times with their zone', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.base}/`);
    await expect(page.locator('#gateway-clock').textContent()).resolves.toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/,
    );
    await page.getByRole('button', { name: '+2 min' }).click();
    await expect(page.locator('#notice').textContent()).resolves.toBe(
      'Gateway clock moved forward 2 min; every notification retry that fell due on the way was sent.',
    );
    expect(new URL(page.url()).pathname).toBe('/_sandbox/dashboard');
    await page.close();
  });

  it('should set faults for a partner and service, show them in words, and clear that scope with one click', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.base}/`);
    await page.getByLabel('Partner', { exact: true }).selectOption(PARTNER_A);
    await page.getByLabel('Service', { exact: true }).selectOption('forex_refund');
    await page.getByLabel('forex_refund answers SYSTEM_ERROR (probability)').fill('0.25');
    await page.getByRole('button', { name: 'Set faults for this scope' }).click();
    await expect(page.locator('#notice').textContent()).resolves.toBe(
      `Faults set for partner ${PARTNER_A}, forex_refund.`,
    );
    const item = page.locator('li.fault', { hasText: 'forex_refund answers SYSTEM_ERROR: 25%' });
    await expect(item.count()).resolves.toBe(1);
    await page.screenshot({ path: `${SHOTS}/sandbox-dashboard-faults-1280.png` });
    await item.getByRole('button', { name: 'Clear' }).click();
    await expect(page.locator('#notice').textContent()).resolves.toBe(
      `Faults cleared for partner ${PARTNER_A}, forex_refund.`,
    );
    expect(s.sandbox.control.clearFaults).toBeDefined();
    expect(await fetch(`${s.base}/_sandbox/faults`).then((r) => r.json())).toEqual([
      { scope: {}, faults: { duplicateNotifications: 1 } },
    ]);
    await page.close();
  });

  it('should offer "Set outcome" only for an asynchronous refund whose notification is still pending', async () => {
    let answer = 'fail';
    const shop = await startMerchant(() => ({ body: answer }));
    try {
      await refund('REFUND-PENDING', { out_trade_no: 'ORDER-2026-1001', notify_url: `${shop.url}/refund-notify` });
      await s.sandbox.control.flushNotifications(); // first send refused: still pending
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${s.base}/`);
      const row = (no: string) => page.locator('section[aria-labelledby="refunds-title"] tbody > tr', { hasText: no });
      await expect(row('REFUND-SYNC').getByRole('button', { name: 'Set outcome' }).count()).resolves.toBe(0);
      await expect(row('REFUND-PENDING').getByRole('button', { name: 'Set outcome' }).count()).resolves.toBe(1);
      await row('REFUND-PENDING').getByLabel('Report').selectOption('REFUND_FAIL');
      await row('REFUND-PENDING').getByRole('button', { name: 'Set outcome' }).click();
      await expect(page.locator('#notice').textContent()).resolves.toBe(
        'Refund REFUND-PENDING will be reported as REFUND_FAIL.',
      );
      // Delivered and acknowledged: the outcome is final, the form is gone.
      answer = 'success';
      await s.sandbox.control.advanceClock(2 * 60_000);
      expect(s.sandbox.control.notifications({ out_return_no: 'REFUND-PENDING' })[0]!.state).toBe('acknowledged');
      await page.goto(`${s.base}/`);
      await expect(row('REFUND-PENDING').getByRole('button', { name: 'Set outcome' }).count()).resolves.toBe(0);
      await expect(row('REFUND-PENDING').textContent()).resolves.toContain('delivered: final');
      await expect(row('REFUND-PENDING').textContent()).resolves.toContain('REFUND_FAIL');
      await page.close();
    } finally {
      await shop.close();
    }
  });
});

describe('cashier', () => {
  it('should show the merchant name as sent, grouped amounts, "Pay" after logging in, and a time-out page for a person', async () => {
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(
        paymentUrl(s.gateway, {
          out_trade_no: `CASHIER-${width}`,
          subject: 'Lantern & Leaf order #1042',
          total_fee: '2052.16',
          supplier: 'Lantern & Leaf',
        }),
      );
      await expect(page.locator('#merchant-name').textContent()).resolves.toBe('Lantern & Leaf');
      const text = await page.locator('main').textContent();
      expect(text).toContain('USD 2,052.16');
      expect(text).toContain('CNY 13,762.61');
      expect((await overflow(page)).page).toBe(false);
      await page.screenshot({ path: `${SHOTS}/sandbox-cashier-${width}.png`, fullPage: true });
      await page.getByRole('button', { name: "Log in as test buyer (don't pay yet)" }).click();
      await expect(page.locator('#pay').textContent()).resolves.toBe('Pay');
      await expect(page.locator('#cashier-status').textContent()).resolves.toMatch(
        /until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8/,
      );
      await page.screenshot({ path: `${SHOTS}/sandbox-cashier-logged-in-${width}.png`, fullPage: true });
      await page.getByRole('button', { name: 'Let it time out' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Payment timed out');
      const result = await page.locator('main').textContent();
      expect(result).toContain('This payment expired; nothing was charged');
      expect(result).not.toContain('TRADE_CLOSED');
      await page.screenshot({ path: `${SHOTS}/sandbox-cashier-timed-out-${width}.png`, fullPage: true });
      await page.close();
    }
  });
});
