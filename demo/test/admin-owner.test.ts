/**
 * The shop owner's admin (issue 14), in Chromium against the embedded sandbox: the refund form
 * starts empty and confirms amount and currency in the page; abandoned orders leave "awaiting
 * payment" through the sweeper, closed and late-paid orders are told apart with their Alipay
 * trade number; one time format with its zone; the reconciliation picker cannot choose what the
 * gateway refuses (§8.2), an empty period says so and gateway errors are words; order numbers
 * do not wrap. Every changed page is photographed at 1280 and 390 px into /tmp/shots/admin/.
 *
 * Deterministic: the shop's clock is moved for the sweeper (the sandbox keeps real time, so its
 * cashier still takes a late payment), the gateway's "today" is read from the page, faults are set
 * through the sandbox's control API.
 */
import { mkdirSync } from 'node:fs';
import { formatBeijingDate } from '@alipay-kit/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  buyAndPay,
  fillCart,
  goToCashier,
  newSession,
  openOrder,
  startShop,
  type Session,
  type Shop,
} from './harness.js';

const SHOTS = '/tmp/shots/admin';
mkdirSync(SHOTS, { recursive: true });

/** Full-page screenshots at 1280 and 390 px wide, back to 1280 afterwards. */
async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 860 });
    // Scrolled to the top: a full-page shot of a scrolled page paints the sticky header mid-page.
    await page.evaluate('window.scrollTo(0, 0); new Promise((r) => requestAnimationFrame(() => r(null)))');
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true, animations: 'disabled' });
    // Nothing sticks out sideways: the page is as wide as the window.
    expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${width} px`).toBeLessThanOrEqual(
      width,
    );
  }
  await page.setViewportSize({ width: 1280, height: 860 });
}

/** The one format: `2026-12-03 14:05 UTC+8`. */
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+8$/;
/** An instant in that format, computed here independently of the page's helper. */
const beijing = (iso: string) => {
  const b = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${b.slice(0, 10)} ${b.slice(11, 16)} UTC+8`;
};
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

let shop: Shop;
let admin: Session;
let paidNo = '';
let clockOffsetMs = 0;

beforeAll(async () => {
  shop = await startShop({ sweepIntervalSeconds: 1, now: () => new Date(Date.now() + clockOffsetMs) });
  paidNo = await buyAndPay(shop, [{ id: 'celadon-cup', qty: 2 }, { id: 'oolong-tin' }], 'USD');
  admin = await newSession();
  await adminLogin(admin.page, shop);
});
afterAll(async () => {
  await admin?.context.close();
  await shop?.close();
});

const sandboxRefunds = () => shop.sandbox.refunds().filter((r) => r.out_trade_no === paidNo);

describe('the refund form', () => {
  it('should start empty, offer the full amount, and send nothing before the confirm step', async () => {
    const { page } = admin;
    await openOrder(page, paidNo);
    const amount = page.locator('#refund-amount');
    expect(await amount.inputValue()).toBe('');
    expect(await page.locator('#refund-left').textContent()).toMatch(/^Up to (US)?\$100\.00 USD can be refunded\.$/);
    await shots(page, '01-refund-form-empty');

    // Nothing typed: the form says what to do instead of sending.
    await page.locator('#refund-review').click();
    expect(await page.locator('#refund-form .notice.error').textContent()).toBe(
      'Enter the amount to refund, or use “Full amount”.',
    );
    // More than is left: refused in the page.
    await amount.fill('100.01');
    await page.locator('#refund-review').click();
    expect(await page.locator('#refund-form .notice.error').textContent()).toMatch(
      /^That is more than the (US)?\$100\.00 USD left to refund\.$/,
    );
    expect(await amount.getAttribute('aria-invalid')).toBe('true');

    // The shortcut fills in what is left; the confirm step repeats amount and currency.
    await page.locator('#refund-full').click();
    expect(await amount.inputValue()).toBe('100.00');
    await page.locator('#refund-review').click();
    expect(await page.locator('#refund-question').textContent()).toMatch(
      /^Refund (US)?\$100\.00 USD to the buyer through Alipay\? This is everything that is left on the payment\. It cannot be undone\.$/,
    );
    expect(await amount.isDisabled()).toBe(true);
    await shots(page, '02-refund-confirm-full');

    // "Change" goes back to editing; still nothing sent to Alipay.
    await page.locator('#refund-change').click();
    expect(await amount.isDisabled()).toBe(false);
    expect(await page.locator('#refund-question').count()).toBe(0);
    expect(sandboxRefunds()).toEqual([]);
  });

  it('should send the confirmed amount once', async () => {
    const { page } = admin;
    await page.locator('#refund-amount').fill('25.5');
    await page.fill('#refund-reason', 'Lid chipped');
    await page.locator('#refund-review').click();
    expect(await page.locator('#refund-question').textContent()).toMatch(
      /^Refund (US)?\$25\.50 USD to the buyer through Alipay\? It cannot be undone\.$/,
    );
    await page.locator('#refund-confirm').click();
    const flash = page.locator('#order-detail .flash');
    await flash.waitFor();
    expect(await flash.getAttribute('class')).toContain('ok');
    expect(sandboxRefunds().map((r) => r.return_amount)).toEqual(['25.50']);
    // The form is back, empty again, for what is left.
    expect(await page.locator('#refund-amount').inputValue()).toBe('');
    expect(await page.locator('#refund-left').textContent()).toMatch(/^Up to (US)?\$74\.50 USD can be refunded\.$/);
    await shots(page, '03-refund-sent');
  });
});

describe('times', () => {
  it('should show every time in one format with its zone, on orders, order detail, refunds and rates', async () => {
    const { page } = admin;
    const order = (await shop.demo.backend.order(paidNo))!;
    await openOrder(page, paidNo);
    expect(await page.locator(`#orders-table tr[data-order="${paidNo}"] td.when`).textContent()).toBe(
      beijing(order.created_at),
    );
    const meta = await page.locator('#order-detail .detail-meta dd').allTextContents();
    expect(meta).toContain(beijing(order.created_at));
    for (const when of await page.locator('#order-detail .timeline .when').allTextContents())
      expect(when.split(' · ')[0]).toMatch(TIME);
    for (const cell of await page.locator('#order-detail [data-notifications] td.when').allTextContents())
      expect(cell).toMatch(TIME);
    // The sandbox's delivery attempts (gateway time, already Beijing) in the same format.
    const attempts = await page
      .locator('#order-detail .detail-section', { hasText: 'Sandbox delivery attempts' })
      .locator('td.when')
      .allTextContents();
    expect(attempts.length).toBeGreaterThan(0);
    for (const a of attempts) expect(a).toMatch(TIME);

    await page.goto(`${shop.url}/admin#refunds`);
    const sub = await page.locator('#all-refunds tbody tr .sub').first().textContent();
    expect(sub!.split(' · ')[0]).toBe(beijing(order.refunds[0]!.created_at));

    await page.goto(`${shop.url}/admin#rates`);
    await page.locator('#rates-grid').waitFor();
    for (const t of await page.locator('#rates-grid .rate-card .small').allTextContents())
      expect(t.replace(/^.* · updated /, '')).toMatch(TIME);
    expect(await page.locator('#rates-result > p').textContent()).toMatch(
      /^Fetched \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+8\./,
    );
    await shots(page, '04-rates');
  });
});

describe('order numbers', () => {
  it('should keep order numbers on one line with the detail panel open, wide and narrow', async () => {
    const { page } = admin;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 860 });
      await openOrder(page, paidNo);
      // How many line boxes each order number's text takes (a Range's client rects, by top).
      const lines = await page.evaluate<
        number[]
      >(`[...document.querySelectorAll('#orders-table .order-no, #order-detail .detail-head h2')].map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      })`);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines, `at ${width} px`).toEqual(lines.map(() => 1));
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    await shots(page, '05-order-detail-open');
  });
});

describe('abandoned, closed and late-paid orders', () => {
  it('should close abandoned orders on their own and tell closed and late-paid orders apart, with the trade number', async () => {
    const { page } = admin;
    // One buyer lets the cashier time out (Alipay closes the trade: it has a trade number)…
    const timedOut = await newSession();
    await fillCart(timedOut.page, shop, [{ id: 'paper-lantern' }], 'GBP');
    await goToCashier(timedOut.page, shop);
    await timedOut.page.getByRole('button', { name: 'Let it time out' }).click();
    await timedOut.page.getByRole('heading', { name: 'Payment timed out' }).waitFor();
    await timedOut.context.close();
    // …one walks away from the cashier (no trade at Alipay) and comes back to pay late.
    const late = await newSession();
    await fillCart(late.page, shop, [{ id: 'oolong-tin' }], 'USD');
    await goToCashier(late.page, shop);

    const pending = (await shop.demo.backend.orders()).filter((o) => o.status === 'created').map((o) => o.out_trade_no);
    expect(pending).toHaveLength(2);
    const timedOutNo = shop.sandbox.trades().find((t) => t.trade_status === 'TRADE_CLOSED')!.out_trade_no;
    const lateNo = pending.find((n) => n !== timedOutNo)!;

    // Two hours later for the shop: the sweeper asks Alipay about both and closes them.
    clockOffsetMs = 2 * 3600_000;
    const statusOf = async (no: string) =>
      (await shop.demo.backend.orders()).find((o) => o.out_trade_no === no)?.status;
    await expect.poll(() => statusOf(timedOutNo), { timeout: 15_000 }).toBe('closed');
    await expect.poll(() => statusOf(lateNo), { timeout: 15_000 }).toBe('closed');
    clockOffsetMs = 0;

    await late.page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await late.page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    await late.context.close();
    await expect.poll(() => statusOf(lateNo), { timeout: 15_000 }).toBe('paid_after_close');

    await page.goto(`${shop.url}/admin#orders`);
    await page.locator('#orders-refresh').click();
    const row = (no: string) => page.locator(`#orders-table tr[data-order="${no}"]`);
    await row(lateNo).locator('.status-paid_after_close').waitFor();
    expect(await row(timedOutNo).locator('td.state .status').textContent()).toBe('closed');
    // A closed order shows its trade number when the ledger has one, and otherwise that nothing was paid.
    for (const no of [timedOutNo]) {
      const known = (await shop.demo.backend.orders()).find((o) => o.out_trade_no === no)!.trade_no;
      expect(await row(no).locator('td.state .sub').textContent()).toBe(known ?? 'no payment');
    }
    expect(await row(lateNo).locator('td.state .status').textContent()).toBe('Paid after close');
    expect(await row(lateNo).locator('td.state .trade-no').textContent()).toBe(
      shop.sandbox.trades().find((t) => t.out_trade_no === lateNo)!.trade_no,
    );
    // Nothing is left awaiting payment.
    expect(await page.locator('#orders-table .status-created').count()).toBe(0);
    // The two look different: not the same chip colours.
    const colours = await Promise.all(
      [timedOutNo, lateNo].map((no) =>
        row(no)
          .locator('td.state .status')
          .evaluate(
            (el) =>
              (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(
                el,
              ).backgroundColor,
          ),
      ),
    );
    expect(colours[0]).not.toBe(colours[1]);
    await shots(page, '06-orders-closed-and-late');
    await openOrder(page, lateNo);
    await shots(page, '07-order-paid-after-close');
  });
});

describe('reconciliation', () => {
  const form = () => admin.page.locator('#recon-form');

  async function openTab(): Promise<string> {
    const { page } = admin;
    await page.goto(`${shop.url}/admin#reconciliation`);
    await page.reload(); // a fresh page: the default period, untouched
    await form().and(page.locator('[data-gateway-today]')).waitFor();
    const today = (await form().getAttribute('data-gateway-today'))!;
    return `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6, 8)}`;
  }

  it('should offer only periods the gateway serves: before its today, at most 10 days', async () => {
    const { page } = admin;
    const today = await openTab();
    expect(today.replace(/-/g, '')).toBe(formatBeijingDate(shop.sandbox.now()));
    const yesterday = ymd(Date.parse(today) - DAY);
    expect(await page.locator('#recon-to').getAttribute('max')).toBe(yesterday);
    expect(await page.locator('#recon-to').inputValue()).toBe(yesterday);
    expect(await page.locator('#recon-from').inputValue()).toBe(ymd(Date.parse(today) - 7 * DAY));
    expect(await page.locator('#recon-from').getAttribute('min')).toBe(ymd(Date.parse(yesterday) - 9 * DAY));
    const run = page.getByRole('button', { name: 'Run report' });
    expect(await run.isEnabled()).toBe(true);

    await page.fill('#recon-to', today);
    expect(await page.locator('#recon-range-error').textContent()).toBe(
      'Alipay only has files for days that are over: end the period yesterday or earlier (Beijing time).',
    );
    expect(await run.isDisabled()).toBe(true);
    expect(await page.locator('#recon-to').getAttribute('aria-invalid')).toBe('true');
    await shots(page, '08-recon-today-refused');

    await page.fill('#recon-to', yesterday);
    await page.fill('#recon-from', ymd(Date.parse(yesterday) - 10 * DAY)); // 11 days
    expect(await page.locator('#recon-range-error').textContent()).toBe(
      'Alipay sends at most 10 days at a time: choose a shorter period.',
    );
    expect(await run.isDisabled()).toBe(true);
    await page.fill('#recon-from', ymd(Date.parse(yesterday) - 9 * DAY)); // 10 days: fine
    expect(await page.locator('#recon-range-error').isHidden()).toBe(true);
    expect(await run.isEnabled()).toBe(true);

    // The server applies the same rule: a period sent anyway is refused before the gateway.
    const answer = await page.evaluate(
      async (body) => {
        const r = await fetch('/admin/api/reconcile', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-admin-request': '1' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
      },
      { from: today, to: today },
    );
    expect(answer).toEqual({
      status: 400,
      body: { error: { code: 'ERR_INVALID_DATE', message: 'Finish date not ahead of today' } },
    });
  });

  it('should say there are no transactions in an empty period, not that all matched', async () => {
    const { page } = admin;
    const today = await openTab();
    await page.fill('#recon-from', ymd(Date.parse(today) - 30 * DAY));
    await page.fill('#recon-to', ymd(Date.parse(today) - 25 * DAY));
    await page.getByRole('button', { name: 'Run report' }).click();
    const verdict = page.locator('#recon-verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.textContent()).toBe('no transactions in this period');
    expect(await verdict.getAttribute('class')).not.toContain('status-success');
    expect(await page.locator('#recon-empty').textContent()).toMatch(/^No transactions in this period/);
    expect(await page.locator('#recon-result .notice.ok').count()).toBe(0);
    await shots(page, '09-recon-empty');
  });

  it('should show a gateway failure in words, without its code', async () => {
    const { page } = admin;
    await openTab();
    shop.sandbox.setFaults({ service: 'forex_compare_file' }, { http5xx: 1 });
    try {
      await page.getByRole('button', { name: 'Run report' }).click();
      const error = page.locator('#recon-error');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.textContent()).toBe(
        'No report. Alipay answered with an error page. Try again in a few minutes.',
      );
      expect(await error.getAttribute('data-code')).toBe('ERR_HTTP_STATUS');
      await shots(page, '10-recon-gateway-error');
    } finally {
      shop.sandbox.clearFaults({ service: 'forex_compare_file' });
    }
  });
});
