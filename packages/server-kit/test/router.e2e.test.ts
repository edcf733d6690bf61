// End to end against the sandbox over HTTP: Express on port 0, a real SQLite file.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { md5Sign, parseCompareFile, parseLiquidationFile } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { formatBeijingDate } from '@alipay-kit/core';
import {
  createSigner,
  reconcile,
  type FileResult,
  type GatewayClient,
  type Ledger,
  type TransactionRow,
} from '../src/index.js';
import { CHLOEREI_PKCS8_PEM, KEY_A } from './fixtures/keys.js';
import { get, post, postNotify, SECRET, startWorld, T0, type World } from './helpers/world.js';

async function checkout(w: World, sku: string, variant?: 'web' | 'wap') {
  const r = await post(w, '/checkout', { order: { sku }, ...(variant ? { variant } : {}) });
  expect(r.status, r.text).toBe(200);
  return r.json as {
    outTradeNo: string;
    url: string;
    form: { action: string; method: string; fields: Record<string, string> };
    orderToken: string;
    expiresAt: string;
  };
}

async function payAndNotify(w: World, sku: string) {
  const c = await checkout(w, sku);
  const sim = await w.sandbox.control.simulatePayment(c.url);
  expect(sim.errorCode).toBeUndefined();
  await w.sandbox.control.flushNotifications();
  return { ...c, sim };
}

/** A §3.9 payment notification signed with Key A (fixture builder; the sandbox issues real ones). */
function notification(
  fields: Record<string, string>,
  sign: (p: Record<string, string>) => string = (p) => md5Sign(p, KEY_A),
  signType = 'MD5',
): string {
  const p = {
    notify_id: 'n'.repeat(34),
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-25 12:00:00',
    trade_no: '2026112522001300000000000001',
    trade_status: 'TRADE_FINISHED',
    ...fields,
  };
  return encodeForm({ ...p, sign: sign(p), sign_type: signType });
}

describe('alipayRouter end to end (utf-8, MD5)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld()));
  afterAll(() => w.close());

  it('should pay → notify → query → refund → reconcile, firing each hook once', async () => {
    const c = await checkout(w, 'tea');
    expect(c.url.startsWith(w.gatewayUrl + '?')).toBe(true);
    expect(c.form).toMatchObject({ action: `${w.gatewayUrl}?_input_charset=UTF-8`, method: 'POST' });
    expect(c.form.fields).toMatchObject({
      out_trade_no: c.outTradeNo,
      total_fee: '10.00',
      currency: 'USD',
      subject: 'Green tea',
      notify_url: `${w.merchantUrl}/alipay/notify`,
    });
    expect(Date.parse(c.expiresAt)).toBeGreaterThan(T0);
    const auth = { authorization: `Bearer ${c.orderToken}` };
    expect((await get(w, `/orders/${c.outTradeNo}`, auth)).json).toEqual({
      outTradeNo: c.outTradeNo,
      status: 'pending',
      amount: '10.00',
      currency: 'USD',
      subject: 'Green tea',
      rmb: false,
    });

    const sim = await w.sandbox.control.simulatePayment(c.url);
    expect(sim.returnUrl).toContain('/alipay/return?');
    // §3.8: the browser lands on GET /return → same-origin redirect to returnPage
    const ret = await fetch(sim.returnUrl!, { redirect: 'manual' });
    expect(ret.status).toBe(303);
    expect(ret.headers.get('location')).toBe(`/thanks?out_trade_no=${c.outTradeNo}`);

    await w.sandbox.control.flushNotifications();
    expect(w.paid.map((o) => o.out_trade_no)).toEqual([c.outTradeNo]);
    const order = await w.ledger.getOrder(c.outTradeNo);
    expect(order).toMatchObject({ status: 'paid', trade_no: sim.tradeNo });
    expect((await get(w, `/orders/${c.outTradeNo}`, auth)).json.status).toBe('paid');
    const query = sim.returnUrl!.slice(sim.returnUrl!.indexOf('?') + 1);
    expect((await post(w, '/return', { query, orderToken: c.orderToken })).json).toEqual({
      outTradeNo: c.outTradeNo,
      status: 'paid',
      verified: true,
    });
    const notes = await w.ledger.listNotifications({ out_trade_no: c.outTradeNo });
    expect(notes.map((n) => n.outcome)).toEqual(['applied']);
    expect(notes[0]!.params.sign).toMatch(/^[0-9a-f]{32}$/);

    const trade = await w.client.query({ out_trade_no: c.outTradeNo });
    expect(trade).toMatchObject({ trade_status: 'TRADE_FINISHED', trade_no: sim.tradeNo, total_fee: '10.00' });

    const admin = { 'x-admin': 'ok' };
    const r1 = await post(w, '/refunds', { outTradeNo: c.outTradeNo, amount: '4.00', reason: 'chipped cup' }, admin);
    expect(r1.status, r1.text).toBe(202);
    expect(r1.json).toMatchObject({ outTradeNo: c.outTradeNo, status: 'accepted', amount: '4.00', currency: 'USD' });
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('partially_refunded');
    const r2 = await post(w, '/refunds', { outTradeNo: c.outTradeNo }, admin);
    expect(r2.json).toMatchObject({ status: 'accepted', amount: '6.00' });
    await w.sandbox.control.flushNotifications();
    expect((await get(w, `/orders/${c.outTradeNo}`, auth)).json.status).toBe('refunded');
    expect(w.refunded.map(([, r]) => r.amount_minor)).toEqual([400, 600]);
    expect((await w.ledger.history(c.outTradeNo)).map((h) => h.to)).toEqual([
      'created',
      'paid',
      'partially_refunded',
      'refunded',
    ]);
    expect((await post(w, '/refunds', { outTradeNo: c.outTradeNo, amount: '1.00' }, admin)).json.error.code).toBe(
      'ERR_INVALID_TRANSITION',
    );

    // Files are available for days before "today" (§8.2): move the gateway clock a day on.
    const day = formatBeijingDate(T0);
    await w.sandbox.control.advanceClock(26 * 3600_000);
    w.sandbox.control.settle();
    await w.sandbox.control.advanceClock(26 * 3600_000);
    const next = formatBeijingDate(T0 + 26 * 3600_000);
    const rec = await post(w, '/reconcile', { startDate: day, endDate: next }, admin);
    expect(rec.status, rec.text).toBe(200);
    expect(rec.json.matched).toContain(c.outTradeNo);
    expect(rec.json.mismatches).toEqual([]);
    expect(rec.json.missingInLedger).toEqual([]);
    expect(rec.json.refunds.matched).toHaveLength(2);
    expect(rec.json.settlement.USD).toMatchObject({ payments: '10.00', refunds: '10.00' });
    expect(w.paid).toHaveLength(1);
  });

  it('should answer 401 without a token, with a token for another order, and 404 for an unknown order', async () => {
    const a = await checkout(w, 'tea');
    const b = await checkout(w, 'jpy');
    expect((await get(w, `/orders/${a.outTradeNo}`)).status).toBe(401);
    const other = await get(w, `/orders/${a.outTradeNo}`, { authorization: `Bearer ${b.orderToken}` });
    expect(other.status).toBe(401);
    expect(other.json.error.code).toBe('ERR_UNAUTHORIZED');
    expect((await get(w, `/orders/${a.outTradeNo}`, { authorization: `Bearer ${a.orderToken}x` })).status).toBe(401);
    const ghost = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('GHOST')
      .setAudience('alipay-kit/order')
      .setExpirationTime(Math.floor(w.sandbox.control.now() / 1000) + 60)
      .sign(new TextEncoder().encode(SECRET));
    const nf = await get(w, '/orders/GHOST', { authorization: `Bearer ${ghost}` });
    expect([nf.status, nf.json.error.code]).toEqual([404, 'ERR_ORDER_NOT_FOUND']);
    expect((await get(w, `/orders/${b.outTradeNo}`, { authorization: `Bearer ${b.orderToken}` })).json).toMatchObject({
      amount: '300',
      currency: 'JPY',
    });
  });

  it('should keep an order pending on a valid return alone (the query says it is not paid)', async () => {
    const c = await checkout(w, 'tea');
    // A correctly signed return for an order the gateway has not seen paid (§2.4 step 5).
    const p = {
      out_trade_no: c.outTradeNo,
      trade_no: '2026112522001300000000000009',
      total_fee: '10.00',
      currency: 'USD',
      trade_status: 'TRADE_FINISHED',
    };
    const query = encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
    expect((await post(w, '/return', { query, orderToken: c.orderToken })).json).toEqual({
      outTradeNo: c.outTradeNo,
      status: 'pending',
      verified: true,
    });
    expect(
      (await post(w, '/return', { query: query.replace('10.00', '1.00'), orderToken: c.orderToken })).json.verified,
    ).toBe(false);
    expect((await post(w, '/return', { query, orderToken: 'nope' })).status).toBe(401);
    expect(w.paid.some((o) => o.out_trade_no === c.outTradeNo)).toBe(false);
  });

  it('should repair spaces in sign only, on GET /return (§1.4 rule 6)', async () => {
    const c = await checkout(w, 'tea');
    const sim = await w.sandbox.control.simulatePayment(c.url);
    const raw = sim.returnUrl!.slice(sim.returnUrl!.indexOf('?') + 1);
    const r = await post(w, '/return', { query: raw, orderToken: c.orderToken });
    expect(r.json.verified).toBe(true);
    await w.sandbox.control.flushNotifications();
  });

  it('should redirect GET /return only to the configured path, whatever the query says', async () => {
    for (const q of [
      'out_trade_no=%2F%2Fevil.example',
      'out_trade_no=https%3A%2F%2Fevil.example',
      '',
      'return_url=https://evil.example',
    ]) {
      const r = await get(w, `/return?${q}`);
      expect(r.status).toBe(303);
      expect(r.location!.startsWith('/thanks')).toBe(true);
      expect(r.location).not.toMatch(/^\/\/|^https?:/);
    }
  });

  it('should confirm a paid order through an active query when the notification is lost', async () => {
    // The notification path "crashes" (markPaid / the one-transaction notification path throw), so only the query can confirm.
    const w2 = await startWorld({
      router: { activeQueryAfterSeconds: 0 },
      wrapLedger: (l: Ledger) => ({
        ...l,
        markPaid: (id, ch) => (ch.source === 'notify' ? Promise.reject(new Error('down')) : l.markPaid(id, ch)),
        applyPaymentNotification: () => Promise.reject(new Error('down')),
      }),
    });
    try {
      const c = await checkout(w2, 'tea');
      await w2.sandbox.control.simulatePayment(c.url);
      await w2.sandbox.control.flushNotifications();
      expect((await w2.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
      // No flush: the notification has not arrived; GET /orders asks the gateway itself.
      const r = await get(w2, `/orders/${c.outTradeNo}`, { authorization: `Bearer ${c.orderToken}` });
      expect(r.json.status).toBe('paid');
      expect((await w2.ledger.history(c.outTradeNo)).at(-1)).toMatchObject({ to: 'paid', source: 'query' });
      await w2.sandbox.control.flushNotifications();
      expect(w2.paid).toHaveLength(1);
    } finally {
      await w2.close();
    }
  });

  it('should apply duplicate notifications (sandbox fault) once and answer success to each', async () => {
    w.sandbox.control.setFaults(undefined, { duplicateNotifications: 1 });
    const before = w.paid.length;
    const { outTradeNo } = await payAndNotify(w, 'jpy');
    w.sandbox.control.clearFaults();
    expect(w.paid.length - before).toBe(1);
    const attempts = w.sandbox.control.notifications({ out_trade_no: outTradeNo }).flatMap((n) => n.attempts);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((a) => a.body === 'success')).toBe(true);
    expect((await w.ledger.listNotifications({ out_trade_no: outTradeNo })).map((n) => n.outcome).sort()).toEqual([
      'applied',
      'duplicate',
    ]);
  });

  it('should reject a correctly signed notification with a stale/unknown notify_id (notify_verify §7)', async () => {
    const c = await checkout(w, 'tea');
    const body = notification({ out_trade_no: c.outTradeNo, total_fee: '10.00', currency: 'USD' });
    expect(await postNotify(w, body)).toBe('fail');
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
    expect(w.logs.at(-1)).toMatch(/notify_verify/);
    expect(w.logs.join('\n')).not.toMatch(/[0-9a-f]{32}/); // no sign in logs
  });

  it('should reject bad checkout input with its code', async () => {
    const cases: Array<[unknown, number, string]> = [
      ['{not json', 400, 'ERR_INVALID_PARAMS'],
      [{ order: { sku: 'tea' }, variant: 'tv' }, 400, 'ERR_INVALID_PARAMS'],
      [{ order: { sku: 'nope' } }, 404, 'ERR_INVALID_PARAMS'],
      [{ order: { sku: 'cny' } }, 400, 'ERR_INVALID_CURRENCY'],
      [{ order: { sku: 'yen' } }, 400, 'ERR_INVALID_AMOUNT'],
      [[1, 2], 400, 'ERR_INVALID_PARAMS'],
    ];
    for (const [body, status, code] of cases) {
      const r = await post(w, '/checkout', body);
      expect([r.status, r.json?.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
  });

  it('should guard the admin routes and reject bad refund/reconcile input with its code', async () => {
    const c = await checkout(w, 'tea');
    expect((await post(w, '/refunds', { outTradeNo: c.outTradeNo })).status).toBe(401);
    expect((await post(w, '/refunds', { outTradeNo: c.outTradeNo }, { 'x-admin': 'no' })).status).toBe(403);
    const admin = { 'x-admin': 'ok' };
    const cases: Array<[unknown, number, string]> = [
      [{ outTradeNo: 'GHOST' }, 404, 'ERR_ORDER_NOT_FOUND'],
      [{ outTradeNo: c.outTradeNo }, 409, 'ERR_INVALID_TRANSITION'],
      [{}, 400, 'ERR_INVALID_PARAMS'],
      [{ outTradeNo: c.outTradeNo, amount: 5 }, 400, 'ERR_INVALID_AMOUNT'],
    ];
    for (const [body, status, code] of cases) {
      const r = await post(w, '/refunds', body, admin);
      expect([r.status, r.json?.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const paid = await payAndNotify(w, 'tea');
    const over = await post(w, '/refunds', { outTradeNo: paid.outTradeNo, amount: '10.01' }, admin);
    expect([over.status, over.json.error.code]).toEqual([400, 'ERR_INVALID_AMOUNT']);
    const rc = await post(w, '/reconcile', { startDate: '2026-02-30', endDate: '2026-03-01' }, admin);
    expect([rc.status, rc.json.error.code]).toEqual([400, 'ERR_INVALID_DATE']);
    // The gateway refuses a range reaching today (§8.3): a typed 502 with the sentence.
    const today = formatBeijingDate(w.sandbox.control.now());
    const gw = await post(w, '/reconcile', { startDate: today, endDate: today }, admin);
    expect([gw.status, gw.json.error.code]).toEqual([502, 'ERR_FILE_REQUEST']);
  });
});

// reconcile() reads the rows of core's parsers (row.minor), not the amount strings.
describe('reconcile over core file rows (§8.4, §9)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld()));
  afterAll(() => w.close());

  async function file(parse: typeof parseCompareFile, text: string): Promise<FileResult<TransactionRow>> {
    const records = parse(new Response(text).body!);
    const rows: TransactionRow[] = [];
    for await (const row of records) rows.push(row);
    return { rows, bytes: Buffer.byteLength(text), noData: records.noData };
  }

  it('should match in minor units, flag differences, and total the settlement file', async () => {
    const tea = await payAndNotify(w, 'tea'); // 10.00 USD
    const jpy = await payAndNotify(w, 'jpy'); // 300 JPY
    const cn = await payAndNotify(w, 'cn'); // 1.00 USD
    const t = '20261125120000';
    const compare = [
      `${tea.outTradeNo}|10.00|USD|${t}||P|0.10|P|Green tea`,
      `${jpy.outTradeNo}|301|JPY|${t}||P|3|P|Matcha`,
      `${cn.outTradeNo}|1.00|HKD|${t}||P|0.01|P|`,
      `GHOST|-5.00|EUR|${t}||P|0.00|P|`,
      '',
    ].join('\r\n');
    const liquidation = [
      'Partner_transaction_id|Amount|Fee|Settlement|Currency|Payment_time|Settlement_time|Type|Status|Remarks',
      `${tea.outTradeNo}|10.00|0.10|9.90|USD|2026-11-25 12:00:00|2026-11-26 12:00:00|P|L|`,
      `R-1|-4.00|0.00|-4.00|USD|2026-11-25 13:00:00|2026-11-26 12:00:00|R|L|`,
      `${jpy.outTradeNo}|300|3|297|JPY|2026-11-25 12:00:00|2026-11-26 12:00:00|P|L|`,
      '',
    ].join('\r\n');
    const client: GatewayClient = {
      ...w.client,
      compareFile: () => file(parseCompareFile, compare),
      liquidationFile: () => file(parseLiquidationFile, liquidation),
    };
    const day = formatBeijingDate(T0);
    const r = await reconcile({ client, ledger: w.ledger, startDate: day, endDate: day });
    expect(r.matched).toEqual([tea.outTradeNo]);
    expect(r.mismatches).toEqual([
      { partner_transaction_id: jpy.outTradeNo, type: 'P', field: 'amount', file: '301', ledger: '300.00' },
      // a different currency is one mismatch; amounts in two currencies are not compared
      { partner_transaction_id: cn.outTradeNo, type: 'P', field: 'currency', file: 'HKD', ledger: 'USD' },
    ]);
    expect(r.missingInLedger).toHaveLength(1);
    expect(r.missingInLedger[0]).toMatchObject({
      partner_transaction_id: 'GHOST',
      line: 4,
      amount: '-5.00',
      minor: { amount: -500, fee: 0 },
    });
    expect(r.missingInFile).toEqual([]);
    expect(r.counts).toEqual({ fileRows: 4, settlementRows: 3 });
    // a refund printed negative counts as a refund either way
    expect(r.settlement).toEqual({
      USD: { rows: 2, payments: '10.00', refunds: '4.00', fees: '0.10', net: '5.90' },
      JPY: { rows: 1, payments: '300.00', refunds: '0.00', fees: '3.00', net: '297.00' }, // as Alipay prints amounts
    });
  });
});

describe('alipayRouter notifications without notify_verify (tampering, concurrency)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld({ router: { notifyVerify: false } })));
  afterAll(() => w.close());

  it('should fire onPaid once for 20 concurrent copies of one notification (§4)', async () => {
    const c = await checkout(w, 'tea');
    const body = notification({ out_trade_no: c.outTradeNo, total_fee: '10.00', currency: 'USD' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => postNotify(w, body)));
    expect(answers.every((a) => a === 'success')).toBe(true);
    expect(w.paid.filter((o) => o.out_trade_no === c.outTradeNo)).toHaveLength(1);
    const outcomes = (await w.ledger.listNotifications({ out_trade_no: c.outTradeNo })).map((n) => n.outcome);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes).toHaveLength(20);
  });

  const tampered: Array<[string, (id: string) => string]> = [
    [
      'amount changed after signing',
      (id) =>
        notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD' }).replace(
          'total_fee=10.00',
          'total_fee=0.01',
        ),
    ],
    [
      'amount signed but not the order amount',
      (id) => notification({ out_trade_no: id, total_fee: '0.01', currency: 'USD' }),
    ],
    ['another currency', (id) => notification({ out_trade_no: id, total_fee: '10.00', currency: 'HKD' })],
    [
      'another partner in seller_id',
      (id) => notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD', seller_id: '2088000000000000' }),
    ],
    [
      'a wrong MD5 key',
      (id) =>
        notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD' }, (p) => md5Sign(p, 'x'.repeat(32))),
    ],
    [
      'an uppercase-hex sign',
      (id) =>
        notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD' }, (p) => md5Sign(p, KEY_A).toUpperCase()),
    ],
    [
      'sign_type swapped to RSA with an RSA signature (configured MD5 decides, §2.4)',
      (id) =>
        notification(
          { out_trade_no: id, total_fee: '10.00', currency: 'USD' },
          (p) => createSigner({ signType: 'RSA', privateKey: CHLOEREI_PKCS8_PEM }).sign(p),
          'RSA',
        ),
    ],
    [
      'no sign at all',
      (id) => notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD' }).replace(/&sign=[^&]*/, ''),
    ],
    ['an unknown order', () => notification({ out_trade_no: 'GHOST', total_fee: '10.00', currency: 'USD' })],
    [
      'a duplicated key with another value',
      (id) => notification({ out_trade_no: id, total_fee: '10.00', currency: 'USD' }) + '&total_fee=0.01',
    ],
    ['an empty body', () => ''],
  ];
  for (const [name, make] of tampered) {
    it(`should answer fail and change nothing for ${name}`, async () => {
      const c = await checkout(w, 'tea');
      expect(await postNotify(w, make(c.outTradeNo))).toBe('fail');
      expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
      expect(w.paid.some((o) => o.out_trade_no === c.outTradeNo)).toBe(false);
      expect(w.logs.at(-1)).toMatch(/^alipay notify answered fail: ERR_/);
    });
  }

  it('should accept an MD5-signed notification whatever its sign_type label says (§2.4 decision)', async () => {
    const c = await checkout(w, 'tea');
    expect(
      await postNotify(
        w,
        notification({ out_trade_no: c.outTradeNo, total_fee: '10.00', currency: 'USD' }, undefined, 'RSA'),
      ),
    ).toBe('success');
  });

  it('should mark a TRADE_CLOSED notification closed once and fire onClosed', async () => {
    const c = await checkout(w, 'tea');
    const body = notification({
      out_trade_no: c.outTradeNo,
      total_fee: '10.00',
      currency: 'USD',
      trade_status: 'TRADE_CLOSED',
    });
    expect(await postNotify(w, body)).toBe('success');
    expect(await postNotify(w, body)).toBe('success');
    expect(w.closed.filter((o) => o.out_trade_no === c.outTradeNo)).toHaveLength(1);
    // a late TRADE_FINISHED never reopens it as a normal payment, and is never dropped: paid_after_close, onLatePayment
    expect(await postNotify(w, notification({ out_trade_no: c.outTradeNo, total_fee: '10.00', currency: 'USD' }))).toBe(
      'success',
    );
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('paid_after_close');
    expect(w.late.map((o) => o.out_trade_no)).toEqual([c.outTradeNo]);
    expect(w.paid.filter((o) => o.out_trade_no === c.outTradeNo)).toHaveLength(0);
  });
});

describe('crash between receiving and acknowledging (§4: success only after commit)', () => {
  let w: World;
  let failNext = 0;
  let hookFails = 0;
  afterEach(() => w?.close());

  it('should answer fail when the ledger commit fails, then apply the gateway retry exactly once', async () => {
    w = await startWorld({
      wrapLedger: (l: Ledger) => ({
        ...l,
        markPaid: async (...a) => {
          if (failNext > 0) {
            failNext--;
            throw new Error('SQLITE_IOERR: disk I/O error (simulated crash)');
          }
          return l.markPaid(...a);
        },
        applyPaymentNotification: async (...a) => {
          if (failNext > 0) {
            failNext--;
            throw new Error('SQLITE_IOERR: disk I/O error (simulated crash)');
          }
          return l.applyPaymentNotification!(...a);
        },
      }),
    });
    failNext = 1;
    const { outTradeNo } = await payAndNotify(w, 'tea');
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('created');
    const [rec] = w.sandbox.control.notifications({ out_trade_no: outTradeNo });
    expect(rec!.attempts.map((a) => a.body)).toEqual(['fail']);
    await w.sandbox.control.advanceClock(2 * 60_000 + 1000); // §4: first retry after 2 minutes
    await w.sandbox.control.flushNotifications();
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('paid');
    expect(w.sandbox.control.notifications({ out_trade_no: outTradeNo })[0]!.attempts.map((a) => a.body)).toEqual([
      'fail',
      'success',
    ]);
    expect(w.paid.map((o) => o.out_trade_no)).toEqual([outTradeNo]);
  });

  it('should run a hook that threw again on the retry, and only then acknowledge', async () => {
    w = await startWorld({
      router: {
        onPaid: () => {
          if (hookFails++ === 0) throw new Error('fulfilment service down');
        },
      },
    });
    const { outTradeNo } = await payAndNotify(w, 'tea');
    expect((await w.ledger.getOrder(outTradeNo))!.status).toBe('paid'); // committed before the hook
    await w.sandbox.control.advanceClock(2 * 60_000 + 1000);
    await w.sandbox.control.flushNotifications();
    expect(hookFails).toBe(2);
    expect(w.sandbox.control.notifications({ out_trade_no: outTradeNo })[0]!.attempts.map((a) => a.body)).toEqual([
      'fail',
      'success',
    ]);
  });
});

describe('GBK end to end (§1.3, §2.1 step 6)', () => {
  it('should pay a Chinese-subject order with a GBK client and apply the GBK notification', async () => {
    const w = await startWorld({ charset: 'gbk' });
    try {
      const c = await checkout(w, 'cn');
      expect(c.url).toContain('subject=%B2%E2%CA%D4%C9%CC%C6%B7');
      expect(c.form.action).toBe(`${w.gatewayUrl}?_input_charset=GBK`);
      const sim = await w.sandbox.control.simulatePayment(c.url);
      expect(sim.errorCode).toBeUndefined();
      await w.sandbox.control.flushNotifications();
      expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('paid');
      expect(w.paid).toHaveLength(1);
      const q = sim.returnUrl!.slice(sim.returnUrl!.indexOf('?') + 1);
      expect((await post(w, '/return', { query: q, orderToken: c.orderToken })).json.verified).toBe(true);
      expect((await w.client.query({ out_trade_no: c.outTradeNo })).subject).toBe('测试商品');
      // wap is UTF-8 only (§1.3)
      expect((await post(w, '/checkout', { order: { sku: 'cn' }, variant: 'wap' })).json.error.code).toBe(
        'ERR_UNSUPPORTED_CHARSET',
      );
    } finally {
      await w.close();
    }
  });
});
