// ResolvedOrder.payment: allow-listed §3.2 optional parameters from the merchant's resolveOrder,
// end to end against the sandbox (signed, accepted by the gateway, visible on its cashier).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlipayError } from '@alipay-kit/core';
import type { ResolvedOrder, ResolvedPaymentParams } from '../src/index.js';
import { post, startWorld, type World } from './helpers/world.js';

// The test's resolveOrder takes `payment` from the request so each case can choose it; a real
// merchant computes it server-side (the browser never chooses these values).
let nextPayment: unknown;

async function checkout(w: World, payment: unknown, variant: 'web' | 'wap' = 'web') {
  nextPayment = payment;
  return post(w, '/checkout', { order: { sku: 'tea' }, variant });
}

/** The cashier page the gateway serves for a payment URL, and its form actions (absolute). */
async function cashier(w: World, url: string): Promise<{ html: string; action: (name: string) => string }> {
  const res = await fetch(url);
  const html = await res.text();
  expect(res.status, html).toBe(200);
  const origin = new URL(w.gatewayUrl).origin;
  return {
    html,
    action(name) {
      const m = new RegExp(`action="([^"]*/${name})"`).exec(html);
      expect(m, `no ${name} form on the cashier page`).not.toBeNull();
      return new URL(m![1]!.replace(/&amp;/g, '&'), origin).toString();
    },
  };
}

describe('alipayRouter: ResolvedOrder.payment (§3.2 optional parameters)', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      router: {
        resolveOrder: () => {
          const o: ResolvedOrder = { amount: '10.00', currency: 'USD', subject: 'Green tea' };
          if (nextPayment !== undefined) o.payment = nextPayment as ResolvedPaymentParams;
          return o;
        },
      },
    });
  });
  afterAll(() => w.close());

  it('should sign every allowed web parameter and have the gateway accept and use them', async () => {
    const refer = `${w.merchantUrl}/checkout`;
    const info = { business_type: '4', goods_info: 'Green tea^2|Matcha whisk^1', total_quantity: '3' };
    const split = [{ transIn: '2088621891276664', amount: '1.00', currency: 'USD', desc: 'partner share' }];
    const payment: ResolvedPaymentParams = {
      refer_url: refer,
      supplier: 'Lantern and Leaf',
      trade_information: info,
      timeout_rule: '30m',
      order_gmt_create: new Date(w.sandbox.control.now()),
      order_valid_time: 1800,
      split_fund_info: split,
      secondary_merchant_id: 'SUB-001',
      secondary_merchant_name: 'Lantern and Leaf Ltd',
      secondary_merchant_industry: '5499',
      app_pay: 'Y', // wap only: not sent for web
    };
    const r = await checkout(w, payment);
    expect(r.status, r.text).toBe(200);
    const f = r.json.form.fields as Record<string, string>;
    expect(f).toMatchObject({
      service: 'create_forex_trade',
      refer_url: refer,
      supplier: 'Lantern and Leaf',
      trade_information: JSON.stringify(info),
      timeout_rule: '30m',
      order_gmt_create: '2026-11-25 12:00:00',
      order_valid_time: '1800',
      split_fund_info: JSON.stringify(split),
      secondary_merchant_id: 'SUB-001',
      secondary_merchant_name: 'Lantern and Leaf Ltd',
      secondary_merchant_industry: '5499',
      // the router's own fields are untouched
      total_fee: '10.00',
      currency: 'USD',
      notify_url: `${w.merchantUrl}/alipay/notify`,
      return_url: `${w.merchantUrl}/alipay/return`,
    });
    expect(f).not.toHaveProperty('app_pay');
    // The GET link carries the same signed parameters.
    expect(new URL(r.json.url).searchParams.get('trade_information')).toBe(JSON.stringify(info));

    // The gateway verified the signature over all of them and opened its cashier (§3.2 checks passed).
    const page = await cashier(w, r.json.url);
    expect(page.html).toContain('<dt>Supplier</dt><dd>Lantern and Leaf</dd>');
    // timeout_rule reached the gateway: after login the trade expires 30 minutes later (12:00 → 12:30 GMT+8).
    const login = await fetch(page.action('login'), { method: 'POST' });
    expect(await login.text()).toMatch(/WAIT_BUYER_PAY<\/span> until 2026-11-25 12:30:00/);
    // refer_url reached the gateway: "Back to the merchant" after Cancel points at it.
    const cancelled = await (await fetch(page.action('cancel'), { method: 'POST' })).text();
    expect(cancelled).toContain('Payment cancelled');
    expect(cancelled).toMatch(
      new RegExp(`href="${refer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"[^>]*>Back to the merchant`),
    );
  });

  it('should send app_pay for wap and leave out the web-only order_gmt_create/order_valid_time', async () => {
    const r = await checkout(
      w,
      {
        app_pay: 'Y',
        trade_information: '{"business_type":"5","other_business_type":"tea tasting"}',
        order_gmt_create: '2026-11-25 12:00:00',
        order_valid_time: '600',
      },
      'wap',
    );
    expect(r.status, r.text).toBe(200);
    const f = r.json.form.fields as Record<string, string>;
    expect(f).toMatchObject({
      service: 'create_forex_trade_wap',
      app_pay: 'Y',
      trade_information: '{"business_type":"5","other_business_type":"tea tasting"}',
    });
    expect(f).not.toHaveProperty('order_gmt_create');
    expect(f).not.toHaveProperty('order_valid_time');
    const sim = await w.sandbox.control.simulatePayment(r.json.url, { action: 'login' });
    expect(sim.errorCode).toBeUndefined();
  });

  it('should change nothing when payment is absent, null or holds only empty values (the link window is the router default)', async () => {
    for (const payment of [undefined, null, { supplier: '', refer_url: undefined }]) {
      const r = await checkout(w, payment);
      expect(r.status, r.text).toBe(200);
      expect(Object.keys(r.json.form.fields).sort()).toEqual([
        '_input_charset',
        'currency',
        'notify_url',
        'order_gmt_create',
        'order_valid_time',
        'out_trade_no',
        'partner',
        'product_code',
        'return_url',
        'service',
        'sign',
        'sign_type',
        'subject',
        'total_fee',
      ]);
      expect(r.json.form.fields.order_valid_time).toBe('3600');
    }
  });

  it("should send the merchant's own order_gmt_create/order_valid_time pair instead of the default, and store its expiry", async () => {
    const r = await checkout(w, { order_gmt_create: '2026-11-25 12:00:00', order_valid_time: 600 });
    expect(r.status, r.text).toBe(200);
    expect(r.json.form.fields).toMatchObject({ order_gmt_create: '2026-11-25 12:00:00', order_valid_time: '600' });
    expect((await w.ledger.getOrder(r.json.outTradeNo))!.expires_at).toBe('2026-11-25T04:10:00.000Z');
  });

  const overrides: Array<[string, Record<string, unknown>]> = [
    ['total_fee', { total_fee: '0.01' }],
    ['rmb_fee', { rmb_fee: '0.01' }],
    ['currency', { currency: 'JPY' }],
    ['partner', { partner: '2088000000000000' }],
    ['notify_url', { notify_url: 'https://evil.example/notify' }],
    ['return_url', { return_url: 'https://evil.example/return' }],
    ['service', { service: 'create_forex_trade_wap' }],
    ['sign', { sign: '0'.repeat(32) }],
    ['sign_type', { sign_type: 'RSA' }],
    ['_input_charset', { _input_charset: 'gbk' }],
    ['out_trade_no', { out_trade_no: 'OTHER' }],
    ['subject', { subject: 'x' }],
    ['product_code', { product_code: 'NEW_WAP_OVERSEAS_SELLER' }],
    ['hb_fq_param', { supplier: 'ok', hb_fq_param: '{}' }],
    ['__proto__', JSON.parse('{"__proto__":{"total_fee":"0.01"}}') as Record<string, unknown>],
  ];
  for (const [field, payment] of overrides) {
    it(`should refuse payment.${field} with ERR_INVALID_PARAMS and record no order`, async () => {
      const before = (await w.ledger.listOrders()).length;
      const r = await checkout(w, payment);
      expect([r.status, r.json.error.code], r.text).toEqual([400, 'ERR_INVALID_PARAMS']);
      expect(r.json.error.message).toContain(`payment.${field}`);
      expect((await w.ledger.listOrders()).length).toBe(before);
      expect(w.logs.at(-1)).toMatch(/^alipay checkout: the resolved order was refused .*"field":"/);
    });
  }

  const invalid: Array<[string, unknown]> = [
    ['timeout_rule', { timeout_rule: '2d' }],
    ['trade_information', { trade_information: [1, 2] }],
    ['trade_information', { trade_information: '[1,2]' }],
    ['trade_information', { trade_information: '{not json' }],
    ['split_fund_info', { split_fund_info: { transIn: 'x' } }],
    ['refer_url', { refer_url: 'javascript:alert(1)' }],
    ['order_valid_time', { order_gmt_create: '2026-11-25 12:00:00', order_valid_time: 9_999_999 }],
    ['order_valid_time', { order_gmt_create: '2026-11-25 12:00:00' }],
    ['order_gmt_create', { order_gmt_create: new Date(Number.NaN), order_valid_time: 60 }],
    ['secondary_merchant_industry', { secondary_merchant_industry: 'food' }],
    ['supplier', { supplier: 42 }],
    ['(value)', 'refer_url=https://x'],
    ['(value)', ['refer_url']],
  ];
  for (const [field, payment] of invalid) {
    it(`should refuse an invalid ${field} (${JSON.stringify(payment)}) before anything is signed or recorded`, async () => {
      const before = (await w.ledger.listOrders()).length;
      const r = await checkout(w, payment);
      expect(r.status, r.text).toBe(400);
      expect(r.json.error.code).toMatch(/^ERR_INVALID_(PARAMS|DATE)$/);
      expect(r.json.error.message).toContain(field);
      expect((await w.ledger.listOrders()).length).toBe(before);
    });
  }

  it('should throw a typed AlipayValidationError naming the field (what resolveOrder errors map to)', async () => {
    const { _resolvedPaymentParams } = await import('../src/routes/payment-params.js');
    let caught: unknown;
    try {
      _resolvedPaymentParams({ total_fee: '0.01' }, 'web');
    } catch (e) {
      caught = e;
    }
    expect(isAlipayError(caught) && caught.code === 'ERR_INVALID_PARAMS' && caught.field === 'total_fee').toBe(true);
  });
});
