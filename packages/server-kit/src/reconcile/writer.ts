/**
 * The finance export of reconciliation findings: CSV (RFC 4180, one header line) or NDJSON (one
 * JSON object a line), written to any stream with back-pressure, from a streamed run or from a
 * whole {@link ReconcileReport}.
 *
 * @module
 */
import type { ReconcileDifference } from './differences.js';
import type { ReconcileReport } from './report.js';

/** `csv` or `ndjson`. */
export type DifferenceFormat = 'csv' | 'ndjson';

/** What {@link writeReconcileDifferences} writes to: a Node writable (`fs.createWriteStream`, `process.stdout`, a response). */
export interface DifferenceSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** The CSV columns, in order. */
const COLUMNS = [
  'kind',
  'id',
  'type',
  'field',
  'file',
  'ledger',
  'out_trade_no',
  'status',
  'currency',
  'amount',
  'at',
] as const;
type Flat = Record<(typeof COLUMNS)[number], string>;

/** One finding as flat columns (every column present, empty when it does not apply). */
function flatten(d: ReconcileDifference): Flat {
  const f: Flat = {
    kind: d.kind,
    id: '',
    type: '',
    field: '',
    file: '',
    ledger: '',
    out_trade_no: '',
    status: '',
    currency: '',
    amount: '',
    at: '',
  };
  switch (d.kind) {
    case 'mismatch':
      return {
        ...f,
        id: d.mismatch.partner_transaction_id,
        type: d.mismatch.type,
        field: d.mismatch.field,
        file: d.mismatch.file,
        ledger: d.mismatch.ledger,
      };
    case 'missing_in_ledger':
      return {
        ...f,
        id: d.row.partner_transaction_id,
        type: d.row.type,
        status: d.row.status,
        currency: d.row.currency,
        amount: d.row.amount,
        out_trade_no: d.row.original_partner_transaction_id ?? '',
      };
    case 'missing_in_file':
    case 'late_payment':
      return {
        ...f,
        id: d.order.out_trade_no,
        type: 'P',
        out_trade_no: d.order.out_trade_no,
        status: d.order.status,
        currency: d.order.currency,
        amount: String(d.order.total_fee_minor ?? d.order.rmb_fee_minor ?? ''),
        at: d.order.paid_at ?? '',
      };
    case 'refund_missing_in_file':
      return {
        ...f,
        id: d.refund.out_return_no,
        type: 'R',
        out_trade_no: d.refund.out_trade_no,
        status: d.refund.status,
        currency: d.refund.currency,
        amount: String(d.refund.amount_minor),
        at: d.refund.updated_at,
      };
    case 'refund_resolved':
      return { ...f, id: d.out_return_no, type: 'R', status: 'succeeded' };
  }
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would run
 * as a formula (`=`, `+`, `@`, tab, or `-` not starting a number) gets a leading `'`.
 */
function cell(v: string): string {
  const safe = /^[=+@\t\r]/.test(v) || /^-(?![\d.])/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The findings of a whole report, in the report's order (rows in file order, then the ledger's).
 *
 * @example
 * ```ts
 * for (const d of reportDifferences(await reconcile(options))) console.log(d.kind)
 * ```
 */
export function* reportDifferences(report: ReconcileReport): Generator<ReconcileDifference> {
  for (const mismatch of report.mismatches) yield { kind: 'mismatch', mismatch };
  for (const row of report.missingInLedger) yield { kind: 'missing_in_ledger', row };
  for (const row of report.refunds.missingInLedger) yield { kind: 'missing_in_ledger', row };
  for (const order of report.missingInFile) yield { kind: 'missing_in_file', order };
  for (const order of report.latePayments) yield { kind: 'late_payment', order };
  for (const refund of report.refunds.missingInFile) yield { kind: 'refund_missing_in_file', refund };
  for (const out_return_no of report.refunds.resolved) yield { kind: 'refund_resolved', out_return_no };
}

/**
 * Write findings for finance as CSV (header `kind,id,type,field,file,ledger,out_trade_no,status,
 * currency,amount,at`; amounts of ledger records in minor units, of file rows as printed) or
 * NDJSON (the {@link ReconcileDifference} objects). `source`: a report, or any (async) iterable
 * of findings such as {@link reconcileDifferences}. Waits for `drain` when the stream is full;
 * resolves with the number of findings written. `header: false` leaves out the CSV header (to
 * append to a file).
 *
 * @example
 * ```ts
 * const out = fs.createWriteStream('reconcile-20260301.csv')
 * await writeReconcileDifferences(await reconcile(options), out, 'csv')
 * out.end()
 * ```
 */
export async function writeReconcileDifferences(
  source: ReconcileReport | Iterable<ReconcileDifference> | AsyncIterable<ReconcileDifference>,
  stream: DifferenceSink,
  format: DifferenceFormat,
  options: { header?: boolean } = {},
): Promise<number> {
  if (format !== 'csv' && format !== 'ndjson') throw new TypeError("format must be 'csv' or 'ndjson'");
  const items: Iterable<ReconcileDifference> | AsyncIterable<ReconcileDifference> =
    Symbol.iterator in Object(source) || Symbol.asyncIterator in Object(source)
      ? (source as Iterable<ReconcileDifference>)
      : reportDifferences(source as ReconcileReport);
  const put = async (text: string) => {
    if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', r));
  };
  if (format === 'csv' && options.header !== false) await put(COLUMNS.join(',') + '\r\n');
  let n = 0;
  for await (const d of items) {
    if (format === 'ndjson') await put(JSON.stringify(d) + '\n');
    else {
      const f = flatten(d);
      await put(COLUMNS.map((c) => cell(f[c])).join(',') + '\r\n');
    }
    n++;
  }
  return n;
}
