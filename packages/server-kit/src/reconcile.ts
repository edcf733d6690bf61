/**
 * Reconciliation (protocol §8, §9): download the transaction and settlement files for a date
 * range, match every row against the ledger, and resolve open refunds the file proves executed
 * (§6.8). Rows stream from the download through batched ledger lookups (`reconcile/stream.ts`);
 * the matching rules are in `reconcile/payments.ts`, `reconcile/refunds.ts` and
 * `reconcile/settlement.ts`; the report's shape in `reconcile/report.ts`; the finance export in
 * `reconcile/writer.ts`.
 *
 * @module
 */
import type { GatewayClient } from './client/create-gateway-client.js';
import type { Ledger } from './ledger/types.js';
import type { ReconcileDifference, ReconcileSummary } from './reconcile/differences.js';
import type { ReconcileReport } from './reconcile/report.js';
import { _DEFAULT_BATCH_SIZE, _reconcileEngine } from './reconcile/stream.js';

export type { ReconcileMismatch, ReconcileReport, RefundReconciliation, SettlementTotal } from './reconcile/report.js';
export type { ReconcileDifference, ReconcileSummary } from './reconcile/differences.js';
export {
  reportDifferences,
  writeReconcileDifferences,
  type DifferenceFormat,
  type DifferenceSink,
} from './reconcile/writer.js';

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

/** Options of {@link reconcileStream}. */
export interface ReconcileStreamOptions extends ReconcileOptions {
  /** Called for every finding, awaited (a slow consumer slows the run; memory stays flat). */
  onDifference?: (d: ReconcileDifference) => void | Promise<void>;
  /** Ids per ledger lookup, 1 to 10,000. Default 1,000. */
  batchSize?: number;
}

/**
 * Reconcile a date range. Gateway and file errors reject (typed); an empty period is an empty
 * report. The rows are streamed and looked up in the ledger by batches; the report itself lists
 * every matched id — for a very large range use {@link reconcileStream}, whose memory does not
 * grow with the number of matched rows.
 *
 * Re-runs: the ledger is only read until both files have been read whole (a cut download
 * rejects, like any download error), so a run that fails while downloading leaves nothing
 * behind and the next run gives the report an uninterrupted run gives. Refund rows are
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
  const matched: string[] = [];
  const refunds: ReconcileReport['refunds'] = { matched: [], resolved: [], missingInLedger: [], missingInFile: [] };
  const report = { matched, missingInLedger: [], missingInFile: [], latePayments: [], mismatches: [], refunds } as Omit<
    ReconcileReport,
    'startDate' | 'endDate' | 'settlement' | 'counts'
  >;
  const summary = await _reconcileEngine(options, _DEFAULT_BATCH_SIZE, {
    matched: (id) => matched.push(id),
    refundMatched: (id) => refunds.matched.push(id),
    restart: () => {
      matched.length = 0;
      refunds.matched.length = 0;
    },
    difference: (d) => {
      if (d.kind === 'mismatch') report.mismatches.push(d.mismatch);
      else if (d.kind === 'missing_in_ledger')
        (d.row.type === 'R' ? refunds.missingInLedger : report.missingInLedger).push(d.row);
      else if (d.kind === 'missing_in_file') report.missingInFile.push(d.order);
      else if (d.kind === 'late_payment') report.latePayments.push(d.order);
      else if (d.kind === 'refund_missing_in_file') refunds.missingInFile.push(d.refund);
      else refunds.resolved.push(d.out_return_no);
    },
  });
  return {
    startDate: summary.startDate,
    endDate: summary.endDate,
    ...report,
    settlement: summary.settlement,
    counts: { fileRows: summary.counts.fileRows, settlementRows: summary.counts.settlementRows },
  };
}

/**
 * Reconcile a date range without holding the file or the matched rows: every finding goes to
 * `onDifference` as it is made (awaited), and the result is a {@link ReconcileSummary} of counts
 * and settlement totals. Memory is one batch of rows (`batchSize`) plus what the callback keeps
 * plus an 8-byte fingerprint of each paid payment seen in the file and the ids of its refunds
 * (about 30 MB of growth at a million rows, bench P6). Same rules, same writes and the same
 * re-run behaviour as {@link reconcile}.
 *
 * @example
 * ```ts
 * const out = fs.createWriteStream('differences.csv')
 * const summary = await reconcileStream({
 *   client, ledger, startDate: '20260301', endDate: '20260310',
 *   onDifference: (d) => writeReconcileDifferences([d], out, 'csv', { header: false }),
 * })
 * console.log(`${summary.counts.matched} of ${summary.counts.fileRows} rows matched`)
 * ```
 */
export function reconcileStream(options: ReconcileStreamOptions): Promise<ReconcileSummary> {
  const onDifference = options.onDifference;
  return _reconcileEngine(options, options.batchSize ?? _DEFAULT_BATCH_SIZE, { difference: (d) => onDifference?.(d) });
}

/**
 * The findings of a reconciliation as an async iterator (the run advances as you read: at most
 * one finding waits), and its summary once the iterator is done. Breaking out of the loop stops
 * the run at its next finding (`summary` then rejects with `Error('reconciliation stopped')`; nothing is written to the ledger after that point).
 *
 * @example
 * ```ts
 * const run = reconcileDifferences({ client, ledger, startDate: '20260301', endDate: '20260301' })
 * for await (const d of run) if (d.kind !== 'late_payment') alertFinance(d)
 * const summary = await run.summary
 * ```
 */
export function reconcileDifferences(
  options: Omit<ReconcileStreamOptions, 'onDifference'>,
): AsyncIterable<ReconcileDifference> & { summary: Promise<ReconcileSummary> } {
  // A one-slot channel: the engine waits in `difference` until the reader took the last one.
  let slot: { d: ReconcileDifference; taken: () => void; refuse: (e: Error) => void } | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;
  let finished = false;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const summary = _reconcileEngine(options, options.batchSize ?? _DEFAULT_BATCH_SIZE, {
    difference: (d) =>
      new Promise<void>((resolve, reject) => {
        if (stopped) return reject(new Error('reconciliation stopped'));
        slot = { d, taken: resolve, refuse: reject };
        notify();
      }),
  }).finally(() => {
    finished = true;
    notify();
  });
  summary.catch(() => {}); // surfaced by the iterator or by `summary`
  async function* iterate(): AsyncGenerator<ReconcileDifference> {
    try {
      for (;;) {
        if (slot) {
          const { d, taken } = slot;
          slot = undefined;
          taken();
          yield d;
          continue;
        }
        if (finished) {
          await summary; // rethrows a failed run
          return;
        }
        await new Promise<void>((r) => (wake = r));
      }
    } finally {
      if (!finished) {
        stopped = true;
        slot?.refuse(new Error('reconciliation stopped'));
        slot = undefined;
      }
    }
  }
  return { [Symbol.asyncIterator]: iterate, summary };
}
