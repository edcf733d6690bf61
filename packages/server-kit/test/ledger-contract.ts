// The ledger CONTRACT suite: every Ledger implementation (SQLite here, PostgreSQL later) must
// pass it. Call runLedgerContract(name, makeLedger) from a *.test.ts file.
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger, NewOrder } from '../src/index.js';

export interface ContractOptions {
  /** Clock control, when the implementation takes an injectable clock (for stale claims). */
  advance?: (ms: number) => void;
}

const order = (id: string, patch: Partial<NewOrder> = {}): NewOrder => ({ out_trade_no: id, subject: 'Tea', currency: 'USD', total_fee_minor: 1000, ...patch });

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).name;
  }
}

export function runLedgerContract(name: string, makeLedger: () => Promise<Ledger> | Ledger, options: ContractOptions = {}): void {
  describe(`Ledger contract: ${name}`, () => {
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
      expect(r.order).toMatchObject({ out_trade_no: 'A1', status: 'created', currency: 'USD', total_fee_minor: 1000, rmb_fee_minor: null, refunded_minor: 0, body: 'green', metadata: '{"cart":1}', trade_no: null });
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

    it('should close a created order once, and never pay a closed one', async () => {
      const l = await open();
      await l.createOrder(order('X1'));
      expect((await l.markClosed('X1', { source: 'query' })).changed).toBe(true);
      expect((await l.markClosed('X1', { source: 'query' })).changed).toBe(false);
      expect((await l.markPaid('X1', { source: 'notify' })).changed).toBe(false);
      expect((await l.getOrder('X1'))?.status).toBe('closed');
    });

    it('should throw ERR_ORDER_NOT_FOUND for transitions of unknown orders and refunds', async () => {
      const l = await open();
      expect(await code(l.markPaid('ghost', { source: 'notify' }))).toBe('ERR_ORDER_NOT_FOUND');
      expect(await code(l.applyRefundResult('ghost-r', { status: 'succeeded', source: 'notify' }))).toBe('ERR_ORDER_NOT_FOUND');
      expect(await code(l.createRefund({ out_return_no: 'r', out_trade_no: 'ghost', currency: 'USD', amount_minor: 1 }))).toBe('ERR_ORDER_NOT_FOUND');
    });

    it('should go paid → partially_refunded → refunded, each refund applied once', async () => {
      const l = await open();
      await l.createOrder(order('R1'));
      await l.markPaid('R1', { source: 'notify' });
      expect((await l.createRefund({ out_return_no: 'R1-a', out_trade_no: 'R1', currency: 'USD', amount_minor: 400, reason: 'x' })).created).toBe(true);
      expect((await l.createRefund({ out_return_no: 'R1-a', out_trade_no: 'R1', currency: 'USD', amount_minor: 400 })).created).toBe(false);
      expect(await code(l.createRefund({ out_return_no: 'R1-a', out_trade_no: 'R1', currency: 'USD', amount_minor: 500 }))).toBe('ERR_ORDER_CONFLICT');
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
      const r = await l.applyRefundResult('F1-r', { status: 'failed', error_code: 'RETURN_AMOUNT_EXCEED', source: 'refund_notify' });
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
      const params = { out_trade_no: 'N1', trade_status: 'TRADE_FINISHED', sign: 'abc', sign_type: 'MD5', 'weird key': 'v&=' };
      await l.recordNotification({ notify_id: 'n1', notify_type: 'trade_status_sync', out_trade_no: 'N1', out_return_no: null, status: 'TRADE_FINISHED', params, outcome: 'applied' });
      await l.recordNotification({ notify_id: 'n2', notify_type: 'trade_status_sync', out_trade_no: 'N1', out_return_no: null, status: 'TRADE_FINISHED', params, outcome: 'duplicate' });
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
      expect((await l.listOrders({ paidFrom: t, paidTo: new Date(Date.parse(t) + 1).toISOString() })).map((o) => o.out_trade_no)).toEqual(['L2']);
      expect(await l.listOrders({ paidTo: t })).toEqual([]);
      expect((await l.listOrders()).length).toBe(2);
    });

    it('should let a REFUND_SUCCESS result move possibly_done, and failed only when the code was REPEATED_REFUNDMENT_REQUEST (§6.3)', async () => {
      const l = await open();
      await l.createOrder(order('RR1'));
      await l.markPaid('RR1', { source: 'notify' });
      for (const [id, amount] of [['RR1-a', 100], ['RR1-b', 200], ['RR1-c', 300]] as const) await l.createRefund({ out_return_no: id, out_trade_no: 'RR1', currency: 'USD', amount_minor: amount });
      await l.setRefundRequestStatus('RR1-a', 'possibly_done');
      await l.setRefundRequestStatus('RR1-b', 'failed', 'REPEATED_REFUNDMENT_REQUEST'); // a row stored before the fix
      await l.setRefundRequestStatus('RR1-c', 'failed', 'RETURN_AMOUNT_EXCEED');
      expect((await l.applyRefundResult('RR1-a', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(true);
      const b = await l.applyRefundResult('RR1-b', { status: 'succeeded', source: 'refund_notify' });
      expect(b.changed).toBe(true);
      expect(b.refund).toMatchObject({ status: 'succeeded', error_code: null });
      expect((await l.applyRefundResult('RR1-b', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(false);
      expect((await l.applyRefundResult('RR1-c', { status: 'succeeded', source: 'refund_notify' })).changed).toBe(false);
      expect((await l.getOrder('RR1'))!).toMatchObject({ status: 'partially_refunded', refunded_minor: 300 });
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
      const notification = { notify_id: 'n1', notify_type: 'trade_status_sync', out_trade_no: 'PN1', out_return_no: null, status: 'TRADE_FINISHED', params: { out_trade_no: 'PN1', sign: 's' } };
      const bad = l.applyPaymentNotification({ out_trade_no: 'PN1', to: 'paid', source: 'notify', notification, check: () => { throw new Error('amount differs'); } });
      await expect(bad).rejects.toThrow('amount differs');
      expect((await l.getOrder('PN1'))!.status).toBe('created');
      expect(await l.listNotifications({ out_trade_no: 'PN1' })).toEqual([]); // rolled back / never written
      const first = await l.applyPaymentNotification({ out_trade_no: 'PN1', to: 'paid', trade_no: 'T1', source: 'notify', notification, claim: {} });
      expect(first).toMatchObject({ changed: true, outcome: 'applied', order: { status: 'paid', trade_no: 'T1' } });
      expect(first.order).toEqual(await l.getOrder('PN1'));
      expect(first.events!.claimed.map((e) => e.kind)).toEqual(['paid']);
      const dup = await l.applyPaymentNotification({ out_trade_no: 'PN1', to: 'paid', trade_no: 'T1', source: 'notify', notification, claim: {} });
      expect(dup).toMatchObject({ changed: false, outcome: 'duplicate', events: { claimed: [], busy: first.events!.claimed } });
      const ignored = await l.applyPaymentNotification({ out_trade_no: 'PN1', to: null, source: 'notify', notification });
      expect(ignored).toMatchObject({ changed: false, outcome: 'ignored' });
      expect((await l.listNotifications({ out_trade_no: 'PN1' })).map((n) => [n.outcome, n.params.sign])).toEqual([['applied', 's'], ['duplicate', 's'], ['ignored', 's']]);
      expect((await l.history('PN1')).map((h) => h.to)).toEqual(['created', 'paid']);
      expect(await code(l.applyPaymentNotification({ out_trade_no: 'GHOST', to: 'paid', source: 'notify', notification }))).toBe('ERR_ORDER_NOT_FOUND');
      await l.createOrder(order('PN2'));
      const concurrent = await Promise.all(Array.from({ length: 6 }, () => l.applyPaymentNotification!({ out_trade_no: 'PN2', to: 'closed', source: 'notify', notification: { ...notification, out_trade_no: 'PN2' } })));
      expect(concurrent.filter((r) => r.changed)).toHaveLength(1);
    });

    it('should keep concurrent payment notifications of many orders independent: one failing check rejects alone', async () => {
      const l = await open();
      if (!l.applyPaymentNotification) return;
      const ids = Array.from({ length: 12 }, (_, i) => `PB${i}`);
      for (const id of ids) await l.createOrder(order(id));
      const note = (id: string) => ({ notify_id: `n-${id}`, notify_type: 'trade_status_sync', out_trade_no: id, out_return_no: null, status: 'TRADE_FINISHED', params: { out_trade_no: id } });
      // Issued together, as 12 deliveries read in one event-loop turn would be.
      const results = await Promise.allSettled(
        ids.map((id) =>
          l.applyPaymentNotification!({
            out_trade_no: id, to: 'paid', trade_no: `T-${id}`, source: 'notify', notification: note(id), claim: {},
            check: () => { if (id === 'PB5') throw new Error('total_fee differs'); },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(ids.map((id) => (id === 'PB5' ? 'rejected' : 'fulfilled')));
      expect((results[5] as PromiseRejectedResult).reason).toMatchObject({ message: 'total_fee differs' });
      for (const id of ids) {
        expect((await l.getOrder(id))!.status, id).toBe(id === 'PB5' ? 'created' : 'paid');
        expect((await l.listNotifications({ out_trade_no: id })).map((n) => n.outcome), id).toEqual(id === 'PB5' ? [] : ['applied']);
      }
      expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ events?: { claimed: unknown[] } }>).value.events!.claimed.length)).toEqual(Array(11).fill(1));
    });

    it('should reject use after close', async () => {
      const l = await open();
      await l.close();
      expect(await code(l.getOrder('x'))).toBeTypeOf('string');
    });
  });
}
