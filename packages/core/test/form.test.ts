import { describe, it, assert } from 'vitest';
import fc from 'fast-check';
import { md5Sign } from '../src/index.js';
import {
  encodeForm,
  parseForm,
  parseFormPairs,
  percentDecode,
  percentEncode,
  sniffInputCharset,
} from '../src/encoding.js';
import { A4_URL, B2_URL, KEY_A, KEY_B, MD5_VECTORS, paramsOf } from './fixtures/vectors.js';

describe('form encoding (§1.4)', () => {
  it('builds the §2.7 A4 request URL exactly', () => {
    const a4 = MD5_VECTORS.find((v) => v.id === 'A4')!;
    const params: Record<string, string> = paramsOf(a4.preSign);
    params.sign = md5Sign(params, KEY_A);
    params.sign_type = 'MD5';
    assert.strictEqual('https://mapi.alipaydev.com/gateway.do?' + encodeForm(params), A4_URL);
  });

  it("parses chloerei's unsorted B2 URL and verifies its sign (§6.7)", () => {
    const { params } = parseForm(B2_URL.slice(B2_URL.indexOf('?') + 1));
    assert.strictEqual(md5Sign(params, KEY_B), params.sign);
  });

  it('encodes GBK and UTF-8 bytes (§1.4 rule 2) and base64 signs (rule 3)', () => {
    assert.strictEqual(percentEncode('测试商品', 'gbk'), '%B2%E2%CA%D4%C9%CC%C6%B7');
    assert.strictEqual(percentEncode('测试商品', 'utf-8'), '%E6%B5%8B%E8%AF%95%E5%95%86%E5%93%81');
    assert.strictEqual(percentEncode('a+b/c='), 'a%2Bb%2Fc%3D');
    assert.strictEqual(percentEncode('a b~-._'), 'a%20b~-._');
  });

  it('encodes every ASCII string byte by byte, the same in UTF-8 and GBK (rule 7; ASCII fast path)', () => {
    // Reference: the platform's own UTF-8 bytes of the string (TextEncoder, present in Node and
    // every browser engine this suite runs in), every byte outside A–Z a–z 0–9 - _ . ~ as %XX.
    const reference = (s: string) =>
      [...new TextEncoder().encode(s)]
        .map((b) =>
          /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
        )
        .join('');
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => {
        assert.strictEqual(percentEncode(s, 'utf-8'), reference(s));
        assert.strictEqual(percentEncode(s, 'gbk'), reference(s));
      }),
      { numRuns: 500 },
    );
    assert.strictEqual(percentEncode("\x00\x7f*!()'"), '%00%7F%2A%21%28%29%27');
    // The fast path still refuses a charset it does not know.
    assert.throws(() => percentEncode('abc', 'latin1' as never), /unsupported charset/);
  });

  it("decodes '+' as a space and %XX in the charset (rule 7)", () => {
    assert.strictEqual(percentDecode('a+b%2Bc'), 'a b+c');
    assert.strictEqual(percentDecode('%B2%E2%CA%D4', 'gbk'), '测试');
    assert.strictEqual(percentDecode('100%'), '100%');
  });

  it('keeps duplicates in pairs and reports them in parseForm', () => {
    assert.deepEqual(parseFormPairs('a=1&a=2&b'), [
      ['a', '1'],
      ['a', '2'],
      ['b', ''],
    ]);
    const r = parseForm('a=1&a=2&__proto__=x');
    assert.strictEqual(r.params.a, '1');
    assert.deepEqual(r.duplicates, ['a']);
    assert.strictEqual(Object.getPrototypeOf(r.params), null);
    assert.strictEqual(r.params['__proto__'], 'x');
  });

  it('sniffs _input_charset from a raw body', () => {
    assert.strictEqual(sniffInputCharset('service=x&_input_charset=GBK&a=1'), 'GBK');
    assert.isUndefined(sniffInputCharset('a=1'));
  });
});
