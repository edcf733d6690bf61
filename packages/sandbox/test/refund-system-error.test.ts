/**
 * Fault `refundSystemError` (issue 12): forex_refund answers the bare SYSTEM_ERROR failure
 * (§6.5, §1.5) after passing every §6.4 check; with `refundSystemErrorApplied` (default true)
 * the refund is executed, stored and notified anyway, with `false` nothing happens.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeForm,
  PARTNER_A,
  paymentUrl,
  signMd5,
  startMerchant,
  startSandbox,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running;
let m: Awaited<ReturnType<typeof startMerchant>>;
beforeEach(async () => {
  s = await startSandbox();
  m = await startMerchant();
  await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/pay-notify` }));
  await s.sandbox.control.flushNotifications();
});
afterEach(async () => {
  await s.close();
  await m.close();
});

const SYSTEM_ERROR =
  '<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>F</is_success><error>SYSTEM_ERROR</error></alipay>';
const refund = (extra: Record<string, string> = {}) =>
  s.get(
    signMd5({
      _input_charset: 'UTF-8',
      service: 'forex_refund',
      partner: PARTNER_A,
      out_trade_no: 'ORDER-1',
      out_return_no: 'R1',
      currency: 'USD',
      return_amount: '4.00',
      gmt_return: '2026-11-25 12:00:00',
      reason: 'out of supply',
      notify_url: `${m.url}/refund-notify`,
      ...extra,
    }),
  );
const refundNotes = () =>
  m.received.filter((r) => r.path === '/refund-notify').map((r) => decodeForm(r.raw.toString('latin1')));

describe('refundSystemError (applied, the default)', () => {
  it('answers the bare SYSTEM_ERROR envelope but executes, stores and notifies the refund exactly as an accepted one', async () => {
    s.sandbox.control.setFaults({ service: 'forex_refund' }, { refundSystemError: 1 });
    const r = await refund();
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/xml; charset=utf-8');
    expect(r.text).toBe(SYSTEM_ERROR);
    // The gateway's truth: the buyer was refunded.
    expect(s.sandbox.control.refunds()).toMatchObject([
      {
        out_return_no: 'R1',
        refund_status: 'REFUND_SUCCESS',
        executed: true,
        sync_answer: 'SYSTEM_ERROR',
        return_amount: '4.00',
      },
    ]);
    expect(s.sandbox.control.trades()[0]).toMatchObject({ refunded_fee: '4.00', refunded_rmb_fee: '26.83' });
    await s.sandbox.control.flushNotifications();
    expect(refundNotes()).toMatchObject([
      {
        notify_type: 'refund_status_sync',
        out_return_no: 'R1',
        refund_status: 'REFUND_SUCCESS',
        return_amount: '4.00',
        currency: 'USD',
      },
    ]);
    // A merchant retrying with the same out_return_no learns it was already done (§6.3).
    s.sandbox.control.clearFaults();
    expect(xmlTag((await refund()).text, 'error')).toBe('REPEATED_REFUNDMENT_REQUEST');
    // … and the executed amount counts against the remainder.
    expect(xmlTag((await refund({ out_return_no: 'R2', return_amount: '6.01' })).text, 'error')).toBe(
      'RETURN_AMOUNT_EXCEED',
    );
  });

  it('is decided after the §6.4 checks: a request that fails one gets that code, not SYSTEM_ERROR', async () => {
    s.sandbox.control.setFaults(undefined, { refundSystemError: 1 });
    expect(xmlTag((await refund({ gmt_return: 'yesterday' })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    expect(xmlTag((await refund({ out_trade_no: 'NOPE' })).text, 'error')).toBe('PURCHASE_TRADE_NOT_EXIST');
    expect(xmlTag((await refund({ return_amount: '10.01' })).text, 'error')).toBe('RETURN_AMOUNT_EXCEED');
    expect(s.sandbox.control.refunds()).toEqual([]);
  });

  it('executes an is_sync=Y refund without a notification, and keeps an injected REFUND_FAIL outcome', async () => {
    s.sandbox.control.setFaults(
      { partner: PARTNER_A, service: 'forex_refund' },
      { refundSystemError: 1, refundSystemErrorApplied: true },
    );
    expect((await refund({ out_return_no: 'SYNC', is_sync: 'Y' })).text).toBe(SYSTEM_ERROR);
    s.sandbox.control.setRefundOutcome('FAILS', 'REFUND_FAIL');
    expect((await refund({ out_return_no: 'FAILS' })).text).toBe(SYSTEM_ERROR);
    await s.sandbox.control.flushNotifications();
    expect(refundNotes()).toMatchObject([
      { out_return_no: 'FAILS', refund_status: 'REFUND_FAIL', error_code: 'SYSTEM_EXCEPTION' },
    ]);
    expect(
      s.sandbox.control.refunds().map((r) => [r.out_return_no, r.refund_status, r.executed, r.sync_answer]),
    ).toEqual([
      ['SYNC', 'REFUND_SUCCESS', true, 'SYSTEM_ERROR'],
      ['FAILS', 'REFUND_FAIL', false, 'SYSTEM_ERROR'],
    ]);
    expect(s.sandbox.control.trades()[0]!.refunded_fee).toBe('4.00');
  });

  it('leaves other services and a 0 probability alone', async () => {
    s.sandbox.control.setFaults({ service: 'single_trade_query' }, { refundSystemError: 1 });
    expect(xmlTag((await refund({ out_return_no: 'A' })).text, 'is_success')).toBe('T');
    s.sandbox.control.setFaults(undefined, { refundSystemError: 0 });
    expect(xmlTag((await refund({ out_return_no: 'B' })).text, 'is_success')).toBe('T');
    expect(s.sandbox.control.refunds().map((r) => r.sync_answer)).toEqual(['T', 'T']);
  });
});

describe('refundSystemError with refundSystemErrorApplied=false', () => {
  it('answers SYSTEM_ERROR and executes nothing; a retry with the same out_return_no then succeeds with T', async () => {
    s.sandbox.control.setFaults({ service: 'forex_refund' }, { refundSystemError: 1, refundSystemErrorApplied: false });
    expect((await refund()).text).toBe(SYSTEM_ERROR);
    expect((await refund()).text).toBe(SYSTEM_ERROR);
    await s.sandbox.control.flushNotifications();
    expect(s.sandbox.control.refunds()).toEqual([]);
    expect(s.sandbox.control.trades()[0]!.refunded_fee).toBe('0.00');
    expect(refundNotes()).toEqual([]);
    s.sandbox.control.clearFaults();
    expect((await refund()).text).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>T</is_success></alipay>',
    );
    await s.sandbox.control.flushNotifications();
    expect(s.sandbox.control.refunds()).toMatchObject([{ out_return_no: 'R1', executed: true, sync_answer: 'T' }]);
    expect(refundNotes()).toHaveLength(1);
  });

  it('merges per field across scopes: a global Applied=false applies to a partner-scoped probability', async () => {
    s.sandbox.control.setFaults(undefined, { refundSystemErrorApplied: false });
    s.sandbox.control.setFaults({ partner: PARTNER_A }, { refundSystemError: 1 });
    expect((await refund()).text).toBe(SYSTEM_ERROR);
    expect(s.sandbox.control.refunds()).toEqual([]);
  });
});

describe('refundSystemError over the control HTTP API', () => {
  it('is set with POST /_sandbox/faults and the truth is read back with GET /_sandbox/snapshot', async () => {
    const set = await fetch(`${s.base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: { service: 'forex_refund' }, faults: { refundSystemError: 1 } }),
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual([{ scope: { service: 'forex_refund' }, faults: { refundSystemError: 1 } }]);
    expect((await refund()).text).toBe(SYSTEM_ERROR);
    const snap = (await fetch(`${s.base}/_sandbox/snapshot?partner=${PARTNER_A}`).then((r) => r.json())) as {
      now: number;
      trades: unknown[];
      refunds: unknown[];
    };
    expect(snap.now).toBe(s.sandbox.control.now());
    expect(snap.trades).toMatchObject([
      { out_trade_no: 'ORDER-1', trade_status: 'TRADE_FINISHED', total_fee: '10.00', refunded_fee: '4.00' },
    ]);
    expect(snap.refunds).toMatchObject([{ out_return_no: 'R1', executed: true, sync_answer: 'SYSTEM_ERROR' }]);
    expect(await fetch(`${s.base}/_sandbox/snapshot?partner=2088000000000000`).then((r) => r.json())).toMatchObject({
      trades: [],
      refunds: [],
    });
  });
});
