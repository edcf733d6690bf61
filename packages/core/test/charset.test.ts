import { describe, it, assert } from 'vitest';
import { AlipayCharsetError } from '../src/index.js';
import { charsetWireName, decodeText, encodeText, isEncodable, normalizeCharset } from '../src/encoding.js';
import { throwsCode } from './helpers.js';

describe('charset (§1.3, §1.4 rule 2, §2.1 step 6)', () => {
  it('encodes 测试商品 in GBK to B2 E2 CA D4 C9 CC C6 B7 (§1.4 rule 2)', () => {
    assert.deepEqual([...encodeText('测试商品', 'gbk')], [0xb2, 0xe2, 0xca, 0xd4, 0xc9, 0xcc, 0xc6, 0xb7]);
  });
  it('encodes 测试商品 in UTF-8 to E6 B5 8B E8 AF 95 E5 95 86 E5 93 81 (§1.4 rule 2)', () => {
    assert.deepEqual(
      [...encodeText('测试商品', 'utf-8')],
      [0xe6, 0xb5, 0x8b, 0xe8, 0xaf, 0x95, 0xe5, 0x95, 0x86, 0xe5, 0x93, 0x81],
    );
  });
  it('round-trips GBK bytes through decodeText', () => {
    assert.strictEqual(decodeText(encodeText('交易 alex 测试', 'gbk'), 'gbk'), '交易 alex 测试');
  });
  it('refuses an emoji in GBK with ERR_CHARSET_UNENCODABLE naming the field', () => {
    const err = throwsCode(() => encodeText('🎂', 'gbk', { field: 'subject' }), 'ERR_CHARSET_UNENCODABLE', 'subject');
    assert.instanceOf(err, AlipayCharsetError);
    assert.match(err.message, /U\+1F382/);
  });
  it("replaces with '?' only when asked (the demos' behaviour)", () => {
    assert.deepEqual([...encodeText('a🎂', 'gbk', { unencodable: 'replace' })], [0x61, 0x3f]);
  });
  it('refuses lone surrogates in UTF-8', () => {
    throwsCode(() => encodeText('a\ud800b', 'utf-8'), 'ERR_CHARSET_UNENCODABLE');
    assert.isFalse(isEncodable('\udc00', 'utf-8'));
    assert.isTrue(isEncodable('🎂', 'utf-8'));
  });
  it('normalises charset names case-insensitively, GB2312 as GBK', () => {
    assert.strictEqual(normalizeCharset('UTF-8'), 'utf-8');
    assert.strictEqual(normalizeCharset('gb2312'), 'gbk');
    assert.strictEqual(normalizeCharset('GBK'), 'gbk');
    assert.isUndefined(normalizeCharset('latin1'));
    assert.isUndefined(normalizeCharset(null));
    assert.strictEqual(charsetWireName('gbk'), 'GBK');
    assert.strictEqual(charsetWireName('utf-8'), 'UTF-8');
  });
  it('throws ERR_UNSUPPORTED_CHARSET for other charsets', () => {
    throwsCode(() => encodeText('a', 'latin1' as never), 'ERR_UNSUPPORTED_CHARSET');
  });
});
