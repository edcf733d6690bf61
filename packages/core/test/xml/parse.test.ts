import { describe, it, assert } from 'vitest';
import {
  AlipayGatewayError,
  gatewayErrorFrom,
  parseGatewayXml,
  readSecmerchantResult,
  readTradeQueryResponse,
} from '../../src/index.js';
import { encodeText } from '../../src/encoding.js';
import {
  QUERY_XML_2015,
  QUERY_XML_2017,
  XML_ILLEGAL_PARTNER,
  XML_REFUND_EXCEED,
  XML_REFUND_OK,
  XML_TRADE_NOT_EXIST,
} from '../fixtures/samples.js';
import { throwsCode } from '../helpers.js';

describe('parseGatewayXml (§1.5)', () => {
  it('reads the 2017 §5.5 sample: request echo with sendFormat, trade, sign', () => {
    const r = parseGatewayXml(QUERY_XML_2017);
    assert.strictEqual(r.is_success, 'T');
    assert.strictEqual(r.request.sendFormat, 'normal');
    assert.strictEqual(r.request.out_trade_no, '2009011803596246');
    assert.strictEqual(r.response!.name, 'trade');
    assert.strictEqual(r.response!.fields.body, 'hello');
    assert.strictEqual(Object.keys(r.response!.fields).length, 23);
    assert.strictEqual(r.sign, '6283ce0cf5aaa812d9c1d29719d53e8d');
    assert.strictEqual(r.sign_type, 'MD5');
    const trade = readTradeQueryResponse(r);
    assert.strictEqual(trade.trade_status, 'TRADE_FINISHED');
    assert.strictEqual(trade.total_fee, '0.02');
  });

  it('reads the indented GBK-declared 2015 sample from a string and from bytes', () => {
    const s = parseGatewayXml(QUERY_XML_2015);
    assert.strictEqual(s.response!.fields.subject, 'Parcel fee');
    const b = parseGatewayXml(encodeText(QUERY_XML_2015, 'gbk'));
    assert.deepEqual({ ...b.response!.fields }, { ...s.response!.fields });
  });

  it('decodes a GBK body by its declaration and a UTF-8 body by default', () => {
    const xml =
      '<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><response><trade><subject>交易 5200</subject></trade></response><sign>x</sign></alipay>';
    assert.strictEqual(parseGatewayXml(encodeText(xml, 'gbk')).response!.fields.subject, '交易 5200');
    const utf = xml.replace('GBK', 'utf-8');
    assert.strictEqual(parseGatewayXml(encodeText(utf, 'utf-8')).response!.fields.subject, '交易 5200');
    assert.strictEqual(
      parseGatewayXml(encodeText(xml, 'gbk'), { charset: 'gbk' }).response!.fields.subject,
      '交易 5200',
    );
  });

  it('reads failures: TRADE_NOT_EXIST, ILLEGAL_PARTNER, RETURN_AMOUNT_EXCEED; and the bare refund T', () => {
    for (const [xml, code] of [
      [XML_TRADE_NOT_EXIST, 'TRADE_NOT_EXIST'],
      [XML_ILLEGAL_PARTNER, 'ILLEGAL_PARTNER'],
      [XML_REFUND_EXCEED, 'RETURN_AMOUNT_EXCEED'],
    ] as const) {
      const r = parseGatewayXml(xml);
      assert.strictEqual(r.is_success, 'F');
      assert.strictEqual(r.error, code);
      assert.isUndefined(r.response);
      const e = gatewayErrorFrom(r);
      assert.instanceOf(e, AlipayGatewayError);
      assert.strictEqual(e.code, 'ERR_GATEWAY');
      assert.strictEqual(e.gatewayCode, code);
      assert.throws(() => readTradeQueryResponse(r), AlipayGatewayError);
    }
    const ok = parseGatewayXml(XML_REFUND_OK);
    assert.strictEqual(ok.is_success, 'T');
    assert.isUndefined(ok.response);
    assert.isUndefined(ok.sign);
  });

  it('does not depend on element order or whitespace', () => {
    const r = parseGatewayXml(
      '<alipay>\n <sign_type>MD5</sign_type><sign>s</sign>\n<response><trade><b>2</b><a>1</a></trade></response><is_success>T</is_success><!-- c --></alipay>',
    );
    assert.strictEqual(r.is_success, 'T');
    assert.deepEqual({ ...r.response!.fields }, { b: '2', a: '1' });
  });

  it('keeps leaf text untrimmed and decodes the predefined entities, CDATA and char refs', () => {
    const r = parseGatewayXml(
      '<alipay><is_success>T</is_success><response><trade><s> a &amp; b &lt;c&gt; &quot;&apos; </s><c><![CDATA[x&y]]></c><n>&#20132;&#x6613;</n><e></e></trade></response></alipay>',
    );
    assert.strictEqual(r.response!.fields.s, ' a & b <c> "\' ');
    assert.strictEqual(r.response!.fields.c, 'x&y');
    assert.strictEqual(r.response!.fields.n, '交易');
    assert.strictEqual(r.response!.fields.e, '');
  });

  it('refuses DOCTYPE, custom entities and billion laughs with ERR_XML_MALFORMED', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><alipay><is_success>T</is_success><error>&lol2;</error></alipay>';
    throwsCode(() => parseGatewayXml(lol), 'ERR_XML_MALFORMED');
    throwsCode(
      () => parseGatewayXml('<alipay><is_success>T</is_success><error>&ent;</error></alipay>'),
      'ERR_XML_MALFORMED',
    );
    throwsCode(() => parseGatewayXml('<!doctype alipay SYSTEM "file:///etc/passwd"><alipay/>'), 'ERR_XML_MALFORMED');
    throwsCode(
      () => parseGatewayXml('<alipay><is_success>T</is_success><error>&#0;</error></alipay>'),
      'ERR_XML_MALFORMED',
    );
  });

  it('refuses malformed XML with ERR_XML_MALFORMED', () => {
    for (const bad of [
      '',
      '<alipay>',
      '<alipay><is_success>T</alipay>',
      'true',
      '<a>1</a><b>2</b>',
      '<alipay><is_success>T & F</is_success></alipay>',
      '<alipay>\u0000</alipay>',
      '<a>'.repeat(5000),
    ]) {
      const err = throwsCode(() => parseGatewayXml(bad), 'ERR_XML_MALFORMED');
      assert.isBelow(err.message.length, 300);
    }
    const deep = '<alipay>' + '<a>'.repeat(20000) + '</a>'.repeat(20000) + '</alipay>';
    throwsCode(() => parseGatewayXml(deep), 'ERR_XML_MALFORMED');
  });

  it('refuses unexpected shapes with ERR_RESPONSE_UNEXPECTED', () => {
    for (const bad of [
      '<html><body>ILLEGAL_SIGN</body></html>',
      '<alipay><is_success>Y</is_success></alipay>',
      '<alipay><error>X</error></alipay>',
      '<alipay><is_success>T</is_success><is_success>F</is_success></alipay>',
      '<alipay><is_success>T</is_success><response><a/><b/></response></alipay>',
      '<alipay><is_success>T</is_success><response></response></alipay>',
      '<alipay><is_success>T</is_success><response><trade><x><y>1</y></x></trade></response></alipay>',
      '<alipay><is_success>T</is_success><response><trade><x>1</x><x>2</x></trade></response></alipay>',
      '<alipay><is_success>T</is_success>text</alipay>',
      '<?xml version="1.0" encoding="Shift_JIS"?><alipay/>',
    ]) {
      const body = bad.includes('Shift_JIS') ? encodeText(bad, 'utf-8') : bad;
      throwsCode(() => parseGatewayXml(body), 'ERR_RESPONSE_UNEXPECTED');
    }
  });

  it('enforces the size limit with ERR_RESPONSE_TOO_LARGE', () => {
    const big = '<alipay><is_success>T</is_success><x>' + 'a'.repeat(1024 * 1024) + '</x></alipay>';
    throwsCode(() => parseGatewayXml(big), 'ERR_RESPONSE_TOO_LARGE');
    throwsCode(() => parseGatewayXml(encodeText(big, 'utf-8')), 'ERR_RESPONSE_TOO_LARGE');
    throwsCode(() => parseGatewayXml(XML_TRADE_NOT_EXIST, { maxBytes: 20 }), 'ERR_RESPONSE_TOO_LARGE');
  });

  it('keeps a __proto__ param name as data and refuses a __proto__ element without pollution', () => {
    const r = parseGatewayXml(
      '<alipay><is_success>T</is_success><request><param name="__proto__">p</param></request><response><trade><hasOwnProperty>y</hasOwnProperty></trade></response><sign>s</sign></alipay>',
    );
    assert.strictEqual(r.request['__proto__'], 'p');
    assert.strictEqual(r.response!.fields['hasOwnProperty'], 'y');
    // fast-xml-parser refuses __proto__/constructor element names: a typed error, not a crash
    throwsCode(
      () =>
        parseGatewayXml(
          '<alipay><is_success>T</is_success><response><trade><constructor>y</constructor></trade></response></alipay>',
        ),
      'ERR_XML_MALFORMED',
    );
    throwsCode(
      () =>
        parseGatewayXml(
          '<alipay><is_success>T</is_success><response><trade><__proto__><polluted>x</polluted></__proto__></trade></response></alipay>',
        ),
      'ERR_XML_MALFORMED',
    );
    assert.isUndefined(({} as Record<string, unknown>).polluted);
  });
});

describe('secondary-merchant results (§11.3)', () => {
  const wrap = (inner: string) =>
    `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><response><secmerchant>${inner}</secmerchant></response><sign>s</sign><sign_type>MD5</sign_type></alipay>`;
  it('reads SUCCESS with status', () => {
    const r = readSecmerchantResult(
      parseGatewayXml(
        wrap(
          '<result_code>SUCCESS</result_code><secondary_merchant_id>MERCHANT_ID_0003</secondary_merchant_id><payment_method>ONLINE_PAYMENT</payment_method><status>PENDING</status>',
        ),
      ),
    );
    assert.isTrue(r.ok);
    assert.strictEqual(r.status, 'PENDING');
    assert.strictEqual(r.secondary_merchant_id, 'MERCHANT_ID_0003');
    assert.isUndefined(r.code);
  });
  it('takes the failure code from result_code, then detail_error_code, then error', () => {
    assert.strictEqual(
      readSecmerchantResult(
        parseGatewayXml(wrap('<result_code>PARAM_ILLEGAL</result_code><detail_error_des>bad</detail_error_des>')),
      ).code,
      'PARAM_ILLEGAL',
    );
    assert.strictEqual(
      readSecmerchantResult(
        parseGatewayXml(wrap('<result_code></result_code><detail_error_code>DATA_NOT_EXIST</detail_error_code>')),
      ).code,
      'DATA_NOT_EXIST',
    );
    assert.strictEqual(
      readSecmerchantResult(parseGatewayXml(wrap('<error>SYSTEM_ERROR</error>'))).code,
      'SYSTEM_ERROR',
    );
    const f = readSecmerchantResult(parseGatewayXml(XML_ILLEGAL_PARTNER));
    assert.isFalse(f.ok);
    assert.strictEqual(f.code, 'ILLEGAL_PARTNER');
    const e = gatewayErrorFrom(parseGatewayXml(wrap('<result_code>PARAM_ILLEGAL</result_code>')));
    assert.strictEqual(e.gatewayCode, 'PARAM_ILLEGAL');
  });
  it('does not care about the wrapper element name', () => {
    const r = readSecmerchantResult(
      parseGatewayXml(wrap('<result_code>SUCCESS</result_code>').replace(/secmerchant>/g, 'merchant>')),
    );
    assert.isTrue(r.ok);
  });
});
