/**
 * The reconciliation report's shape (protocol §8, §9): what {@link reconcile} returns.
 *
 * @module
 */
import type { TransactionRow } from '../client/files.js';
import type { OrderRecord, RefundRecord } from '../ledger/types.js';

/**
 * A difference between a file row and the ledger. `field`: `amount`, `currency`, `status` (the
 * ledger state disagrees with a row that says the transaction happened), or `out_trade_no`
 * (a refund row's `Original_partner_transaction_ID`, §6.8, names another order than the
 * ledger refund's).
 *
 * @example
 * ```ts
 * { partner_transaction_id: 'R-7', type: 'R', field: 'status', file: 'P', ledger: 'failed' }
 * ```
 */
export interface ReconcileMismatch {
  partner_transaction_id: string;
  type: 'P' | 'R';
  field: 'amount' | 'currency' | 'status' | 'out_trade_no';
  file: string;
  ledger: string;
}

/**
 * Settlement totals for one currency, decimal strings (two decimals, as Alipay prints them).
 *
 * @example
 * ```ts
 * { rows: 2, payments: '10.00', refunds: '4.00', fees: '0.10', net: '5.90' }
 * ```
 */
export interface SettlementTotal {
  rows: number;
  payments: string;
  refunds: string;
  fees: string;
  /** payments − refunds − fees (or the sum of the `Settlement` column when the file has one). */
  net: string;
}

/** The refund part of a {@link ReconcileReport}: file `R` rows against ledger refunds, matched by `out_return_no`. */
export interface RefundReconciliation {
  /** Refunds the ledger already had `succeeded`, matching their row in every field. */
  matched: string[];
  /**
   * Refunds this run moved to `succeeded` from their file row (`applyRefundResult`, source
   * `compare_file`): open ones (`requested`, `accepted`, `possibly_done`) and `failed` ones
   * (those also appear in `mismatches` with `field: 'status'`). Only rows whose amount,
   * currency and order agree with the ledger. Empty with `applyRefundRows: false`.
   */
  resolved: string[];
  /** Refund rows with no ledger refund of that `out_return_no`. */
  missingInLedger: TransactionRow[];
  /**
   * Ledger refunds the file does not show although the ledger dates them inside the range:
   * `succeeded` ones whose result the ledger recorded in the range (`updated_at`), and open ones
   * requested in the range (`created_at`; not executed in the range, still unresolved). Open
   * refunds requested at or after the range end are never listed: the file cannot hold them yet.
   */
  missingInFile: RefundRecord[];
}

/**
 * The reconciliation report: a function of the two files and of the ledger as it was when the
 * files had been downloaded (see {@link reconcile} on re-runs).
 *
 * @example
 * ```ts
 * const r = await reconcile({ client, ledger, startDate: '20260301', endDate: '20260307' })
 * if (r.mismatches.length || r.missingInLedger.length || r.latePayments.length) alertFinance(r)
 * ```
 */
export interface ReconcileReport {
  /** First reconciled day, Beijing time (`YYYYMMDD`). */
  startDate: string;
  /** Last reconciled day, Beijing time (`YYYYMMDD`). */
  endDate: string;
  /** Payment rows that match a paid order (any of `PAID_ORDER_STATES`) in every field. */
  matched: string[];
  /** File rows (payments and refunds) with no ledger counterpart. */
  missingInLedger: TransactionRow[];
  /** Paid orders (paid within the range, Beijing dates) absent from the file. */
  missingInFile: OrderRecord[];
  /**
   * Orders in `paid_after_close` paid within the range: money taken for an order the ledger had
   * closed. They are also reconciled like any paid order (`matched`, `mismatches`,
   * `missingInFile`); this list is for finance to decide (ship, or refund).
   */
  latePayments: OrderRecord[];
  /** Payment and refund rows that disagree with the ledger, in file order. */
  mismatches: ReconcileMismatch[];
  refunds: RefundReconciliation;
  /** From the liquidation (settlement) file. */
  settlement: Record<string, SettlementTotal>;
  counts: { fileRows: number; settlementRows: number };
}
