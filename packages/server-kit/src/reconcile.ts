/**
 * Reconciliation (protocol §8, §9): download the transaction and settlement files for a date
 * range, match every row against the ledger, and resolve open refunds the file proves executed
 * (§6.8). The matching rules are in `reconcile/payments.ts`, `reconcile/refunds.ts` and
 * `reconcile/settlement.ts`; the report's shape in `reconcile/report.ts`.
 *
 * @module
 */
import { AlipayValidationError, normalizeBeijingDate } from '@alipay-kit/core';
import type { GatewayClient } from './client/create-gateway-client.js';
import { PAID_ORDER_STATES, type Ledger } from './ledger/types.js';
import { _paymentMismatches } from './reconcile/payments.js';
import { _judgeRefundRow, _refundsMissingInFile } from './reconcile/refunds.js';
import type { ReconcileReport } from './reconcile/report.js';
import { _settlementTotals } from './reconcile/settlement.js';

export type { ReconcileMismatch, ReconcileReport, RefundReconciliation, SettlementTotal } from './reconcile/report.js';

/** Options of {@link reconcile}. */
export interface ReconcileOptions {
  client: GatewayClient;
  ledger: Ledger;
  /** `YYYYMMDD` or `YYYY-MM-DD`, Beijing date. */
  startDate: string;
  endDate: string;
  /** Download progress in bytes, per file (from 0 again when a download is retried). */
  onProgress?: (p: { file: 'compare' | 'liquidation'; bytes: number }) => void;
  /**
   * Apply the compare file's refund rows to open (and `failed`) ledger refunds whose terms agree
   * (`applyRefundResult(…, { status: 'succeeded', source: 'compare_file' })`; listed in
   * `refunds.resolved`). Default true. With false the ledger is only read, and such refunds are
   * reported as `status` mismatches.
   */
  applyRefundRows?: boolean;
}

/** Beijing midnight of a YYYYMMDD date as an ISO instant. */
function beijingMidnight(ymd: string, plusDays = 0): string {
  const t = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8) + plusDays) - 8 * 3600_000;
  return new Date(t).toISOString();
}

function dates(options: ReconcileOptions): { start: string; end: string } {
  const start = normalizeBeijingDate(options.startDate);
  const end = normalizeBeijingDate(options.endDate);
  if (!start) throw new AlipayValidationError('ERR_INVALID_DATE', 'startDate must be a YYYYMMDD calendar date', { field: 'startDate' });
  if (!end) throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate must be a YYYYMMDD calendar date', { field: 'endDate' });
  if (end < start) throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate is before startDate', { field: 'endDate' });
  return { start, end };
}

/**
 * Reconcile a date range. Gateway and file errors reject (typed); an empty period is an empty
 * report.
 *
 * Re-runs: both files are downloaded whole (a cut download is retried from the start, like any
 * safe call) before the ledger is read or written, so a run that fails while downloading leaves
 * nothing behind and the next run gives the report an uninterrupted run gives. Refund rows are
 * applied last, one idempotent `applyRefundResult` each; should the ledger fail among them, a
 * re-run finds the refunds already applied `succeeded` and lists them under `refunds.matched`
 * instead of `refunds.resolved`. Each applied refund leaves a `refunded` hook event in the
 * ledger's outbox, which the router's `drainHooks` runs.
 *
 * @example
 * ```ts
 * const report = await reconcile({ client, ledger, startDate: '2026-03-01', endDate: '2026-03-07' })
 * if (report.mismatches.length || report.missingInLedger.length) alertFinance(report)
 * if (report.latePayments.length) reviewLatePayments(report.latePayments)
 * ```
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { client, ledger } = options;
  const { start, end } = dates(options);
  const range = { start_date: start, end_date: end };
  const compare = await client.compareFile(range, { onProgress: (p) => options.onProgress?.({ file: 'compare', bytes: p.bytes }) });
  const liquidation = await client.liquidationFile(range, { onProgress: (p) => options.onProgress?.({ file: 'liquidation', bytes: p.bytes }) });

  const report: ReconcileReport = {
    start_date: start,
    end_date: end,
    matched: [],
    missingInLedger: [],
    missingInFile: [],
    latePayments: [],
    mismatches: [],
    refunds: { matched: [], resolved: [], missingInLedger: [], missingInFile: [] },
    settlement: _settlementTotals(liquidation.rows),
    counts: { fileRows: compare.rows.length, settlementRows: liquidation.rows.length },
  };
  const applyRows = options.applyRefundRows ?? true;
  const seenPayments = new Set<string>();
  const seenRefunds = new Set<string>();
  const toResolve = new Set<string>();
  for (const row of compare.rows) {
    const id = row.partner_transaction_id;
    if (row.type === 'R') {
      seenRefunds.add(id);
      const refund = await ledger.getRefund(id);
      if (!refund) {
        report.refunds.missingInLedger.push(row);
        continue;
      }
      const verdict = _judgeRefundRow(row, refund, await ledger.getOrder(refund.out_trade_no), applyRows);
      report.mismatches.push(...verdict.mismatches);
      if (verdict.outcome === 'matched') report.refunds.matched.push(id);
      if (verdict.outcome === 'resolve') toResolve.add(id);
      continue;
    }
    seenPayments.add(id);
    const order = await ledger.getOrder(id);
    if (!order) {
      report.missingInLedger.push(row);
      continue;
    }
    const mismatches = _paymentMismatches(row, order);
    report.mismatches.push(...mismatches);
    if (mismatches.length === 0) report.matched.push(id);
  }

  const from = beijingMidnight(start);
  const to = beijingMidnight(end, 1);
  for (const o of await ledger.listOrders({ paidFrom: from, paidTo: to, status: PAID_ORDER_STATES })) {
    if (!seenPayments.has(o.out_trade_no)) report.missingInFile.push(o);
    if (o.status === 'paid_after_close') report.latePayments.push(o);
  }
  report.refunds.missingInFile = _refundsMissingInFile(await ledger.listRefunds(), seenRefunds, from, to);

  // Last: the only writes. The gateway executed these refunds (its file is the truth).
  for (const id of toResolve) {
    const { refund } = await ledger.applyRefundResult(id, { status: 'succeeded', source: 'compare_file' });
    if (refund.status === 'succeeded') report.refunds.resolved.push(id);
  }
  return report;
}
