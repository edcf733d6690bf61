/**
 * `order_gmt_create` + `order_valid_time` (§3.2, §3.6 decision; issue 12): the web link accepts
 * a buyer login until order_gmt_create (GMT+8) + order_valid_time seconds on the sandbox clock;
 * after that the link and the cashier answer the §3.7 error page with SESSION_TIMEOUT and no trade
 * is created. The wap service rejects the pair (ILLEGAL_ARGUMENT).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encode, KEY_A, PARTNER_A, paymentUrl, signMd5, startSandbox, type Running } from './helpers.js';

let s: Running;
beforeEach(async () => {
  s = await startSandbox(); // clock at T0 = 2026-11-25 12:00:00 GMT+8
});
afterEach(() => s.close());

/** Created 11:50:00 Beijing, valid 1800 s: the link works until 12:20:00 (T0 + 20 min). */
const WINDOW = { order_gmt_create: '2026-11-25 11:50:00', order_valid_time: '1800' };
const MIN = 60_000;

const errorCode = (html: string) => /id="alipay-error-code" class="error-code">([^<]*)</.exec(html)?.[1];
const sessionOf = (html: string) => /\/cashier\/([^/"]+)\/pay"/.exec(html)?.[1];
const cashierPost = (id: string, action: string) => fetch(`${s.base}/cashier/${id}/${action}`, { method: 'POST' }); // POST → 303 → the cashier or its result page (issue 13);

describe('create_forex_trade with order_gmt_create + order_valid_time', () => {
  it('opens the cashier and pays inside the window', async () => {
    const page = await fetch(paymentUrl(s.gateway, WINDOW)).then((r) => r.text());
    expect(errorCode(page)).toBeUndefined();
    expect(page).toContain('accepts a login until 2026-11-25 12:20:00 GMT+8');
    await s.sandbox.control.advanceClock(20 * MIN - 1000);
    expect((await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, WINDOW))).tradeNo).toBeDefined();
  });

  it('refuses the link itself once the window has passed (HTML error page, SESSION_TIMEOUT, no trade)', async () => {
    await s.sandbox.control.advanceClock(20 * MIN); // exactly 12:20:00: expired
    const r = await fetch(paymentUrl(s.gateway, WINDOW));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(errorCode(html)).toBe('SESSION_TIMEOUT');
    expect(html).toContain('expired at 2026-11-25 12:20:00');
    const sim = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, WINDOW));
    expect(sim).toEqual({
      errorCode: 'SESSION_TIMEOUT',
      errorDetail: expect.stringContaining('order_gmt_create + order_valid_time'),
    });
    expect(s.sandbox.control.trades()).toEqual([]);
  });

  it('refuses the buyer login at an open cashier once the window has passed, and the trade is never created', async () => {
    const id = sessionOf(await fetch(paymentUrl(s.gateway, WINDOW)).then((r) => r.text()))!;
    expect(id).toBeDefined();
    await s.sandbox.control.advanceClock(25 * MIN);
    for (const action of ['login', 'pay', 'timeout']) {
      const r = await cashierPost(id, action);
      expect(r.status).toBe(200);
      expect(errorCode(await r.text())).toBe('SESSION_TIMEOUT');
    }
    expect(errorCode(await fetch(`${s.base}/cashier/${id}`).then((r) => r.text()))).toBe('SESSION_TIMEOUT');
    expect(s.sandbox.control.trades()).toEqual([]);
    // Querying confirms it: the trade does not exist (§3.1).
    const q = await s.get(
      signMd5({ _input_charset: 'utf-8', service: 'single_trade_query', partner: PARTNER_A, out_trade_no: 'ORDER-1' }),
    );
    expect(q.text).toContain('<error>TRADE_NOT_EXIST</error>');
  });

  it('lets a buyer who logged in inside the window pay later: after login timeout_rule governs (§3.2 "until buyer login")', async () => {
    const id = sessionOf(await fetch(paymentUrl(s.gateway, { ...WINDOW, timeout_rule: '1h' })).then((r) => r.text()))!;
    expect((await cashierPost(id, 'login')).redirected).toBe(true);
    await s.sandbox.control.advanceClock(30 * MIN); // link window over, timeout_rule window not
    const paid = await cashierPost(id, 'pay');
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment successful');
    expect(s.sandbox.control.trades()).toMatchObject([{ out_trade_no: 'ORDER-1', trade_status: 'TRADE_FINISHED' }]);
  });

  it('uses the Beijing reading of order_gmt_create (GMT+8), not UTC', async () => {
    // 04:00 UTC is 12:00 Beijing: created "now", valid 60 s.
    const w = { order_gmt_create: '2026-11-25 12:00:00', order_valid_time: '60' };
    expect(
      (await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, w), { action: 'login' })).tradeNo,
    ).toBeDefined();
    await s.sandbox.control.advanceClock(60_000);
    expect(
      (await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { ...w, out_trade_no: 'ORDER-2' }))).errorCode,
    ).toBe('SESSION_TIMEOUT');
  });

  const bad: Array<[string, Record<string, string>]> = [
    ['order_gmt_create alone', { order_gmt_create: '2026-11-25 11:50:00' }],
    ['order_valid_time alone', { order_valid_time: '1800' }],
    ['order_valid_time 0', { ...WINDOW, order_valid_time: '0' }],
    ['order_valid_time over 2592000', { ...WINDOW, order_valid_time: '2592001' }],
    ['order_valid_time with decimals', { ...WINDOW, order_valid_time: '60.5' }],
    ['order_gmt_create in compact form', { ...WINDOW, order_gmt_create: '20261125115000' }],
    ['order_gmt_create not a calendar time', { ...WINDOW, order_gmt_create: '2026-02-30 11:50:00' }],
  ];
  for (const [name, extra] of bad) {
    it(`answers ILLEGAL_ARGUMENT for ${name}`, async () => {
      expect(errorCode(await fetch(paymentUrl(s.gateway, extra)).then((r) => r.text()))).toBe('ILLEGAL_ARGUMENT');
    });
  }

  it('accepts the 2592000 s maximum', async () => {
    expect(
      (await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { ...WINDOW, order_valid_time: '2592000' })))
        .tradeNo,
    ).toBeDefined();
  });
});

describe('create_forex_trade_wap', () => {
  const wap = (extra: Record<string, string>) =>
    `${s.gateway}?${encode(signMd5({ _input_charset: 'UTF-8', service: 'create_forex_trade_wap', partner: PARTNER_A, out_trade_no: 'W-1', subject: 'Parcel fee', currency: 'USD', total_fee: '10.00', product_code: 'NEW_WAP_OVERSEAS_SELLER', ...extra }, KEY_A))}`;

  it('rejects order_gmt_create / order_valid_time, together or alone, with ILLEGAL_ARGUMENT (web-only fields, §3.1, §3.2)', async () => {
    for (const extra of [WINDOW, { order_gmt_create: WINDOW.order_gmt_create }, { order_valid_time: '1800' }] as Array<
      Record<string, string>
    >) {
      expect(errorCode(await fetch(wap(extra)).then((r) => r.text()))).toBe('ILLEGAL_ARGUMENT');
      expect((await s.sandbox.control.simulatePayment(wap(extra))).errorCode).toBe('ILLEGAL_ARGUMENT');
    }
    expect((await s.sandbox.control.simulatePayment(wap({}))).tradeNo).toBeDefined();
  });
});
