/**
 * Notifications (§3.9, §4) and notify_verify (§7) under the scaled clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_A, md5Hex, PARTNER_A, paymentUrl, presign, startMerchant, startSandbox, type Running } from './helpers.js';

let s: Running | undefined;
let m: Awaited<ReturnType<typeof startMerchant>> | undefined;
afterEach(async () => {
  await s?.close();
  await m?.close();
  s = m = undefined;
});

const MIN = 60_000;

describe('payment notification (§3.9)', () => {
  it('POSTs exactly the nine core fields, form-encoded and MD5-signed, acknowledged by "success"', async () => {
    s = await startSandbox();
    m = await startMerchant();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/notify` }));
    await s.sandbox.control.flushNotifications();
    expect(m.received).toHaveLength(1);
    expect(m.received[0]!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    const n = m.notifications()[0]!;
    expect(Object.keys(n)).toEqual([
      'notify_id',
      'notify_type',
      'notify_time',
      'out_trade_no',
      'trade_no',
      'total_fee',
      'currency',
      'trade_status',
      'sign',
      'sign_type',
    ]);
    expect(n).toMatchObject({
      notify_type: 'trade_status_sync',
      notify_time: '2026-11-25 12:00:00',
      out_trade_no: 'ORDER-1',
      total_fee: '10.00',
      currency: 'USD',
      trade_status: 'TRADE_FINISHED',
      sign_type: 'MD5',
    });
    expect(n.notify_id).toMatch(/^[0-9a-z]{34}$/);
    expect(n.sign).toBe(md5Hex(presign(n), KEY_A));
    // the raw body uses %20 for the space in notify_time (§1.4 rule 7)
    expect(m.received[0]!.raw.toString()).toContain('notify_time=2026-11-25%2012%3A00%3A00');
    const [rec] = s.sandbox.control.notifications();
    expect(rec!.state).toBe('acknowledged');
    expect(rec!.attempts).toMatchObject([{ n: 1, status: 200, body: 'success', acknowledged: true }]);
  });

  it('adds buyer_id, seller_id, forex_rate and rmb_fee with extendedNotificationFields', async () => {
    s = await startSandbox({ extendedNotificationFields: true });
    m = await startMerchant();
    await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, { notify_url: `${m.url}/n`, currency: 'HKD', total_fee: '0.10' }),
    );
    await s.sandbox.control.flushNotifications();
    expect(m.notifications()[0]).toMatchObject({
      seller_id: PARTNER_A,
      forex_rate: '0.86470000',
      rmb_fee: '0.09',
      total_fee: '0.10',
      currency: 'HKD',
    });
    expect(m.notifications()[0]!.buyer_id).toMatch(/^2088\d{12}$/);
  });

  it('sends no notification without notify_url, nor for a timed-out trade by default', async () => {
    s = await startSandbox();
    m = await startMerchant();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'T2', notify_url: `${m.url}/n` }), {
      action: 'timeout',
    });
    await s.sandbox.control.flushNotifications();
    expect(m.received).toHaveLength(0);
    expect(s.sandbox.control.trades().find((t) => t.out_trade_no === 'T2')!.trade_status).toBe('TRADE_CLOSED');
  });
});

describe('retry schedule (§4)', () => {
  it('retries at +2m, +10m, +10m, +1h, +2h, +6h, +15h: 8 sends, then gives up', async () => {
    s = await startSandbox();
    m = await startMerchant(() => ({ status: 500, body: 'oops' }));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.sandbox.control.flushNotifications();
    await s.sandbox.control.advanceClock(30 * 3_600_000);
    const [rec] = s.sandbox.control.notifications();
    expect(rec!.state).toBe('failed');
    const times = rec!.attempts.map((a) => a.at - rec!.created_at);
    const gaps = [2 * MIN, 10 * MIN, 10 * MIN, 60 * MIN, 120 * MIN, 360 * MIN, 900 * MIN];
    const expected = gaps.reduce((acc, g) => [...acc, acc[acc.length - 1]! + g], [0]);
    expect(times.map((t) => t - times[0]!)).toEqual(expected);
    expect(m.received).toHaveLength(8);
    // a fresh notify_id per attempt
    expect(new Set(rec!.attempts.map((a) => a.notify_id)).size).toBe(8);
    expect(rec!.attempts.every((a) => a.status === 500 && a.body === 'oops')).toBe(true);
  });

  it('scales the schedule by timeScale (60 → the 2-minute gap becomes 2 seconds)', async () => {
    s = await startSandbox({ timeScale: 60 });
    m = await startMerchant((_r, n) => ({ body: n < 3 ? 'fail' : 'success' }));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.sandbox.control.flushNotifications();
    await s.sandbox.control.advanceClock(1_999);
    expect(m.received).toHaveLength(1);
    await s.sandbox.control.advanceClock(1);
    expect(m.received).toHaveLength(2);
    await s.sandbox.control.advanceClock(10_000);
    expect(m.received).toHaveLength(3);
    await s.sandbox.control.advanceClock(3_600_000);
    expect(m.received).toHaveLength(3); // acknowledged on the third send
    expect(s.sandbox.control.notifications()[0]!.state).toBe('acknowledged');
  });

  for (const [body, status] of [
    ['SUCCESS', 200],
    ['success\n', 200],
    [' success', 200],
    ['success', 201],
    ['<html>success</html>', 200],
  ] as const) {
    it(`does not count ${JSON.stringify(body)} with HTTP ${status} as an acknowledgement`, async () => {
      s = await startSandbox();
      m = await startMerchant(() => ({ status, body }));
      await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
      await s.sandbox.control.flushNotifications();
      const [rec] = s.sandbox.control.notifications();
      expect(rec!.state).toBe('pending');
      expect(rec!.next_attempt_at).toBe(rec!.attempts[0]!.at + 2 * MIN);
    });
  }

  it('fails an attempt when the merchant does not answer within notifyTimeoutMs and records the error', async () => {
    s = await startSandbox({ notifyTimeoutMs: 200 });
    m = await startMerchant(() => ({ hang: true }));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.sandbox.control.flushNotifications();
    const a = s.sandbox.control.notifications()[0]!.attempts[0]!;
    expect(a).toMatchObject({ status: null, acknowledged: false, error: 'timeout after 200 ms' });
  });

  it('records connection errors (nobody listening) as failed attempts', async () => {
    s = await startSandbox();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: 'http://127.0.0.1:9/n' }));
    await s.sandbox.control.flushNotifications();
    const a = s.sandbox.control.notifications()[0]!.attempts[0]!;
    expect(a.status).toBeNull();
    expect(a.error).toBeTruthy();
  });
});

describe('notify_verify (§7)', () => {
  const verify = (params: Record<string, string>) =>
    fetch(`${s!.gateway}?${new URLSearchParams(params)}`).then(async (r) => ({
      type: r.headers.get('content-type'),
      text: await r.text(),
    }));

  it('answers true within the TTL for the issuing partner, false after, invalid for a missing or unknown partner', async () => {
    s = await startSandbox();
    m = await startMerchant();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.sandbox.control.flushNotifications();
    const id = m.notifications()[0]!.notify_id!;
    const r = await verify({ service: 'notify_verify', partner: PARTNER_A, notify_id: id });
    expect(r).toEqual({ type: 'text/plain; charset=utf-8', text: 'true' });
    expect((await verify({ service: 'notify_verify', partner: PARTNER_A, notify_id: id })).text).toBe('true'); // repeatable
    expect(
      (await verify({ service: 'notify_verify', partner: PARTNER_A, notify_id: 'abcdefghijklmnopqrst' })).text,
    ).toBe('false'); // Kaligo test
    expect((await verify({ service: 'notify_verify', partner: '2088000000000000', notify_id: id })).text).toBe(
      'invalid',
    );
    expect((await verify({ service: 'notify_verify', partner: PARTNER_A })).text).toBe('invalid');
    expect((await verify({ service: 'notify_verify', notify_id: id })).text).toBe('invalid');
    // signed and valid → true; signed and wrong → false
    const { signMd5 } = await import('./helpers.js');
    expect((await verify(signMd5({ service: 'notify_verify', partner: PARTNER_A, notify_id: id }))).text).toBe('true');
    expect(
      (
        await verify({
          ...signMd5({ service: 'notify_verify', partner: PARTNER_A, notify_id: id }),
          sign: '0'.repeat(32),
        })
      ).text,
    ).toBe('false');
    await s.sandbox.control.advanceClock(60_000);
    expect((await verify({ service: 'notify_verify', partner: PARTNER_A, notify_id: id })).text).toBe('false');
  });
});
