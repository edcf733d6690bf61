/**
 * Totals of the liquidation (settlement) file per currency (protocol §8, §9.3), accumulated row
 * by row so that a streamed download never holds the file.
 *
 * @module
 */
import { formatGatewayAmount } from '@alipay-kit/core';
import type { TransactionRow } from '../client/files.js';
import type { SettlementTotal } from './report.js';

type Acc = { rows: number; p: number; r: number; f: number; net: number; hasNet: boolean };

/**
 * Running settlement totals: `add` each row, `totals()` at the end. The type column gives the
 * direction: an amount printed negative counts the same. `net` is the sum of the `Settlement`
 * column when every row of the currency has one, else payments − refunds − fees.
 *
 * @example
 * ```ts
 * const acc = new _SettlementAccumulator()
 * for (const row of batch) acc.add(row)
 * acc.totals().USD // { rows: 2, payments: '10.00', refunds: '4.00', fees: '0.10', net: '5.90' }
 * ```
 */
export class _SettlementAccumulator {
  private acc: Record<string, Acc> = {};
  rows = 0;

  /** Forget every row added (a download retried from its start). */
  reset(): void {
    this.acc = {};
    this.rows = 0;
  }

  add(row: TransactionRow): void {
    this.rows++;
    const a = (this.acc[row.currency] ??= { rows: 0, p: 0, r: 0, f: 0, net: 0, hasNet: true });
    a.rows++;
    const amount = Math.abs(row.minor.amount);
    if (row.type === 'R') a.r += amount;
    else a.p += amount;
    a.f += row.minor.fee ?? 0;
    const s = row.minor.settlement;
    if (s === undefined) a.hasNet = false;
    else a.net += row.type === 'R' ? -Math.abs(s) : Math.abs(s);
  }

  totals(): Record<string, SettlementTotal> {
    const out: Record<string, SettlementTotal> = {};
    for (const [c, a] of Object.entries(this.acc)) {
      const fmt = (n: number) => (n < 0 ? '-' + formatGatewayAmount(-n, c) : formatGatewayAmount(n, c));
      out[c] = {
        rows: a.rows,
        payments: fmt(a.p),
        refunds: fmt(a.r),
        fees: fmt(a.f),
        net: fmt(a.hasNet ? a.net : a.p - a.r - a.f),
      };
    }
    return out;
  }
}

/**
 * Sum the settlement rows per currency (see {@link _SettlementAccumulator}).
 *
 * @example
 * ```ts
 * _settlementTotals(liquidation.rows).USD // { rows: 2, payments: '10.00', refunds: '4.00', fees: '0.10', net: '5.90' }
 * ```
 */
export function _settlementTotals(rows: readonly TransactionRow[]): Record<string, SettlementTotal> {
  const acc = new _SettlementAccumulator();
  for (const row of rows) acc.add(row);
  return acc.totals();
}
