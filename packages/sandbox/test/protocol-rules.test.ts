/**
 * The document's rules where the sandbox used to be looser (issue 13), over real HTTP:
 * String(n) widths (§3.2), split_fund_info (§3.4), MCC and app_pay (§3.2), refund currency
 * (§6.4 step 1), default currencies (§3.5), queryStatus INSTORE_PAYMENT (§11.2), the wide file
 * layout (§6.8, §9.3), and the optional lenient acknowledgement (§4) and refund throttle (§6.3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  PARTNER_A,
  paymentUrl,
  responseChildren,
  signMd5,
  startMerchant,
  startSandbox,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** The §3.7 error code of a payment link, or `CASHIER` when the cashier opened. */
async function payCode(sb: Running, extra: Record<string, string>, service = 'create_forex_trade'): Promise<string> {
  const text = await (
    await fetch(
      paymentUrl(sb.gateway, {
        service,
        ...(service.endsWith('_wap') ? { product_code: 'NEW_WAP_OVERSEAS_SELLER' } : {}),
        ...extra,
      }),
    )
  ).text();
  return (
    /id="alipay-error-code"[^>]*>([A-Z_]+)</.exec(text)?.[1] ??
    (text.includes('id="merchant-name"') ? 'CASHIER' : 'UNKNOWN')
  );
}
const han = (n: number) => '测'.repeat(n);
const refund = (sb: Running, extra: Record<string, string>) =>
  sb.get(
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

describe('String(n) limits count a non-ASCII character as 2 (§3.2)', () => {
  it('should refuse a 200-character Chinese subject and accept 128', async () => {
    s = await startSandbox();
    expect(await payCode(s, { subject: han(200) })).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { subject: han(129) })).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { subject: han(128) })).toBe('CASHIER');
    expect(await payCode(s, { body: han(201) })).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { out_trade_no: `O-${han(32)}` })).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { secondary_merchant_id: han(33) })).toBe('ILLEGAL_ARGUMENT');
  });

  it('should refuse a refund reason over String(100) and a Chinese out_return_no over String(64)', async () => {
    s = await startSandbox();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    expect(xmlTag((await refund(s, { reason: han(51) })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    expect(xmlTag((await refund(s, { out_return_no: han(33) })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    expect(xmlTag((await refund(s, { reason: han(50) })).text, 'is_success')).toBe('T');
  });

  it('should refuse a secondary merchant name over String(64) with PARAM_ILLEGAL (§11.1)', async () => {
    s = await startSandbox();
    const r = await s.get(
      signMd5({
        _input_charset: 'UTF-8',
        partner: PARTNER_A,
        timestamp: '2026-11-25 12:10:00',
        service: 'alipay.overseas.secmerchant.online.maintain',
        secondary_merchant_id: 'M1',
        secondary_merchant_name: han(33),
        secondary_merchant_industry: '5499',
        register_country: 'CN',
        register_address: 'x',
        site_infos: '[{"site_type":"WEB","site_url":"https://shop.test/"}]',
      }),
    );
    expect(xmlTag(r.text, 'result_code')).toBe('PARAM_ILLEGAL');
    expect(xmlTag(r.text, 'detail_error_des')).toMatch(/String\(64\)/);
  });
});

describe('split_fund_info (§3.4)', () => {
  const entry = (e: Record<string, unknown> = {}) => ({
    transIn: '2088621891276664',
    amount: '1.00',
    currency: 'USD',
    desc: 'share',
    ...e,
  });
  it('should read strict JSON first (an apostrophe in desc is fine) and single quotes only as a fallback', async () => {
    s = await startSandbox();
    expect(await payCode(s, { split_fund_info: JSON.stringify([entry({ desc: "Mika's share" })]) })).toBe('CASHIER');
    expect(
      await payCode(s, {
        split_fund_info: "[{'transIn':'2088621891276664','amount':'0.10','currency':'USD','desc':'Split _test1'}]",
      }),
    ).toBe('CASHIER');
  });

  it('should refuse a bad transIn, another currency, more than 10 entries or more than the price with ILLEGAL_ARGUMENT', async () => {
    s = await startSandbox();
    for (const bad of [
      [entry({ transIn: '2088' })],
      [entry({ currency: 'EUR' })],
      [entry({ currency: undefined })],
      Array.from({ length: 11 }, () => entry({ amount: '0.10' })),
      [entry({ amount: '6.00' }), entry({ amount: '4.01' })],
      [entry({ amount: '0.00' })],
    ]) {
      expect(await payCode(s, { split_fund_info: JSON.stringify(bad) }), JSON.stringify(bad)).toBe('ILLEGAL_ARGUMENT');
    }
    // An rmb_fee order splits in CNY (§3.4).
    expect(
      await payCode(s, {
        total_fee: '',
        rmb_fee: '10.00',
        split_fund_info: JSON.stringify([entry({ currency: 'CNY' })]),
      }),
    ).toBe('CASHIER');
    expect(await payCode(s, { total_fee: '', rmb_fee: '10.00', split_fund_info: JSON.stringify([entry()]) })).toBe(
      'ILLEGAL_ARGUMENT',
    );
  });
});

describe('other §3.2 / §6.4 / §3.5 / §11.2 rules', () => {
  it('should check secondary_merchant_industry (4-digit MCC) and wap app_pay (Y/N)', async () => {
    s = await startSandbox();
    expect(await payCode(s, { secondary_merchant_industry: '54A9' })).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { secondary_merchant_industry: '5499' })).toBe('CASHIER');
    expect(await payCode(s, { app_pay: 'yes' }, 'create_forex_trade_wap')).toBe('ILLEGAL_ARGUMENT');
    expect(await payCode(s, { app_pay: 'Y' }, 'create_forex_trade_wap')).toBe('CASHIER');
  });

  it('should answer a malformed refund currency ILLEGAL_ARGUMENT (step 1) and another one CURRENCY_NOT_SAME (step 4)', async () => {
    s = await startSandbox();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    expect(xmlTag((await refund(s, { currency: 'usd' })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    expect(xmlTag((await refund(s, { currency: 'US$' })).text, 'error')).toBe('ILLEGAL_ARGUMENT');
    expect(xmlTag((await refund(s, { currency: 'EUR' })).text, 'error')).toBe('CURRENCY_NOT_SAME');
  });

  it("should contract core's settlement currencies by default, NZD included", async () => {
    s = await startSandbox();
    const out = await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { currency: 'NZD', total_fee: '5.00' }));
    expect(out.errorCode).toBeUndefined();
    expect(s.sandbox.control.trades()[0]).toMatchObject({ currency: 'NZD', total_fee: '5.00' });
    expect(await payCode(s, { currency: 'CNY' })).toBe('ILLEGAL_CURRENCY');
  });

  it('should accept INSTORE_PAYMENT + store_id on queryStatus (DATA_NOT_EXIST: no in-store registrations) and want store_id with it', async () => {
    s = await startSandbox();
    const q = (extra: Record<string, string>) =>
      s!.get(
        signMd5({
          _input_charset: 'UTF-8',
          partner: PARTNER_A,
          timestamp: '2026-11-25 12:10:00',
          service: 'alipay.overseas.secmerchant.maintain.queryStatus',
          secondary_merchant_id: 'M1',
          ...extra,
        }),
      );
    const instore = await q({ payment_method: 'INSTORE_PAYMENT', store_id: 'STORE-1' });
    expect(xmlTag(instore.text, 'is_success')).toBe('T');
    expect(Object.fromEntries(responseChildren(instore.text, 'secmerchant')).result_code).toBe('DATA_NOT_EXIST');
    expect(xmlTag((await q({ payment_method: 'INSTORE_PAYMENT' })).text, 'result_code')).toBe('PARAM_ILLEGAL');
    expect(xmlTag((await q({ payment_method: 'OFFLINE' })).text, 'result_code')).toBe('PARAM_ILLEGAL');
  });
});

describe('wide file layout (§6.8, §9.3)', () => {
  it('should carry every §9.3 settlement column and Original_partner_transaction_ID on refund rows', async () => {
    s = await startSandbox({
      merchants: [{ partner: PARTNER_A, md5Key: '760bdzec6y9goq7ctyx96ezkz78287de', fileLayout: 'wide' }],
    });
    await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, {
        total_fee: '369.30',
        currency: 'AUD',
        secondary_merchant_id: 'SUB1',
        secondary_merchant_name: 'Mika coffee',
        secondary_merchant_industry: '5499',
      }),
    );
    expect(xmlTag((await refund(s, { currency: 'AUD', return_amount: '9.30', is_sync: 'Y' })).text, 'is_success')).toBe(
      'T',
    );
    await s.sandbox.control.advanceClock(86_400_000);
    const body = (
      await s.get(
        signMd5({ service: 'forex_compare_file', partner: PARTNER_A, start_date: '20261125', end_date: '20261125' }),
      )
    ).text;
    const [header, ...rows] = body
      .split('\r\n')
      .filter(Boolean)
      .map((l) => l.split('|'));
    expect(header).toEqual([
      'Partner_transaction_id',
      'Transaction_id',
      'Amount',
      'Rmb_amount',
      'Fee',
      'Settlement',
      'Rmb_settlement',
      'Currency',
      'Rate',
      'Payment_time',
      'Settlement_time',
      'Type',
      'Status',
      'Remarks',
      'Secondary_merchant_industry',
      'Secondary_merchant_name',
      'Operator_name',
      'Order_scene',
      'Trans_currency',
      'Trans_amount',
      'Trans_forex_rate',
      'Original_partner_transaction_ID',
    ]);
    const byName = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    expect(byName[0]).toMatchObject({
      Partner_transaction_id: 'ORDER-1',
      Type: 'P',
      Secondary_merchant_industry: '5499',
      Secondary_merchant_name: 'Mika coffee',
      Trans_currency: 'AUD',
      Trans_amount: '369.30',
      Trans_forex_rate: '1',
      Original_partner_transaction_ID: '',
    });
    expect(byName[1]).toMatchObject({
      Partner_transaction_id: 'R1',
      Type: 'R',
      Amount: '9.30',
      Original_partner_transaction_ID: 'ORDER-1',
    });
  });
});

describe('optional behaviours, each behind a setting', () => {
  it('should count "SUCCESS\\n" as an acknowledgement only with lenientAcknowledgement (§4)', async () => {
    const m = await startMerchant(() => ({ body: 'SUCCESS\n' }));
    try {
      for (const lenient of [false, true]) {
        s = await startSandbox({ lenientAcknowledgement: lenient });
        await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/notify` }));
        await s.sandbox.control.flushNotifications();
        expect(s.sandbox.control.notifications()[0]!.state).toBe(lenient ? 'acknowledged' : 'pending');
        await s.close();
        s = undefined;
      }
    } finally {
      await m.close();
    }
  });

  it('should refuse settings of the wrong kind at start-up, naming them', async () => {
    const { createSandbox } = await import('../src/index.js');
    const merchants = [{ partner: PARTNER_A, md5Key: 'k' }];
    expect(() => createSandbox({ merchants, lenientAcknowledgement: 'yes' as never })).toThrow(
      /options\.lenientAcknowledgement must be true or false/,
    );
    expect(() => createSandbox({ merchants, refundThrottle: { per: 'buyer' as never } })).toThrow(
      /refundThrottle\.per/,
    );
    expect(() => createSandbox({ merchants, refundThrottle: { intervalMs: 0 } })).toThrow(/refundThrottle\.intervalMs/);
    expect(() => createSandbox({ merchants: [{ ...merchants[0]!, currencies: ['USD', 'XYZ'] }] })).toThrow(
      /"XYZ" has no rate/,
    );
  });

  it('should answer SYSTEM_EXCEPTION within 3 s of the previous refund with refundThrottle (§6.3), and T afterwards', async () => {
    let now = Date.UTC(2026, 10, 25, 4, 0, 0);
    s = await startSandbox({ refundThrottle: true, now: () => now });
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'ORDER-2' }));
    expect(xmlTag((await refund(s, { out_return_no: 'R1' })).text, 'is_success')).toBe('T');
    now += 2_999;
    // Per partner (§6.3 "from the same partner"): another trade is throttled too.
    expect(xmlTag((await refund(s, { out_return_no: 'R2', out_trade_no: 'ORDER-2' })).text, 'error')).toBe(
      'SYSTEM_EXCEPTION',
    );
    expect(s.sandbox.control.refunds().map((r) => r.out_return_no)).toEqual(['R1']);
    now += 1;
    expect(xmlTag((await refund(s, { out_return_no: 'R2', out_trade_no: 'ORDER-2' })).text, 'is_success')).toBe('T');
    await s.close();
    // Per trade: only the same trade waits.
    s = await startSandbox({ refundThrottle: { per: 'trade' }, now: () => now });
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway));
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { out_trade_no: 'ORDER-2' }));
    expect(xmlTag((await refund(s, { out_return_no: 'R1' })).text, 'is_success')).toBe('T');
    expect(xmlTag((await refund(s, { out_return_no: 'R2', out_trade_no: 'ORDER-2' })).text, 'is_success')).toBe('T');
    expect(xmlTag((await refund(s, { out_return_no: 'R3' })).text, 'error')).toBe('SYSTEM_EXCEPTION');
  });
});
