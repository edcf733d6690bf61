// Money safety (issue 12): ambiguous refund answers, the atomic remainder, late payments, expiring
// links and the sweeper, unverified notifications. Real sandbox over HTTP, real SQLite file.
import { afterEach, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { REJECTION_RING_SIZE } from '../src/index.js';
import { KEY_A } from './fixtures/keys.js';
import { post, postNotify, startWorld, type World } from './helpers/world.js';

const admin = { 'x-admin': 'ok' };

async function checkout(w: World, sku = 'tea'): Promise<{ outTradeNo: string; url: string }> {
  const c = await post(w, '/checkout', { order: { sku } });
  expect(c.status, c.text).toBe(200);
  return { outTradeNo: c.json.outTradeNo as string, url: c.json.url as string };
}

async function paidOrder(w: World, sku = 'tea'): Promise<string> {
  const { outTradeNo, url } = await checkout(w, sku);
  expect(await w.sandbox.control.simulatePayment(url)).not.toHaveProperty('errorCode');
  await w.sandbox.control.flushNotifications();
  expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('paid');
  return outTradeNo;
}

const executed = (w: World, outTradeNo: string) =>
  w.sandbox.control.refunds().filter((r) => r.out_trade_no === outTradeNo && r.refund_status === 'REFUND_SUCCESS');

describe('refunds whose answer is ambiguous (§6.5 SYSTEM_ERROR, lost replies) stay possibly_done and count against the remainder', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should keep a SYSTEM_ERROR refund the gateway executed possibly_done, refuse a second full refund, then settle it from the notification', async () => {
    w = await startWorld();
    const id = await paidOrder(w);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { refundSystemError: 1, refundSystemErrorApplied: true });
    w.sandbox.control.setFaults({ service: 'refund_status_sync' }, { outOfOrderNotifications: true }); // hold the notification
    const first = await post(w, '/refunds', { outTradeNo: id, outReturnNo: 'SE-1', amount: '10.00' }, admin);
    expect(first.status, first.text).toBe(202);
    expect(first.json.status).toBe('possibly_done');
    // The client's own retry (same out_return_no) was answered REPEATED_REFUNDMENT_REQUEST: still possibly_done.
    expect((await w.ledger.getRefund('SE-1'))!).toMatchObject({
      status: 'possibly_done',
      error_code: 'REPEATED_REFUNDMENT_REQUEST',
    });
    expect(executed(w, id)).toHaveLength(1); // the dangerous case: the buyer has the money back

    // The admin tries again with a new refund id: refused by the ledger before the gateway is asked.
    const second = await post(w, '/refunds', { outTradeNo: id, amount: '10.00' }, admin);
    expect(second.status, second.text).toBe(400);
    expect(second.json.error.code).toBe('ERR_INVALID_AMOUNT');
    expect(w.sandbox.control.refunds().filter((r) => r.out_trade_no === id)).toHaveLength(1);

    w.sandbox.control.clearFaults();
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getRefund('SE-1'))!.status).toBe('succeeded');
    expect((await w.ledger.getOrder(id))!).toMatchObject({ status: 'refunded', refunded_minor: 1000 });
    expect(w.refunded).toHaveLength(1);
  });

  it('should resolve a SYSTEM_ERROR refund the gateway did not execute by sending it again with the same out_return_no (resolvePendingRefunds)', async () => {
    w = await startWorld();
    const id = await paidOrder(w);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { refundSystemError: 1, refundSystemErrorApplied: false });
    expect(
      (await post(w, '/refunds', { outTradeNo: id, outReturnNo: 'SE-2', amount: '4.00' }, admin)).json.status,
    ).toBe('possibly_done');
    expect(executed(w, id)).toHaveLength(0);
    w.sandbox.control.clearFaults();

    // Too recent for the default age: nothing sent.
    expect(await w.router.resolvePendingRefunds()).toEqual({ checked: 0, accepted: 0, failed: 0, open: 0 });
    await w.sandbox.control.advanceClock(61_000);
    expect(await w.router.resolvePendingRefunds()).toEqual({ checked: 1, accepted: 1, failed: 0, open: 0 });
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getRefund('SE-2'))!.status).toBe('succeeded');
    expect(executed(w, id)).toHaveLength(1);
    // Accepted/succeeded refunds are not sent again.
    await w.sandbox.control.advanceClock(61_000);
    expect((await w.router.resolvePendingRefunds()).checked).toBe(0);
  });

  it('should keep a possibly_done refund open when the retry gets REPEATED_REFUNDMENT_REQUEST, and never refund twice', async () => {
    w = await startWorld();
    const id = await paidOrder(w);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { refundSystemError: 1, refundSystemErrorApplied: true });
    w.sandbox.control.setFaults({ service: 'refund_status_sync' }, { outOfOrderNotifications: true });
    await post(w, '/refunds', { outTradeNo: id, outReturnNo: 'SE-3', amount: '2.00' }, admin);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, {});
    // No clock advance: that would release the held notification.
    expect(await w.router.resolvePendingRefunds({ olderThanSeconds: 0 })).toEqual({
      checked: 1,
      accepted: 0,
      failed: 0,
      open: 1,
    });
    expect((await w.ledger.getRefund('SE-3'))!.status).toBe('possibly_done');
    expect(executed(w, id)).toHaveLength(1);
  });

  it('should answer a timed-out refund possibly_done, not failed and not 5xx', async () => {
    w = await startWorld();
    const id = await paidOrder(w);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { http5xx: 1 });
    const r = await post(w, '/refunds', { outTradeNo: id, outReturnNo: 'T-1', amount: '1.00' }, admin);
    expect(r.status, r.text).toBe(202);
    expect((await w.ledger.getRefund('T-1'))!.status).toBe('possibly_done');
  });

  it('should mark failed only on a definitive refusal (PURCHASE_TRADE_NOT_EXIST), answered 409', async () => {
    w = await startWorld();
    const { outTradeNo } = await checkout(w);
    await w.ledger.markPaid(outTradeNo, { source: 'test' }); // the ledger believes it, the gateway has no trade
    const r = await post(w, '/refunds', { outTradeNo, outReturnNo: 'D-1', amount: '1.00' }, admin);
    expect(r.status, r.text).toBe(409);
    expect(r.json.error.code).toBe('ERR_REFUND_REJECTED');
    expect((await w.ledger.getRefund('D-1'))!).toMatchObject({
      status: 'failed',
      error_code: 'PURCHASE_TRADE_NOT_EXIST',
    });
  });

  it('should let exactly the refundable amount through when six refunds race on one order (atomic remainder)', async () => {
    w = await startWorld();
    const id = await paidOrder(w); // 10.00
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(w, '/refunds', { outTradeNo: id, outReturnNo: `RACE-${i}`, amount: '3.00' }, admin),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 400).every((a) => a.json.error.code === 'ERR_INVALID_AMOUNT')).toBe(true);
    await w.sandbox.control.flushNotifications();
    expect(executed(w, id)).toHaveLength(3);
    expect((await w.ledger.getOrder(id))!).toMatchObject({ status: 'partially_refunded', refunded_minor: 900 });
  });
});

describe('late payments: a verified payment for an order the ledger closed is an event, not a log line', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should record paid_after_close, answer success, run onLatePayment once and not onPaid', async () => {
    w = await startWorld();
    const { outTradeNo, url } = await checkout(w);
    expect((await w.ledger.markClosed(outTradeNo, { source: 'admin' })).changed).toBe(true);
    await w.sandbox.control.simulatePayment(url);
    await w.sandbox.control.flushNotifications();
    const order = (await w.ledger.getOrder(outTradeNo))!;
    expect(order.status).toBe('paid_after_close');
    expect(order.trade_no).toMatch(/^\d+$/);
    expect(w.late.map((o) => o.out_trade_no)).toEqual([outTradeNo]);
    expect(w.paid).toHaveLength(0);
    expect(w.sandbox.control.notifications({ out_trade_no: outTradeNo }).every((n) => n.state === 'acknowledged')).toBe(
      true,
    );
    // The gateway's duplicate changes nothing and runs nothing again.
    const n = (await w.ledger.listNotifications({ out_trade_no: outTradeNo })).find((x) => x.outcome === 'applied')!;
    expect(await postNotify(w, encodeForm(n.params))).toBe('success');
    expect(w.late).toHaveLength(1);
    // Refundable like a paid order.
    const r = await post(w, '/refunds', { outTradeNo, amount: '10.00' }, admin);
    expect(r.status, r.text).toBe(202);
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('refunded');
  });

  it('should refund a late payment in full automatically with autoRefundLatePayments, once', async () => {
    w = await startWorld({ router: { autoRefundLatePayments: true } });
    const { outTradeNo, url } = await checkout(w);
    await w.ledger.markClosed(outTradeNo, { source: 'admin' });
    await w.sandbox.control.simulatePayment(url);
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getRefund(`${outTradeNo}-LATE`))!.status).toBe('succeeded');
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('refunded');
    expect(executed(w, outTradeNo)).toHaveLength(1);
    expect(w.late).toHaveLength(1);
  });
});

describe('payment links expire and abandoned orders close (§3.6, the sweeper)', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should send order_gmt_create + order_valid_time (default 1 h) on web payments and store when the link expires', async () => {
    w = await startWorld();
    const { outTradeNo, url } = await checkout(w);
    const q = new URL(url).searchParams;
    expect(q.get('order_valid_time')).toBe('3600');
    expect(q.get('order_gmt_create')).toBe('2026-11-25 12:00:00');
    expect((await w.ledger.getOrder(outTradeNo))!.expires_at).toBe(
      new Date(Date.parse('2026-11-25T04:00:00Z') + 3600_000).toISOString(),
    );
    const wap = await post(w, '/checkout', { order: { sku: 'tea' }, variant: 'wap' });
    expect(new URL(wap.json.url).searchParams.has('order_valid_time')).toBe(false);
    expect((await w.ledger.getOrder(wap.json.outTradeNo))!.expires_at).toBeNull();
  });

  it('should close an abandoned order once its link expired with no trade, and leave a fresh one pending', async () => {
    w = await startWorld();
    const abandoned = await checkout(w);
    await w.sandbox.control.advanceClock(30 * 60_000);
    const fresh = await checkout(w);
    // 30 min in: the link still works, nothing is closed.
    expect(await w.router.syncPendingOrders({ olderThanSeconds: 0 })).toMatchObject({
      checked: 2,
      closed: 0,
      pending: 2,
    });
    await w.sandbox.control.advanceClock(32 * 60_000); // past the first link's hour (+ margin)
    expect(await w.router.syncPendingOrders({ olderThanSeconds: 0, minIntervalSeconds: 0 })).toMatchObject({
      checked: 2,
      closed: 1,
      pending: 1,
    });
    expect((await w.ledger.getOrder(abandoned.outTradeNo))!.status).toBe('closed');
    expect((await w.ledger.getOrder(fresh.outTradeNo))!.status).toBe('created');
    expect(w.closed.map((o) => o.out_trade_no)).toEqual([abandoned.outTradeNo]);
    // The gateway refuses the expired link: the closed order can no longer be paid.
    expect(await w.sandbox.control.simulatePayment(abandoned.url)).toHaveProperty('errorCode');
  });

  it('should pay an order whose notification was lost, and throttle per order', async () => {
    w = await startWorld();
    const { outTradeNo, url } = await checkout(w);
    w.sandbox.control.setFaults({ service: 'trade_status_sync' }, { outOfOrderNotifications: true }); // hold it
    await w.sandbox.control.simulatePayment(url);
    expect(await w.router.syncPendingOrders({ olderThanSeconds: 0 })).toMatchObject({ checked: 1, paid: 1 });
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('paid');
    expect(w.paid).toHaveLength(1);
    expect((await w.router.syncPendingOrders({ olderThanSeconds: 0 })).checked).toBe(0);
  });

  it('should hand each pending order to one of two concurrent sweepers', async () => {
    w = await startWorld();
    for (let i = 0; i < 6; i++) await checkout(w);
    const [a, b] = await Promise.all([
      w.router.syncPendingOrders({ olderThanSeconds: 0 }),
      w.router.syncPendingOrders({ olderThanSeconds: 0 }),
    ]);
    expect(a.checked + b.checked).toBe(6);
  });

  it('should refuse a non-integer or out-of-range orderValidSeconds at startup', async () => {
    await expect(startWorld({ router: { orderValidSeconds: 0 } })).rejects.toThrow(/orderValidSeconds/);
  });
});

describe('unverified notifications cost nothing (issue 12 case 6)', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should store no field and attach nothing to the order for 300 forged 60 KiB bodies; only a bounded ring', async () => {
    w = await startWorld();
    const { outTradeNo } = await checkout(w);
    const forged = encodeForm({
      out_trade_no: outTradeNo,
      trade_status: 'TRADE_SUCCESS',
      notify_id: 'x',
      filler: 'A'.repeat(60_000),
      sign: 'forged',
      sign_type: 'MD5',
    });
    for (let i = 0; i < 300; i++) expect(await postNotify(w, forged)).toBe('fail');
    expect(await w.ledger.listNotifications({ out_trade_no: outTradeNo })).toHaveLength(0);
    const { total, recent } = await w.ledger.listRejections();
    expect(total).toBe(300);
    expect(recent.length).toBeLessThanOrEqual(REJECTION_RING_SIZE);
    expect(recent[0]).toMatchObject({ code: 'ERR_SIGNATURE_INVALID', source: '127.0.0.1' });
    expect(JSON.stringify(recent)).not.toContain('AAAA');
  });

  it('should still store a verified notification that fails the cross-check, with its fields', async () => {
    w = await startWorld({ router: { notifyVerify: false } });
    const { outTradeNo } = await checkout(w);
    const p = {
      notify_id: 'n'.repeat(34),
      notify_type: 'trade_status_sync',
      notify_time: '2026-11-25 12:00:00',
      trade_no: '2026112522001300000000000001',
      trade_status: 'TRADE_FINISHED',
      out_trade_no: outTradeNo,
      total_fee: '99.00',
      currency: 'USD',
    };
    expect(await postNotify(w, encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' }))).toBe('fail');
    const [n] = await w.ledger.listNotifications({ out_trade_no: outTradeNo });
    expect(n).toMatchObject({ outcome: 'rejected:ERR_NOTIFICATION_MISMATCH' });
    expect(n!.params.total_fee).toBe('99.00');
  });
});
