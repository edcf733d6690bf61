// Gateway faults (issue 8): 20% of gateway calls time out, answer 5xx or get truncated XML.
// Every client call completes or fails with a typed AlipayError; the sandbox's own refund records
// prove no trade is ever refunded twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlipayError } from '@alipay-kit/core';
import { FAULT_TRADES } from './helpers/env.js';
import { SecretWatch } from './helpers/secrets.js';
import { createGatewayClient, type GatewayClient } from '@alipay-kit/server-kit';
import { ADMIN, KEY_A, PARTNER_A, pool, startWorld, type World } from './helpers/world.js';

const watch = new SecretWatch();
/** 7% hang + 7% HTTP 500 + 6% truncated XML ≈ 20% of calls. */
const FAULTS = { timeout: 0.07, http5xx: 0.07, truncateXml: 0.06 };
const TRANSPORT_CODES = new Set(['ERR_TIMEOUT', 'ERR_HTTP_STATUS', 'ERR_XML_MALFORMED', 'ERR_NETWORK']);

describe(`gateway client and router with ${FAULT_TRADES} trades under 20% gateway faults`, () => {
  let w: World;
  let noRetry: GatewayClient;
  const trades: string[] = [];
  const outcomes = {
    queryOk: 0,
    queryTyped: new Map<string, number>(),
    refundOk: 0,
    refundTyped: new Map<string, number>(),
    merchantRetries: 0,
  };
  beforeAll(async () => {
    w = await startWorld({ watch, client: { timeoutMs: 300, retry: { limit: 2, backoffMs: 5, maxBackoffMs: 20 } } });
    noRetry = createGatewayClient({
      gateway: w.gatewayUrl,
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
      timeoutMs: 300,
      retry: { limit: 0 },
      logger: watch.logger('client0 '),
      now: () => new Date(w.sandbox.control.now()),
    });
    for (let i = 0; i < FAULT_TRADES; i++) trades.push((await w.pay()).outTradeNo);
    await w.sandbox.control.flushNotifications();
  });
  afterAll(() => w?.close());

  it('should have every trade paid before the faults start', async () => {
    expect((await w.ledger.listOrders({ status: ['paid'] })).length).toBe(FAULT_TRADES);
  });

  it('should complete or fail with a typed error on every query and refund call', async () => {
    w.setFaults(FAULTS);
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    await pool(trades, 8, async (id) => {
      // One query through the router's client (2 retries), two through a client without retries.
      for (const c of [w.client, noRetry, noRetry]) {
        try {
          const t = await c.query({ out_trade_no: id });
          expect(t.trade_status).toBe('TRADE_FINISHED');
          outcomes.queryOk++;
        } catch (e) {
          watch.error(e);
          expect(isAlipayError(e), String(e)).toBe(true);
          expect(TRANSPORT_CODES.has((e as { code: string }).code), (e as Error).message).toBe(true);
          bump(outcomes.queryTyped, (e as { code: string }).code);
        }
      }
      // A merchant retries a refund that ended in transport trouble with the SAME outReturnNo.
      const outReturnNo = `${id.slice(-20)}-R1`;
      for (let attempt = 0; attempt < 6; attempt++) {
        const r = await w.post('/refunds', { outTradeNo: id, outReturnNo, reason: 'fault test' }, ADMIN);
        if (r.status === 202 || r.status === 200) {
          outcomes.refundOk++;
          return;
        }
        expect(typeof r.json?.error?.code, JSON.stringify(r.json)).toBe('string');
        bump(outcomes.refundTyped, `${r.status} ${r.json.error.code}`);
        if (r.status < 500) return; // a definite answer (e.g. ERR_REFUND_REJECTED): stop
        outcomes.merchantRetries++;
      }
    });
    w.setFaults(undefined);
    console.log(
      'fault outcomes',
      JSON.stringify({
        ...outcomes,
        queryTyped: Object.fromEntries(outcomes.queryTyped),
        refundTyped: Object.fromEntries(outcomes.refundTyped),
      }),
    );
    expect(outcomes.queryOk).toBeGreaterThan(0);
    expect(outcomes.queryTyped.size, 'the no-retry client met at least one fault').toBeGreaterThan(0);
  });

  it('should never refund a trade twice or beyond what was paid (sandbox refund records)', async () => {
    // Deliver the refund notifications (and any retries of notifications that failed on faults).
    await w.sandbox.control.flushNotifications();
    for (let i = 0; i < 3; i++) await w.sandbox.control.advanceClock(11 * 60_000);
    const refunds = w.sandbox.control.refunds();
    const byReturnNo = new Map<string, number>();
    for (const r of refunds) byReturnNo.set(r.out_return_no, (byReturnNo.get(r.out_return_no) ?? 0) + 1);
    expect([...byReturnNo.values()].filter((n) => n > 1)).toEqual([]);
    for (const id of trades) {
      const mine = refunds.filter((r) => r.out_trade_no === id && r.refund_status === 'REFUND_SUCCESS');
      expect(mine.length, id).toBeLessThanOrEqual(1);
      const sum = mine.reduce((s, r) => s + Math.round(Number(r.return_amount) * 100), 0);
      expect(sum, id).toBeLessThanOrEqual(1000);
    }
    // The ledger never commits more than was paid either.
    for (const o of await w.ledger.listOrders()) {
      expect(o.refunded_minor).toBeLessThanOrEqual(o.total_fee_minor ?? 0);
      const committed = (await w.ledger.listRefunds(o.out_trade_no))
        .filter((r) => r.status !== 'failed')
        .reduce((s, r) => s + r.amount_minor, 0);
      expect(committed, o.out_trade_no).toBeLessThanOrEqual(o.total_fee_minor ?? 0);
    }
  });

  it('should end with the ledger agreeing with the gateway on every refund the gateway made', async () => {
    const gw = new Map(w.sandbox.control.refunds().map((r) => [r.out_return_no, r]));
    const disagreements: string[] = [];
    for (const id of trades) {
      for (const r of await w.ledger.listRefunds(id)) {
        const g = gw.get(r.out_return_no);
        if (g?.refund_status === 'REFUND_SUCCESS' && r.status !== 'succeeded')
          disagreements.push(`${r.out_return_no}: gateway refunded, ledger ${r.status}`);
        if (!g && r.status === 'succeeded')
          disagreements.push(`${r.out_return_no}: ledger succeeded, gateway has no refund`);
      }
    }
    console.log('ledger/gateway refund disagreements', disagreements.length, disagreements.slice(0, 5));
    // Known server-kit gap (see the next describe): a merchant retry that meets
    // REPEATED_REFUNDMENT_REQUEST on its first attempt is stored as failed. Not a double refund.
    expect(disagreements.every((d) => /gateway refunded, ledger failed/.test(d))).toBe(true);
  });

  it('should keep the MD5 key and every sign value out of every log line and error message', () => {
    expect(watch.leaks()).toEqual([]);
  });
});

describe('POST /refunds retried after a lost reply (REPEATED_REFUNDMENT_REQUEST, protocol §6.3)', () => {
  // The cut reply may hide an executed refund: the router records it possibly_done (202), and the
  // merchant's retry with the same outReturnNo gets REPEATED_REFUNDMENT_REQUEST, which keeps it
  // possibly_done until the REFUND_SUCCESS notification settles it (issue 12).
  let w: World;
  beforeAll(async () => (w = await startWorld({ watch, client: { retry: { limit: 0 } } })));
  afterAll(() => w?.close());

  it('should record the refund as done (possibly_done/succeeded), not failed', async () => {
    const { outTradeNo } = await w.pay();
    await w.sandbox.control.flushNotifications();
    w.sandbox.control.setFaults({ service: 'forex_refund' }, { truncateXml: 1 });
    const first = await w.post('/refunds', { outTradeNo, outReturnNo: 'LOST-REPLY-1' }, ADMIN);
    expect({ status: first.status, refund: first.json?.status }).toEqual({ status: 202, refund: 'possibly_done' }); // not failed: the gateway may have it
    w.sandbox.control.clearFaults();
    expect(w.sandbox.control.refunds().filter((r) => r.out_return_no === 'LOST-REPLY-1')).toHaveLength(1); // the gateway did refund
    const retry = await w.post('/refunds', { outTradeNo, outReturnNo: 'LOST-REPLY-1' }, ADMIN);
    await w.sandbox.control.flushNotifications();
    const refund = (await w.ledger.getRefund('LOST-REPLY-1'))!;
    expect({
      status: retry.status,
      refund: refund.status,
      order: (await w.ledger.getOrder(outTradeNo))!.status,
    }).toEqual({ status: 202, refund: 'succeeded', order: 'refunded' });
  });
});
