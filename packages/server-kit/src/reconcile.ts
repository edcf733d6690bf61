/**
 * Reconciliation (protocol §8, §9): download the transaction and settlement files for a date
 * range and match every row against the ledger.
 *
 * @module
 */
import { AlipayValidationError, formatGatewayAmount } from '@alipay-kit/core';
import type { GatewayClient } from './client/create-gateway-client.js';
import type { Ledger, OrderRecord, RefundRecord } from './ledger/types.js';
import type { TransactionRow } from './client/files.js';
import { _normalizeYmd } from './lib/gmt8.js';

/** A difference between a file row and the ledger. */
export interface ReconcileMismatch {
  partner_transaction_id: string;
  type: 'P' | 'R';
  field: 'amount' | 'currency' | 'status';
  file: string;
  ledger: string;
}

/** Settlement totals for one currency, decimal strings (two decimals, as Alipay prints them). */
export interface SettlementTotal {
  rows: number;
  payments: string;
  refunds: string;
  fees: string;
  /** payments − refunds − fees (or the sum of the `Settlement` column when the file has one). */
  net: string;
}

/** The reconciliation report. */
export interface ReconcileReport {
  start_date: string;
  end_date: string;
  /** Payment rows that match an order in every field. */
  matched: string[];
  /** File rows (payments and refunds) with no ledger counterpart. */
  missingInLedger: TransactionRow[];
  /** Paid orders (paid within the range, Beijing dates) absent from the file. */
  missingInFile: OrderRecord[];
  mismatches: ReconcileMismatch[];
  refunds: { matched: string[]; missingInLedger: TransactionRow[]; missingInFile: RefundRecord[] };
  /** From the liquidation (settlement) file. */
  settlement: Record<string, SettlementTotal>;
  counts: { fileRows: number; settlementRows: number };
}

/** Options of {@link reconcile}. */
export interface ReconcileOptions {
  client: GatewayClient;
  ledger: Ledger;
  /** `YYYYMMDD` or `YYYY-MM-DD`, Beijing date. */
  startDate: string;
  endDate: string;
  /** Download progress in bytes, per file. */
  onProgress?: (p: { file: 'compare' | 'liquidation'; bytes: number }) => void;
}

const PAID_STATES = ['paid', 'partially_refunded', 'refunded'] as const;

/** Beijing midnight of a YYYYMMDD date as an ISO instant. */
function beijingMidnight(ymd: string, plusDays = 0): string {
  const t = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8) + plusDays) - 8 * 3600_000;
  return new Date(t).toISOString();
}

/**
 * Reconcile a date range. Gateway and file errors reject (typed); an empty period is an empty
 * report.
 *
 * @example
 * ```ts
 * const report = await reconcile({ client, ledger, startDate: '2026-03-01', endDate: '2026-03-07' })
 * if (report.mismatches.length || report.missingInLedger.length) alertFinance(report)
 * ```
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { client, ledger } = options;
  const start = _normalizeYmd(options.startDate);
  const end = _normalizeYmd(options.endDate);
  if (!start) throw new AlipayValidationError('ERR_INVALID_DATE', 'startDate must be a YYYYMMDD calendar date', { field: 'startDate' });
  if (!end) throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate must be a YYYYMMDD calendar date', { field: 'endDate' });
  if (end < start) throw new AlipayValidationError('ERR_INVALID_DATE', 'endDate is before startDate', { field: 'endDate' });
  const range = { start_date: start, end_date: end };
  const compare = await client.compareFile(range, { onProgress: (p) => options.onProgress?.({ file: 'compare', bytes: p.bytes }) });
  const liquidation = await client.liquidationFile(range, { onProgress: (p) => options.onProgress?.({ file: 'liquidation', bytes: p.bytes }) });

  const report: ReconcileReport = {
    start_date: start,
    end_date: end,
    matched: [],
    missingInLedger: [],
    missingInFile: [],
    mismatches: [],
    refunds: { matched: [], missingInLedger: [], missingInFile: [] },
    settlement: {},
    counts: { fileRows: compare.rows.length, settlementRows: liquidation.rows.length },
  };
  const seenPayments = new Set<string>();
  const seenRefunds = new Set<string>();
  for (const row of compare.rows) {
    const id = row.partner_transaction_id;
    if (row.type === 'R') {
      seenRefunds.add(id);
      const refund = await ledger.getRefund(id);
      if (!refund) {
        report.refunds.missingInLedger.push(row);
        continue;
      }
      const before = report.mismatches.length;
      const order = await ledger.getOrder(refund.out_trade_no);
      if (order && row.currency !== order.currency) report.mismatches.push({ partner_transaction_id: id, type: 'R', field: 'currency', file: row.currency, ledger: order.currency });
      // A CNY-requested refund appears in the file in the foreign currency: no amount to compare.
      if (refund.currency !== 'CNY' && row.minor.amount !== refund.amount_minor) {
        report.mismatches.push({ partner_transaction_id: id, type: 'R', field: 'amount', file: row.amount, ledger: formatGatewayAmount(refund.amount_minor, refund.currency) });
      }
      if (refund.status !== 'succeeded') report.mismatches.push({ partner_transaction_id: id, type: 'R', field: 'status', file: row.status, ledger: refund.status });
      if (report.mismatches.length === before) report.refunds.matched.push(id);
      continue;
    }
    seenPayments.add(id);
    const order = await ledger.getOrder(id);
    if (!order) {
      report.missingInLedger.push(row);
      continue;
    }
    const before = report.mismatches.length;
    if (row.currency !== order.currency) report.mismatches.push({ partner_transaction_id: id, type: 'P', field: 'currency', file: row.currency, ledger: order.currency });
    // Amounts compare in one currency only; a different currency is already a mismatch above.
    if (order.total_fee_minor !== null && row.currency === order.currency && row.minor.amount !== order.total_fee_minor) {
      report.mismatches.push({ partner_transaction_id: id, type: 'P', field: 'amount', file: row.amount, ledger: formatGatewayAmount(order.total_fee_minor, order.currency) });
    }
    if (!(PAID_STATES as readonly string[]).includes(order.status)) report.mismatches.push({ partner_transaction_id: id, type: 'P', field: 'status', file: row.status, ledger: order.status });
    if (report.mismatches.length === before) report.matched.push(id);
  }
  const from = beijingMidnight(start);
  const to = beijingMidnight(end, 1);
  for (const o of await ledger.listOrders({ paidFrom: from, paidTo: to, status: PAID_STATES })) if (!seenPayments.has(o.out_trade_no)) report.missingInFile.push(o);
  for (const r of await ledger.listRefunds()) {
    if (r.status === 'succeeded' && r.updated_at >= from && r.updated_at < to && !seenRefunds.has(r.out_return_no)) report.refunds.missingInFile.push(r);
  }

  const acc: Record<string, { rows: number; p: number; r: number; f: number; net: number; hasNet: boolean }> = {};
  for (const row of liquidation.rows) {
    const c = row.currency;
    const a = (acc[c] ??= { rows: 0, p: 0, r: 0, f: 0, net: 0, hasNet: true });
    a.rows++;
    // The type column gives the direction; an amount printed negative counts the same.
    const amt = Math.abs(row.minor.amount);
    if (row.type === 'R') a.r += amt;
    else a.p += amt;
    a.f += row.minor.fee ?? 0;
    const s = row.minor.settlement;
    if (s === undefined) a.hasNet = false;
    else a.net += row.type === 'R' ? -Math.abs(s) : Math.abs(s);
  }
  for (const [c, a] of Object.entries(acc)) {
    const net = a.hasNet ? a.net : a.p - a.r - a.f;
    const fmt = (n: number) => (n < 0 ? '-' + formatGatewayAmount(-n, c) : formatGatewayAmount(n, c));
    report.settlement[c] = { rows: a.rows, payments: fmt(a.p), refunds: fmt(a.r), fees: fmt(a.f), net: fmt(net) };
  }
  return report;
}
