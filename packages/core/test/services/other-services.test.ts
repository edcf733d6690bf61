import { describe, it, assert } from 'vitest';
import {
  checkFileDateRange,
  formatBeijingDate,
  formatBeijingDateTime,
  md5Sign,
  normalizeSecmerchantStatus,
  parseBeijingDateTime,
  readNotifyVerifyResponse,
  validateForexCompareFile,
  validateForexLiquidationFile,
  validateForexRateFile,
  validateNotifyVerify,
  validateSecmerchantOnlineMaintain,
  validateSecmerchantQueryStatus,
  validateSingleTradeQuery,
} from '../../src/index.js';
import { SERVICE_NAMES, SERVICE_REGISTRY, getServiceInfo, isInputCharsetAllowed } from '../../src/encoding.js';
import { KEY_A, MD5_VECTORS, paramsOf } from '../fixtures/vectors.js';
import { throwsCode } from '../helpers.js';

const sign = (id: string, p: object) =>
  assert.strictEqual(md5Sign(p as never, KEY_A), MD5_VECTORS.find((v) => v.id === id)!.sign);
const vector = (id: string) => paramsOf(MD5_VECTORS.find((v) => v.id === id)!.preSign) as never;

describe('service registry (§0, §1.2c, §1.3)', () => {
  it('lists the ten services with their charsets and media types', () => {
    assert.strictEqual(SERVICE_NAMES.length, 10);
    for (const n of SERVICE_NAMES) assert.strictEqual(SERVICE_REGISTRY[n].name, n);
    assert.deepEqual([...SERVICE_REGISTRY.create_forex_trade_wap.inputCharsets], ['UTF-8']);
    assert.deepEqual([...SERVICE_REGISTRY.forex_refund.inputCharsets], ['UTF-8', 'GBK']);
    assert.strictEqual(SERVICE_REGISTRY.create_forex_trade.responseMediaType, 'text/html');
    assert.strictEqual(SERVICE_REGISTRY.single_trade_query.responseMediaType, 'text/xml');
    assert.strictEqual(SERVICE_REGISTRY.forex_rate_file.responseMediaType, 'text/plain');
    assert.isFalse(SERVICE_REGISTRY.notify_verify.signed);
  });
  it('answers case-insensitively for charsets and undefined for unknown services', () => {
    assert.isTrue(isInputCharsetAllowed('single_trade_query', 'gb2312'));
    assert.isFalse(isInputCharsetAllowed('create_forex_trade_wap', 'gbk'));
    assert.isUndefined(getServiceInfo('__proto__'));
    assert.isUndefined(getServiceInfo('alipay.overseas.secmerchant.maintain.querystatus'));
    assert.isUndefined(getServiceInfo(42));
  });
});

describe('validateSingleTradeQuery (§5.2)', () => {
  it('accepts A7 and refuses A8 (neither id: ILLEGAL_ARGUMENT at the gateway)', () => {
    sign('A7', validateSingleTradeQuery(vector('A7')));
    throwsCode(() => validateSingleTradeQuery(vector('A8')), 'ERR_INVALID_PARAMS', 'out_trade_no');
    validateSingleTradeQuery({
      partner: '2088101122136241',
      trade_no: '2015092400001000100080038061',
      _input_charset: 'GB2312',
    });
  });
});

describe('validateNotifyVerify / readNotifyVerifyResponse (§7)', () => {
  it('needs partner and notify_id', () => {
    validateNotifyVerify({ partner: '2088101122136241', notify_id: 'abcdefghijklmnopqrst' });
    throwsCode(() => validateNotifyVerify({ partner: '2088101122136241' } as never), 'ERR_INVALID_PARAMS', 'notify_id');
  });
  it('only true confirms', () => {
    assert.strictEqual(readNotifyVerifyResponse('true'), 'true');
    assert.strictEqual(readNotifyVerifyResponse(' true\r\n'), 'true');
    assert.strictEqual(readNotifyVerifyResponse('false'), 'false');
    assert.strictEqual(readNotifyVerifyResponse('invalid'), 'invalid');
    assert.strictEqual(readNotifyVerifyResponse('TRUE'), 'other');
    assert.strictEqual(readNotifyVerifyResponse(null), 'other');
  });
});

describe('file services (§8.2, §8.3, §10)', () => {
  it('accept A1, A2, A3 and reproduce their signatures', () => {
    sign('A1', validateForexCompareFile(vector('A1'), { today: '20120301' }));
    sign('A2', validateForexLiquidationFile(vector('A2'), { today: '20120301' }));
    sign('A3', validateForexRateFile(vector('A3')));
  });
  const cases: Array<[string, string | undefined, string | undefined, string | undefined]> = [
    ['20120202', undefined, undefined, 'Illegal Date period!'],
    ['2012-02-02', '20120205', undefined, 'Date format incorrect YYYYMMDD'],
    ['20120230', '20120305', undefined, 'Date format incorrect YYYYMMDD'],
    ['20120205', '20120202', undefined, 'Finish date ahead of begin date'],
    ['20120202', '20120205', '20120205', 'Finish date not ahead of today'],
    ['20120202', '20120212', undefined, 'Over 10 days to Date period'],
    ['20120202', '20120211', undefined, undefined],
    ['20120228', '20120301', '20120302', undefined],
  ];
  for (const [start, end, today, sentence] of cases) {
    it(`checkFileDateRange(${start}, ${end}, today=${today}) → ${sentence ?? 'ok'}`, () => {
      const r = checkFileDateRange(start, end, today === undefined ? {} : { today });
      if (sentence === undefined) assert.isTrue(r.ok);
      else {
        assert.isFalse(r.ok);
        assert.strictEqual((r as { sentence: string }).sentence, sentence);
      }
    });
  }
  it('counts inclusive days across a leap day', () => {
    assert.deepEqual(checkFileDateRange('20240228', '20240301'), { ok: true, days: 3 });
  });
  it('throws ERR_INVALID_DATE with the sentence from the validators', () => {
    const err = throwsCode(
      () => validateForexCompareFile({ partner: '2088101122136241', start_date: '20120205', end_date: '20120202' }),
      'ERR_INVALID_DATE',
      'end_date',
    );
    assert.include(err.message, 'Finish date ahead of begin date');
    throwsCode(
      () => validateForexLiquidationFile({ partner: '2088101122136241', start_date: '20120202' } as never),
      'ERR_INVALID_PARAMS',
      'end_date',
    );
  });
});

describe('Beijing time helpers', () => {
  it('format and parse GMT+8 without reading a clock', () => {
    const at = Date.UTC(2021, 7, 26, 11, 34, 7);
    assert.strictEqual(formatBeijingDateTime(at), '2021-08-26 19:34:07');
    assert.strictEqual(formatBeijingDate(Date.UTC(2021, 7, 25, 16, 0, 0)), '20210826');
    assert.strictEqual(formatBeijingDate(Date.UTC(2021, 7, 25, 15, 59, 59)), '20210825');
    assert.strictEqual(parseBeijingDateTime('2021-08-26 19:34:07'), at);
    assert.isUndefined(parseBeijingDateTime('2021-08-26'));
    assert.throws(() => formatBeijingDate(Number.NaN), TypeError);
  });
});

describe('secondary-merchant services (§11)', () => {
  const maintain = {
    partner: '2088101122136241',
    timestamp: '2021-08-26 19:34:07',
    secondary_merchant_name: "Mika's coffee shop",
    secondary_merchant_id: 'MERCHANT_ID_0003',
    secondary_merchant_industry: '5499',
    register_country: 'US',
    register_address: '3 Old Concord Rd, Burlington, MA 01803美国',
    secondary_merchant_type: 'INDIVIDUAL' as const,
    shareholder_name: 'mika',
    shareholder_id: '3428000000000000',
    contact_no: '18688888888',
    site_infos: '[{"site_type":"WEB","site_url":"https://tastegourmet.gobindo.com/stores/kr1/menus"}]',
  };
  const now = Date.UTC(2021, 7, 26, 11, 34, 7);
  it('accepts the §11.1 melitigo sample values', () => {
    const p = validateSecmerchantOnlineMaintain(maintain, { now });
    assert.strictEqual(p.service, 'alipay.overseas.secmerchant.online.maintain');
  });
  it('enforces the 30-minute timestamp window and its format', () => {
    validateSecmerchantOnlineMaintain(maintain, { now: now + 30 * 60 * 1000 });
    throwsCode(
      () => validateSecmerchantOnlineMaintain(maintain, { now: now + 30 * 60 * 1000 + 1000 }),
      'ERR_INVALID_DATE',
      'timestamp',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain(maintain, { now: now - 31 * 60 * 1000 }),
      'ERR_INVALID_DATE',
      'timestamp',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, timestamp: '20210826193407' }),
      'ERR_INVALID_DATE',
      'timestamp',
    );
  });
  it('checks ids, MCC, country and site_infos', () => {
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, secondary_merchant_id: 'ID 1' }),
      'ERR_INVALID_PARAMS',
      'secondary_merchant_id',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, secondary_merchant_industry: '54' }),
      'ERR_INVALID_PARAMS',
      'secondary_merchant_industry',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, register_country: 'USA' }),
      'ERR_INVALID_PARAMS',
      'register_country',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, site_infos: '[]' }),
      'ERR_INVALID_PARAMS',
      'site_infos',
    );
    throwsCode(
      () => validateSecmerchantOnlineMaintain({ ...maintain, site_infos: '[{"site_type":"TV","site_url":"x"}]' }),
      'ERR_INVALID_PARAMS',
      'site_infos',
    );
    throwsCode(
      () =>
        validateSecmerchantOnlineMaintain({
          ...maintain,
          site_infos: JSON.stringify(Array(6).fill({ site_type: 'WEB', site_url: 'x' })),
        }),
      'ERR_INVALID_PARAMS',
      'site_infos',
    );
  });
  it('validates queryStatus and reads status case-insensitively', () => {
    const q = {
      partner: '2088101122136241',
      timestamp: '2021-08-26 19:34:07',
      secondary_merchant_id: 'MERCHANT_ID_0003',
      payment_method: 'ONLINE_PAYMENT' as const,
    };
    assert.strictEqual(validateSecmerchantQueryStatus(q).service, 'alipay.overseas.secmerchant.maintain.queryStatus');
    throwsCode(
      () => validateSecmerchantQueryStatus({ ...q, payment_method: 'INSTORE_PAYMENT' }),
      'ERR_INVALID_PARAMS',
      'store_id',
    );
    throwsCode(
      () => validateSecmerchantQueryStatus({ ...q, payment_method: undefined } as never),
      'ERR_INVALID_PARAMS',
      'payment_method',
    );
    assert.strictEqual(normalizeSecmerchantStatus('pending'), 'PENDING');
    assert.isUndefined(normalizeSecmerchantStatus('DONE'));
  });
});
