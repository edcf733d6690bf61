/**
 * The control API as the gateway's truth (issue 12): a merchant ledger built only from what the
 * gateway answered is reconciled against `control.snapshot()` while `refundSystemError` fires
 * on about half of the refunds, executed or not.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTNER_A, paymentUrl, signMd5, startSandbox, xmlTag, type Running } from './helpers.js';

let s: Running;
beforeEach(async () => {
  s = await startSandbox();
  // Deterministic rolls: a small LCG instead of Math.random.
  let x = 12345;
  vi.spyOn(Math, 'random').mockImplementation(() => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await s.close();
});

type LedgerRefund = { out_trade_no: string; cents: number; status: 'succeeded' | 'unknown' };

const refund = (outTradeNo: string, outReturnNo: string, amount: string) =>
  s.get(
    signMd5({
      _input_charset: 'UTF-8',
      service: 'forex_refund',
      partner: PARTNER_A,
      out_trade_no: outTradeNo,
      out_return_no: outReturnNo,
      currency: 'USD',
      return_amount: amount,
      gmt_return: '2026-11-25 12:00:00',
      is_sync: 'Y',
    }),
  );

describe('merchant ledger vs gateway truth under refundSystemError', () => {
  for (const applied of [true, false]) {
    it(`reconciles once every "unknown" refund is retried (refundSystemErrorApplied=${applied})`, async () => {
      const orders = Array.from({ length: 8 }, (_, i) => `INV-${i}`);
      for (const o of orders)
        await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: o, total_fee: '10.00' }));
      s.sandbox.control.setFaults(
        { service: 'forex_refund' },
        { refundSystemError: 0.5, refundSystemErrorApplied: applied },
      );
      const ledger = new Map<string, LedgerRefund>();
      for (const o of orders) {
        for (const [n, amount] of [
          ['a', '3.00'],
          ['b', '2.50'],
        ] as const) {
          const answer = (await refund(o, `${o}-${n}`, amount)).text;
          // T = done; SYSTEM_ERROR = "possibly done" (§6.3: reconcile later).
          ledger.set(`${o}-${n}`, {
            out_trade_no: o,
            cents: Math.round(Number(amount) * 100),
            status: xmlTag(answer, 'is_success') === 'T' ? 'succeeded' : 'unknown',
          });
        }
      }
      const unknown = [...ledger].filter(([, l]) => l.status === 'unknown');
      expect(unknown.length).toBeGreaterThan(0);
      expect(unknown.length).toBeLessThan(ledger.size);

      // Before reconciling: with Applied=true the gateway refunded more than the ledger believes.
      const before = s.sandbox.control.snapshot(PARTNER_A);
      const executedBefore = new Set(before.refunds.filter((r) => r.executed).map((r) => r.out_return_no));
      for (const [no, l] of ledger) if (l.status === 'succeeded') expect(executedBefore.has(no)).toBe(true);
      expect(
        before.refunds.every(
          (r) => r.sync_answer === (ledger.get(r.out_return_no)!.status === 'succeeded' ? 'T' : 'SYSTEM_ERROR'),
        ),
      ).toBe(true);
      expect(executedBefore.size).toBe(applied ? ledger.size : ledger.size - unknown.length);

      // Reconcile: retry each unknown refund with the same out_return_no, faults off.
      s.sandbox.control.clearFaults();
      for (const [no, l] of unknown) {
        const answer = (await refund(l.out_trade_no, no, (l.cents / 100).toFixed(2))).text;
        const code = xmlTag(answer, 'error');
        expect(code === undefined || code === 'REPEATED_REFUNDMENT_REQUEST', answer).toBe(true);
        expect(code === 'REPEATED_REFUNDMENT_REQUEST').toBe(applied);
        l.status = 'succeeded';
      }

      // After: the ledger and the gateway agree refund by refund and trade by trade.
      const after = s.sandbox.control.snapshot(PARTNER_A);
      expect(after.refunds.map((r) => r.out_return_no).sort()).toEqual([...ledger.keys()].sort());
      expect(after.refunds.every((r) => r.executed && r.refund_status === 'REFUND_SUCCESS')).toBe(true);
      for (const t of after.trades) {
        const cents = [...ledger.values()]
          .filter((l) => l.out_trade_no === t.out_trade_no)
          .reduce((sum, l) => sum + l.cents, 0);
        expect(t).toMatchObject({
          trade_status: 'TRADE_FINISHED',
          total_fee: '10.00',
          refunded_fee: (cents / 100).toFixed(2),
        });
        expect(Number(t.refunded_fee)).toBeLessThanOrEqual(Number(t.total_fee));
      }
    });
  }
});
