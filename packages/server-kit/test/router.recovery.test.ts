// Recovery paths: a merchant's refund retry after a lost reply (§6.3), and hooks whose claim was
// taken by a process that died (§4 retries must still bring the hook back).
import { afterEach, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { Ledger } from '../src/index.js';
import { KEY_A } from './fixtures/keys.js';
import { post, postNotify, startWorld, type World } from './helpers/world.js';

const admin = { 'x-admin': 'ok' };

async function paidOrder(w: World): Promise<string> {
  const c = await post(w, '/checkout', { order: { sku: 'tea' } });
  expect(c.status, c.text).toBe(200);
  await w.sandbox.control.simulatePayment(c.json.url);
  await w.sandbox.control.flushNotifications();
  expect((await w.ledger.getOrder(c.json.outTradeNo))!.status).toBe('paid');
  return c.json.outTradeNo as string;
}

function paymentNotification(outTradeNo: string, notifyId = 'n'.repeat(34)): string {
  const p = {
    notify_id: notifyId,
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-25 12:00:00',
    trade_no: '2026112522001300000000000009',
    trade_status: 'TRADE_FINISHED',
    out_trade_no: outTradeNo,
    total_fee: '10.00',
    currency: 'USD',
  };
  return encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
}

describe('POST /refunds retried with the same outReturnNo after a lost reply (§6.3)', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should store REPEATED_REFUNDMENT_REQUEST on the merchant retry as possibly_done (202), then succeeded from the notification', async () => {
    w = await startWorld();
    const outTradeNo = await paidOrder(w);
    // The gateway refunds, but every reply is cut off (the client's own retry too), and the
    // refund notification is held until the flush below.
    const hold = () =>
      w.sandbox.control.setFaults({ service: 'refund_status_sync' }, { outOfOrderNotifications: true });
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { truncateXml: 1 });
    hold();
    const first = await post(w, '/refunds', { outTradeNo, outReturnNo: 'LOST-1', amount: '4.00' }, admin);
    // The reply is unreadable: the refund may have been executed, so it is possibly_done, never failed.
    expect(first.status, first.text).toBe(202);
    expect(first.json.status).toBe('possibly_done');
    expect((await w.ledger.getRefund('LOST-1'))!).toMatchObject({
      status: 'possibly_done',
      error_code: 'ERR_XML_MALFORMED',
    });
    w.sandbox.control.clearFaults();
    hold();
    expect(w.sandbox.control.refunds().filter((r) => r.out_return_no === 'LOST-1')).toHaveLength(1);

    const retry = await post(w, '/refunds', { outTradeNo, outReturnNo: 'LOST-1', amount: '4.00' }, admin);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.json.status).toBe('possibly_done');
    expect((await w.ledger.getRefund('LOST-1'))!.status).toBe('possibly_done');

    w.sandbox.control.clearFaults();
    await w.sandbox.control.advanceClock(60_000);
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getRefund('LOST-1'))!.status).toBe('succeeded');
    expect((await w.ledger.getOrder(outTradeNo))!).toMatchObject({ status: 'partially_refunded', refunded_minor: 400 });
    expect(w.refunded.map(([, r]) => r.out_return_no)).toEqual(['LOST-1']);

    // Once more: answered from the ledger, the gateway is not asked again, nothing is refunded twice.
    const again = await post(w, '/refunds', { outTradeNo, outReturnNo: 'LOST-1' }, admin);
    expect(again.status, again.text).toBe(202);
    expect(again.json).toMatchObject({ status: 'succeeded', amount: '4.00' });
    expect(w.sandbox.control.refunds().filter((r) => r.out_return_no === 'LOST-1')).toHaveLength(1);
  });

  it('should still answer a refund retry after its notification made the order refunded', async () => {
    w = await startWorld();
    const outTradeNo = await paidOrder(w);
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { truncateXml: 1 });
    w.sandbox.control.setFaults({ service: 'refund_status_sync' }, { outOfOrderNotifications: true }); // held until the flush
    expect((await post(w, '/refunds', { outTradeNo, outReturnNo: 'LOST-2' }, admin)).json.status).toBe('possibly_done');
    w.sandbox.control.clearFaults();
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('refunded');
    const retry = await post(w, '/refunds', { outTradeNo, outReturnNo: 'LOST-2' }, admin);
    expect(retry.status, retry.text).toBe(202);
    expect(retry.json.status).toBe('succeeded');
    // A new refund of a refunded order is still refused.
    expect((await post(w, '/refunds', { outTradeNo, amount: '1.00' }, admin)).json.error.code).toBe(
      'ERR_INVALID_TRANSITION',
    );
  });
});

describe('hooks whose claim was taken by a process that died (§4)', () => {
  let w: World;
  afterEach(() => w?.close());

  it('should answer fail while a dead claim is fresh, then run the hook once on the retry after it went stale', async () => {
    w = await startWorld({ router: { notifyVerify: false } });
    const c = await post(w, '/checkout', { order: { sku: 'tea' } });
    const id = c.json.outTradeNo as string;
    // Another process committed the payment and claimed the hook event, then was killed.
    await w.ledger.markPaid(id, { trade_no: '2026112522001300000000000009', source: 'notify' });
    expect(await w.ledger.claimEvents(id, { staleMs: 90_000 })).toHaveLength(1);

    // The gateway's retry finds the order paid (duplicate) but the hook not done: fail, keep retrying.
    expect(await postNotify(w, paymentNotification(id))).toBe('fail');
    expect(w.paid).toEqual([]);
    expect(w.logs.at(-1)).toMatch(/^alipay notify answered fail: ERR_HOOK_BUSY/);

    // Next retry, after the claim went stale (default 90 s < the 2 min first retry gap): runs once.
    await w.sandbox.control.advanceClock(2 * 60_000);
    expect(await postNotify(w, paymentNotification(id))).toBe('success');
    expect(await postNotify(w, paymentNotification(id))).toBe('success');
    expect(w.paid.map((o) => o.out_trade_no)).toEqual([id]);
    expect((await w.ledger.listNotifications({ out_trade_no: id })).map((n) => n.outcome)).toEqual([
      'duplicate',
      'rejected:ERR_HOOK_BUSY',
      'duplicate',
      'duplicate',
    ]);
  });

  it('should run pending and stale hook events with router.drainHooks() (boot)', async () => {
    w = await startWorld({ router: { notifyVerify: false } });
    const a = (await post(w, '/checkout', { order: { sku: 'tea' } })).json.outTradeNo as string;
    const b = (await post(w, '/checkout', { order: { sku: 'tea' } })).json.outTradeNo as string;
    const stuck = (await post(w, '/checkout', { order: { sku: 'tea' } })).json.outTradeNo as string;
    await w.ledger.markPaid(a, { source: 'notify' }); // crash between commit and hook: pending
    await w.ledger.markPaid(b, { source: 'notify' });
    await w.ledger.claimEvents(b, { staleMs: 90_000 }); // crash mid-hook
    await w.ledger.markPaid(stuck, { source: 'notify' });
    await w.ledger.claimEvents(stuck, { staleMs: 90_000 });
    expect(await w.router.drainHooks()).toEqual({ orders: 1, failed: 0 });
    expect(w.paid.map((o) => o.out_trade_no)).toEqual([a]);
    await w.sandbox.control.advanceClock(30_000);
    // b's and stuck's claims are 30 s old: not stale for the default, but a single process may say so at boot.
    expect(await w.router.drainHooks({ staleMs: 0 })).toEqual({ orders: 2, failed: 0 });
    expect(w.paid.map((o) => o.out_trade_no).sort()).toEqual([a, b, stuck].sort());
    expect(await w.router.drainHooks({ staleMs: 0 })).toEqual({ orders: 0, failed: 0 });
  });

  it('should drain pending hook events when the router is created', async () => {
    let seeded: Ledger | undefined;
    w = await startWorld({
      router: { notifyVerify: false },
      wrapLedger: (l) => {
        seeded = l;
        return l;
      },
    });
    const id = (await post(w, '/checkout', { order: { sku: 'tea' } })).json.outTradeNo as string;
    await seeded!.markPaid(id, { source: 'notify' });
    // A second router on the same ledger (a restarted process) runs the pending event by itself.
    const { alipayRouter } = await import('../src/index.js');
    const ran: string[] = [];
    alipayRouter({
      client: w.client,
      ledger: w.ledger,
      tokenSecret: 'x'.repeat(32),
      notifyUrl: 'http://127.0.0.1/n',
      returnUrl: 'http://127.0.0.1/r',
      resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
      onPaid: (o) => void ran.push(o.out_trade_no),
    });
    await expect.poll(() => ran).toEqual([id]);
  });

  it('should refuse at startup a ledger that lacks a method, naming every missing one', async () => {
    w = await startWorld();
    const { alipayRouter } = await import('../src/index.js');
    const partial = {
      ...w.ledger,
      applyPaymentNotification: undefined,
      claimOrderEvents: undefined,
    } as unknown as Ledger;
    expect(() =>
      alipayRouter({
        client: w.client,
        ledger: partial,
        tokenSecret: 'x'.repeat(32),
        notifyUrl: 'http://127.0.0.1/n',
        returnUrl: 'http://127.0.0.1/r',
        resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
      }),
    ).toThrow(
      'alipayRouter: option ledger must implement the Ledger interface (missing: claimOrderEvents, applyPaymentNotification)',
    );
  });
});
