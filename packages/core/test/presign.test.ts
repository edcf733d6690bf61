import { describe, it, assert } from 'vitest';
import fc from 'fast-check';
import { AlipayValidationError, buildPreSignString } from '../src/index.js';
import { parseForm } from '../src/encoding.js';
import { MD5_VECTORS, PRESIGN_PAGE_EXAMPLE, paramsOf } from './fixtures/vectors.js';
import {
  NOTIFY_12_1_PRESIGN,
  NOTIFY_12_1_URL,
  NOTIFY_12_2_BODY,
  NOTIFY_12_2_PRESIGN,
  NOTIFY_12_3_RAW,
  NOTIFY_12_4,
} from './fixtures/samples.js';
import { hostileValues } from './helpers.js';

function shuffled<T>(a: T[]): T[] {
  return [...a].reverse();
}

describe('buildPreSignString', () => {
  for (const v of MD5_VECTORS) {
    it(`reproduces the pre-sign string of §2.7 ${v.id} from unsorted params (${v.source})`, () => {
      const params = Object.fromEntries(shuffled(Object.entries(paramsOf(v.preSign))));
      params.sign = v.sign;
      params.sign_type = 'MD5';
      params.body = '';
      assert.strictEqual(buildPreSignString(params), v.preSign);
    });
  }

  it('reproduces the §2.1 pre-sign page example, JSON and apostrophe raw', () => {
    assert.strictEqual(buildPreSignString(PRESIGN_PAGE_EXAMPLE.params), PRESIGN_PAGE_EXAMPLE.preSign);
  });

  it("gives the corrected §12.1 pre-sign string (not the seed's mis-sorted one)", () => {
    const query = NOTIFY_12_1_URL.slice(NOTIFY_12_1_URL.indexOf('?') + 1);
    assert.strictEqual(buildPreSignString(paramsOf(query)), NOTIFY_12_1_PRESIGN);
    assert.include(NOTIFY_12_1_PRESIGN, 'notify_time=2017-08-11 17:31:39&notify_type=');
  });

  it('gives the §12.2 pre-sign string from the form-encoded body', () => {
    assert.strictEqual(buildPreSignString(parseForm(NOTIFY_12_2_BODY).params), NOTIFY_12_2_PRESIGN);
  });

  it('gives the §12.3 pre-sign string (sign and sign_type dropped, values raw)', () => {
    assert.strictEqual(
      buildPreSignString(paramsOf(NOTIFY_12_3_RAW)),
      'currency=USD&notify_id=5ac236e4cf7822d205cedcc252b54ebwg1&notify_time=2020-01-14 15:23:12&notify_type=trade_status_sync&out_trade_no=FALCN32YWXN2CL4KFT8&total_fee=108.00&trade_no=2020011421001003050502834160&trade_status=TRADE_STATUS',
    );
  });

  it('gives the §12.4 / §2.7 odoo pre-sign string', () => {
    assert.strictEqual(buildPreSignString(NOTIFY_12_4), MD5_VECTORS.find((v) => v.id === 'odoo')!.preSign);
  });

  it('sorts by UTF-16 code unit, not localeCompare (§2.1 step 4)', () => {
    assert.strictEqual(buildPreSignString({ b: '1', B: '2', _a: '3', a: '4', '1': '5' }), '1=5&B=2&_a=3&a=4&b=1');
    assert.strictEqual(buildPreSignString({ out_trade_no: '1', out_return_no: '2' }), 'out_return_no=2&out_trade_no=1');
    assert.strictEqual(
      buildPreSignString({ notify_type: 'c', notify_time: 'b', notify_id: 'a' }),
      'notify_id=a&notify_time=b&notify_type=c',
    );
    assert.strictEqual(
      buildPreSignString({ out_trade_no_x: '2', out_trade_no: '1' }),
      'out_trade_no=1&out_trade_no_x=2',
    );
  });

  it('drops sign and sign_type ignoring ASCII case, keeps keys that merely start with sign', () => {
    assert.strictEqual(
      buildPreSignString({ SIGN: 'a', Sign_Type: 'b', signature: 'c', sign_types: 'd', x: '1' }),
      'sign_types=d&signature=c&x=1',
    ); // '_' (0x5F) sorts before 'a'
  });

  it('keeps whitespace, "0" and raw characters; drops empty, null and undefined', () => {
    assert.strictEqual(
      buildPreSignString({ a: ' ', b: '0', c: '', d: null, e: undefined, f: '交易 alex ', g: 'x&y=z%2B' }),
      'a= &b=0&f=交易 alex &g=x&y=z%2B',
    );
  });

  it('writes finite numbers with String()', () => {
    assert.strictEqual(buildPreSignString({ out_trade_no: 1629946242, n: 0 }), 'n=0&out_trade_no=1629946242');
  });

  it('throws ERR_INVALID_PARAMS for objects, arrays, booleans and non-finite numbers', () => {
    for (const bad of [{}, [], true, NaN, Infinity, 1n]) {
      assert.throws(() => buildPreSignString({ a: bad as never }), AlipayValidationError);
    }
  });

  it('ignores inherited properties and treats an own __proto__ key as data', () => {
    const params = JSON.parse('{"__proto__": "p", "a": "1"}') as Record<string, string>;
    assert.strictEqual(buildPreSignString(params), '__proto__=p&a=1');
    const child = Object.create({ inherited: 'x' }) as Record<string, string>;
    child.own = 'y';
    assert.strictEqual(buildPreSignString(child), 'own=y');
    const bare = Object.create(null) as Record<string, string>;
    bare.z = '1';
    assert.strictEqual(buildPreSignString(bare), 'z=1');
  });

  it('survives hostile inputs with a typed error or a string, never a crash', () => {
    for (const h of hostileValues()) {
      try {
        const out = buildPreSignString(h as never);
        assert.isString(out);
      } catch (e) {
        assert.isTrue(e instanceof TypeError || e instanceof AlipayValidationError, String(e));
      }
    }
  });
});

describe('buildPreSignString properties (fast-check)', () => {
  const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !/[&=]/.test(k) && k !== '__proto__');
  const value = fc.string({ maxLength: 16 });
  const dict = fc.dictionary(key, value, { maxKeys: 12 });
  // Values go into the pre-sign string raw (§2.1), so a value holding '&' cannot be split back
  // into pairs: the property that parses the output draws values without it.
  const splittableValue = value.filter((v) => !v.includes('&'));
  const splittableDict = fc.dictionary(key, splittableValue, { maxKeys: 12 });

  it('does not depend on insertion order', () => {
    fc.assert(
      fc.property(dict, (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        return buildPreSignString(d) === buildPreSignString(reversed);
      }),
    );
  });

  it('never contains sign/sign_type in any case, nor an empty value', () => {
    fc.assert(
      fc.property(
        splittableDict,
        fc.constantFrom('sign', 'SIGN', 'Sign', 'sign_type', 'SIGN_TYPE', 'Sign_Type'),
        splittableValue,
        (d, excluded, v) => {
          const params = { ...d, [excluded]: v };
          const out = buildPreSignString(params);
          const keys = out === '' ? [] : out.split('&').map((p) => p.slice(0, p.indexOf('=')));
          return (
            !keys.some((k) => k.toLowerCase() === 'sign' || k.toLowerCase() === 'sign_type') &&
            keys.every((k) => params[k] !== '')
          );
        },
      ),
    );
  });

  it('keeps exactly the non-empty, non-excluded keys, sorted by code unit, values raw', () => {
    fc.assert(
      fc.property(dict, (d) => {
        const expected = Object.keys(d)
          .filter((k) => d[k] !== '' && !/^(sign|sign_type)$/i.test(k))
          .sort()
          .map((k) => `${k}=${d[k]}`)
          .join('&');
        return buildPreSignString(d) === expected;
      }),
    );
  });

  it('drops null and undefined like empty strings', () => {
    fc.assert(
      fc.property(dict, key, fc.constantFrom(null, undefined, ''), (d, k, nothing) => {
        const without = { ...d };
        delete without[k];
        return buildPreSignString({ ...d, [k]: nothing }) === buildPreSignString(without);
      }),
    );
  });
});
