import { describe, it, assert } from 'vitest';
import {
  cnyToForeign,
  currencyDecimals,
  foreignToCny,
  formatGatewayAmount,
  formatRequestAmount,
  isSettlementCurrency,
  toMinorUnits,
} from '../src/index.js';
import { throwsCode } from './helpers.js';

describe('money (§3.5)', () => {
  it('reads amounts to minor units per currency', () => {
    assert.strictEqual(toMinorUnits('350.45', 'USD'), 35045);
    assert.strictEqual(toMinorUnits('0.1', 'USD'), 10);
    assert.strictEqual(toMinorUnits('3', 'JPY'), 3);
    assert.strictEqual(toMinorUnits('3.00', 'JPY'), 3);
    assert.strictEqual(toMinorUnits('1000000.00', 'USD'), 100000000);
    assert.strictEqual(toMinorUnits('17.00', 'JPY', { range: false }), 17);
    assert.strictEqual(toMinorUnits('0.00', 'USD', { range: false }), 0);
  });
  it('refuses 3.50 JPY, three decimals, floats, signs, exponents and out-of-range values', () => {
    for (const [v, c] of [
      ['3.50', 'JPY'],
      ['1.001', 'USD'],
      ['-1', 'USD'],
      ['1e3', 'USD'],
      ['01.00', 'USD'],
      ['0.00', 'USD'],
      ['1000000.01', 'USD'],
      [' 1', 'USD'],
      ['1.', 'USD'],
      ['', 'USD'],
    ] as const) {
      throwsCode(() => toMinorUnits(v, c), 'ERR_INVALID_AMOUNT');
    }
    throwsCode(() => toMinorUnits(1.5 as never, 'USD'), 'ERR_INVALID_AMOUNT');
  });
  it('formats requests (JPY whole) and gateway outputs (always 2 decimals)', () => {
    assert.strictEqual(formatRequestAmount(3, 'JPY'), '3');
    assert.strictEqual(formatRequestAmount(10, 'USD'), '0.10');
    assert.strictEqual(formatRequestAmount(10, 'CNY'), '0.10');
    assert.strictEqual(formatGatewayAmount(17, 'JPY'), '17.00');
    assert.strictEqual(formatGatewayAmount(35045, 'USD'), '350.45');
    assert.throws(() => formatRequestAmount(1.5, 'USD'), RangeError);
    assert.throws(() => formatRequestAmount(-1, 'USD'), RangeError);
  });
  it('converts with half-up rounding: the §3.5 captures', () => {
    assert.strictEqual(foreignToCny(10, 'HKD', '0.85420000'), 9); // HKD 0.10 → CNY 0.09 (seed sample)
    assert.strictEqual(cnyToForeign(101, 'JPY', '0.059123'), 17); // rmb_fee 1.01 → JPY 17
    assert.strictEqual(cnyToForeign(20, 'JPY', '0.059123'), 3); // 0.20 → 3
    assert.strictEqual(cnyToForeign(10, 'JPY', '0.059123'), 2); // 0.10 → 2
  });
  it('knows the currency list and decimals', () => {
    assert.isTrue(isSettlementCurrency('USD'));
    assert.isFalse(isSettlementCurrency('CNY'));
    assert.isFalse(isSettlementCurrency('usd'));
    assert.strictEqual(currencyDecimals('KRW'), 0);
    assert.strictEqual(currencyDecimals('EUR'), 2);
  });
});
