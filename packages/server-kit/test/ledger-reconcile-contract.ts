// The reconciliation queries of the Ledger contract (issue 17): batch lookups by id and the
// range queries, run by runLedgerContract against both ledgers the same way.
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger, OrderRecord } from '../src/index.js';

const PAID = ['paid', 'partially_refunded', 'refunded', 'paid_after_close'] as const;
const DAY = 86_400_000;

async function paid(l: Ledger, id: string): Promise<OrderRecord> {
  await l.createOrder({ out_trade_no: id, subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
  return (await l.markPaid(id, { trade_no: `T-${id}`, source: 'notify' })).order;
}

async function failure(p: Promise<unknown>): Promise<{ code?: string; name: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as { code?: string; name: string };
  }
}

const after = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export function runLedgerReconcileContract(
  makeLedger: () => Promise<Ledger> | Ledger,
  options: { advance?: (ms: number) => void },
): void {
  describe('reconciliation queries (issue 17)', () => {
    let ledger: Ledger | undefined;
    const open = async () => (ledger = await makeLedger());
    afterEach(async () => {
      await ledger?.close();
      ledger = undefined;
    });

    it('should return the existing orders and refunds of a batch of ids, ignoring unknown and repeated ids', async () => {
      const l = await open();
      for (let i = 0; i < 30; i++) await paid(l, `B${i}`);
      await l.createRefund({ out_return_no: 'B1-r', out_trade_no: 'B1', currency: 'USD', amount_minor: 100 });
      const ids = [...Array.from({ length: 30 }, (_, i) => `B${i}`), 'B3', 'NOPE', 'x\0y'];
      const orders = await l.getOrderFactsByIds(ids);
      expect(orders.map((o) => o.out_trade_no).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `B${i}`).sort());
      const b7 = (await l.getOrder('B7'))!;
      expect(orders.find((o) => o.out_trade_no === 'B7')).toStrictEqual({
        out_trade_no: 'B7',
        currency: b7.currency,
        total_fee_minor: b7.total_fee_minor,
        status: b7.status,
        paid_at: b7.paid_at,
      });
      expect(await l.getOrderFactsByIds([])).toEqual([]);
      expect(await l.getRefundsByIds(['B1-r', 'B2-r', 'B1-r'])).toEqual([await l.getRefund('B1-r')]);
    });

    it('should refuse a batch that is not an array of strings, or of more than 10,000 ids', async () => {
      const l = await open();
      expect((await failure(l.getOrderFactsByIds('B1' as unknown as string[])))?.name).toBe('TypeError');
      expect((await failure(l.getRefundsByIds([1] as unknown as string[])))?.name).toBe('TypeError');
      expect((await failure(l.getOrderFactsByIds(Array.from({ length: 10_001 }, (_, i) => `I${i}`))))?.code).toBe(
        'ERR_INVALID_PARAMS',
      );
    });

    it('should check payment rows in the database, returning only those that do not certainly agree, with their facts', async () => {
      const l = await open();
      const a = await paid(l, 'K-ok');
      await paid(l, 'K-amount');
      await paid(l, 'K-currency');
      await l.createOrder({ out_trade_no: 'K-open', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
      await l.createOrder({ out_trade_no: 'K-cny', subject: 'Tea', currency: 'USD', rmb_fee_minor: 6500 });
      await l.markPaid('K-cny', { trade_no: 'T-K-cny', source: 'notify' });
      options.advance?.(2 * DAY);
      await paid(l, 'K-later');
      const from = a.paid_at!;
      const to = after(from, DAY);
      const facts = async (id: string) => {
        const o = (await l.getOrder(id))!;
        return {
          out_trade_no: id,
          currency: o.currency,
          total_fee_minor: o.total_fee_minor,
          status: o.status,
          paid_at: o.paid_at,
        };
      };
      const row = (out_trade_no: string, amount_minor = 1000, currency = 'USD') => ({
        out_trade_no,
        currency,
        amount_minor,
      });
      const rows = [
        row('K-ok'), // agrees: left out
        row('K-amount', 1001),
        row('K-currency', 1000, 'EUR'),
        row('K-open'), // not paid
        row('K-cny', 999_999), // priced in CNY: any amount agrees
        row('K-later'), // paid after the range
        row('K-none'),
        row('K-ok'), // the same id twice: each row on its own
        row('x\0y'), // text PostgreSQL cannot hold: no such order
        row('K-ok', 1000, 'US\0'), // nor such a currency
        row('K-cny', 5, ':USD'), // a currency with the encoding's delimiter never agrees by accident
        row('K-ok', 1000, 'USD:1000'),
      ];
      expect(await l.checkPaymentRows(rows, { from, to })).toEqual([
        { index: 1, order: await facts('K-amount') },
        { index: 2, order: await facts('K-currency') },
        { index: 3, order: await facts('K-open') },
        { index: 5, order: await facts('K-later') },
        { index: 6, order: null },
        { index: 8, order: null },
        { index: 9, order: await facts('K-ok') },
        { index: 10, order: await facts('K-cny') },
        { index: 11, order: await facts('K-ok') },
      ]);
      // [from, to): K-ok was paid at `from`, so a range starting 1 ms later leaves it in doubt.
      expect(await l.checkPaymentRows([row('K-ok')], { from: after(from, 1), to })).toEqual([
        { index: 0, order: await facts('K-ok') },
      ]);
      expect(await l.checkPaymentRows([], { from, to })).toEqual([]);
      expect((await failure(l.checkPaymentRows('K-ok' as unknown as [], { from, to })))?.name).toBe('TypeError');
      expect(
        (
          await failure(
            l.checkPaymentRows([{ out_trade_no: 'K-ok', currency: 'USD', amount_minor: 1.5 }], { from, to }),
          )
        )?.name,
      ).toBe('TypeError');
      expect((await failure(l.checkPaymentRows([row('K-ok')], { from: 'yesterday', to })))?.code).toBe(
        'ERR_INVALID_DATE',
      );
      expect(
        (
          await failure(
            l.checkPaymentRows(
              Array.from({ length: 10_001 }, () => row('K-ok')),
              { from, to },
            ),
          )
        )?.code,
      ).toBe('ERR_INVALID_PARAMS');
    });

    it('should count the orders paid in a range per status, leaving out those paid outside it', async () => {
      const l = await open();
      const first = await paid(l, 'C1');
      await paid(l, 'C2');
      await l.createOrder({ out_trade_no: 'C-open', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
      options.advance?.(2 * DAY);
      await paid(l, 'C-later');
      const from = first.paid_at!;
      const to = after(from, DAY);
      expect(await l.countOrdersPaidInRange({ from, to, status: PAID })).toBe(2);
      expect(await l.countOrdersPaidInRange({ from, to, status: ['paid_after_close'] })).toBe(0);
      expect(await l.countOrdersPaidInRange({ from: after(from, 1), to, status: PAID })).toBe(1); // [from, to): C1 is at from
      expect(await l.countOrdersPaidInRange({ from, to: after(from, 3 * DAY), status: PAID })).toBe(3);
      expect((await failure(l.countOrdersPaidInRange({ from: 'yesterday', to, status: PAID })))?.code).toBe(
        'ERR_INVALID_DATE',
      );
      expect((await failure(l.countOrdersPaidInRange({ from: to, to: from, status: PAID })))?.code).toBe(
        'ERR_INVALID_DATE',
      );
    });

    it('should list the refunds of a range: succeeded ones updated in it, open ones created in it, never failed ones or others', async () => {
      const l = await open();
      await paid(l, 'D1');
      const old = (
        await l.createRefund({ out_return_no: 'D-old', out_trade_no: 'D1', currency: 'USD', amount_minor: 10 })
      ).refund;
      options.advance?.(2 * DAY);
      const start = (
        await l.createRefund({ out_return_no: 'D-open', out_trade_no: 'D1', currency: 'USD', amount_minor: 20 })
      ).refund.created_at;
      await l.createRefund({ out_return_no: 'D-done', out_trade_no: 'D1', currency: 'USD', amount_minor: 30 });
      await l.applyRefundResult('D-done', { status: 'succeeded', source: 'notify' });
      await l.createRefund({ out_return_no: 'D-failed', out_trade_no: 'D1', currency: 'USD', amount_minor: 40 });
      await l.applyRefundResult('D-failed', { status: 'failed', source: 'notify' });
      const inRange = await l.listRefundsInRange({ from: start, to: after(start, DAY) });
      expect(inRange.map((r) => [r.out_return_no, r.status])).toEqual([
        ['D-open', 'requested'],
        ['D-done', 'succeeded'],
      ]);
      expect(inRange[0]).toEqual(await l.getRefund('D-open'));
      // The refund requested two days earlier is in no later range.
      expect(
        (await l.listRefundsInRange({ from: after(old.created_at, 1), to: after(start, DAY) })).map(
          (r) => r.out_return_no,
        ),
      ).not.toContain('D-old');
      expect(
        (await l.listRefundsInRange({ from: old.created_at, to: after(old.created_at, 1) })).map(
          (r) => r.out_return_no,
        ),
      ).toEqual(['D-old']);
    });
  });
}
