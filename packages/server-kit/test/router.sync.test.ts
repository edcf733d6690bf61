// syncOrderWithGateway / router.syncOrder: one order checked with single_trade_query and applied
// through the ledger, hooks exactly once, against the sandbox.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alipayRouter,
  createGatewayClient,
  createPostgresLedger,
  syncOrderWithGateway,
  type OrderRecord,
} from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { post, SECRET, startWorld, type World } from './helpers/world.js';

async function checkout(w: World, sku = 'tea') {
  const r = await post(w, '/checkout', { order: { sku } });
  expect(r.status, r.text).toBe(200);
  return r.json as { outTradeNo: string; url: string; orderToken: string };
}

describe('syncOrderWithGateway (single_trade_query → ledger → hooks once)', () => {
  let w: World;
  const paid: string[] = [];
  const closed: string[] = [];
  const hooks = {
    onPaid: (o: OrderRecord) => void paid.push(o.out_trade_no),
    onClosed: (o: OrderRecord) => void closed.push(o.out_trade_no),
  };
  const sync = (outTradeNo: string) => syncOrderWithGateway({ client: w.client, ledger: w.ledger, hooks, outTradeNo });
  beforeAll(async () => (w = await startWorld()));
  afterAll(() => w.close());

  it('should report trade_not_exist before login, pending after login, and change nothing', async () => {
    const c = await checkout(w);
    expect(await sync(c.outTradeNo)).toMatchObject({
      outTradeNo: c.outTradeNo,
      outcome: 'trade_not_exist',
      changed: false,
      order: { status: 'created' },
    });
    await w.sandbox.control.simulatePayment(c.url, { action: 'login' });
    const r = await sync(c.outTradeNo);
    expect(r).toMatchObject({
      outcome: 'pending',
      changed: false,
      trade: { out_trade_no: c.outTradeNo, trade_status: 'WAIT_BUYER_PAY' },
      order: { status: 'created' },
    });
    expect((await w.ledger.history(c.outTradeNo)).map((h) => h.to)).toEqual(['created']);
  });

  it('should mark a paid trade paid (source query) when the notification is lost, with onPaid once across sync and notify', async () => {
    const c = await checkout(w);
    const sim = await w.sandbox.control.simulatePayment(c.url);
    // No flush: the notification has not arrived.
    const r = await sync(c.outTradeNo);
    expect(r).toMatchObject({
      outcome: 'paid',
      changed: true,
      trade: { trade_status: 'TRADE_FINISHED', trade_no: sim.tradeNo },
      order: { status: 'paid', trade_no: sim.tradeNo },
    });
    expect(r.hookError).toBeUndefined();
    expect(paid.filter((id) => id === c.outTradeNo)).toHaveLength(1);
    expect((await w.ledger.history(c.outTradeNo)).at(-1)).toMatchObject({ to: 'paid', source: 'query' });
    // Again: already final, the gateway is not asked, no hook.
    expect(await sync(c.outTradeNo)).toMatchObject({
      outcome: 'not_pending',
      changed: false,
      order: { status: 'paid' },
    });
    // The late notification is a duplicate: the router's onPaid does not run a second time.
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.listNotifications({ out_trade_no: c.outTradeNo })).map((n) => n.outcome)).toEqual([
      'duplicate',
    ]);
    expect(w.paid.some((o) => o.out_trade_no === c.outTradeNo)).toBe(false);
    expect(paid.filter((id) => id === c.outTradeNo)).toHaveLength(1);
  });

  it('should close an order whose trade timed out at the gateway and run onClosed once', async () => {
    const c = await checkout(w);
    expect((await w.sandbox.control.simulatePayment(c.url, { action: 'timeout' })).errorCode).toBeUndefined();
    const r = await sync(c.outTradeNo);
    expect(r).toMatchObject({
      outcome: 'closed',
      changed: true,
      trade: { trade_status: 'TRADE_CLOSED' },
      order: { status: 'closed' },
    });
    expect((await w.ledger.history(c.outTradeNo)).map((h) => `${h.to}:${h.source}`)).toEqual([
      'created:checkout',
      'closed:query',
    ]);
    expect(await sync(c.outTradeNo)).toMatchObject({ outcome: 'not_pending', changed: false });
    expect(closed.filter((id) => id === c.outTradeNo)).toHaveLength(1);
  });

  it('should apply once and fire onPaid once for 10 concurrent syncs racing the notification', async () => {
    const c = await checkout(w, 'jpy');
    await w.sandbox.control.simulatePayment(c.url);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => sync(c.outTradeNo)),
      w.sandbox.control.flushNotifications(),
    ]);
    const syncs = results.slice(0, 10) as Awaited<ReturnType<typeof sync>>[];
    expect(syncs.filter((r) => r.changed).length).toBeLessThanOrEqual(1);
    expect(syncs.every((r) => r.order?.status === 'paid' || r.outcome === 'paid' || r.outcome === 'not_pending')).toBe(
      true,
    );
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('paid');
    const hookRuns =
      paid.filter((id) => id === c.outTradeNo).length + w.paid.filter((o) => o.out_trade_no === c.outTradeNo).length;
    expect(hookRuns).toBe(1);
    expect((await w.ledger.history(c.outTradeNo)).filter((h) => h.to === 'paid')).toHaveLength(1);
  });

  it('should answer not_found for an order the ledger does not know, and TypeError for a non-string id', async () => {
    expect(await sync('GHOST-1')).toEqual({
      outTradeNo: 'GHOST-1',
      order: undefined,
      outcome: 'not_found',
      changed: false,
    });
    await expect(sync(42 as never)).rejects.toThrow(TypeError);
    await expect(syncOrderWithGateway({ client: {} as never, ledger: w.ledger, outTradeNo: 'x' })).rejects.toThrow(
      /client/,
    );
    await expect(
      syncOrderWithGateway({ client: w.client, ledger: w.ledger, outTradeNo: 'x', hooks: { onPaid: 1 as never } }),
    ).rejects.toThrow(/hooks\.onPaid/);
  });

  it('should report query_failed (no change, no throw) when the gateway cannot be reached', async () => {
    const c = await checkout(w);
    const down = createGatewayClient({
      gateway: 'http://127.0.0.1:9/gateway.do',
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
      retry: { limit: 0 },
      timeoutMs: 2000,
    });
    const logs: string[] = [];
    const r = await syncOrderWithGateway({
      client: down,
      ledger: w.ledger,
      outTradeNo: c.outTradeNo,
      logger: { warn: (m) => void logs.push(m) },
    });
    expect(r).toMatchObject({ outcome: 'query_failed', changed: false, order: { status: 'created' } });
    expect(r.error).toBeInstanceOf(Error);
    expect(logs).toEqual(['alipay active query failed']);
  });

  it('should not apply a paid trade whose amount differs from the ledger (mismatch)', async () => {
    const c = await checkout(w);
    await w.sandbox.control.simulatePayment(c.url);
    // A ledger whose record of this order says 12.00: the gateway's 10.00 must not mark it paid.
    const ledger = {
      ...w.ledger,
      getOrder: async (id: string) => ({ ...(await w.ledger.getOrder(id))!, total_fee_minor: 1200 }),
    };
    const r = await syncOrderWithGateway({ client: w.client, ledger, outTradeNo: c.outTradeNo, hooks });
    expect(r).toMatchObject({ outcome: 'mismatch', changed: false, trade: { total_fee: '10.00' } });
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
    await w.sandbox.control.flushNotifications(); // the notification then pays it as usual
  });
});

describe('router.syncOrder (the router client, ledger, hooks and logger)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld()));
  afterAll(() => w.close());

  it('should use the router hooks, and rerun a hook that threw on the next sync, once', async () => {
    let calls = 0;
    const paid: string[] = [];
    const router = alipayRouter({
      client: w.client,
      ledger: w.ledger,
      resolveOrder: () => ({ amount: '1.00', currency: 'USD', subject: 's' }),
      tokenSecret: SECRET,
      notifyUrl: `${w.merchantUrl}/alipay/notify`,
      returnUrl: `${w.merchantUrl}/alipay/return`,
      onPaid: (o) => {
        if (calls++ === 0) throw new Error('fulfilment down');
        paid.push(o.out_trade_no);
      },
    });
    expect(typeof router).toBe('function');
    expect(typeof router.syncOrder).toBe('function');
    const c = await checkout(w);
    await w.sandbox.control.simulatePayment(c.url);
    const first = await router.syncOrder(c.outTradeNo);
    expect(first).toMatchObject({ outcome: 'paid', changed: true, order: { status: 'paid' } });
    expect((first.hookError as Error).message).toBe('fulfilment down');
    // The event stayed pending: the next sync (order already final) runs it, and only once.
    const second = await router.syncOrder(c.outTradeNo);
    expect(second).toMatchObject({ outcome: 'not_pending', changed: false });
    expect(second.hookError).toBeUndefined();
    await router.syncOrder(c.outTradeNo);
    expect([calls, paid]).toEqual([2, [c.outTradeNo]]);
  });
});

const pgUrl = process.env.ALIPAY_TEST_PG_URL;

describe.skipIf(!pgUrl)('syncOrderWithGateway on the PostgreSQL ledger (ALIPAY_TEST_PG_URL)', () => {
  const schema = `ak_sync_${process.pid}_${Date.now().toString(36)}`;
  let w: World;
  const ledger = pgUrl ? createPostgresLedger({ connectionString: pgUrl, schema }) : undefined;
  beforeAll(async () => {
    await ledger!.ready();
    w = await startWorld({ wrapLedger: () => ledger! });
  });
  afterAll(async () => {
    await w?.close();
    await ledger?.close();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => c.end());
  });

  it('should apply a paid trade once and fire onPaid once for 10 concurrent syncs racing the notification', async () => {
    const paid: string[] = [];
    const c = await checkout(w);
    await w.sandbox.control.simulatePayment(c.url);
    const runs = Array.from({ length: 10 }, () =>
      syncOrderWithGateway({
        client: w.client,
        ledger: w.ledger,
        outTradeNo: c.outTradeNo,
        hooks: { onPaid: (o) => void paid.push(o.out_trade_no) },
      }),
    );
    const results = await Promise.all([...runs, w.sandbox.control.flushNotifications()]);
    expect(results.slice(0, 10).filter((r) => (r as { changed: boolean }).changed).length).toBeLessThanOrEqual(1);
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('paid');
    expect(paid.length + w.paid.filter((o) => o.out_trade_no === c.outTradeNo).length).toBe(1);
    expect((await w.ledger.history(c.outTradeNo)).filter((h) => h.to === 'paid')).toHaveLength(1);
  });

  it('should close a timed-out trade with source query, once', async () => {
    const closed: string[] = [];
    const c = await checkout(w);
    await w.sandbox.control.simulatePayment(c.url, { action: 'timeout' });
    const rs = await Promise.all(
      Array.from({ length: 5 }, () =>
        syncOrderWithGateway({
          client: w.client,
          ledger: w.ledger,
          outTradeNo: c.outTradeNo,
          hooks: { onClosed: (o) => void closed.push(o.out_trade_no) },
        }),
      ),
    );
    expect(rs.filter((r) => r.changed)).toHaveLength(1);
    expect(closed).toEqual([c.outTradeNo]);
    expect((await w.ledger.history(c.outTradeNo)).map((h) => `${h.to}:${h.source}`)).toEqual([
      'created:checkout',
      'closed:query',
    ]);
  });
});
