// Streaming reconciliation (issue 17): rows flow from a real HTTP download (node:http on port 0,
// legacy compare layout, protocol §8.4) through batched ledger lookups to the findings, over more
// than one batch; the ledger is read by range only (a refund outside the range is never loaded);
// the iterator, the callback and reconcile()'s report agree; the CSV/NDJSON export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '@alipay-kit/core/encoding';
import {
  createGatewayClient,
  createSqliteLedger,
  reconcile,
  reconcileDifferences,
  reconcileStream,
  writeReconcileDifferences,
  type GatewayClient,
  type Ledger,
  type ReconcileDifference,
} from '../src/index.js';
import { _reconcileEngine } from '../src/reconcile/stream.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { startServer, type TestServer } from './helpers/http-server.js';

const DAY = '20260301'; // [2026-02-28T16:00Z, 2026-03-01T16:00Z)
const IN_RANGE = Date.UTC(2026, 2, 1, 4);
const BEFORE_RANGE = Date.UTC(2026, 1, 20, 4);
const T = '20260301120000';
const N = 250;
const id = (i: number) => `S-${String(i).padStart(4, '0')}`;

// Payments S-0001 … S-0250 (S-0250 unknown to the ledger, S-0007 billed 10.01), one refund row.
const COMPARE = [
  ...Array.from({ length: N }, (_, i) => `${id(i + 1)}|${i === 6 ? '10.01' : '10.00'}|USD|${T}||P|0.10|P|`),
  `RF-IN|1.00|USD|${T}||R|0.00|P|`,
  '',
].join('\r\n');

const dir = mkdtempSync(join(tmpdir(), 'ak-rec-stream-'));
let srv: TestServer;
let files = 0;
beforeAll(async () => {
  srv = await startServer();
  srv.handle((req, res) => {
    const service = parseForm(req.body).params.service;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(service === 'forex_compare_file' ? COMPARE : 'File download failed:No balance account data in the period');
  });
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

let clock = IN_RANGE;
const opened: Ledger[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});

/** A SQLite file ledger: S-0001 … S-0249 and EXTRA paid in the range, refunds inside and outside it. */
async function seeded(): Promise<Ledger> {
  const l = createSqliteLedger({ file: join(dir, `l${files++}.db`), now: () => new Date(clock) });
  opened.push(l);
  clock = BEFORE_RANGE;
  await l.createOrder({ out_trade_no: 'OLD', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
  await l.markPaid('OLD', { trade_no: 'TOLD', source: 'test' });
  await l.createRefund({ out_return_no: 'RF-OLD', out_trade_no: 'OLD', currency: 'USD', amount_minor: 100 });
  await l.applyRefundResult('RF-OLD', { status: 'succeeded', source: 'notify' });
  clock = IN_RANGE;
  for (const oid of [...Array.from({ length: N - 1 }, (_, i) => id(i + 1)), 'EXTRA']) {
    await l.createOrder({ out_trade_no: oid, subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
    await l.markPaid(oid, { trade_no: `T${oid}`, source: 'test' });
  }
  await l.createRefund({ out_return_no: 'RF-IN', out_trade_no: 'S-0001', currency: 'USD', amount_minor: 100 });
  await l.applyRefundResult('RF-IN', { status: 'succeeded', source: 'notify' });
  await l.createRefund({ out_return_no: 'RF-MISSING', out_trade_no: 'S-0002', currency: 'USD', amount_minor: 100 });
  return l;
}

/** The ledger, recording the calls reconciliation makes and the refunds it is handed. */
function recorded(l: Ledger) {
  const calls: string[] = [];
  const batchSizes: number[] = [];
  const refundsLoaded = new Set<string>();
  const proxy = new Proxy(l, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        calls.push(String(prop));
        if (prop === 'checkPaymentRows' || prop === 'getOrderFactsByIds' || prop === 'getRefundsByIds')
          batchSizes.push((args[0] as unknown[]).length);
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (prop === 'listRefundsInRange' || prop === 'getRefundsByIds')
          for (const r of out as Array<{ out_return_no: string }>) refundsLoaded.add(r.out_return_no);
        return out;
      };
    },
  });
  return { ledger: proxy, calls, batchSizes, refundsLoaded };
}

/** The real client; `compareRows` collects how many rows each compare download handed back whole. */
function client(compareRows: number[] = []): GatewayClient {
  const c = createGatewayClient({
    gateway: srv.url,
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    timeoutMs: 5000,
  });
  return {
    ...c,
    compareFile: async (r, o) => {
      const res = await c.compareFile(r, o);
      compareRows.push(res.rows.length);
      return res;
    },
  } as GatewayClient;
}

const brief = (d: ReconcileDifference): string =>
  d.kind === 'mismatch'
    ? `mismatch ${d.mismatch.partner_transaction_id} ${d.mismatch.field}`
    : d.kind === 'missing_in_ledger'
      ? `missing_in_ledger ${d.row.partner_transaction_id}`
      : d.kind === 'refund_missing_in_file'
        ? `refund_missing_in_file ${d.refund.out_return_no}`
        : d.kind === 'refund_resolved'
          ? `refund_resolved ${d.out_return_no}`
          : `${d.kind} ${d.order.out_trade_no}`;

const EXPECTED = [
  'mismatch S-0007 amount',
  'missing_in_ledger S-0250',
  'missing_in_file EXTRA',
  'refund_missing_in_file RF-MISSING',
];

describe('reconcileStream (issue 17)', () => {
  it('should stream the rows through batched lookups and report each finding once, with a summary', async () => {
    const rec = recorded(await seeded());
    const compareRows: number[] = [];
    const found: ReconcileDifference[] = [];
    const summary = await reconcileStream({
      client: client(compareRows),
      ledger: rec.ledger,
      startDate: DAY,
      endDate: DAY,
      batchSize: 100,
      onDifference: (d) => void found.push(d),
    });
    expect(found.map(brief)).toEqual(EXPECTED);
    expect(compareRows).toEqual([0]); // the download handed every row over as it came, none collected
    expect(summary.counts).toMatchObject({
      fileRows: N + 1,
      matched: N - 2,
      refundsMatched: 1,
      mismatch: 1,
      missing_in_ledger: 1,
      missing_in_file: 1,
      refund_missing_in_file: 1,
      late_payment: 0,
      refund_resolved: 0,
    });
    // 251 rows in batches of 100: 100 P, 100 P, 50 P + 1 R (its refund, then its order).
    expect(rec.batchSizes.every((n) => n <= 100)).toBe(true);
    expect(rec.calls.filter((c) => c === 'checkPaymentRows')).toHaveLength(3);
    expect(rec.calls.filter((c) => c === 'getOrderFactsByIds')).toHaveLength(1);
    expect(summary.counts.lookups).toBe(5);
    // The ledger is read by id and by range only: no whole-table listing, no per-row lookups.
    expect(rec.calls).not.toContain('listRefunds');
    expect(rec.calls).not.toContain('getOrder');
    expect(rec.calls).toContain('listRefundsInRange');
    expect([...rec.refundsLoaded].sort()).toEqual(['RF-IN', 'RF-MISSING']); // RF-OLD (outside the range) never loaded
  });

  it('should list the paid orders of the range only when their count disagrees with the file', async () => {
    const rec = recorded(await seeded());
    await reconcileStream({ client: client(), ledger: rec.ledger, startDate: DAY, endDate: DAY, batchSize: 1000 });
    // EXTRA is paid and not in the file: the count disagrees, so the range is listed once.
    expect(rec.calls.filter((c) => c === 'listOrders')).toHaveLength(2); // missing_in_file, late payments
  });

  it('should hand the same findings through the async iterator, and the summary after it', async () => {
    const l = await seeded();
    const run = reconcileDifferences({ client: client(), ledger: l, startDate: DAY, endDate: DAY, batchSize: 64 });
    const seen: string[] = [];
    for await (const d of run) seen.push(brief(d));
    expect(seen).toEqual(EXPECTED);
    expect((await run.summary).counts.matched).toBe(N - 2);
  });

  it('should stop the run at its next finding when the reader breaks out', async () => {
    const l = await seeded();
    const run = reconcileDifferences({ client: client(), ledger: l, startDate: DAY, endDate: DAY });
    for await (const d of run) {
      expect(brief(d)).toBe(EXPECTED[0]);
      break;
    }
    await expect(run.summary).rejects.toThrow('reconciliation stopped');
  });

  it('should find what the file lacks from the fingerprints alone, reading the file once, when none collide', async () => {
    const l = await seeded();
    const compareRows: number[] = [];
    const found: string[] = [];
    await _reconcileEngine({ client: client(compareRows), ledger: l, startDate: DAY, endDate: DAY }, 100, {
      difference: (d) => void found.push(brief(d)),
    });
    expect(found).toEqual(EXPECTED);
    expect(compareRows).toHaveLength(1);
  });

  it('should stay exact when the fingerprints of paid orders collide, reading the file again for those orders only', async () => {
    // Every id of the range fingerprints alike except EXTRA's: the file's 248 paid-in-range ids
    // count as one, the count disagrees, and the 249 listed orders that share it are looked up
    // in the file a second time. EXTRA, alone on its fingerprint, is missing without that.
    const l = await seeded();
    const compareRows: number[] = [];
    const found: string[] = [];
    const summary = await _reconcileEngine(
      { client: client(compareRows), ledger: l, startDate: DAY, endDate: DAY },
      100,
      { difference: (d) => void found.push(brief(d)) },
      (oid) => (oid === 'EXTRA' ? [2, 2] : [1, 1]),
    );
    expect(found).toEqual(EXPECTED);
    expect(summary.counts).toMatchObject({ matched: N - 2, missing_in_file: 1 });
    expect(compareRows).toEqual([0, 0]); // two downloads, each streamed

    // The same collisions, and S-9999 paid in the range but not in the file: only the second read can tell.
    const l2 = await seeded();
    await l2.createOrder({ out_trade_no: 'S-9999', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
    await l2.markPaid('S-9999', { trade_no: 'TS-9999', source: 'test' });
    const found2: string[] = [];
    await _reconcileEngine(
      { client: client(), ledger: l2, startDate: DAY, endDate: DAY },
      100,
      { difference: (d) => void found2.push(brief(d)) },
      (oid) => (oid === 'EXTRA' ? [2, 2] : [1, 1]),
    );
    expect(found2.filter((f) => f.startsWith('missing_in_file')).sort()).toEqual([
      'missing_in_file EXTRA',
      'missing_in_file S-9999',
    ]);
  });

  it('should agree with reconcile() on the same ledger and file', async () => {
    const a = await seeded();
    const report = await reconcile({ client: client(), ledger: a, startDate: DAY, endDate: DAY });
    expect(report.matched).toHaveLength(N - 2);
    expect(report.mismatches.map((m) => m.partner_transaction_id)).toEqual(['S-0007']);
    expect(report.missingInLedger.map((r) => r.partner_transaction_id)).toEqual(['S-0250']);
    expect(report.missingInFile.map((o) => o.out_trade_no)).toEqual(['EXTRA']);
    expect(report.refunds.missingInFile.map((r) => r.out_return_no)).toEqual(['RF-MISSING']);
    expect(report.refunds.matched).toEqual(['RF-IN']);
    expect(report.counts).toEqual({ fileRows: N + 1, settlementRows: 0 });
  });
});

/** A writable that keeps what it is given, answering `false` (full) every other write to exercise drain. */
function sink() {
  let text = '';
  let n = 0;
  const w = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      n++;
      setImmediate(done);
    },
  });
  return { w, text: () => text, writes: () => n };
}

describe('writeReconcileDifferences (issue 17)', () => {
  const diffs: ReconcileDifference[] = [
    {
      kind: 'mismatch',
      mismatch: { partner_transaction_id: 'A,1', type: 'P', field: 'amount', file: '10.01', ledger: '10.00' },
    },
    { kind: 'refund_resolved', out_return_no: '=HYPERLINK("x")' },
  ];

  it('should write CSV with a header, quoting and formula-safe cells, waiting for drain', async () => {
    const s = sink();
    expect(await writeReconcileDifferences(diffs, s.w, 'csv')).toBe(2);
    await new Promise<void>((r) => s.w.end(r));
    expect(s.text()).toBe(
      'kind,id,type,field,file,ledger,out_trade_no,status,currency,amount,at\r\n' +
        'mismatch,"A,1",P,amount,10.01,10.00,,,,,\r\n' +
        `refund_resolved,"'=HYPERLINK(""x"")",R,,,,,succeeded,,,\r\n`,
    );
    expect(s.writes()).toBe(3);
  });

  it('should write NDJSON, one finding a line, from an async iterable or a whole report', async () => {
    const s = sink();
    async function* gen() {
      yield* diffs;
    }
    await writeReconcileDifferences(gen(), s.w, 'ndjson');
    await new Promise<void>((r) => s.w.end(r));
    expect(
      s
        .text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual(diffs);

    const l = await seeded();
    const report = await reconcile({ client: client(), ledger: l, startDate: DAY, endDate: DAY });
    const t = sink();
    expect(await writeReconcileDifferences(report, t.w, 'csv', { header: false })).toBe(4);
    await new Promise<void>((r) => t.w.end(r));
    expect(
      t
        .text()
        .split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(',').slice(0, 2).join(' ')),
    ).toEqual([
      'mismatch S-0007',
      'missing_in_ledger S-0250',
      'missing_in_file EXTRA',
      'refund_missing_in_file RF-MISSING',
    ]);
  });

  it('should refuse an unknown format', async () => {
    await expect(writeReconcileDifferences(diffs, sink().w, 'xml' as 'csv')).rejects.toThrow(TypeError);
  });
});
