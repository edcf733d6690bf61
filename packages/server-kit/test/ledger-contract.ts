// The ledger CONTRACT suite: every Ledger implementation (SQLite and PostgreSQL) must pass it.
// Call runLedgerContract(name, makeLedger) from a *.test.ts file.
import { afterEach, describe, expect, it } from 'vitest';
import { REJECTION_RING_SIZE, type Ledger, type NewOrder, type OrderRecord } from '../src/index.js';
import { runLedgerReconcileContract } from './ledger-reconcile-contract.js';

export interface ContractOptions {
  /** Clock control, when the implementation takes an injectable clock (for stale claims, sweeper intervals). */
  advance?: (ms: number) => void;
  /** Rows of a table of the ledger opened last (to check the rejection ring's size on disk). */
  countRows?: (table: 'rejections' | 'rejection_total') => Promise<number>;
}

const order = (id: string, patch: Partial<NewOrder> = {}): NewOrder => ({
  out_trade_no: id,
  subject: 'Tea',
  currency: 'USD',
  total_fee_minor: 1000,
  ...patch,
});

/** Every field of an OrderRecord, in the order both ledgers produce them. */
const ORDER_FIELDS = [
  'out_trade_no',
  'subject',
  'body',
  'currency',
  'total_fee_minor',
  'rmb_fee_minor',
  'variant',
  'status',
  'trade_no',
  'refunded_minor',
  'refunded_rmb_minor',
  'created_at',
  'updated_at',
  'paid_at',
  'metadata',
  'expires_at',
  'synced_at',
];

async function failure(
  p: Promise<unknown>,
): Promise<{ code?: string; name: string; status?: number; message: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as { code?: string; name: string; status?: number; message: string };
  }
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  const e = await failure(p);
  return e && (e.code ?? e.name);
}

/** An order, paid. */
async function paid(l: Ledger, id: string, patch: Partial<NewOrder> = {}): Promise<OrderRecord> {
  await l.createOrder(order(id, patch));
  return (await l.markPaid(id, { trade_no: `T-${id}`, source: 'notify' })).order;
}

const refund = (out_return_no: string, out_trade_no: string, amount_minor: number, currency = 'USD') => ({
  out_return_no,
  out_trade_no,
  currency,
  amount_minor,
});

export function runLedgerContract(
  name: string,
  makeLedger: () => Promise<Ledger> | Ledger,
  options: ContractOptions = {},
): void {
  describe(`Ledger contract: ${name}`, () => {
    runLedgerReconcileContract(makeLedger, options);
    let ledger: Ledger | undefined;
    const open = async () => (ledger = await makeLedger());
    afterEach(async () => {
      await ledger?.close();
      ledger = undefined;
    });

    it('should create an order in state created with a history row', async () => {
      const l = await open();
      const r = await l.createOrder(order('A1', { body: 'green', metadata: '{"cart":1}' }));
      expect(r.created).toBe(true);
      expect(r.order).toMatchObject({
        out_trade_no: 'A1',
        status: 'created',
        currency: 'USD',
        total_fee_minor: 1000,
        rmb_fee_minor: null,
        refunded_minor: 0,
        body: 'green',
        metadata: '{"cart":1}',
        trade_no: null,
      });
      expect((await l.getOrder('A1'))?.status).toBe('created');
      expect(await l.getOrder('nope')).toBeUndefined();
      expect((await l.history('A1')).map((h) => [h.from, h.to, h.source])).toEqual([[null, 'created', 'checkout']]);
    });

    it('should answer created:false for the same order again and ERR_ORDER_CONFLICT for other terms', async () => {
      const l = await open();
      await l.createOrder(order('A2'));
      expect((await l.createOrder(order('A2'))).created).toBe(false);
      expect(await code(l.createOrder(order('A2', { total_fee_minor: 999 })))).toBe('ERR_ORDER_CONFLICT');
      expect(await code(l.createOrder(order('A2', { currency: 'EUR' })))).toBe('ERR_ORDER_CONFLICT');
      await l.markPaid('A2', { source: 'notify' });
      expect(await code(l.createOrder(order('A2')))).toBe('ERR_ORDER_CONFLICT');
    });

    it('should reject malformed orders with TypeError/RangeError', async () => {
      const l = await open();
      expect(await code(l.createOrder({ ...order('A3'), rmb_fee_minor: 5 }))).toBe('TypeError');
      expect(await code(l.createOrder(order('A3', { total_fee_minor: 1.5 })))).toBe('RangeError');
      expect(await code(l.createOrder(order('', {})))).toBe('TypeError');
    });

    it('should mark paid exactly once and never move back (§4 idempotency)', async () => {
      const l = await open();
      await l.createOrder(order('P1'));
      const first = await l.markPaid('P1', { trade_no: '2026', source: 'notify' });
      expect(first.changed).toBe(true);
      expect(first.order).toMatchObject({ status: 'paid', trade_no: '2026' });
      expect(first.order.paid_at).toBeTypeOf('string');
      expect((await l.markPaid('P1', { trade_no: '2026', source: 'notify' })).changed).toBe(false);
      expect((await l.markClosed('P1', { source: 'notify' })).changed).toBe(false);
      expect((await l.getOrder('P1'))?.status).toBe('paid');
      expect((await l.history('P1')).map((h) => h.to)).toEqual(['created', 'paid']);
    });

    it('should let exactly one of many concurrent markPaid calls change the order', async () => {
      const l = await open();
      await l.createOrder(order('C1'));
      const results = await Promise.all(Array.from({ length: 25 }, () => l.markPaid('C1', { source: 'notify' })));
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(await l.claimEvents('C1')).toHaveLength(1);
    });

    it('should close a created order once, and never close a paid one', async () => {
      const l = await open();
      await l.createOrder(order('X1'));
      expect((await l.markClosed('X1', { source: 'query' })).changed).toBe(true);
      expect((await l.markClosed('X1', { source: 'query' })).changed).toBe(false);
      expect((await l.getOrder('X1'))?.status).toBe('closed');
      await paid(l, 'X2');
      const r = await l.markClosed('X2', { source: 'sweeper' });
      expect(r).toMatchObject({ changed: false, order: { status: 'paid' } });
      expect((await l.history('X2')).map((h) => h.to)).toEqual(['created', 'paid']);
    });

    it('should throw ERR_ORDER_NOT_FOUND for transitions of unknown orders and refunds', async () => {
      const l = await open();
      expect(await code(l.markPaid('ghost', { source: 'notify' }))).toBe('ERR_ORDER_NOT_FOUND');
      expect(await code(l.applyRefundResult('ghost-r', { status: 'succeeded', source: 'notify' }))).toBe(
        'ERR_ORDER_NOT_FOUND',
      );
      expect(
        await code(l.createRefund({ out_return_no: 'r', out_trade_no: 'ghost', currency: 'USD', amount_minor: 1 })),
      ).toBe('ERR_ORDER_NOT_FOUND');
    });

    it('should go paid → partially_refunded → refunded, each refund applied once', async () => {
      const l = await open();
      await l.createOrder(order('R1'));
      await l.markPaid('R1', { source: 'notify' });
      expect(
        (
          await l.createRefund({
            out_return_no: 'R1-a',
            out_trade_no: 'R1',
            currency: 'USD',
            amount_minor: 400,
            reason: 'x',
          })
        ).created,
      ).toBe(true);
      expect(
        (await l.createRefund({ out_return_no: 'R1-a', out_trade_no: 'R1', currency: 'USD', amount_minor: 400 }))
          .created,
      ).toBe(false);
      expect(
        await code(l.createRefund({ out_return_no: 'R1-a', out_trade_no: 'R1', currency: 'USD', amount_minor: 500 })),
      ).toBe('ERR_ORDER_CONFLICT');
      expect((await l.setRefundRequestStatus('R1-a', 'accepted')).status).toBe('accepted');
      const a = await l.applyRefundResult('R1-a', { status: 'succeeded', source: 'refund_notify' });
      expect(a.changed).toBe(true);
      expect(a.order).toMatchObject({ status: 'partially_refunded', refunded_minor: 400 });
      expect((await l.applyRefundResult('R1-a', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(false);
      expect((await l.applyRefundResult('R1-a', { status: 'failed', source: 'refund_notify' })).changed).toBe(false);
      await l.createRefund({ out_return_no: 'R1-b', out_trade_no: 'R1', currency: 'USD', amount_minor: 600 });
      const b = await l.applyRefundResult('R1-b', { status: 'succeeded', source: 'refund_notify' });
      expect(b.order).toMatchObject({ status: 'refunded', refunded_minor: 1000 });
      expect((await l.markPaid('R1', { source: 'notify' })).changed).toBe(false);
      expect((await l.history('R1')).map((h) => h.to)).toEqual(['created', 'paid', 'partially_refunded', 'refunded']);
      expect((await l.listRefunds('R1')).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    });

    it('should track CNY refunds of rmb_fee orders separately', async () => {
      const l = await open();
      await l.createOrder(order('RMB1', { currency: 'JPY', total_fee_minor: null, rmb_fee_minor: 101 }));
      await l.markPaid('RMB1', { source: 'notify' });
      await l.createRefund({ out_return_no: 'RMB1-r', out_trade_no: 'RMB1', currency: 'CNY', amount_minor: 101 });
      const r = await l.applyRefundResult('RMB1-r', { status: 'succeeded', source: 'refund_notify' });
      expect(r.order).toMatchObject({ status: 'refunded', refunded_rmb_minor: 101, refunded_minor: 0 });
    });

    it('should record a failed refund without touching the order', async () => {
      const l = await open();
      await l.createOrder(order('F1'));
      await l.markPaid('F1', { source: 'notify' });
      await l.createRefund({ out_return_no: 'F1-r', out_trade_no: 'F1', currency: 'USD', amount_minor: 100 });
      const r = await l.applyRefundResult('F1-r', {
        status: 'failed',
        error_code: 'RETURN_AMOUNT_EXCEED',
        source: 'refund_notify',
      });
      expect(r.changed).toBe(true);
      expect(r.refund).toMatchObject({ status: 'failed', error_code: 'RETURN_AMOUNT_EXCEED' });
      expect(r.order.status).toBe('paid');
      expect(await l.claimEvents('F1')).toHaveLength(1); // only the 'paid' event
    });

    it('should hand out hook events once: claim, complete, release, stale reclaim', async () => {
      const l = await open();
      await l.createOrder(order('E1'));
      await l.markPaid('E1', { source: 'notify' });
      const [ev] = await l.claimEvents('E1');
      expect(ev).toMatchObject({ kind: 'paid', out_trade_no: 'E1', out_return_no: null });
      expect(await l.claimEvents('E1')).toEqual([]);
      await l.releaseEvent(ev!.id);
      const again = await l.claimEvents('E1');
      expect(again.map((e) => e.id)).toEqual([ev!.id]);
      await l.completeEvent(ev!.id);
      expect(await l.claimEvents('E1', { staleMs: -1 })).toEqual([]);
    });

    if (options.advance) {
      it('should reclaim an event whose claimer died (stale claim)', async () => {
        const l = await open();
        await l.createOrder(order('E2'));
        await l.markPaid('E2', { source: 'notify' });
        expect(await l.claimEvents('E2', { staleMs: 60_000 })).toHaveLength(1);
        expect(await l.claimEvents('E2', { staleMs: 60_000 })).toHaveLength(0);
        options.advance!(61_000);
        expect(await l.claimEvents('E2', { staleMs: 60_000 })).toHaveLength(1);
      });
    }

    it('should store every notification with all its params (sign included) and list them', async () => {
      const l = await open();
      const params = {
        out_trade_no: 'N1',
        trade_status: 'TRADE_FINISHED',
        sign: 'abc',
        sign_type: 'MD5',
        'weird key': 'v&=',
      };
      await l.recordNotification({
        notify_id: 'n1',
        notify_type: 'trade_status_sync',
        out_trade_no: 'N1',
        out_return_no: null,
        status: 'TRADE_FINISHED',
        params,
        outcome: 'applied',
      });
      await l.recordNotification({
        notify_id: 'n2',
        notify_type: 'trade_status_sync',
        out_trade_no: 'N1',
        out_return_no: null,
        status: 'TRADE_FINISHED',
        params,
        outcome: 'duplicate',
      });
      const list = await l.listNotifications({ out_trade_no: 'N1' });
      expect(list.map((n) => n.outcome)).toEqual(['applied', 'duplicate']);
      expect(list[0]!.params).toEqual(params);
      expect(list[0]!.received_at).toBeTypeOf('string');
    });

    it('should list orders by paid range and status', async () => {
      const l = await open();
      await l.createOrder(order('L1'));
      await l.createOrder(order('L2'));
      await l.markPaid('L2', { source: 'notify' });
      const paid = await l.listOrders({ status: ['paid', 'partially_refunded', 'refunded'] });
      expect(paid.map((o) => o.out_trade_no)).toEqual(['L2']);
      const t = paid[0]!.paid_at!;
      expect(
        (await l.listOrders({ paidFrom: t, paidTo: new Date(Date.parse(t) + 1).toISOString() })).map(
          (o) => o.out_trade_no,
        ),
      ).toEqual(['L2']);
      expect(await l.listOrders({ paidTo: t })).toEqual([]);
      expect((await l.listOrders()).length).toBe(2);
    });

    it('should let a succeeded result move possibly_done and any failed refund (the gateway is the truth), and a failed result only open ones', async () => {
      const l = await open();
      await paid(l, 'RR1');
      for (const [id, amount] of [
        ['RR1-a', 100],
        ['RR1-b', 200],
        ['RR1-c', 300],
        ['RR1-d', 50],
      ] as const)
        await l.createRefund(refund(id, 'RR1', amount));
      await l.setRefundRequestStatus('RR1-a', 'possibly_done');
      await l.setRefundRequestStatus('RR1-b', 'failed', 'REPEATED_REFUNDMENT_REQUEST'); // a row stored before possibly_done existed
      await l.setRefundRequestStatus('RR1-c', 'failed', 'RETURN_AMOUNT_EXCEED');
      expect((await l.applyRefundResult('RR1-a', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(true);
      const b = await l.applyRefundResult('RR1-b', { status: 'succeeded', source: 'refund_notify' });
      expect(b.changed).toBe(true);
      expect(b.refund).toMatchObject({ status: 'succeeded', error_code: null });
      expect((await l.applyRefundResult('RR1-b', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(
        false,
      );
      const c = await l.applyRefundResult('RR1-c', { status: 'succeeded', source: 'compare_file' });
      expect(c).toMatchObject({
        changed: true,
        refund: { status: 'succeeded', error_code: null },
        order: { status: 'partially_refunded', refunded_minor: 600 },
      });
      // failed never moves a succeeded refund, nor a failed one again
      expect(
        (await l.applyRefundResult('RR1-c', { status: 'failed', error_code: 'X', source: 'refund_notify' })).changed,
      ).toBe(false);
      expect((await l.getRefund('RR1-c'))!).toMatchObject({ status: 'succeeded', error_code: null });
      await l.setRefundRequestStatus('RR1-d', 'accepted');
      expect(
        (await l.applyRefundResult('RR1-d', { status: 'failed', error_code: 'REFUND_FAIL', source: 'refund_notify' }))
          .refund,
      ).toMatchObject({ status: 'failed', error_code: 'REFUND_FAIL' });
      expect(
        (await l.applyRefundResult('RR1-d', { status: 'failed', error_code: 'OTHER', source: 'refund_notify' }))
          .changed,
      ).toBe(false);
      expect((await l.getRefund('RR1-d'))!.error_code).toBe('REFUND_FAIL');
      expect((await l.getOrder('RR1'))!).toMatchObject({ status: 'partially_refunded', refunded_minor: 600 });
      expect((await l.claimEvents('RR1')).map((e) => [e.kind, e.out_return_no])).toEqual([
        ['paid', null],
        ['refunded', 'RR1-a'],
        ['refunded', 'RR1-b'],
        ['refunded', 'RR1-c'],
      ]);
    });

    it('should report events claimed by someone else as busy, and list orders with open events', async () => {
      const l = await open();
      if (!l.claimOrderEvents || !l.listOrdersWithOpenEvents) return;
      for (const id of ['B1', 'B2', 'B3']) {
        await l.createOrder(order(id));
        await l.markPaid(id, { source: 'notify' });
      }
      expect((await l.listOrdersWithOpenEvents()).sort()).toEqual(['B1', 'B2', 'B3']);
      const [ev] = await l.claimEvents('B1', { staleMs: 60_000 }); // a claimer that then dies
      const again = await l.claimOrderEvents('B1', { staleMs: 60_000 });
      expect(again).toEqual({ claimed: [], busy: [ev] });
      expect((await l.listOrdersWithOpenEvents({ staleMs: 60_000 })).sort()).toEqual(['B2', 'B3']);
      expect((await l.listOrdersWithOpenEvents({ staleMs: -1 })).sort()).toEqual(['B1', 'B2', 'B3']);
      const b2 = await l.claimOrderEvents('B2');
      expect(b2.busy).toEqual([]);
      await l.completeEvent(b2.claimed[0]!.id);
      expect(await l.claimOrderEvents('B2')).toEqual({ claimed: [], busy: [] });
      expect(await l.claimOrderEvents('NOPE')).toEqual({ claimed: [], busy: [] });
      if (options.advance) {
        options.advance(61_000);
        expect((await l.claimOrderEvents('B1', { staleMs: 60_000 })).claimed.map((e) => e.id)).toEqual([ev!.id]);
      }
    });

    it('should apply a payment notification in one call: check, transition, record, claim', async () => {
      const l = await open();
      if (!l.applyPaymentNotification) return;
      await l.createOrder(order('PN1'));
      const notification = {
        notify_id: 'n1',
        notify_type: 'trade_status_sync',
        out_trade_no: 'PN1',
        out_return_no: null,
        status: 'TRADE_FINISHED',
        params: { out_trade_no: 'PN1', sign: 's' },
      };
      const bad = l.applyPaymentNotification({
        out_trade_no: 'PN1',
        to: 'paid',
        source: 'notify',
        notification,
        check: () => {
          throw new Error('amount differs');
        },
      });
      await expect(bad).rejects.toThrow('amount differs');
      expect((await l.getOrder('PN1'))!.status).toBe('created');
      expect(await l.listNotifications({ out_trade_no: 'PN1' })).toEqual([]); // rolled back / never written
      const first = await l.applyPaymentNotification({
        out_trade_no: 'PN1',
        to: 'paid',
        trade_no: 'T1',
        source: 'notify',
        notification,
        claim: {},
      });
      expect(first).toMatchObject({ changed: true, outcome: 'applied', order: { status: 'paid', trade_no: 'T1' } });
      expect(first.order).toEqual(await l.getOrder('PN1'));
      expect(first.events!.claimed.map((e) => e.kind)).toEqual(['paid']);
      const dup = await l.applyPaymentNotification({
        out_trade_no: 'PN1',
        to: 'paid',
        trade_no: 'T1',
        source: 'notify',
        notification,
        claim: {},
      });
      expect(dup).toMatchObject({
        changed: false,
        outcome: 'duplicate',
        events: { claimed: [], busy: first.events!.claimed },
      });
      const ignored = await l.applyPaymentNotification({
        out_trade_no: 'PN1',
        to: null,
        source: 'notify',
        notification,
      });
      expect(ignored).toMatchObject({ changed: false, outcome: 'ignored' });
      expect((await l.listNotifications({ out_trade_no: 'PN1' })).map((n) => [n.outcome, n.params.sign])).toEqual([
        ['applied', 's'],
        ['duplicate', 's'],
        ['ignored', 's'],
      ]);
      expect((await l.history('PN1')).map((h) => h.to)).toEqual(['created', 'paid']);
      expect(
        await code(l.applyPaymentNotification({ out_trade_no: 'GHOST', to: 'paid', source: 'notify', notification })),
      ).toBe('ERR_ORDER_NOT_FOUND');
      await l.createOrder(order('PN2'));
      const concurrent = await Promise.all(
        Array.from({ length: 6 }, () =>
          l.applyPaymentNotification!({
            out_trade_no: 'PN2',
            to: 'closed',
            source: 'notify',
            notification: { ...notification, out_trade_no: 'PN2' },
          }),
        ),
      );
      expect(concurrent.filter((r) => r.changed)).toHaveLength(1);
    });

    it('should keep concurrent payment notifications of many orders independent: one failing check rejects alone', async () => {
      const l = await open();
      if (!l.applyPaymentNotification) return;
      const ids = Array.from({ length: 12 }, (_, i) => `PB${i}`);
      for (const id of ids) await l.createOrder(order(id));
      const note = (id: string) => ({
        notify_id: `n-${id}`,
        notify_type: 'trade_status_sync',
        out_trade_no: id,
        out_return_no: null,
        status: 'TRADE_FINISHED',
        params: { out_trade_no: id },
      });
      // Issued together, as 12 deliveries read in one event-loop turn would be.
      const results = await Promise.allSettled(
        ids.map((id) =>
          l.applyPaymentNotification!({
            out_trade_no: id,
            to: 'paid',
            trade_no: `T-${id}`,
            source: 'notify',
            notification: note(id),
            claim: {},
            check: () => {
              if (id === 'PB5') throw new Error('total_fee differs');
            },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(ids.map((id) => (id === 'PB5' ? 'rejected' : 'fulfilled')));
      expect((results[5] as PromiseRejectedResult).reason).toMatchObject({ message: 'total_fee differs' });
      for (const id of ids) {
        expect((await l.getOrder(id))!.status, id).toBe(id === 'PB5' ? 'created' : 'paid');
        expect(
          (await l.listNotifications({ out_trade_no: id })).map((n) => n.outcome),
          id,
        ).toEqual(id === 'PB5' ? [] : ['applied']);
      }
      expect(
        results
          .filter((r) => r.status === 'fulfilled')
          .map((r) => (r as PromiseFulfilledResult<{ events?: { claimed: unknown[] } }>).value.events!.claimed.length),
      ).toEqual(Array(11).fill(1));
    });

    it('should hand out every OrderRecord field, store expires_at as ISO and leave synced_at null', async () => {
      const l = await open();
      const { order: a } = await l.createOrder(order('S1', { expires_at: '2026-03-01T00:30:00Z', variant: 'web' }));
      expect(Object.keys(a)).toEqual(ORDER_FIELDS);
      expect(a).toMatchObject({ expires_at: '2026-03-01T00:30:00.000Z', synced_at: null });
      expect(await l.getOrder('S1')).toEqual(a);
      const { order: b } = await l.createOrder(order('S2', { variant: 'wap' }));
      expect(b).toMatchObject({ expires_at: null, synced_at: null });
      expect(Object.keys((await l.listOrders())[0]!)).toEqual(ORDER_FIELDS);
      expect(Object.keys((await l.markPaid('S2', { source: 'notify' })).order)).toEqual(ORDER_FIELDS);
      expect(await code(l.createOrder(order('S3', { expires_at: 'tomorrow' })))).toBe('TypeError');
      expect(await l.getOrder('S3')).toBeUndefined();
    });

    describe('paid_after_close', () => {
      it('should record a payment of a closed order as paid_after_close once, with trade_no, paid_at, history and a late_paid event claimed once', async () => {
        const l = await open();
        await l.createOrder(order('LP1'));
        await l.markClosed('LP1', { source: 'sweeper' });
        const [closedEv] = await l.claimEvents('LP1');
        await l.completeEvent(closedEv!.id);
        const late = await l.markPaid('LP1', { trade_no: 'T-LATE', source: 'query' });
        expect(late.changed).toBe(true);
        expect(late.order).toMatchObject({ status: 'paid_after_close', trade_no: 'T-LATE' });
        expect(late.order.paid_at).toBeTypeOf('string');
        expect(late.order).toEqual(await l.getOrder('LP1'));
        expect((await l.markPaid('LP1', { trade_no: 'T-LATE', source: 'notify' })).changed).toBe(false);
        expect((await l.markClosed('LP1', { source: 'sweeper' })).changed).toBe(false);
        expect((await l.history('LP1')).map((h) => [h.from, h.to, h.source])).toEqual([
          [null, 'created', 'checkout'],
          ['created', 'closed', 'sweeper'],
          ['closed', 'paid_after_close', 'query'],
        ]);
        // Claimed concurrently: exactly one claimer gets it.
        const claims = await Promise.all(Array.from({ length: 6 }, () => l.claimEvents('LP1')));
        expect(claims.flat().map((e) => [e.kind, e.out_trade_no])).toEqual([['late_paid', 'LP1']]);
        expect(await l.claimEvents('LP1')).toEqual([]);
      });

      it('should let exactly one of many concurrent payments of a closed order change it', async () => {
        const l = await open();
        await l.createOrder(order('LP2'));
        await l.markClosed('LP2', { source: 'sweeper' });
        const results = await Promise.all(
          Array.from({ length: 12 }, () => l.markPaid('LP2', { trade_no: 'T', source: 'notify' })),
        );
        expect(results.filter((r) => r.changed)).toHaveLength(1);
        expect((await l.claimEvents('LP2')).map((e) => e.kind)).toEqual(['closed', 'late_paid']);
      });

      it('should apply a payment notification of a closed order (applied, then duplicate) and ignore a close of a paid one', async () => {
        const l = await open();
        if (!l.applyPaymentNotification) return;
        await l.createOrder(order('LP3'));
        await l.markClosed('LP3', { source: 'sweeper' });
        const notification = {
          notify_id: 'n1',
          notify_type: 'trade_status_sync',
          out_trade_no: 'LP3',
          out_return_no: null,
          status: 'TRADE_FINISHED',
          params: { out_trade_no: 'LP3' },
        };
        const first = await l.applyPaymentNotification({
          out_trade_no: 'LP3',
          to: 'paid',
          trade_no: 'T3',
          source: 'notify',
          notification,
          claim: {},
        });
        expect(first).toMatchObject({
          changed: true,
          outcome: 'applied',
          order: { status: 'paid_after_close', trade_no: 'T3' },
        });
        expect(first.order).toEqual(await l.getOrder('LP3'));
        expect(first.events!.claimed.map((e) => e.kind)).toEqual(['closed', 'late_paid']);
        const again = await l.applyPaymentNotification({
          out_trade_no: 'LP3',
          to: 'paid',
          trade_no: 'T3',
          source: 'notify',
          notification,
          claim: {},
        });
        expect(again).toMatchObject({ changed: false, outcome: 'duplicate', order: { status: 'paid_after_close' } });
        const close = await l.applyPaymentNotification({
          out_trade_no: 'LP3',
          to: 'closed',
          source: 'notify',
          notification,
        });
        expect(close).toMatchObject({ changed: false, outcome: 'duplicate', order: { status: 'paid_after_close' } });
        expect((await l.listNotifications({ out_trade_no: 'LP3' })).map((n) => n.outcome)).toEqual([
          'applied',
          'duplicate',
          'duplicate',
        ]);
        await paid(l, 'LP4');
        const c = await l.applyPaymentNotification({
          out_trade_no: 'LP4',
          to: 'closed',
          source: 'notify',
          notification: { ...notification, out_trade_no: 'LP4' },
        });
        expect(c).toMatchObject({ changed: false, outcome: 'duplicate', order: { status: 'paid' } });
      });

      it('should refund a paid_after_close order like a paid one', async () => {
        const l = await open();
        await l.createOrder(order('LP5'));
        await l.markClosed('LP5', { source: 'sweeper' });
        await l.markPaid('LP5', { source: 'notify' });
        await l.createRefund(refund('LP5-a', 'LP5', 300));
        expect(
          (await l.applyRefundResult('LP5-a', { status: 'succeeded', source: 'refund_notify' })).order,
        ).toMatchObject({ status: 'partially_refunded', refunded_minor: 300 });
        await l.createRefund(refund('LP5-b', 'LP5', 700));
        expect(
          (await l.applyRefundResult('LP5-b', { status: 'succeeded', source: 'refund_notify' })).order,
        ).toMatchObject({ status: 'refunded', refunded_minor: 1000 });
        expect((await l.history('LP5')).map((h) => h.to)).toEqual([
          'created',
          'closed',
          'paid_after_close',
          'partially_refunded',
          'refunded',
        ]);
        await l.createOrder(order('LP6'));
        await l.markClosed('LP6', { source: 'sweeper' });
        await l.markPaid('LP6', { source: 'notify' });
        await l.createRefund(refund('LP6-a', 'LP6', 1000));
        expect(
          (await l.applyRefundResult('LP6-a', { status: 'succeeded', source: 'refund_notify' })).order.status,
        ).toBe('refunded');
        expect((await l.history('LP6')).map((h) => [h.from, h.to]).slice(-1)).toEqual([
          ['paid_after_close', 'refunded'],
        ]);
      });
    });

    describe('createRefund: the atomic remainder check', () => {
      it('should refuse a refund above the remainder with ERR_INVALID_AMOUNT naming it, and write nothing', async () => {
        const l = await open();
        await paid(l, 'RM1', { total_fee_minor: 2400 });
        expect((await l.createRefund(refund('RM1-a', 'RM1', 1000))).created).toBe(true);
        expect((await l.createRefund(refund('RM1-b', 'RM1', 1000))).created).toBe(true);
        const before = {
          order: await l.getOrder('RM1'),
          refunds: await l.listRefunds('RM1'),
          history: await l.history('RM1'),
          events: await l.listOrdersWithOpenEvents?.(),
        };
        const e = await failure(l.createRefund({ ...refund('RM1-c', 'RM1', 1000), reason: 'too much' }));
        expect(e).toMatchObject({ name: 'AlipayLedgerError', code: 'ERR_INVALID_AMOUNT', status: 400 });
        expect(e!.message).toBe('refund of 10.00 exceeds the refundable remainder 4.00 USD');
        expect(await l.getRefund('RM1-c')).toBeUndefined();
        expect({
          order: await l.getOrder('RM1'),
          refunds: await l.listRefunds('RM1'),
          history: await l.history('RM1'),
          events: await l.listOrdersWithOpenEvents?.(),
        }).toEqual(before);
        // the exact remainder still fits; then nothing does
        expect((await l.createRefund(refund('RM1-c', 'RM1', 400))).created).toBe(true);
        expect((await failure(l.createRefund(refund('RM1-d', 'RM1', 1))))!.message).toBe(
          'refund of 0.01 exceeds the refundable remainder 0.00 USD',
        );
      });

      it('should count every refund that is not failed: requested, accepted, possibly_done and succeeded', async () => {
        const l = await open();
        await paid(l, 'RM2', { total_fee_minor: 1000 });
        for (const [id, amount] of [
          ['RM2-a', 100],
          ['RM2-b', 200],
          ['RM2-c', 300],
          ['RM2-d', 350],
        ] as const)
          await l.createRefund(refund(id, 'RM2', amount));
        await l.setRefundRequestStatus('RM2-b', 'accepted');
        await l.setRefundRequestStatus('RM2-c', 'possibly_done', 'SYSTEM_ERROR');
        await l.applyRefundResult('RM2-d', { status: 'succeeded', source: 'refund_notify' });
        expect((await failure(l.createRefund(refund('RM2-e', 'RM2', 51))))!.message).toContain('remainder 0.50 USD');
        await l.applyRefundResult('RM2-c', { status: 'failed', error_code: 'REFUND_FAIL', source: 'refund_notify' }); // a failed refund frees its amount
        expect((await l.createRefund(refund('RM2-e', 'RM2', 350))).created).toBe(true);
        expect(await code(l.createRefund(refund('RM2-f', 'RM2', 1)))).toBe('ERR_INVALID_AMOUNT');
      });

      it('should count CNY refunds of an rmb-priced order against rmb_fee, and format zero-decimal currencies whole', async () => {
        const l = await open();
        await paid(l, 'RM3', { currency: 'JPY', total_fee_minor: null, rmb_fee_minor: 101 });
        await l.createRefund(refund('RM3-a', 'RM3', 100, 'CNY'));
        expect((await failure(l.createRefund(refund('RM3-b', 'RM3', 2, 'CNY'))))!.message).toBe(
          'refund of 0.02 exceeds the refundable remainder 0.01 CNY',
        );
        expect(await code(l.createRefund(refund('RM3-b', 'RM3', 1, 'JPY')))).toBe('ERR_INVALID_CURRENCY');
        await paid(l, 'RM4', { currency: 'JPY', total_fee_minor: 1700 });
        expect((await failure(l.createRefund(refund('RM4-a', 'RM4', 1701, 'JPY'))))!.message).toBe(
          'refund of 1701 exceeds the refundable remainder 1700 JPY',
        );
        // A CNY-priced order with total_fee: CNY refunds count against total_fee and reach `refunded`.
        await paid(l, 'RM5', { currency: 'CNY', total_fee_minor: 500 });
        await l.createRefund(refund('RM5-a', 'RM5', 500, 'CNY'));
        expect(
          (await l.applyRefundResult('RM5-a', { status: 'succeeded', source: 'refund_notify' })).order,
        ).toMatchObject({ status: 'refunded', refunded_minor: 500, refunded_rmb_minor: 0 });
      });

      it('should refuse a refund in another currency with ERR_INVALID_CURRENCY (400)', async () => {
        const l = await open();
        await paid(l, 'RC1');
        const e = await failure(l.createRefund(refund('RC1-a', 'RC1', 100, 'CNY')));
        expect(e).toMatchObject({ code: 'ERR_INVALID_CURRENCY', status: 400 });
        expect(await code(l.createRefund(refund('RC1-a', 'RC1', 100, 'EUR')))).toBe('ERR_INVALID_CURRENCY');
        expect(await l.listRefunds('RC1')).toEqual([]);
      });

      it('should refuse refunds of orders that are not paid with ERR_INVALID_TRANSITION (409)', async () => {
        const l = await open();
        await l.createOrder(order('RT1'));
        expect(await failure(l.createRefund(refund('RT1-a', 'RT1', 100)))).toMatchObject({
          code: 'ERR_INVALID_TRANSITION',
          status: 409,
        });
        await l.markClosed('RT1', { source: 'sweeper' });
        expect(await code(l.createRefund(refund('RT1-a', 'RT1', 100)))).toBe('ERR_INVALID_TRANSITION');
        expect(await failure(l.createRefund(refund('RT1-a', 'ghost', 100)))).toMatchObject({
          code: 'ERR_ORDER_NOT_FOUND',
          status: 404,
        });
        expect(await l.listRefunds()).toEqual([]);
      });

      it('should answer a retry of a recorded refund with it after the order became refunded, and refuse new ones', async () => {
        const l = await open();
        await paid(l, 'RI1');
        const first = await l.createRefund({ ...refund('RI1-a', 'RI1', 1000), reason: 'broken' });
        expect(first.created).toBe(true);
        await l.applyRefundResult('RI1-a', { status: 'succeeded', source: 'refund_notify' });
        expect((await l.getOrder('RI1'))!.status).toBe('refunded');
        const retry = await l.createRefund({ ...refund('RI1-a', 'RI1', 1000), reason: 'broken' });
        expect(retry).toMatchObject({
          created: false,
          refund: { out_return_no: 'RI1-a', status: 'succeeded', amount_minor: 1000, reason: 'broken' },
        });
        expect(await failure(l.createRefund(refund('RI1-a', 'RI1', 999)))).toMatchObject({
          code: 'ERR_ORDER_CONFLICT',
          status: 409,
        });
        expect(await code(l.createRefund(refund('RI1-a', 'RI1', 1000, 'EUR')))).toBe('ERR_ORDER_CONFLICT');
        expect(await code(l.createRefund(refund('RI1-b', 'RI1', 1)))).toBe('ERR_INVALID_TRANSITION');
        // an id recorded for another order
        await paid(l, 'RI2');
        expect(await code(l.createRefund(refund('RI1-a', 'RI2', 1000)))).toBe('ERR_ORDER_CONFLICT');
      });

      it('should accept exactly as many concurrent refunds as fit (one process)', async () => {
        const l = await open();
        await paid(l, 'RP1', { total_fee_minor: 2400 });
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => l.createRefund(refund(`RP1-${i}`, 'RP1', 1000))),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
        expect(
          results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
        ).toEqual(Array(4).fill('ERR_INVALID_AMOUNT'));
        expect((await l.listRefunds('RP1')).reduce((s, r) => s + r.amount_minor, 0)).toBe(2000);
        const same = await Promise.all(Array.from({ length: 6 }, () => l.createRefund(refund('RP1-same', 'RP1', 400))));
        expect(same.filter((r) => r.created)).toHaveLength(1);
      });

      it('should validate refund input with TypeError/RangeError', async () => {
        const l = await open();
        await paid(l, 'RV1');
        expect(await code(l.createRefund(refund('RV1-a', 'RV1', 0)))).toBe('RangeError');
        expect(await code(l.createRefund(refund('RV1-a', 'RV1', 1.5)))).toBe('RangeError');
        expect(await code(l.createRefund(refund('', 'RV1', 1)))).toBe('TypeError');
        expect(await code(l.createRefund(refund('RV1-a', 'RV1', 1, '')))).toBe('TypeError');
      });
    });

    describe('setRefundRequestStatus and listOpenRefunds', () => {
      it('should never downgrade accepted to possibly_done, never touch final refunds, and refresh a repeated open state', async () => {
        const l = await open();
        await paid(l, 'SR1');
        for (const id of ['SR1-a', 'SR1-b', 'SR1-c', 'SR1-d']) await l.createRefund(refund(id, 'SR1', 100));
        const accepted = await l.setRefundRequestStatus('SR1-a', 'accepted');
        expect(accepted.status).toBe('accepted');
        expect(await l.setRefundRequestStatus('SR1-a', 'possibly_done', 'SYSTEM_ERROR')).toEqual(accepted);
        const pd = await l.setRefundRequestStatus('SR1-b', 'possibly_done', 'SYSTEM_ERROR');
        expect(pd).toMatchObject({ status: 'possibly_done', error_code: 'SYSTEM_ERROR' });
        const pd2 = await l.setRefundRequestStatus('SR1-b', 'possibly_done', 'REPEATED_REFUNDMENT_REQUEST');
        expect(pd2).toMatchObject({ status: 'possibly_done', error_code: 'REPEATED_REFUNDMENT_REQUEST' });
        expect(pd2.updated_at > pd.updated_at).toBe(true);
        expect((await l.setRefundRequestStatus('SR1-b', 'accepted')).status).toBe('accepted');
        const failed = await l.setRefundRequestStatus('SR1-c', 'failed', 'RETURN_AMOUNT_EXCEED');
        for (const s of ['accepted', 'possibly_done', 'failed'] as const)
          expect(await l.setRefundRequestStatus('SR1-c', s, 'X')).toEqual(failed);
        const done = (await l.applyRefundResult('SR1-d', { status: 'succeeded', source: 'refund_notify' })).refund;
        for (const s of ['accepted', 'possibly_done', 'failed'] as const)
          expect(await l.setRefundRequestStatus('SR1-d', s, 'X')).toEqual(done);
        expect(await code(l.setRefundRequestStatus('ghost', 'accepted'))).toBe('ERR_ORDER_NOT_FOUND');
      });

      it('should list open refunds oldest first, filtered by updatedBefore and limited', async () => {
        const l = await open();
        await paid(l, 'OR1');
        for (const id of ['OR1-a', 'OR1-b', 'OR1-c', 'OR1-d', 'OR1-e']) await l.createRefund(refund(id, 'OR1', 100));
        await l.setRefundRequestStatus('OR1-b', 'accepted');
        await l.setRefundRequestStatus('OR1-c', 'failed', 'RETURN_AMOUNT_EXCEED');
        await l.applyRefundResult('OR1-d', { status: 'succeeded', source: 'refund_notify' });
        const e = await l.setRefundRequestStatus('OR1-e', 'possibly_done', 'SYSTEM_ERROR');
        expect((await l.listOpenRefunds()).map((r) => [r.out_return_no, r.status])).toEqual([
          ['OR1-a', 'requested'],
          ['OR1-b', 'accepted'],
          ['OR1-e', 'possibly_done'],
        ]);
        expect(
          (await l.listOpenRefunds({ updatedBefore: new Date(Date.parse(e.updated_at) - 1).toISOString() })).map(
            (r) => r.out_return_no,
          ),
        ).toEqual(['OR1-a', 'OR1-b']);
        expect((await l.listOpenRefunds({ updatedBefore: e.updated_at })).map((r) => r.out_return_no)).toEqual([
          'OR1-a',
          'OR1-b',
          'OR1-e',
        ]); // at or before
        expect((await l.listOpenRefunds({ limit: 1 })).map((r) => r.out_return_no)).toEqual(['OR1-a']);
        expect(await l.listOpenRefunds({ limit: 0 })).toEqual([]);
        expect(await code(l.listOpenRefunds({ updatedBefore: 'soon' }))).toBe('TypeError');
        expect(await code(l.listOpenRefunds({ limit: -1 }))).toBe('RangeError');
      });
    });

    describe('the rejection ring', () => {
      it('should keep at most REJECTION_RING_SIZE rejections, newest first, and count them all', async () => {
        const l = await open();
        expect(await l.listRejections()).toEqual({ total: 0, recent: [] });
        for (let i = 0; i < 1000; i++)
          await l.recordRejection({ code: `ERR_SIGNATURE_INVALID_${i}`, source: i % 2 ? `10.0.0.${i % 250}` : null });
        const { total, recent } = await l.listRejections();
        expect(total).toBe(1000);
        expect(recent).toHaveLength(REJECTION_RING_SIZE);
        expect(recent.map((r) => r.code)).toEqual(
          Array.from({ length: REJECTION_RING_SIZE }, (_, k) => `ERR_SIGNATURE_INVALID_${999 - k}`),
        );
        expect(recent[0]).toMatchObject({ source: '10.0.0.249' });
        expect(recent[1]).toMatchObject({ source: null });
        expect(recent[0]!.at >= recent[1]!.at).toBe(true);
        expect(Date.parse(recent[0]!.at)).not.toBeNaN();
        if (options.countRows) {
          expect(await options.countRows('rejections')).toBeLessThanOrEqual(REJECTION_RING_SIZE);
          expect(await options.countRows('rejection_total')).toBe(1);
        }
      });

      it('should cut code and source to 64 characters and store nothing else', async () => {
        const l = await open();
        await l.recordRejection({ code: 'E'.repeat(100), source: `${'a'.repeat(63)}😀😀` });
        await Promise.all(Array.from({ length: 20 }, (_, i) => l.recordRejection({ code: `C${i}`, source: null })));
        const { total, recent } = await l.listRejections();
        expect(total).toBe(21);
        expect(recent.at(-1)).toMatchObject({ code: 'E'.repeat(64), source: `${'a'.repeat(63)}😀` });
        expect(new Set(recent.map((r) => r.code)).size).toBe(21);
        expect(Object.keys(recent[0]!).sort()).toEqual(['at', 'code', 'source']);
        expect(await l.listNotifications()).toEqual([]);
        expect(await code(l.recordRejection({ code: '', source: null }))).toBe('TypeError');
      });
    });

    describe('claimOrdersForSync (the sweeper)', () => {
      const after = (o: OrderRecord) => new Date(Date.parse(o.created_at) + 1).toISOString();

      it('should claim created orders created at or before createdBefore, oldest first, stamping synced_at, and not again within the interval', async () => {
        const l = await open();
        const a = (await l.createOrder(order('SW1'))).order;
        await paid(l, 'SW2');
        await l.createOrder(order('SW3'));
        await l.createOrder(order('SW4'));
        await l.markClosed('SW4', { source: 'sweeper' });
        const c = (await l.createOrder(order('SW5'))).order;
        const before = new Date(Date.parse(a.created_at) - 1).toISOString();
        expect(await l.claimOrdersForSync({ createdBefore: before, minIntervalMs: 60_000, limit: 10 })).toEqual([]);
        const first = await l.claimOrdersForSync({
          createdBefore: new Date(Date.parse(c.created_at) - 1).toISOString(),
          minIntervalMs: 60_000,
          limit: 10,
        });
        expect(first.map((o) => o.out_trade_no)).toEqual(['SW1', 'SW3']);
        for (const o of first) {
          expect(o.synced_at).toBeTypeOf('string');
          expect(o).toEqual(await l.getOrder(o.out_trade_no));
        }
        expect(
          await l.claimOrdersForSync({ createdBefore: c.created_at, minIntervalMs: 60_000, limit: 10 }),
        ).toMatchObject([{ out_trade_no: 'SW5' }]); // at or before
        expect(await l.claimOrdersForSync({ createdBefore: after(c), minIntervalMs: 60_000, limit: 10 })).toEqual([]);
        if (options.advance) {
          options.advance(61_000);
          const again = await l.claimOrdersForSync({ createdBefore: after(c), minIntervalMs: 60_000, limit: 10 });
          expect(again.map((o) => o.out_trade_no)).toEqual(['SW1', 'SW3', 'SW5']);
          expect(again[0]!.synced_at! > first[0]!.synced_at!).toBe(true);
        }
        expect(
          (await l.claimOrdersForSync({ createdBefore: after(c), minIntervalMs: 0, limit: 10 })).map(
            (o) => o.out_trade_no,
          ),
        ).toEqual(['SW1', 'SW3', 'SW5']);
        expect((await l.history('SW1')).map((h) => h.to)).toEqual(['created']); // a claim is not a transition
      });

      it('should honour the limit and hand each order to one of several concurrent claimers', async () => {
        const l = await open();
        let last: OrderRecord | undefined;
        for (let i = 0; i < 12; i++) last = (await l.createOrder(order(`SC${String(i).padStart(2, '0')}`))).order;
        const createdBefore = after(last!);
        expect(await l.claimOrdersForSync({ createdBefore, minIntervalMs: 60_000, limit: 0 })).toEqual([]);
        expect(
          (await l.claimOrdersForSync({ createdBefore, minIntervalMs: 60_000, limit: 2 })).map((o) => o.out_trade_no),
        ).toEqual(['SC00', 'SC01']);
        const claims = await Promise.all(
          Array.from({ length: 5 }, () => l.claimOrdersForSync({ createdBefore, minIntervalMs: 60_000, limit: 3 })),
        );
        const ids = claims.flat().map((o) => o.out_trade_no);
        expect(ids.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `SC${String(i + 2).padStart(2, '0')}`));
        for (const c of claims) expect(c.map((o) => o.out_trade_no)).toEqual([...c.map((o) => o.out_trade_no)].sort());
      });

      it('should validate its options', async () => {
        const l = await open();
        expect(await code(l.claimOrdersForSync({ createdBefore: 'x', minIntervalMs: 0, limit: 1 }))).toBe('TypeError');
        expect(
          await code(l.claimOrdersForSync({ createdBefore: new Date().toISOString(), minIntervalMs: -1, limit: 1 })),
        ).toBe('RangeError');
        expect(
          await code(l.claimOrdersForSync({ createdBefore: new Date().toISOString(), minIntervalMs: 0, limit: 1.5 })),
        ).toBe('RangeError');
        expect(
          await code(l.claimOrdersForSync({ createdBefore: new Date().toISOString(), minIntervalMs: 1e15, limit: 1 })),
        ).toBeUndefined();
      });
    });

    it('should reject use after close', async () => {
      const l = await open();
      await l.close();
      expect(await code(l.getOrder('x'))).toBeTypeOf('string');
    });
  });
}
