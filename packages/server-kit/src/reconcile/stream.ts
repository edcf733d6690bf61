/**
 * The streaming reconciliation engine behind `reconcile()` and `reconcileStream()`. Rows flow
 * from the download (`onRows`, awaited: back-pressure) into batches of `batchSize`; each batch is
 * matched with one ledger call per kind (`checkPaymentRows`, `getRefundsByIds`, and one for the
 * orders of its refunds). The ledger side is read through range queries only (orders paid in the
 * range: counted, listed only when the count disagrees with the file; refunds of the range;
 * late payments), never a whole table. Memory: one batch, the row findings until the compare file
 * has been read whole (a cut download is retried from its start), the differences the caller
 * keeps, a 64-bit fingerprint of each of the file's paid-in-range payments (8 bytes, no string:
 * see `id-fingerprints.ts` and `missing-in-file.ts` for why that stays exact) and the ids of its
 * refunds (to find what the file lacks).
 *
 * Writes come last, after both files were read whole: a run cut while downloading leaves
 * nothing behind (see `reconcile()` on re-runs).
 *
 * @module
 */
import type { TransactionRow } from '../client/files.js';
import { PAID_ORDER_STATES, type OrderFacts, type PaymentRowQuery, type RefundRecord } from '../ledger/types.js';
import type { ReconcileOptions } from '../reconcile.js';
import type { ReconcileDifference, ReconcileSummary } from './differences.js';
import { _FingerprintSet, type _FingerprintFn } from './id-fingerprints.js';
import { _ordersMissingInFile, type _RereadPayments } from './missing-in-file.js';
import { _isPaid, _paymentMismatches } from './payments.js';
import { _reconcileRange } from './range.js';
import { _judgeRefundRow, _refundsMissingInFile } from './refunds.js';
import { _SettlementAccumulator } from './settlement.js';

/** Default ids per ledger lookup. */
export const _DEFAULT_BATCH_SIZE = 1000;

/** Where the engine sends what it finds. `difference` is awaited (a slow consumer slows the run, memory stays flat). */
export interface _ReconcileSink {
  difference(d: ReconcileDifference): void | Promise<void>;
  matched?(partner_transaction_id: string): void;
  refundMatched?(out_return_no: string): void;
  /** The compare download was cut and is retried from its start: forget what `matched`/`refundMatched` reported. */
  restart?(): void;
}

/** A copy of `id` that does not keep its row's text alive (V8 may slice long strings out of a bigger one). */
const own = (id: string): string => (id.length < 13 ? id : (' ' + id).slice(1));

/**
 * Run a reconciliation, streaming: see the module doc.
 *
 * @example
 * ```ts
 * const summary = await _reconcileEngine(options, 1000, { difference: (d) => out.push(d) })
 * ```
 */
export async function _reconcileEngine(
  options: ReconcileOptions,
  batchSize: number,
  sink: _ReconcileSink,
  fingerprint?: _FingerprintFn,
): Promise<ReconcileSummary> {
  const { client, ledger } = options;
  const { start, end, from, to } = _reconcileRange(options.startDate, options.endDate);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new RangeError('batchSize must be an integer from 1 to 10000');
  const range = { start_date: start, end_date: end };
  const applyRows = options.applyRefundRows ?? true;
  const counts: ReconcileSummary['counts'] = {
    fileRows: 0,
    settlementRows: 0,
    matched: 0,
    refundsMatched: 0,
    lookups: 0,
    mismatch: 0,
    missing_in_ledger: 0,
    missing_in_file: 0,
    late_payment: 0,
    refund_missing_in_file: 0,
    refund_resolved: 0,
  };
  // Row findings wait here until the compare file has been read whole: a download cut and
  // retried from its start (onRestart) drops them, so the caller never sees a finding twice.
  let rowFindings: ReconcileDifference[] | undefined = [];
  const emit = async (d: ReconcileDifference) => {
    counts[d.kind]++;
    if (rowFindings) rowFindings.push(d);
    else await sink.difference(d);
  };
  let seenPaidInRange = new _FingerprintSet(fingerprint);
  let seenRefunds = new Set<string>();
  let toResolve = new Set<string>();

  /**
   * What the ledger says of a batch (at most three queries): the payment rows that do not
   * certainly agree, by position among the batch's payment rows, with their order's facts (null:
   * no such order); its refunds and their orders.
   */
  async function lookup(rows: TransactionRow[]): Promise<{
    doubts: Map<number, OrderFacts | null>;
    orders: Map<string, OrderFacts>;
    refunds: Map<string, RefundRecord>;
  }> {
    const payments: PaymentRowQuery[] = [];
    const rIds: string[] = [];
    for (const row of rows) {
      if (row.type === 'R') rIds.push(row.partner_transaction_id);
      else
        payments.push({
          out_trade_no: row.partner_transaction_id,
          currency: row.currency,
          amount_minor: row.minor.amount,
        });
    }
    const doubts = new Map<number, OrderFacts | null>();
    const orders = new Map<string, OrderFacts>();
    const refunds = new Map<string, RefundRecord>();
    if (payments.length) {
      counts.lookups++;
      for (const c of await ledger.checkPaymentRows(payments, { from, to })) doubts.set(c.index, c.order);
    }
    if (rIds.length) {
      counts.lookups++;
      for (const r of await ledger.getRefundsByIds(rIds)) refunds.set(r.out_return_no, r);
      const more = [...new Set([...refunds.values()].map((r) => r.out_trade_no))];
      if (more.length) {
        counts.lookups++;
        for (const o of await ledger.getOrderFactsByIds(more)) orders.set(o.out_trade_no, o);
      }
    }
    return { doubts, orders, refunds };
  }

  /** Judge a batch's rows in file order against what {@link lookup} found. */
  async function match(
    rows: TransactionRow[],
    { doubts, orders, refunds }: Awaited<ReturnType<typeof lookup>>,
  ): Promise<void> {
    let payment = -1;
    for (const row of rows) {
      const id = row.partner_transaction_id;
      if (row.type === 'R') {
        seenRefunds.add(own(id));
        const refund = refunds.get(id);
        if (!refund) {
          await emit({ kind: 'missing_in_ledger', row });
          continue;
        }
        const verdict = _judgeRefundRow(row, refund, orders.get(refund.out_trade_no), applyRows);
        for (const m of verdict.mismatches) await emit({ kind: 'mismatch', mismatch: m });
        if (verdict.outcome === 'matched') (counts.refundsMatched++, sink.refundMatched?.(id));
        if (verdict.outcome === 'resolve') toResolve.add(own(id));
        continue;
      }
      payment++;
      if (!doubts.has(payment)) {
        // The ledger found it agreeing and paid in the range (Ledger.checkPaymentRows).
        counts.matched++;
        sink.matched?.(id);
        seenPaidInRange.add(id);
        continue;
      }
      const order = doubts.get(payment);
      if (!order) {
        await emit({ kind: 'missing_in_ledger', row });
        continue;
      }
      const mismatches = _paymentMismatches(row, order);
      for (const m of mismatches) await emit({ kind: 'mismatch', mismatch: m });
      if (mismatches.length === 0) (counts.matched++, sink.matched?.(id));
      if (_isPaid(order.status) && order.paid_at !== null && order.paid_at >= from && order.paid_at < to)
        seenPaidInRange.add(id);
    }
  }

  // One batch's lookup runs while the next batch is parsed (a PostgreSQL round trip overlaps the
  // download); batches are matched in file order, at most two held at once.
  let pending: TransactionRow[] = [];
  let inflight: Array<{ rows: TransactionRow[]; found: ReturnType<typeof lookup> }> = [];
  const settleOldest = async () => {
    const next = inflight.shift()!;
    await match(next.rows, await next.found);
  };
  const flush = async (all = false) => {
    if (pending.length) {
      const rows = pending;
      pending = [];
      const found = lookup(rows);
      found.catch(() => {}); // awaited in settleOldest
      inflight.push({ rows, found });
    }
    while (inflight.length > (all ? 0 : 1)) await settleOldest();
  };
  const take = async (rows: TransactionRow[]) => {
    for (const row of rows) {
      counts.fileRows++;
      pending.push(row);
      if (pending.length >= batchSize) await flush();
    }
  };
  const restart = () => {
    for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] = 0;
    rowFindings = [];
    seenPaidInRange = new _FingerprintSet(fingerprint);
    seenRefunds = new Set();
    toResolve = new Set();
    pending = [];
    inflight = [];
    sink.restart?.();
  };
  const compare = await client.compareFile(range, {
    onProgress: (p) => options.onProgress?.({ file: 'compare', bytes: p.bytes }),
    onRows: take,
    onRestart: restart,
  });
  await take(compare.rows); // a client that does not stream hands the rows back instead
  await flush(true);
  const found = rowFindings;
  rowFindings = undefined;
  for (const d of found) await sink.difference(d);

  const settlement = new _SettlementAccumulator();
  const settle = (rows: TransactionRow[]) => {
    for (const row of rows) settlement.add(row);
  };
  const liquidation = await client.liquidationFile(range, {
    onProgress: (p) => options.onProgress?.({ file: 'liquidation', bytes: p.bytes }),
    onRows: settle,
    onRestart: () => settlement.reset(),
  });
  settle(liquidation.rows);
  counts.settlementRows = settlement.rows;

  // The ledger side, bounded by the range. Every paid order of the range in the file: nothing to list.
  const paidInRange = await ledger.countOrdersPaidInRange({ from, to, status: PAID_ORDER_STATES });
  if (paidInRange !== seenPaidInRange.size) {
    const listed = await ledger.listOrders({ paidFrom: from, paidTo: to, status: PAID_ORDER_STATES });
    const reread: _RereadPayments = async (ids) => {
      const found = new Set<string>();
      const look = (rows: TransactionRow[]) => {
        for (const row of rows)
          if (row.type !== 'R' && ids.has(row.partner_transaction_id)) found.add(row.partner_transaction_id);
      };
      look((await client.compareFile(range, { onRows: look, onRestart: () => found.clear() })).rows);
      return found;
    };
    for (const o of await _ordersMissingInFile(listed, seenPaidInRange, reread))
      await emit({ kind: 'missing_in_file', order: o });
  }
  for (const o of await ledger.listOrders({ paidFrom: from, paidTo: to, status: ['paid_after_close'] }))
    await emit({ kind: 'late_payment', order: o });
  for (const r of _refundsMissingInFile(await ledger.listRefundsInRange({ from, to }), seenRefunds, from, to))
    await emit({ kind: 'refund_missing_in_file', refund: r });

  // Last: the only writes. The gateway executed these refunds (its file is the truth).
  for (const id of toResolve) {
    const { refund } = await ledger.applyRefundResult(id, { status: 'succeeded', source: 'compare_file' });
    if (refund.status === 'succeeded') await emit({ kind: 'refund_resolved', out_return_no: id });
  }
  return { startDate: start, endDate: end, counts, settlement: settlement.totals() };
}
