/**
 * A TRADE_CLOSED trade is never revived (issue 12): opening or posting the payment link again, a
 * cashier session opened earlier, and simulatePayment all get the §3.7 error page with
 * TRADE_HAS_CLOSE (the §6.5 table's name), and the trade keeps its trade_no and status.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encode,
  PARTNER_A,
  paymentUrl,
  signMd5,
  startMerchant,
  startSandbox,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running;
beforeEach(async () => {
  s = await startSandbox();
});
afterEach(() => s.close());

const errorCode = (html: string) => /id="alipay-error-code" class="error-code">([^<]*)</.exec(html)?.[1];
const sessionOf = (html: string) => /\/cashier\/([^/"]+)\/pay"/.exec(html)?.[1];
const cashierPost = (id: string, action: string) => fetch(`${s.base}/cashier/${id}/${action}`, { method: 'POST' }); // POST → 303 → the cashier or its result page (issue 13);
const closedTrade = () => s.sandbox.control.trades().find((t) => t.out_trade_no === 'ORDER-1')!;

describe('a closed trade stays closed', () => {
  it('refuses GET and POST of the same out_trade_no, whatever the amount, with TRADE_HAS_CLOSE', async () => {
    const first = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway), { action: 'timeout' });
    expect(closedTrade()).toMatchObject({ trade_no: first.tradeNo, trade_status: 'TRADE_CLOSED' });
    for (const extra of [{}, { total_fee: '99.00' }, { timeout_rule: '15d' }] as Array<Record<string, string>>) {
      const url = paymentUrl(s.gateway, extra);
      const got = await fetch(url);
      expect(got.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await got.text();
      expect(errorCode(html)).toBe('TRADE_HAS_CLOSE');
      expect(html).toContain('never reopened');
      const posted = await fetch(s.gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: url.split('?')[1],
      });
      expect(errorCode(await posted.text())).toBe('TRADE_HAS_CLOSE');
      expect(await s.sandbox.control.simulatePayment(url)).toMatchObject({
        errorCode: 'TRADE_HAS_CLOSE',
        errorDetail: expect.stringContaining(first.tradeNo!),
      });
    }
    expect(s.sandbox.control.trades()).toHaveLength(1);
    expect(closedTrade()).toMatchObject({ trade_no: first.tradeNo, trade_status: 'TRADE_CLOSED', total_fee: '10.00' });
  });

  it('refuses a cashier session opened before the trade closed (login and pay), and its own session too', async () => {
    const early = sessionOf(await fetch(paymentUrl(s.gateway)).then((r) => r.text()))!;
    const own = sessionOf(await fetch(paymentUrl(s.gateway, { timeout_rule: '5m' })).then((r) => r.text()))!;
    expect((await cashierPost(own, 'login')).redirected).toBe(true);
    const tradeNo = closedTrade().trade_no;
    await s.sandbox.control.advanceClock(5 * 60_000); // timeout_rule passes: closed lazily on access
    for (const [id, action] of [
      [early, 'login'],
      [early, 'pay'],
      [own, 'pay'],
    ] as const) {
      const r = await cashierPost(id, action);
      expect(errorCode(await r.text()), `${action} on ${id === own ? 'its own' : 'an earlier'} session`).toBe(
        'TRADE_HAS_CLOSE',
      );
    }
    expect(s.sandbox.control.trades()).toMatchObject([
      { trade_no: tradeNo, trade_status: 'TRADE_CLOSED', gmt_close: '2026-11-25 12:05:00' },
    ]);
  });

  it('sends no payment notification and accepts no refund for the closed trade', async () => {
    const m = await startMerchant();
    try {
      await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }), {
        action: 'timeout',
      });
      await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
      await s.sandbox.control.flushNotifications();
      expect(m.received).toHaveLength(0);
      const refund = signMd5({
        _input_charset: 'UTF-8',
        service: 'forex_refund',
        partner: PARTNER_A,
        out_trade_no: 'ORDER-1',
        out_return_no: 'R1',
        currency: 'USD',
        return_amount: '1.00',
        gmt_return: '20261125120000',
      });
      expect(xmlTag(await fetch(`${s.gateway}?${encode(refund)}`).then((r) => r.text()), 'error')).toBe(
        'PURCHASE_TRADE_NOT_EXIST',
      );
    } finally {
      await m.close();
    }
  });

  it('still lets another out_trade_no through', async () => {
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway), { action: 'timeout' });
    expect(
      (await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'ORDER-2' }))).tradeNo,
    ).toBeDefined();
  });
});
