import { describe, it, assert } from 'vitest';
import {
  md5Sign,
  validateCreateForexTrade,
  validateCreateForexTradeWap,
  AlipayValidationError,
} from '../../src/index.js';
import { KEY_A, MD5_VECTORS, paramsOf } from '../fixtures/vectors.js';
import { throwsCode } from '../helpers.js';

const base = {
  partner: '2088101122136241',
  _input_charset: 'UTF-8',
  out_trade_no: '12345',
  subject: 'product_name',
  currency: 'USD',
  total_fee: '350.45',
  notify_url: 'https://example.com/notify',
};

describe('validateCreateForexTrade (§3.2, §3.5, §3.6)', () => {
  it('accepts the §2.7 A4 and A6 parameter sets and keeps their signatures', () => {
    for (const id of ['A4', 'A6']) {
      const v = MD5_VECTORS.find((x) => x.id === id)!;
      const p = validateCreateForexTrade(paramsOf(v.preSign) as never);
      assert.strictEqual(md5Sign(p, KEY_A), v.sign);
    }
    assert.strictEqual(
      validateCreateForexTradeWap(paramsOf(MD5_VECTORS.find((x) => x.id === 'A5')!.preSign) as never).service,
      'create_forex_trade_wap',
    );
  });

  it('fills in service and drops empty values', () => {
    const p = validateCreateForexTrade({ ...base, body: '' });
    assert.strictEqual(p.service, 'create_forex_trade');
    assert.notProperty(p, 'body');
  });

  it('accepts whole JPY and KRW amounts and CNY rmb_fee with two decimals on a JPY order', () => {
    validateCreateForexTrade({ ...base, currency: 'JPY', total_fee: '3' });
    validateCreateForexTrade({ ...base, currency: 'KRW', total_fee: '3.00' });
    validateCreateForexTrade({ ...base, currency: 'JPY', total_fee: undefined, rmb_fee: '1.01' });
  });

  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['both amounts', { rmb_fee: '1.00' }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['neither amount', { total_fee: undefined }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['3.50 JPY', { currency: 'JPY', total_fee: '3.50' }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['three decimals', { total_fee: '1.001' }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['zero', { total_fee: '0.00' }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['too large', { total_fee: '1000000.01' }, 'ERR_INVALID_AMOUNT', 'total_fee'],
    ['CNY currency', { currency: 'CNY' }, 'ERR_INVALID_CURRENCY', 'currency'],
    ['lowercase currency', { currency: 'usd' }, 'ERR_INVALID_CURRENCY', 'currency'],
    ['missing subject', { subject: undefined }, 'ERR_INVALID_PARAMS', 'subject'],
    ['missing out_trade_no', { out_trade_no: '' }, 'ERR_INVALID_PARAMS', 'out_trade_no'],
    ['missing partner', { partner: undefined }, 'ERR_INVALID_PARAMS', 'partner'],
    ['short partner', { partner: '2088' }, 'ERR_INVALID_PARAMS', 'partner'],
    ['long out_trade_no', { out_trade_no: 'x'.repeat(65) }, 'ERR_INVALID_PARAMS', 'out_trade_no'],
    ['129 Chinese characters of subject', { subject: '测'.repeat(129) }, 'ERR_INVALID_PARAMS', 'subject'],
    ['bad timeout_rule', { timeout_rule: '13h' }, 'ERR_INVALID_PARAMS', 'timeout_rule'],
    ['order_gmt_create alone', { order_gmt_create: '2021-08-26 19:34:07' }, 'ERR_INVALID_PARAMS', 'order_valid_time'],
    ['order_valid_time alone', { order_valid_time: '1800' }, 'ERR_INVALID_PARAMS', 'order_gmt_create'],
    [
      'bad order_gmt_create',
      { order_gmt_create: '2021-02-30 10:00:00', order_valid_time: '1800' },
      'ERR_INVALID_DATE',
      'order_gmt_create',
    ],
    [
      'order_valid_time too long',
      { order_gmt_create: '2021-08-26 19:34:07', order_valid_time: '2592001' },
      'ERR_INVALID_PARAMS',
      'order_valid_time',
    ],
    ['charset', { _input_charset: 'latin1' }, 'ERR_INVALID_PARAMS', '_input_charset'],
    ['sign_type', { sign_type: 'md5' }, 'ERR_INVALID_PARAMS', 'sign_type'],
    ['notify_url with a query', { notify_url: 'https://example.com/notify?x=1' }, 'ERR_INVALID_PARAMS', 'notify_url'],
    ['wrong service', { service: 'create_forex_trade_wap' }, 'ERR_INVALID_PARAMS', 'service'],
    ['wrong product_code', { product_code: 'NEW_WAP_OVERSEAS_SELLER' }, 'ERR_INVALID_PARAMS', 'product_code'],
    ['numeric amount', { total_fee: 350.45 }, 'ERR_INVALID_PARAMS', 'total_fee'],
    [
      'trade_information not JSON',
      { trade_information: '{business_type:4' },
      'ERR_INVALID_PARAMS',
      'trade_information',
    ],
    [
      'split_fund_info with 11 entries',
      { split_fund_info: JSON.stringify(Array(11).fill({})) },
      'ERR_INVALID_PARAMS',
      'split_fund_info',
    ],
  ];
  for (const [name, patch, code, field] of cases) {
    it(`throws ${code} on ${field} for ${name}`, () => {
      throwsCode(() => validateCreateForexTrade({ ...base, ...patch } as never), code, field);
    });
  }

  it('accepts the paired order window, timeout rules and lenient split_fund_info quotes', () => {
    validateCreateForexTrade({
      ...base,
      order_gmt_create: '2021-08-26 19:34:07',
      order_valid_time: '1800',
      timeout_rule: '12h',
    });
    validateCreateForexTrade({
      ...base,
      split_fund_info: "[{'transIn':'2088621891276664','amount':'0.10','currency':'USD','desc':'Split _test1'}]",
    });
  });

  it('takes a contract currency list', () => {
    throwsCode(
      () => validateCreateForexTrade({ ...base, currency: 'EUR' }, { currencies: ['USD'] }),
      'ERR_INVALID_CURRENCY',
    );
  });

  it('refuses a __proto__ parameter name', () => {
    const p = JSON.parse('{"__proto__": "x"}');
    assert.throws(() => validateCreateForexTrade({ ...base, ...p }), AlipayValidationError);
  });
});

describe('validateCreateForexTradeWap (§3.1)', () => {
  const wap = { ...base, _input_charset: 'utf-8' };
  it('accepts UTF-8 only', () => {
    validateCreateForexTradeWap(wap);
    throwsCode(
      () => validateCreateForexTradeWap({ ...wap, _input_charset: 'GBK' }),
      'ERR_INVALID_PARAMS',
      '_input_charset',
    );
    validateCreateForexTrade({ ...base, _input_charset: 'gbk' });
  });
  it('has no order window and checks app_pay', () => {
    throwsCode(
      () =>
        validateCreateForexTradeWap({
          ...wap,
          order_gmt_create: '2021-08-26 19:34:07',
          order_valid_time: '1800',
        } as never),
      'ERR_INVALID_PARAMS',
      'order_gmt_create',
    );
    throwsCode(() => validateCreateForexTradeWap({ ...wap, app_pay: 'yes' as never }), 'ERR_INVALID_PARAMS', 'app_pay');
    validateCreateForexTradeWap({ ...wap, app_pay: 'Y', product_code: 'NEW_WAP_OVERSEAS_SELLER' });
  });
});

describe('refer_url (§3.2: the merchant website, an http(s) URL)', () => {
  it('accepts a URL with a query and refuses anything that is not http(s)', () => {
    assert.strictEqual(
      validateCreateForexTrade({ ...base, refer_url: 'https://www.030buy.net/?shop=1' }).refer_url,
      'https://www.030buy.net/?shop=1',
    );
    for (const bad of ['javascript:alert(1)', 'www.example.com', 'https://', 'https://a b.example'])
      throwsCode(() => validateCreateForexTrade({ ...base, refer_url: bad }), 'ERR_INVALID_PARAMS', 'refer_url');
  });
});
