// reconcile() and the ledger's newer states (issue 12): paid_after_close reconciled as paid and
// listed in latePayments; open refunds resolved by the compare file's R rows (§6.8), failed ones
// flagged and applied, applyRefundRows: false, and which refunds count as missing from the file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCompareFile, parseLiquidationFile } from '@alipay-kit/core';
import {
  createSqliteLedger,
  reconcile,
  type FileResult,
  type GatewayClient,
  type Ledger,
  type TransactionRow,
} from '../src/index.js';

const DAY = '20260301'; // Beijing; the range is [2026-02-28T16:00Z, 2026-03-01T16:00Z)
const IN_RANGE = Date.UTC(2026, 2, 1, 4); // 2026-03-01 12:00 Beijing
const AFTER_RANGE = Date.UTC(2026, 2, 1, 17); // 2026-03-02 01:00 Beijing
const BEFORE_RANGE = Date.UTC(2026, 1, 27, 4);
const T = '20260301120000';

let clock = IN_RANGE;
let ledger: Ledger;
beforeEach(() => {
  clock = IN_RANGE;
  ledger = createSqliteLedger({ file: ':memory:', now: () => new Date(clock) });
});
afterEach(() => ledger.close());

async function rows(parse: typeof parseCompareFile, text: string): Promise<FileResult<TransactionRow>> {
  const records = parse(new Response(text).body!);
  const out: TransactionRow[] = [];
  for await (const row of records) out.push(row);
  return { rows: out, bytes: Buffer.byteLength(text), noData: records.noData };
}

/** A client whose compare file is `lines` (legacy layout unless a header is given); no settlements. */
function files(...lines: string[]): GatewayClient {
  const compare = lines.join('\r\n') + '\r\n';
  return {
    compareFile: () => rows(parseCompareFile, compare),
    liquidationFile: () => rows(parseLiquidationFile, 'File download failed:No balance account data in the period'),
  } as Partial<GatewayClient> as GatewayClient;
}

async function paidOrder(id: string, minor: number, currency = 'USD'): Promise<void> {
  await ledger.createOrder({ out_trade_no: id, subject: 'Tea', currency, total_fee_minor: minor });
  await ledger.markPaid(id, { trade_no: `T${id}`, source: 'test' });
}

async function refund(
  id: string,
  order: string,
  minor: number,
  status: 'requested' | 'accepted' | 'possibly_done' | 'failed' | 'succeeded',
  currency = 'USD',
): Promise<void> {
  await ledger.createRefund({ out_return_no: id, out_trade_no: order, currency, amount_minor: minor });
  if (status === 'succeeded') await ledger.applyRefundResult(id, { status: 'succeeded', source: 'test' });
  else if (status !== 'requested')
    await ledger.setRefundRequestStatus(id, status, status === 'failed' ? 'RETURN_AMOUNT_EXCEED' : null);
}

const status = async (id: string) => (await ledger.getRefund(id))?.status;

describe('reconcile: late payments (paid_after_close)', () => {
  it('should match a paid_after_close order against its P row and list it in latePayments', async () => {
    await paidOrder('A1', 1000);
    await ledger.createOrder({ out_trade_no: 'LATE', subject: 'Tea', currency: 'USD', total_fee_minor: 500 });
    await ledger.markClosed('LATE', { source: 'sweeper' });
    expect((await ledger.markPaid('LATE', { trade_no: 'TL', source: 'notify' })).order.status).toBe('paid_after_close');
    await ledger.createOrder({ out_trade_no: 'LATE2', subject: 'Tea', currency: 'USD', total_fee_minor: 700 });
    await ledger.markClosed('LATE2', { source: 'sweeper' });
    await ledger.markPaid('LATE2', { trade_no: 'TL2', source: 'notify' }); // not in the file

    const r = await reconcile({
      client: files(`A1|10.00|USD|${T}||P|0.10|P|`, `LATE|5.00|USD|${T}||P|0.05|P|`),
      ledger,
      startDate: DAY,
      endDate: DAY,
    });
    expect(r.matched).toEqual(['A1', 'LATE']);
    expect(r.mismatches).toEqual([]);
    expect(r.latePayments.map((o) => [o.out_trade_no, o.status])).toEqual([
      ['LATE', 'paid_after_close'],
      ['LATE2', 'paid_after_close'],
    ]);
    expect(r.missingInFile.map((o) => o.out_trade_no)).toEqual(['LATE2']);
  });

  it('should leave out late payments paid outside the range', async () => {
    clock = AFTER_RANGE;
    await ledger.createOrder({ out_trade_no: 'LATE', subject: 'Tea', currency: 'USD', total_fee_minor: 500 });
    await ledger.markClosed('LATE', { source: 'sweeper' });
    await ledger.markPaid('LATE', { trade_no: 'TL', source: 'notify' });
    const r = await reconcile({ client: files(), ledger, startDate: DAY, endDate: DAY });
    expect(r.latePayments).toEqual([]);
  });
});

describe('reconcile: refund rows resolve open refunds (§6.8)', () => {
  it('should apply an open refund the file shows executed, for each open state, and list it in refunds.resolved', async () => {
    await paidOrder('A1', 1000);
    await refund('R-REQ', 'A1', 100, 'requested');
    await refund('R-ACC', 'A1', 200, 'accepted');
    await refund('R-PD', 'A1', 300, 'possibly_done');
    await refund('R-OK', 'A1', 50, 'succeeded');
    const client = files(
      `A1|10.00|USD|${T}||P|0.10|P|`,
      `R-REQ|1.00|USD|${T}||R|0.00|P|`,
      `R-ACC|-2.00|USD|${T}||R|0.00|P|`,
      `R-PD|3.00|USD|${T}||R|0.00|L|`,
      `R-OK|0.50|USD|${T}||R|0.00|P|`,
    );
    const r = await reconcile({ client, ledger, startDate: DAY, endDate: DAY });
    expect(r.refunds.resolved).toEqual(['R-REQ', 'R-ACC', 'R-PD']); // a refund printed negative counts the same
    expect(r.refunds.matched).toEqual(['R-OK']);
    expect(r.mismatches).toEqual([]);
    expect(r.refunds.missingInFile).toEqual([]);
    for (const id of ['R-REQ', 'R-ACC', 'R-PD']) expect(await status(id)).toBe('succeeded');
    const order = await ledger.getOrder('A1');
    expect([order?.status, order?.refunded_minor]).toEqual(['partially_refunded', 650]);
    expect((await ledger.history('A1')).filter((h) => h.source === 'compare_file')).toHaveLength(3);

    // Run again: nothing left to resolve, everything matches.
    const again = await reconcile({ client, ledger, startDate: DAY, endDate: DAY });
    expect([again.refunds.resolved, again.refunds.matched]).toEqual([[], ['R-REQ', 'R-ACC', 'R-PD', 'R-OK']]);
  });

  it('should flag a failed refund the file shows executed as a status mismatch, and apply it (the gateway is the truth)', async () => {
    await paidOrder('A1', 1000);
    await refund('R-F', 'A1', 400, 'failed');
    const r = await reconcile({ client: files(`R-F|4.00|USD|${T}||R|0.00|P|`), ledger, startDate: DAY, endDate: DAY });
    expect(r.mismatches).toEqual([
      { partner_transaction_id: 'R-F', type: 'R', field: 'status', file: 'P', ledger: 'failed' },
    ]);
    expect(r.refunds.resolved).toEqual(['R-F']);
    expect(await status('R-F')).toBe('succeeded');
  });

  it('should not resolve a refund whose row differs in amount, currency or order', async () => {
    await paidOrder('A1', 1000);
    await paidOrder('A2', 1000);
    await refund('R-AMT', 'A1', 100, 'possibly_done');
    await refund('R-CUR', 'A1', 100, 'possibly_done');
    await refund('R-ORD', 'A2', 100, 'possibly_done');
    const client = files(
      'Partner_transaction_id|Amount|Currency|Payment_time|Settlement_time|Type|Fee|Status|Remarks|Original_partner_transaction_ID',
      `R-AMT|1.10|USD|${T}||R|0.00|P||A1`,
      `R-CUR|1.00|HKD|${T}||R|0.00|P||A1`,
      `R-ORD|1.00|USD|${T}||R|0.00|P||A1`,
    );
    const r = await reconcile({ client, ledger, startDate: DAY, endDate: DAY });
    expect(r.refunds.resolved).toEqual([]);
    expect(r.mismatches).toEqual([
      { partner_transaction_id: 'R-AMT', type: 'R', field: 'amount', file: '1.10', ledger: '1.00' },
      { partner_transaction_id: 'R-AMT', type: 'R', field: 'status', file: 'P', ledger: 'possibly_done' },
      { partner_transaction_id: 'R-CUR', type: 'R', field: 'currency', file: 'HKD', ledger: 'USD' },
      { partner_transaction_id: 'R-CUR', type: 'R', field: 'status', file: 'P', ledger: 'possibly_done' },
      { partner_transaction_id: 'R-ORD', type: 'R', field: 'out_trade_no', file: 'A1', ledger: 'A2' },
      { partner_transaction_id: 'R-ORD', type: 'R', field: 'status', file: 'P', ledger: 'possibly_done' },
    ]);
    for (const id of ['R-AMT', 'R-CUR', 'R-ORD']) expect(await status(id)).toBe('possibly_done');
  });

  it('should resolve a CNY refund only from a layout with Rmb_amount (the legacy layout has no amount to check)', async () => {
    await ledger.createOrder({ out_trade_no: 'C1', subject: 'Tea', currency: 'JPY', rmb_fee_minor: 10_000 });
    await ledger.markPaid('C1', { trade_no: 'TC1', source: 'test' });
    await refund('R-CNY1', 'C1', 2000, 'possibly_done', 'CNY');
    await refund('R-CNY2', 'C1', 3000, 'possibly_done', 'CNY');
    const legacy = await reconcile({
      client: files(`R-CNY1|400|JPY|${T}||R|0|P|`),
      ledger,
      startDate: DAY,
      endDate: DAY,
      applyRefundRows: true,
    });
    expect(legacy.refunds.resolved).toEqual([]);
    expect(legacy.mismatches).toEqual([
      { partner_transaction_id: 'R-CNY1', type: 'R', field: 'status', file: 'P', ledger: 'possibly_done' },
    ]);

    const wide = files(
      'Partner_transaction_id|Amount|Rmb_amount|Currency|Payment_time|Settlement_time|Type|Fee|Status|Remarks',
      `R-CNY1|400|20.00|JPY|${T}||R|0|P|`,
      `R-CNY2|600|30.01|JPY|${T}||R|0|P|`,
    );
    const r = await reconcile({ client: wide, ledger, startDate: DAY, endDate: DAY });
    expect(r.refunds.resolved).toEqual(['R-CNY1']);
    expect(r.mismatches).toEqual([
      { partner_transaction_id: 'R-CNY2', type: 'R', field: 'amount', file: '30.01', ledger: '30.00' },
      { partner_transaction_id: 'R-CNY2', type: 'R', field: 'status', file: 'P', ledger: 'possibly_done' },
    ]);
  });

  it('should only read the ledger with applyRefundRows: false, reporting open refunds as status mismatches', async () => {
    await paidOrder('A1', 1000);
    await refund('R-PD', 'A1', 300, 'possibly_done');
    await refund('R-F', 'A1', 100, 'failed');
    const r = await reconcile({
      client: files(`R-PD|3.00|USD|${T}||R|0.00|P|`, `R-F|1.00|USD|${T}||R|0.00|P|`),
      ledger,
      startDate: DAY,
      endDate: DAY,
      applyRefundRows: false,
    });
    expect(r.refunds.resolved).toEqual([]);
    expect(r.mismatches.map((m) => [m.partner_transaction_id, m.field, m.ledger])).toEqual([
      ['R-PD', 'status', 'possibly_done'],
      ['R-F', 'status', 'failed'],
    ]);
    expect([await status('R-PD'), await status('R-F')]).toEqual(['possibly_done', 'failed']);
  });
});

describe('reconcile: refunds missing from the file', () => {
  it('should list succeeded refunds recorded in the range and open refunds requested in it, not younger or older open ones, nor failed ones', async () => {
    clock = BEFORE_RANGE;
    await paidOrder('A1', 10_000);
    await refund('OLD-OPEN', 'A1', 100, 'possibly_done'); // requested before the range: an earlier report's
    clock = IN_RANGE;
    await refund('OK', 'A1', 100, 'succeeded');
    await refund('OPEN', 'A1', 100, 'accepted');
    await refund('REQ', 'A1', 100, 'requested');
    await refund('FAILED', 'A1', 100, 'failed');
    await refund('IN-FILE', 'A1', 100, 'possibly_done');
    clock = AFTER_RANGE;
    await refund('YOUNG', 'A1', 100, 'possibly_done'); // after the range end: the file cannot hold it
    await refund('OK-LATER', 'A1', 100, 'succeeded'); // result recorded after the range
    const r = await reconcile({
      client: files(`IN-FILE|1.00|USD|${T}||R|0.00|P|`),
      ledger,
      startDate: DAY,
      endDate: DAY,
    });
    expect(r.refunds.missingInFile.map((x) => [x.out_return_no, x.status])).toEqual([
      ['OK', 'succeeded'],
      ['OPEN', 'accepted'],
      ['REQ', 'requested'],
    ]);
    expect(r.refunds.resolved).toEqual(['IN-FILE']);
  });
});
