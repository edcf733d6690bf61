/**
 * Payments (§3), single_trade_query (§5) and forex_refund (§6) over real HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeForm,
  KEY_A,
  md5Hex,
  PARTNER_A,
  paymentUrl,
  presign,
  responseChildren,
  signMd5,
  startMerchant,
  startSandbox,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running;
let m: Awaited<ReturnType<typeof startMerchant>>;
beforeEach(async () => {
  s = await startSandbox();
  m = await startMerchant();
});
afterEach(async () => {
  await s.close();
  await m.close();
});

const query = (extra: Record<string, string>) =>
  s.get(signMd5({ _input_charset: 'utf-8', service: 'single_trade_query', partner: PARTNER_A, ...extra }));
const refund = (extra: Record<string, string>) =>
  s.get(
    signMd5({
      _input_charset: 'UTF-8',
      service: 'forex_refund',
      partner: PARTNER_A,
      out_trade_no: 'ORDER-1',
      out_return_no: 'R1',
      currency: 'USD',
      return_amount: '1.00',
      gmt_return: '2026-11-25 12:00:00',
      reason: 'out of supply',
      ...extra,
    }),
  );

describe('create_forex_trade → pay (§3)', () => {
  it('simulatePayment returns a signed return URL with exactly the §3.8 fields', async () => {
    const out = await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, { return_url: `${m.url}/return`, notify_url: `${m.url}/notify` }),
    );
    expect(out.tradeNo).toMatch(/^202611252200\d{16}$/); // §13: yyyyMMdd + 2200 + 16 digits
    const u = new URL(out.returnUrl!);
    expect(u.origin + u.pathname).toBe(`${m.url}/return`);
    const params = decodeForm(u.search.slice(1));
    expect(Object.keys(params)).toEqual([
      'out_trade_no',
      'trade_no',
      'total_fee',
      'currency',
      'trade_status',
      'sign',
      'sign_type',
    ]);
    expect(params).toMatchObject({
      out_trade_no: 'ORDER-1',
      trade_no: out.tradeNo,
      total_fee: '10.00',
      currency: 'USD',
      trade_status: 'TRADE_FINISHED',
      sign_type: 'MD5',
    });
    expect(params.sign).toBe(md5Hex(presign(params), KEY_A));
  });

  it('appends return parameters with & when return_url already has a query (§1.4 rule 7)', async () => {
    const out = await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, { return_url: `${m.url}/return?shop=1` }),
    );
    expect(out.returnUrl).toMatch(/\/return\?shop=1&out_trade_no=ORDER-1&/);
  });

  it('sends rmb_fee in the return and the foreign total_fee for an rmb_fee order (§3.5, §3.8)', async () => {
    const url = paymentUrl(s.gateway, {
      currency: 'JPY',
      total_fee: '',
      rmb_fee: '1.01',
      return_url: `${m.url}/r`,
      notify_url: `${m.url}/n`,
    });
    const out = await s.sandbox.control.simulatePayment(url);
    const params = decodeForm(new URL(out.returnUrl!).search.slice(1));
    // 1.01 CNY / 0.059123 → 17 JPY, the §3.5 capture
    expect(params).toMatchObject({ total_fee: '17.00', currency: 'JPY', rmb_fee: '1.01' });
    await s.sandbox.control.flushNotifications();
    expect(m.notifications()[0]).toMatchObject({ total_fee: '17.00', currency: 'JPY' });
    const q = await query({ out_trade_no: 'ORDER-1' });
    expect(xmlTag(q.text, 'total_fee')).toBe('1.01'); // §5.3 decision: the figure the order was priced in
  });

  const rejections: Array<[string, Record<string, string>, string]> = [
    ['a non-contracted currency', { currency: 'CNY' }, 'ILLEGAL_CURRENCY'],
    ['an unknown currency', { currency: 'XXX' }, 'ILLEGAL_CURRENCY'],
    ['both total_fee and rmb_fee', { rmb_fee: '1.00' }, 'ILLEGAL_ARGUMENT'],
    ['neither total_fee nor rmb_fee', { total_fee: '' }, 'ILLEGAL_ARGUMENT'],
    ['three decimals', { total_fee: '1.001' }, 'ILLEGAL_ARGUMENT'],
    ['0.00', { total_fee: '0.00' }, 'ILLEGAL_ARGUMENT'],
    ['over 1000000.00', { total_fee: '1000000.01' }, 'ILLEGAL_ARGUMENT'],
    ['JPY with decimals', { currency: 'JPY', total_fee: '3.50' }, 'ILLEGAL_ARGUMENT'],
    ['missing subject', { subject: '' }, 'ILLEGAL_ARGUMENT'],
    ['timeout_rule 4h', { timeout_rule: '4h' }, 'ILLEGAL_TIMEOUT_RULE'],
    ['order_gmt_create without order_valid_time', { order_gmt_create: '2026-11-25 12:00:00' }, 'ILLEGAL_ARGUMENT'],
    ['bad trade_information JSON', { trade_information: '{nope' }, 'ILLEGAL_ARGUMENT'],
    ['wap product_code on the web service', { product_code: 'NEW_WAP_OVERSEAS_SELLER' }, 'ILLEGAL_ARGUMENT'],
  ];
  for (const [name, extra, code] of rejections) {
    it(`shows the error page with ${code} for ${name}`, async () => {
      const r = await fetch(paymentUrl(s.gateway, extra));
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await r.text()).toContain(`id="alipay-error-code" class="error-code">${code}<`);
      expect((await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, extra))).errorCode).toBe(code);
    });
  }

  it('accepts JPY 3 and 3.00 and a listed timeout_rule, and rejects a rule the partner has not enabled', async () => {
    expect(
      (
        await s.sandbox.control.simulatePayment(
          paymentUrl(s.gateway, { currency: 'JPY', total_fee: '3', out_trade_no: 'J1' }),
        )
      ).tradeNo,
    ).toBeDefined();
    expect(
      (
        await s.sandbox.control.simulatePayment(
          paymentUrl(s.gateway, { currency: 'JPY', total_fee: '3.00', out_trade_no: 'J2', timeout_rule: '15d' }),
        )
      ).tradeNo,
    ).toBeDefined();
    const sb = await startSandbox({
      merchants: [{ partner: PARTNER_A, md5Key: KEY_A, enabledTimeoutRules: ['12h'], currencies: ['HKD'] }],
    });
    try {
      expect(
        (await sb.sandbox.control.simulatePayment(paymentUrl(sb.gateway, { currency: 'HKD', timeout_rule: '1h' })))
          .errorCode,
      ).toBe('ILLEGAL_TIMEOUT_RULE');
      expect((await sb.sandbox.control.simulatePayment(paymentUrl(sb.gateway, { currency: 'USD' }))).errorCode).toBe(
        'ILLEGAL_CURRENCY',
      );
    } finally {
      await sb.close();
    }
  });

  it('rejects paying an already-paid out_trade_no with TRADE_HAS_SUCCESS and replaces an unpaid one with a new amount (§3.11)', async () => {
    const login = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway), { action: 'login' });
    const same = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway), { action: 'login' });
    expect(same.tradeNo).toBe(login.tradeNo); // identical unpaid → reused
    const changed = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { total_fee: '11.00' }));
    expect(changed.tradeNo).not.toBe(login.tradeNo);
    expect(s.sandbox.control.trades()).toHaveLength(1);
    expect(s.sandbox.control.trades()[0]).toMatchObject({ total_fee: '11.00', trade_status: 'TRADE_FINISHED' });
    expect((await s.sandbox.control.simulatePayment(paymentUrl(s.gateway))).errorCode).toBe('TRADE_HAS_SUCCESS');
  });
});

describe('single_trade_query (§5)', () => {
  it('answers TRADE_NOT_EXIST before buyer login and WAIT_BUYER_PAY after (§3.1)', async () => {
    await fetch(paymentUrl(s.gateway)); // the redirect alone creates nothing
    expect(xmlTag((await query({ out_trade_no: 'ORDER-1' })).text, 'error')).toBe('TRADE_NOT_EXIST');
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway), { action: 'login' });
    expect(xmlTag((await query({ out_trade_no: 'ORDER-1' })).text, 'trade_status')).toBe('WAIT_BUYER_PAY');
  });

  it('returns the §5.3 fields in the decided order, signed over the <trade> children (§2.5)', async () => {
    const { tradeNo } = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { body: 'hello & <you>' }));
    const r = await query({ out_trade_no: 'ORDER-1', sendFormat: 'normal' });
    expect(r.type).toBe('text/xml; charset=utf-8');
    expect(
      r.text.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>T</is_success><request><param name="_input_charset">utf-8</param><param name="service">single_trade_query</param>',
      ),
    ).toBe(true);
    expect(r.text).toContain('<param name="sendFormat">normal</param></request><response><trade>');
    expect(r.text).not.toContain('<param name="sign');
    expect(r.text).toMatch(/<\/response><sign>[0-9a-f]{32}<\/sign><sign_type>MD5<\/sign_type><\/alipay>$/);
    const fields = responseChildren(r.text, 'trade');
    expect(fields.map(([k]) => k)).toEqual([
      'body',
      'buyer_email',
      'buyer_id',
      'discount',
      'flag_trade_locked',
      'gmt_create',
      'gmt_last_modified_time',
      'gmt_payment',
      'is_total_fee_adjust',
      'operator_role',
      'out_trade_no',
      'payment_type',
      'price',
      'quantity',
      'seller_email',
      'seller_id',
      'subject',
      'to_buyer_fee',
      'to_seller_fee',
      'total_fee',
      'trade_no',
      'trade_status',
      'use_coupon',
    ]);
    const obj = Object.fromEntries(fields);
    expect(obj).toMatchObject({
      body: 'hello & <you>',
      trade_no: tradeNo,
      total_fee: '10.00',
      payment_type: '100',
      trade_status: 'TRADE_FINISHED',
      gmt_create: '2026-11-25 12:00:00',
      seller_id: PARTNER_A,
    });
    expect(xmlTag(r.text, 'sign')).toBe(md5Hex(presign(obj), KEY_A));
  });

  it('prefers trade_no over out_trade_no (§5.2)', async () => {
    const { tradeNo } = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    expect(xmlTag((await query({ trade_no: tradeNo!, out_trade_no: 'NOPE' })).text, 'out_trade_no')).toBe('ORDER-1');
    expect(
      xmlTag((await query({ trade_no: '2026112522000000000000000000', out_trade_no: 'ORDER-1' })).text, 'error'),
    ).toBe('TRADE_NOT_EXIST');
  });

  it('closes an unpaid trade lazily when its timeout_rule passes, scaled by timeScale (§3.6)', async () => {
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { timeout_rule: '5m' }), { action: 'login' });
    await s.sandbox.control.advanceClock(4 * 60_000);
    expect(xmlTag((await query({ out_trade_no: 'ORDER-1' })).text, 'trade_status')).toBe('WAIT_BUYER_PAY');
    await s.sandbox.control.advanceClock(60_000);
    const r = await query({ out_trade_no: 'ORDER-1' });
    expect(xmlTag(r.text, 'trade_status')).toBe('TRADE_CLOSED');
    expect(xmlTag(r.text, 'gmt_close')).toBe('2026-11-25 12:05:00');
    // A closed out_trade_no is never reopened (issue 12): TRADE_HAS_CLOSE, same trade, still closed.
    const tradeNo = s.sandbox.control.trades()[0]!.trade_no;
    expect((await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { timeout_rule: '5m' }))).errorCode).toBe(
      'TRADE_HAS_CLOSE',
    );
    expect(s.sandbox.control.trades()).toMatchObject([{ trade_no: tradeNo, trade_status: 'TRADE_CLOSED' }]);
  });
});

describe('forex_refund (§6.4 order)', () => {
  beforeEach(async () => {
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/notify` }));
  });

  it('answers the bare T envelope and refunds partially, then RETURN_AMOUNT_EXCEED past the paid amount (§6.3)', async () => {
    expect((await refund({ out_return_no: 'R1', return_amount: '4.00' })).text).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>T</is_success></alipay>',
    );
    expect(
      xmlTag(
        (await refund({ out_return_no: 'R2', return_amount: '6.00', gmt_return: '20261125120000' })).text,
        'is_success',
      ),
    ).toBe('T');
    expect(xmlTag((await refund({ out_return_no: 'R3', return_amount: '0.01' })).text, 'error')).toBe(
      'RETURN_AMOUNT_EXCEED',
    );
    expect(s.sandbox.control.trades()[0]!.refunded_fee).toBe('10.00');
  });

  it('checks in the §6.4 order: parameters, trade, out_return_no, currency, window, amount', async () => {
    await refund({ out_return_no: 'USED', return_amount: '1.00' });
    // 1 beats 2: bad gmt_return on an unknown trade
    expect(xmlTag((await refund({ out_trade_no: 'NOPE', gmt_return: '2026/11/25' })).text, 'error')).toBe(
      'ILLEGAL_ARGUMENT',
    );
    expect(xmlTag((await refund({ return_rmb_amount: '1.00' })).text, 'error')).toBe('ILLEGAL_ARGUMENT'); // both amounts
    expect(xmlTag((await refund({ return_amount: '' })).text, 'error')).toBe('ILLEGAL_ARGUMENT'); // neither
    expect(xmlTag((await refund({ is_sync: 'X' })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    // 2 beats 3: a used out_return_no on an unknown trade
    expect(xmlTag((await refund({ out_trade_no: 'NOPE', out_return_no: 'USED' })).text, 'error')).toBe(
      'PURCHASE_TRADE_NOT_EXIST',
    );
    // 3 beats 4: a used out_return_no with a different currency
    expect(xmlTag((await refund({ out_return_no: 'USED', currency: 'HKD' })).text, 'error')).toBe(
      'REPEATED_REFUNDMENT_REQUEST',
    );
    // 4 beats 6
    expect(
      xmlTag((await refund({ out_return_no: 'N1', currency: 'HKD', return_amount: '999.00' })).text, 'error'),
    ).toBe('CURRENCY_NOT_SAME');
    expect(xmlTag((await refund({ out_return_no: 'N1', currency: 'CNY', return_amount: '1.00' })).text, 'error')).toBe(
      'CURRENCY_NOT_SAME',
    );
    // 5 beats 6
    await s.sandbox.control.advanceClock(366 * 86_400_000);
    expect(xmlTag((await refund({ out_return_no: 'N2', return_amount: '999.00' })).text, 'error')).toBe(
      'REFUNDMENT_VALID_DATE_EXCEED',
    );
  });

  it('answers PURCHASE_TRADE_NOT_EXIST for an unpaid trade', async () => {
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'UNPAID' }), { action: 'login' });
    expect(xmlTag((await refund({ out_trade_no: 'UNPAID' })).text, 'error')).toBe('PURCHASE_TRADE_NOT_EXIST');
  });

  it('sends the §6.6 refund notification for is_sync=N, with CNY for return_rmb_amount', async () => {
    await s.sandbox.control.flushNotifications();
    await refund({ out_return_no: 'R1', return_amount: '2.50', notify_url: `${m.url}/refund-notify` });
    await refund({
      out_return_no: 'R2',
      return_amount: '',
      return_rmb_amount: '6.71',
      notify_url: `${m.url}/refund-notify`,
    });
    await refund({ out_return_no: 'R3', return_amount: '1.00', is_sync: 'Y', notify_url: `${m.url}/refund-notify` });
    await s.sandbox.control.flushNotifications();
    const notes = m.received
      .filter((r) => r.path === '/refund-notify')
      .map((r) => decodeForm(r.raw.toString('latin1')));
    expect(notes).toHaveLength(2);
    const r1 = notes.find((n) => n.out_return_no === 'R1')!;
    expect(Object.keys(r1).sort()).toEqual(
      [
        'currency',
        'notify_id',
        'notify_time',
        'notify_type',
        'out_return_no',
        'out_trade_no',
        'refund_status',
        'return_amount',
        'sign',
        'sign_type',
      ].sort(),
    );
    expect(r1).toMatchObject({
      notify_type: 'refund_status_sync',
      refund_status: 'REFUND_SUCCESS',
      return_amount: '2.50',
      currency: 'USD',
      out_trade_no: 'ORDER-1',
    });
    expect(r1.sign).toBe(md5Hex(presign(r1), KEY_A));
    expect(notes.find((n) => n.out_return_no === 'R2')).toMatchObject({ return_amount: '6.71', currency: 'CNY' });
  });

  it('never rewrites a refund whose outcome was already acknowledged (regression: invariant suite, setRefundOutcome after delivery)', async () => {
    await refund({ out_return_no: 'DONE', return_amount: '2.00', notify_url: `${m.url}/rn-done` });
    await s.sandbox.control.flushNotifications();
    expect(s.sandbox.control.notifications({ out_return_no: 'DONE' }).map((n) => n.state)).toEqual(['acknowledged']);
    s.sandbox.control.setRefundOutcome('DONE', 'REFUND_FAIL');
    expect(s.sandbox.control.refunds().find((r) => r.out_return_no === 'DONE')).toMatchObject({
      refund_status: 'REFUND_SUCCESS',
    });
  });

  it('reports REFUND_FAIL with error_code when the outcome is injected, and the failed amount stays refundable', async () => {
    s.sandbox.control.setRefundOutcome('RF', 'REFUND_FAIL');
    await refund({ out_return_no: 'RF', return_amount: '10.00', notify_url: `${m.url}/rn` });
    await s.sandbox.control.flushNotifications();
    const n = m.received.filter((r) => r.path === '/rn').map((r) => decodeForm(r.raw.toString('latin1')))[0]!;
    expect(n).toMatchObject({ refund_status: 'REFUND_FAIL', error_code: 'SYSTEM_EXCEPTION' });
    expect(xmlTag((await refund({ out_return_no: 'OK', return_amount: '10.00' })).text, 'is_success')).toBe('T');
    expect(s.sandbox.control.refunds().map((r) => r.refund_status)).toEqual(['REFUND_FAIL', 'REFUND_SUCCESS']);
  });
});
