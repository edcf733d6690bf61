/**
 * forex_compare_file / forex_liquidation_file (§8, §9), forex_rate_file (§10) and the
 * secondary-merchant services (§11).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KEY_A,
  md5Hex,
  PARTNER_A,
  paymentUrl,
  presign,
  responseChildren,
  signMd5,
  startSandbox,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running;
afterEach(() => s.close());

const file = (service: string, start?: string, end?: string) =>
  s.get(
    signMd5({
      service,
      partner: PARTNER_A,
      ...(start ? { start_date: start } : {}),
      ...(end ? { end_date: end } : {}),
    }),
  );

describe('forex_compare_file / forex_liquidation_file (§8)', () => {
  beforeEach(async () => {
    s = await startSandbox();
  });

  it('answers the date errors in the §8.3 order, File download failed:-prefixed text/plain', async () => {
    const cases: Array<[string | undefined, string | undefined, string]> = [
      [undefined, '20261120', 'Illegal Date period!'],
      ['2026-11-20', '20261121', 'Date format incorrect YYYYMMDD'],
      ['20261131', '20261121', 'Date format incorrect YYYYMMDD'],
      ['20261122', '20261121', 'Finish date ahead of begin date'],
      ['20261120', '20261125', 'Finish date not ahead of today'],
      ['20261101', '20261111', 'Over 10 days to Date period'],
      ['20261101', '20261110', 'No balance account data in the period'],
    ];
    for (const [start, end, sentence] of cases) {
      const r = await file('forex_compare_file', start, end);
      expect(r.type).toBe('text/plain; charset=utf-8');
      expect(r.text).toBe(`File download failed:${sentence}`);
    }
  });

  it('lists payments and refunds in the legacy 9-column layout with CRLF, and settlements after settle()', async () => {
    await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, { subject: 'Grey | Hours', total_fee: '2125.25', currency: 'HKD' }),
    );
    await s.get(
      signMd5({
        _input_charset: 'UTF-8',
        service: 'forex_refund',
        partner: PARTNER_A,
        out_trade_no: 'ORDER-1',
        out_return_no: 'R-1',
        currency: 'HKD',
        return_amount: '25.25',
        gmt_return: '20261125120000',
        is_sync: 'Y',
      }),
    );
    await s.sandbox.control.advanceClock(86_400_000);
    let r = await file('forex_compare_file', '20261125', '20261125');
    expect(r.text).toBe(
      'ORDER-1|2125.25|HKD|20261125120000||P|21.25|P|Grey   Hours\r\nR-1|25.25|HKD|20261125120000||R|0.00|P|Grey   Hours\r\n',
    );
    expect((await file('forex_liquidation_file', '20261125', '20261125')).text).toBe(
      'File download failed:No balance account data in the period',
    );
    expect(s.sandbox.control.settle()).toBe(2);
    await s.sandbox.control.advanceClock(86_400_000);
    r = await file('forex_liquidation_file', '20261126', '20261126');
    expect(r.text.split('\r\n')).toEqual([
      'ORDER-1|2125.25|HKD|20261125120000|20261126120000|P|21.25|L|Grey   Hours',
      'R-1|25.25|HKD|20261125120000|20261126120000|R|0.00|L|Grey   Hours',
      '',
    ]);
  });

  it('uses the wide §9.3 layout with a header when the merchant asks for it (Settlement = Amount − Fee)', async () => {
    await s.close();
    s = await startSandbox({ merchants: [{ partner: PARTNER_A, md5Key: KEY_A, fileLayout: 'wide' }] });
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { total_fee: '369.30', currency: 'AUD' }));
    await s.sandbox.control.advanceClock(86_400_000);
    const lines = (await file('forex_compare_file', '20261125', '20261125')).text.split('\r\n');
    expect(lines[0]).toMatch(
      /^Partner_transaction_id\|Transaction_id\|Amount\|Rmb_amount\|Fee\|Settlement\|Rmb_settlement\|Currency\|Rate\|Payment_time\|Settlement_time\|Type\|Status\|Remarks\|/,
    );
    const cols = lines[1]!.split('|');
    expect(cols).toHaveLength(lines[0]!.split('|').length); // 21 §9.3 columns + Original_partner_transaction_ID
    expect(cols.slice(2, 10)).toEqual([
      '369.30',
      '1880.59',
      '3.69',
      '365.61',
      '1861.80',
      'AUD',
      '5.09230000',
      '2026-11-25 12:00:00',
    ]);
    expect(lines[2]).toBe('');
  });
});

describe('forex_rate_file (§10)', () => {
  it('answers Date|Time|Currency|Rate lines with six-decimal rates and CRLF endings', async () => {
    s = await startSandbox({ rates: { USD: '6.7064', JPY: '0.059123' } });
    const r = await s.get(signMd5({ service: 'forex_rate_file', partner: PARTNER_A }));
    expect(r.type).toBe('text/plain; charset=utf-8');
    expect(r.text).toBe('20261125|101500|USD|6.706400\r\n20261125|101500|JPY|0.059123\r\n');
  });
});

describe('secondary merchants (§11)', () => {
  const base = { _input_charset: 'UTF-8', partner: PARTNER_A, timestamp: '2026-11-25 12:10:00' };
  const maintain = (extra: Record<string, string> = {}) =>
    s.get(
      signMd5({
        ...base,
        service: 'alipay.overseas.secmerchant.online.maintain',
        secondary_merchant_id: 'MERCHANT_ID_0003',
        secondary_merchant_name: "Mika's coffee shop",
        secondary_merchant_industry: '5499',
        register_country: 'US',
        register_address: '3 Old Concord Rd, Burlington, MA 01803美国',
        site_infos: '[{"site_type":"WEB","site_url":"https://tastegourmet.gobindo.com/stores/kr1/menus"}]',
        secondary_merchant_type: 'INDIVIDUAL',
        ...extra,
      }),
    );
  const status = (extra: Record<string, string> = {}) =>
    s.get(
      signMd5({
        ...base,
        service: 'alipay.overseas.secmerchant.maintain.queryStatus',
        secondary_merchant_id: 'MERCHANT_ID_0003',
        payment_method: 'ONLINE_PAYMENT',
        ...extra,
      }),
    );

  beforeEach(async () => {
    s = await startSandbox();
  });

  it('registers (PENDING), then reports SUCCESS or FAILED with reject_reason as the control API decides (§11.3 shape)', async () => {
    const r = await maintain();
    expect(xmlTag(r.text, 'is_success')).toBe('T');
    const reg = responseChildren(r.text, 'secmerchant');
    expect(reg).toEqual([
      ['result_code', 'SUCCESS'],
      ['secondary_merchant_id', 'MERCHANT_ID_0003'],
      ['payment_method', 'ONLINE_PAYMENT'],
    ]);
    expect(xmlTag(r.text, 'sign')).toBe(md5Hex(presign(Object.fromEntries(reg)), KEY_A));
    expect(Object.fromEntries(responseChildren((await status()).text, 'secmerchant')).status).toBe('PENDING');
    s.sandbox.control.setSecmerchantStatus(
      PARTNER_A,
      'MERCHANT_ID_0003',
      'FAILED',
      'High risk merchant, registration reject.',
    );
    expect(responseChildren((await status()).text, 'secmerchant')).toEqual([
      ['result_code', 'SUCCESS'],
      ['secondary_merchant_id', 'MERCHANT_ID_0003'],
      ['payment_method', 'ONLINE_PAYMENT'],
      ['status', 'FAILED'],
      ['reject_reason', 'High risk merchant, registration reject.'],
    ]);
    const http = await fetch(`${s.base}/_sandbox/secmerchants/${PARTNER_A}/MERCHANT_ID_0003/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUCCESS' }),
    });
    expect(http.status).toBe(200);
    const ok = Object.fromEntries(responseChildren((await status()).text, 'secmerchant'));
    expect(ok.status).toBe('SUCCESS');
    expect(ok.reject_reason).toBeUndefined();
  });

  it('answers PARAM_ILLEGAL for a timestamp more than 30 minutes off, DATA_NOT_EXIST for an unknown id', async () => {
    for (const ts of ['2026-11-25 12:30:01', '2026-11-25 11:29:59', '20261125120000', '']) {
      const r = await maintain({ timestamp: ts });
      expect(xmlTag(r.text, 'is_success')).toBe('T');
      expect(xmlTag(r.text, 'result_code')).toBe('PARAM_ILLEGAL');
      expect(xmlTag(r.text, 'detail_error_des')).toBeTruthy();
    }
    expect(xmlTag((await maintain({ timestamp: '2026-11-25 12:30:00' })).text, 'result_code')).toBe('SUCCESS');
    expect(xmlTag((await status({ secondary_merchant_id: 'NOPE' })).text, 'result_code')).toBe('DATA_NOT_EXIST');
    expect(xmlTag((await maintain({ site_infos: '[]' })).text, 'result_code')).toBe('PARAM_ILLEGAL');
    expect(xmlTag((await maintain({ secondary_merchant_id: 'has space' })).text, 'result_code')).toBe('PARAM_ILLEGAL');
  });
});
