import { describe, it, assert } from 'vitest';
import { isGmtReturn, md5Sign, validateForexRefund } from '../../src/index.js';
import { KEY_A, KEY_B, MD5_VECTORS, paramsOf } from '../fixtures/vectors.js';
import { throwsCode } from '../helpers.js';

const base = {
  partner: '2088101122136241',
  out_return_no: 'R1',
  out_trade_no: 'T1',
  currency: 'USD',
  return_amount: '1.00',
  gmt_return: '2021-08-26 18:32:35',
  reason: 'no_reason',
};

describe('validateForexRefund (§6.2)', () => {
  it('accepts the §2.7 A9, A10 and B2 parameter sets unchanged', () => {
    for (const id of ['A9', 'A10', 'B2']) {
      const v = MD5_VECTORS.find((x) => x.id === id)!;
      const p = validateForexRefund(paramsOf(v.preSign) as never);
      assert.strictEqual(md5Sign(p, id === 'B2' ? KEY_B : KEY_A), v.sign);
    }
  });
  it('accepts both gmt_return formats and nothing else', () => {
    assert.isTrue(isGmtReturn('20150320120000'));
    assert.isTrue(isGmtReturn('2021-08-26 18:32:35'));
    for (const bad of ['2015-03-20', '20150320', '2015/03/20 12:00:00', '20151320120000', '2021-08-26T18:32:35', 42])
      assert.isFalse(isGmtReturn(bad));
    throwsCode(() => validateForexRefund({ ...base, gmt_return: '2015-03-20' }), 'ERR_INVALID_DATE', 'gmt_return');
  });
  it('wants exactly one of return_amount / return_rmb_amount', () => {
    throwsCode(
      () => validateForexRefund({ ...base, return_rmb_amount: '1.00' }),
      'ERR_INVALID_AMOUNT',
      'return_amount',
    );
    throwsCode(() => validateForexRefund({ ...base, return_amount: undefined }), 'ERR_INVALID_AMOUNT', 'return_amount');
    validateForexRefund({ ...base, currency: 'JPY', return_amount: undefined, return_rmb_amount: '1.01' });
  });
  it('applies the JPY whole-number rule to return_amount', () => {
    throwsCode(
      () => validateForexRefund({ ...base, currency: 'JPY', return_amount: '1.50' }),
      'ERR_INVALID_AMOUNT',
      'return_amount',
    );
    validateForexRefund({ ...base, currency: 'JPY', return_amount: '2' });
  });
  it('refuses CNY as the refund currency, long reasons, bad is_sync', () => {
    throwsCode(() => validateForexRefund({ ...base, currency: 'CNY' }), 'ERR_INVALID_CURRENCY', 'currency');
    throwsCode(() => validateForexRefund({ ...base, reason: 'r'.repeat(101) }), 'ERR_INVALID_PARAMS', 'reason');
    throwsCode(() => validateForexRefund({ ...base, is_sync: 'y' as never }), 'ERR_INVALID_PARAMS', 'is_sync');
    throwsCode(
      () => validateForexRefund({ ...base, out_return_no: undefined as never }),
      'ERR_INVALID_PARAMS',
      'out_return_no',
    );
  });
});
