// reconcile() after a failed run (issue 12): a download cut more often than the client retries
// makes reconcile reject before it reads or writes the ledger, so the re-run's report deep-equals
// the report of an uninterrupted run on an identical ledger. Real HTTP: a node:http gateway on
// port 0 serving both files, cutting one of them mid-body for its first N requests.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '@alipay-kit/core/encoding';
import {
  createGatewayClient,
  createSqliteLedger,
  reconcile,
  type GatewayClient,
  type Ledger,
  type ReconcileReport,
} from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { startServer, type TestServer } from './helpers/http-server.js';

const DAY = '20260301';
const NOW = Date.UTC(2026, 2, 1, 4); // 2026-03-01 12:00 Beijing
const T = '20260301120000';

// 600 payments (P-0001 … P-0600, of which P-0600 is not in the ledger) and the refund rows.
const PAYMENTS = Array.from(
  { length: 600 },
  (_, i) => `P-${String(i + 1).padStart(4, '0')}|10.00|USD|${T}||P|0.10|P|row ${i + 1}`,
);
const COMPARE = [
  ...PAYMENTS,
  `R-OPEN|2.00|USD|${T}||R|0.00|P|`,
  `R-FAILED|1.00|USD|${T}||R|0.00|P|`,
  `R-OK|3.00|USD|${T}||R|0.00|P|`,
  `R-AMT|9.99|USD|${T}||R|0.00|P|`,
  '',
].join('\r\n');
const LIQUIDATION = [
  'Partner_transaction_id|Amount|Fee|Settlement|Currency|Payment_time|Settlement_time|Type|Status|Remarks',
  `P-0001|10.00|0.10|9.90|USD|2026-03-01 12:00:00|2026-03-02 12:00:00|P|L|`,
  `R-OK|-3.00|0.00|-3.00|USD|2026-03-01 13:00:00|2026-03-02 12:00:00|R|L|`,
  '',
].join('\r\n');

/** A ledger with the same rows and timestamps each time: orders P-0001 … P-0599, a late payment, refunds in every state. */
async function seededLedger(): Promise<Ledger> {
  const ledger = createSqliteLedger({ file: ':memory:', now: () => new Date(NOW) });
  for (let i = 1; i < 600; i++) {
    const id = `P-${String(i).padStart(4, '0')}`;
    await ledger.createOrder({ out_trade_no: id, subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
    await ledger.markPaid(id, { trade_no: `T${id}`, source: 'test' });
  }
  await ledger.createOrder({ out_trade_no: 'LATE', subject: 'Tea', currency: 'USD', total_fee_minor: 500 });
  await ledger.markClosed('LATE', { source: 'sweeper' });
  await ledger.markPaid('LATE', { trade_no: 'TLATE', source: 'notify' });
  const refund = async (id: string, minor: number) =>
    ledger.createRefund({ out_return_no: id, out_trade_no: 'P-0001', currency: 'USD', amount_minor: minor });
  await refund('R-OPEN', 200);
  await ledger.setRefundRequestStatus('R-OPEN', 'possibly_done');
  await refund('R-FAILED', 100);
  await ledger.setRefundRequestStatus('R-FAILED', 'failed', 'RETURN_AMOUNT_EXCEED');
  await refund('R-OK', 300);
  await ledger.applyRefundResult('R-OK', { status: 'succeeded', source: 'notify' });
  await refund('R-AMT', 100);
  await refund('R-PENDING', 50);
  await ledger.setRefundRequestStatus('R-PENDING', 'accepted');
  return ledger;
}

let srv: TestServer;
const ledgers: Ledger[] = [];
beforeAll(async () => (srv = await startServer()));
afterAll(() => srv.close());
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
});

/** Serve both files; the first `cuts` requests for `cut` get half the body, then the socket is destroyed. */
function gateway(cut: 'forex_compare_file' | 'forex_liquidation_file', cuts: number): void {
  let n = 0;
  srv.handle((req, res) => {
    const service = parseForm(req.body).params.service;
    const body = service === 'forex_compare_file' ? COMPARE : LIQUIDATION;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (service !== cut || n++ >= cuts) return void res.end(body);
    res.write(body.slice(0, body.length / 2), () => setTimeout(() => res.socket?.destroy(), 20));
  });
}

function client(): GatewayClient {
  srv.requests.length = 0;
  return createGatewayClient({
    gateway: srv.url,
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    retry: { limit: 1, backoffMs: 5 },
    timeoutMs: 5000,
  });
}

async function run(ledger: Ledger): Promise<ReconcileReport> {
  return reconcile({ client: client(), ledger, startDate: DAY, endDate: DAY });
}

async function snapshot(ledger: Ledger) {
  return {
    refunds: await ledger.listRefunds(),
    orders: await ledger.listOrders(),
    history: await ledger.history('P-0001'),
  };
}

describe('reconcile re-run after a failure (issue 12)', () => {
  it.each(['forex_compare_file', 'forex_liquidation_file'] as const)(
    'should reject when %s is cut on every attempt, leave the ledger untouched, and re-run to the clean report',
    async (cut) => {
      const clean = await seededLedger();
      const cutLedger = await seededLedger();
      ledgers.push(clean, cutLedger);

      gateway(cut, 0);
      const expected = await run(clean);

      gateway(cut, 2); // the client tries twice (retry limit 1)
      const before = await snapshot(cutLedger);
      await expect(run(cutLedger)).rejects.toMatchObject({ name: 'AlipayTransportError', code: 'ERR_NETWORK' });
      expect(srv.requests.filter((r) => parseForm(r.body).params.service === cut)).toHaveLength(2);
      expect(await snapshot(cutLedger)).toEqual(before);

      const rerun = await run(cutLedger); // the gateway answers whole from now on
      expect(rerun).toEqual(expected);
      expect(await snapshot(cutLedger)).toEqual(await snapshot(clean));
    },
  );

  it('should give the same report when a cut download is retried whole within one run', async () => {
    const clean = await seededLedger();
    const retried = await seededLedger();
    ledgers.push(clean, retried);
    gateway('forex_compare_file', 0);
    const expected = await run(clean);
    gateway('forex_compare_file', 1);
    expect(await run(retried)).toEqual(expected);
    expect(srv.requests).toHaveLength(3); // compare twice, liquidation once
  });

  it('should report what an uninterrupted run finds in this ledger', async () => {
    const ledger = await seededLedger();
    ledgers.push(ledger);
    gateway('forex_compare_file', 0);
    const r = await run(ledger);
    expect(r.counts).toEqual({ fileRows: 604, settlementRows: 2 });
    expect(r.matched).toHaveLength(599);
    expect(r.missingInLedger.map((x) => x.partner_transaction_id)).toEqual(['P-0600']);
    expect(r.missingInFile.map((o) => o.out_trade_no)).toEqual(['LATE']);
    expect(r.latePayments.map((o) => o.out_trade_no)).toEqual(['LATE']);
    expect(r.refunds.matched).toEqual(['R-OK']);
    expect(r.refunds.resolved).toEqual(['R-OPEN', 'R-FAILED']);
    expect(r.refunds.missingInFile.map((x) => [x.out_return_no, x.status])).toEqual([['R-PENDING', 'accepted']]);
    expect(r.mismatches).toEqual([
      { partner_transaction_id: 'R-FAILED', type: 'R', field: 'status', file: 'P', ledger: 'failed' },
      { partner_transaction_id: 'R-AMT', type: 'R', field: 'amount', file: '9.99', ledger: '1.00' },
      { partner_transaction_id: 'R-AMT', type: 'R', field: 'status', file: 'P', ledger: 'requested' },
    ]);
    expect(r.settlement.USD).toEqual({ rows: 2, payments: '10.00', refunds: '3.00', fees: '0.10', net: '6.90' });
  });
});
