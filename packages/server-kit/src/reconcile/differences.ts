/**
 * What a streamed reconciliation hands out: one {@link ReconcileDifference} per finding (in file
 * order for row findings, then the ledger's), and a {@link ReconcileSummary} with the counts at
 * the end.
 *
 * @module
 */
import type { TransactionRow } from '../client/files.js';
import type { OrderRecord, RefundRecord } from '../ledger/types.js';
import type { ReconcileMismatch, SettlementTotal } from './report.js';

/**
 * One finding of a streamed reconciliation:
 * - `mismatch`: a payment or refund row disagrees with the ledger;
 * - `missing_in_ledger`: a row (payment `P` or refund `R`, see `row.type`) with no ledger record;
 * - `missing_in_file`: an order paid in the range that the file does not show;
 * - `late_payment`: an order `paid_after_close` paid in the range (for finance to decide);
 * - `refund_missing_in_file`: a ledger refund the range should show but the file does not;
 * - `refund_resolved`: an open or `failed` refund this run applied as `succeeded` from its row.
 *
 * @example
 * ```ts
 * { kind: 'mismatch', mismatch: { partner_transaction_id: 'A1', type: 'P', field: 'amount', file: '301.00', ledger: '300.00' } }
 * ```
 */
export type ReconcileDifference =
  | { kind: 'mismatch'; mismatch: ReconcileMismatch }
  | { kind: 'missing_in_ledger'; row: TransactionRow }
  | { kind: 'missing_in_file'; order: OrderRecord }
  | { kind: 'late_payment'; order: OrderRecord }
  | { kind: 'refund_missing_in_file'; refund: RefundRecord }
  | { kind: 'refund_resolved'; out_return_no: string };

/**
 * The totals of a streamed reconciliation (the differences themselves went to `onDifference`).
 *
 * @example
 * ```ts
 * { startDate: '20260301', endDate: '20260301', counts: { fileRows: 100000, matched: 99998, … }, settlement: { USD: { … } } }
 * ```
 */
export interface ReconcileSummary {
  /** First reconciled day, Beijing time (`YYYYMMDD`). */
  startDate: string;
  /** Last reconciled day, Beijing time (`YYYYMMDD`). */
  endDate: string;
  counts: {
    /** Rows of the compare file. */
    fileRows: number;
    /** Rows of the liquidation file. */
    settlementRows: number;
    /** Payment rows matching a paid order in every field. */
    matched: number;
    /** Refund rows matching a `succeeded` refund in every field. */
    refundsMatched: number;
    /** Ledger lookups made (one per batch and kind): the batches the rows went through. */
    lookups: number;
  } & { [K in ReconcileDifference['kind']]: number };
  /** From the liquidation (settlement) file. */
  settlement: Record<string, SettlementTotal>;
}
