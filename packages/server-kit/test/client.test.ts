import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlipayError, md5Sign, verifyParams } from '@alipay-kit/core';
import { parseForm } from '@alipay-kit/core/encoding';
import iconv from 'iconv-lite';
import { createGatewayClient, type GatewayClient } from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { startServer, type TestServer } from './helpers/http-server.js';

let srv: TestServer;
beforeAll(async () => (srv = await startServer()));
afterAll(() => srv.close());

function client(extra: Record<string, unknown> = {}): GatewayClient {
  srv.requests.length = 0;
  return createGatewayClient({
    gateway: srv.url,
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    retry: { limit: 2, backoffMs: 5 },
    timeoutMs: 2000,
    ...extra,
  });
}

async function expectCode(p: Promise<unknown>, code: string, gatewayCode?: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isAlipayError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    if (gatewayCode) expect((e as { gatewayCode?: string }).gatewayCode).toBe(gatewayCode);
    expect((e as Error).message).not.toMatch(/sign=|[0-9a-f]{32}|gateway\.do\?/);
    return e as Error;
  }
  throw new Error(`expected rejection with ${code}`);
}

// Protocol §5.5: the 2015 sandbox single_trade_query reply, GBK declaration, MD5 with Key A (§2.7 verified).
const QUERY_XML_2015 = `<?xml version="1.0" encoding="GBK"?>
<alipay>
    <is_success>T</is_success>
    <request>
        <param name="_input_charset">UTF-8</param>
        <param name="service">single_trade_query</param>
        <param name="partner">2088101122136241</param>
        <param name="out_trade_no">100091865</param>
    </request>
    <response>
        <trade>
            <buyer_email>alipaytest20091@gmail.com</buyer_email>
            <buyer_id>2088102000979107</buyer_id>
            <discount>0.00</discount>
            <flag_trade_locked>0</flag_trade_locked>
            <gmt_create>2015-09-24 06:33:01</gmt_create>
            <gmt_last_modified_time>2015-09-24 06:33:22</gmt_last_modified_time>
            <gmt_payment>2015-09-24 06:33:22</gmt_payment>
            <is_total_fee_adjust>F</is_total_fee_adjust>
            <operator_role>B</operator_role>
            <out_trade_no>100091865</out_trade_no>
            <payment_type>18</payment_type>
            <price>0.08</price>
            <quantity>1</quantity>
            <seller_email>overseas_kgtest@163.com</seller_email>
            <seller_id>2088101122136241</seller_id>
            <subject>Parcel fee</subject>
            <to_buyer_fee>0.00</to_buyer_fee>
            <to_seller_fee>0.08</to_seller_fee>
            <total_fee>0.08</total_fee>
            <trade_no>2015092400001000100080038061</trade_no>
            <trade_status>TRADE_FINISHED</trade_status>
            <use_coupon>F</use_coupon>
        </trade>
    </response>
    <sign>7f20766f03ada56c65969a30d860aa1b</sign>
    <sign_type>MD5</sign_type>
</alipay>`;

const ORDER = {
  out_trade_no: 'T-1',
  subject: 'Tea & "cakes" <b>\'',
  currency: 'USD',
  total_fee: '9.9',
  notify_url: 'https://shop.example/alipay/notify',
  return_url: 'https://shop.example/alipay/return',
};

describe('paymentUrl / paymentForm (create_forex_trade, §1.2a, §1.4 rule 7)', () => {
  it('should build a signed GET link that verifies, encoded per §1.4 rule 7', async () => {
    const c = client();
    const url = c.paymentUrl(ORDER);
    expect(url.startsWith(srv.url + '?')).toBe(true);
    const q = url.slice(url.indexOf('?') + 1);
    expect(q).toContain('notify_url=https%3A%2F%2Fshop.example%2Falipay%2Fnotify');
    expect(q).toContain('subject=Tea%20%26%20%22cakes%22%20%3Cb%3E%27');
    const { params } = parseForm(q);
    expect(params.total_fee).toBe('9.90');
    expect(params._input_charset).toBe('UTF-8');
    expect(params.product_code).toBe('NEW_OVERSEAS_SELLER');
    expect(await verifyParams(params, { md5Key: KEY_A }, { signType: 'MD5' })).toBe(true);
  });
  it('should format JPY as a whole number (§3.5 decision)', () => {
    const { params } = parseForm(
      client()
        .paymentUrl({ ...ORDER, currency: 'JPY', total_fee: '300.00' })
        .split('?')[1]!,
    );
    expect(params.total_fee).toBe('300');
  });
  it('should encode GBK bytes for a GBK client (§1.4 rule 2)', async () => {
    const c = client({ charset: 'gbk' });
    const url = c.paymentUrl({ ...ORDER, subject: '测试商品' });
    expect(url).toContain('subject=%B2%E2%CA%D4%C9%CC%C6%B7');
    expect(url).toContain('_input_charset=GBK');
    const { params } = parseForm(url.split('?')[1]!, 'gbk');
    expect(await verifyParams(params, { md5Key: KEY_A }, { signType: 'MD5', charset: 'gbk' })).toBe(true);
  });
  it('should build a form with escaped attributes, accept-charset and _input_charset in action and fields', () => {
    const f = client().paymentForm(ORDER, { variant: 'wap', nonce: 'n"1' });
    expect(f.method).toBe('POST');
    expect(f.action).toBe(srv.url + '?_input_charset=UTF-8');
    expect(f.fields._input_charset).toBe('UTF-8');
    expect(f.fields.service).toBe('create_forex_trade_wap');
    expect(f.fields.subject).toBe(ORDER.subject);
    expect(Object.keys(f.fields).slice(-2)).toEqual(['sign', 'sign_type']);
    expect(f.html).toContain('accept-charset="UTF-8"');
    expect(f.html).toContain('value="Tea &amp; &quot;cakes&quot; &lt;b&gt;&#39;"');
    expect(f.html).toContain('nonce="n&quot;1"');
    expect(f.html).not.toMatch(/<b>/);
    expect(f.htmlWithoutScript).not.toContain('<script');
  });
  const bad: Array<[string, Record<string, unknown>, string, Record<string, unknown>?]> = [
    ['both amounts', { rmb_fee: '1.00' }, 'ERR_INVALID_AMOUNT'],
    ['neither amount', { total_fee: undefined }, 'ERR_INVALID_AMOUNT'],
    ['a float-looking amount', { total_fee: '1.234' }, 'ERR_INVALID_AMOUNT'],
    ['JPY decimals', { currency: 'JPY', total_fee: '3.50' }, 'ERR_INVALID_AMOUNT'],
    ['CNY as currency', { currency: 'CNY' }, 'ERR_INVALID_CURRENCY'],
    ['a notify_url with a query', { notify_url: 'https://a.example/n?x=1' }, 'ERR_INVALID_PARAMS'],
    ['a missing subject', { subject: '' }, 'ERR_INVALID_PARAMS'],
    ['a caller-set sign', { sign: 'x' }, 'ERR_INVALID_PARAMS'],
    ['a bad timeout_rule', { timeout_rule: '4m' }, 'ERR_INVALID_PARAMS'],
    ['an emoji in GBK', { subject: 'tea 🍵' }, 'ERR_CHARSET_UNENCODABLE', { charset: 'gbk' }],
  ];
  for (const [name, patch, code, cfg] of bad) {
    it(`should throw ${code} for ${name}`, () => {
      try {
        client(cfg).paymentUrl({ ...ORDER, ...patch } as never);
        throw new Error('no throw');
      } catch (e) {
        expect((e as { code?: string }).code).toBe(code);
      }
    });
  }
  it('should refuse wap with a GBK client (§1.3)', () => {
    expect(() => client({ charset: 'gbk' }).paymentForm(ORDER, { variant: 'wap' })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_CHARSET' }),
    );
  });
});

describe('query (single_trade_query, §5)', () => {
  it('should verify the §5.5 2015 sample (GBK declaration) and type the trade', async () => {
    const c = client();
    srv.handle((_q, res) => {
      res.setHeader('content-type', 'text/xml');
      res.end(iconv.encode(QUERY_XML_2015, 'gbk'));
    });
    const t = await c.query({ out_trade_no: '100091865' });
    expect(t.trade_status).toBe('TRADE_FINISHED');
    expect(t.subject).toBe('Parcel fee');
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.query).toBe('_input_charset=UTF-8');
    const { params } = parseForm(req.body);
    expect(params.service).toBe('single_trade_query');
    expect(await verifyParams(params, { md5Key: KEY_A }, { signType: 'MD5' })).toBe(true);
  });
  it('should reject a tampered reply with ERR_SIGNATURE_INVALID', async () => {
    const c = client({ retry: { limit: 0 } });
    srv.handle((_q, res) => res.end(QUERY_XML_2015.replace('<total_fee>0.08', '<total_fee>8.00')));
    await expectCode(c.query({ out_trade_no: '100091865' }), 'ERR_SIGNATURE_INVALID');
  });
  it('should reject a <response> without <sign> (§2.5 decision)', async () => {
    const c = client({ retry: { limit: 0 } });
    srv.handle((_q, res) => res.end(QUERY_XML_2015.replace(/<sign>.*<\/sign>/, '')));
    await expectCode(c.query({ out_trade_no: '100091865' }), 'ERR_SIGNATURE_INVALID');
  });
  it('should surface TRADE_NOT_EXIST as ERR_GATEWAY without retrying', async () => {
    const c = client();
    srv.handle((_q, res) =>
      res.end(
        '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>',
      ),
    );
    await expectCode(c.query({ out_trade_no: 'nope' }), 'ERR_GATEWAY', 'TRADE_NOT_EXIST');
    expect(srv.requests).toHaveLength(1);
  });
  it('should retry 5xx and truncated XML, then succeed (3 requests)', async () => {
    const c = client();
    let n = 0;
    srv.handle((_q, res) => {
      n++;
      if (n === 1) {
        res.statusCode = 503;
        return void res.end('busy');
      }
      if (n === 2) return void res.end(QUERY_XML_2015.slice(0, 300));
      res.end(QUERY_XML_2015);
    });
    expect((await c.query({ out_trade_no: '100091865' })).trade_no).toBe('2015092400001000100080038061');
    expect(srv.requests).toHaveLength(3);
  });
  it('should time out with ERR_TIMEOUT after 1 + limit attempts', async () => {
    const c = client({ timeoutMs: 100, retry: { limit: 1, backoffMs: 5 } });
    srv.handle(async (_q, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.end('');
    });
    await expectCode(c.query({ out_trade_no: 'slow' }), 'ERR_TIMEOUT');
    expect(srv.requests).toHaveLength(2);
  });
  it('should map a refused connection to ERR_NETWORK', async () => {
    const c = createGatewayClient({
      gateway: 'http://127.0.0.1:9/gateway.do',
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
      retry: { limit: 0 },
    });
    await expectCode(c.query({ out_trade_no: 'x' }), 'ERR_NETWORK');
  });
  it('should refuse an HTML page with ERR_RESPONSE_UNEXPECTED', async () => {
    const c = client({ retry: { limit: 0 } });
    srv.handle((_q, res) => res.end('<html><body>hello</body></html>'));
    await expectCode(c.query({ out_trade_no: 'x' }), 'ERR_RESPONSE_UNEXPECTED');
  });
  it('should refuse a DOCTYPE (no entity expansion)', async () => {
    const c = client({ retry: { limit: 0 } });
    srv.handle((_q, res) =>
      res.end('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alipay><is_success>T</is_success></alipay>'),
    );
    await expectCode(c.query({ out_trade_no: 'x' }), 'ERR_XML_MALFORMED');
  });
});

describe('refund (forex_refund, §6)', () => {
  const R = { out_trade_no: 'T-1', out_return_no: 'R-1', currency: 'USD', return_amount: '1.5', reason: 'broken' };
  it('should send gmt_return from the injected clock in GMT+8 and answer accepted', async () => {
    const c = client({ now: () => new Date('2026-01-01T00:00:00Z') });
    srv.handle((_q, res) => res.end('<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success></alipay>'));
    const r = await c.refund(R);
    expect(r).toMatchObject({ outcome: 'accepted', attempts: 1, gmt_return: '2026-01-01 08:00:00' });
    const { params } = parseForm(srv.requests[0]!.body);
    expect(params).toMatchObject({
      service: 'forex_refund',
      return_amount: '1.50',
      gmt_return: '2026-01-01 08:00:00',
      out_return_no: 'R-1',
    });
  });
  it('should retry with the SAME out_return_no and treat REPEATED_REFUNDMENT_REQUEST on a retry as possibly done (§6.3)', async () => {
    const c = client({ timeoutMs: 150 });
    let n = 0;
    srv.handle(async (_q, res) => {
      if (++n === 1) await new Promise((r) => setTimeout(r, 400));
      res.end('<alipay><is_success>F</is_success><error>REPEATED_REFUNDMENT_REQUEST</error></alipay>');
    });
    const r = await c.refund(R);
    expect(r.outcome).toBe('possibly_done');
    expect(r.attempts).toBe(2);
    expect(srv.requests[0]!.body).toBe(srv.requests[1]!.body);
  });
  it('should NOT treat REPEATED_REFUNDMENT_REQUEST on the first attempt as success', async () => {
    const c = client();
    srv.handle((_q, res) =>
      res.end('<alipay><is_success>F</is_success><error>REPEATED_REFUNDMENT_REQUEST</error></alipay>'),
    );
    await expectCode(c.refund(R), 'ERR_GATEWAY', 'REPEATED_REFUNDMENT_REQUEST');
    expect(srv.requests).toHaveLength(1);
  });
  it('should not retry a business refusal (RETURN_AMOUNT_EXCEED)', async () => {
    const c = client();
    srv.handle((_q, res) => res.end('<alipay><is_success>F</is_success><error>RETURN_AMOUNT_EXCEED</error></alipay>'));
    await expectCode(c.refund(R), 'ERR_GATEWAY', 'RETURN_AMOUNT_EXCEED');
    expect(srv.requests).toHaveLength(1);
  });
  it('should validate amounts before sending', async () => {
    await expectCode(client().refund({ ...R, return_rmb_amount: '1.00' }), 'ERR_INVALID_AMOUNT');
    expect(srv.requests).toHaveLength(0);
  });
});

describe('notifyVerify (§7)', () => {
  for (const [body, expected] of [
    ['true', true],
    [' true\r\n', true],
    ['false', false],
    ['invalid', false],
    ['TRUE', false],
    ['<alipay/>', false],
  ] as const) {
    it(`should answer ${expected} for body ${JSON.stringify(body)}`, async () => {
      const c = client();
      srv.handle((_q, res) => res.end(body));
      expect(await c.notifyVerify('abc+def')).toBe(expected);
      const req = srv.requests[0]!;
      expect(req.method).toBe('GET');
      expect(req.query).toBe(`service=notify_verify&partner=${PARTNER_A}&notify_id=abc%2Bdef`);
    });
  }
});

// The file methods stream the body through core's parseCompareFile / parseLiquidationFile /
// parseRateFile: rows are core's CompareFileRow / RateFileRow (line, minor, extra).
describe('files (§8, §10)', () => {
  const LINES =
    '20131219-144657-234|0.11|EUR|20131219215228||P|0.00|P|Test\r\n1326557|2125.25|HKD|20131219175840||P|21.25|P|Grey Hours Limited (Testing)\r\n';
  it('should stream the compare file into rows with progress in bytes', async () => {
    const c = client();
    srv.handle((_q, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.write(LINES.slice(0, 30));
      setTimeout(() => res.end(LINES.slice(30)), 20);
    });
    const seen: number[] = [];
    const r = await c.compareFile(
      { start_date: '2013-12-19', end_date: '20131219' },
      { onProgress: (p) => seen.push(p.bytes) },
    );
    expect(r.rows).toHaveLength(2);
    expect(r.rows[1]).toEqual({
      line: 2,
      partner_transaction_id: '1326557',
      amount: '2125.25',
      currency: 'HKD',
      payment_time: '20131219175840',
      settlement_time: '',
      type: 'P',
      fee: '21.25',
      status: 'P',
      remarks: 'Grey Hours Limited (Testing)',
      minor: { amount: 212525, fee: 2125 },
      extra: [],
    });
    expect(r.rows[0]!.minor).toEqual({ amount: 11, fee: 0 });
    expect(r.noData).toBe(false);
    expect(seen.at(-1)).toBe(Buffer.byteLength(LINES));
    expect(r.bytes).toBe(Buffer.byteLength(LINES));
    const { params } = parseForm(srv.requests[0]!.body);
    expect(params).toMatchObject({ service: 'forex_compare_file', start_date: '20131219', end_date: '20131219' });
  });
  it('should read the wide layout by header name (§9.3)', async () => {
    const c = client();
    srv.handle((_q, res) =>
      res.end(
        'Partner_transaction_id|Transaction_id|Amount|Fee|Settlement|Currency|Payment_time|Settlement_time|Type|Status|Remarks\nA1|2017|369.30|2.22|367.08|AUD|2017-08-02 07:36:46|2017-08-03 15:46:00|P|L|\n',
      ),
    );
    const r = await c.liquidationFile({ start_date: '20170801', end_date: '20170803' });
    expect(r.rows[0]).toMatchObject({
      line: 2,
      partner_transaction_id: 'A1',
      transaction_id: '2017',
      amount: '369.30',
      fee: '2.22',
      settlement: '367.08',
      currency: 'AUD',
      status: 'L',
    });
    expect(r.rows[0]!.minor).toEqual({ amount: 36930, fee: 222, settlement: 36708 });
    expect(r.rows[0]!.columns).toMatchObject({ Partner_transaction_id: 'A1', Settlement: '367.08' });
  });
  it('should hand rows to onRow instead of collecting them, progress still counted', async () => {
    const c = client();
    srv.handle((_q, res) => res.end(LINES));
    const ids: string[] = [];
    let last = 0;
    const r = await c.compareFile(
      { start_date: '20131219', end_date: '20131219' },
      {
        onRow: (row) => ids.push(`${row.line}:${row.partner_transaction_id}:${row.minor.amount}`),
        onProgress: (p) => (last = p.bytes),
      },
    );
    expect(ids).toEqual(['1:20131219-144657-234:11', '2:1326557:212525']);
    expect(r.rows).toEqual([]);
    expect(r.bytes).toBe(Buffer.byteLength(LINES));
    expect(last).toBe(r.bytes);
  });
  it('should read a whole-unit currency and a GBK body by the Content-Type charset', async () => {
    const c = client();
    const text = 'J1|1200|JPY|20240101120000||P|12|P|抹茶\r\n';
    srv.handle((_q, res) => {
      res.setHeader('content-type', 'text/plain; charset=GBK');
      res.end(iconv.encode(text, 'gbk'));
    });
    const r = await c.compareFile({ start_date: '20240101', end_date: '20240101' });
    expect(r.rows[0]).toMatchObject({ currency: 'JPY', remarks: '抹茶', minor: { amount: 1200, fee: 12 } });
    expect(r.bytes).toBe(iconv.encode(text, 'gbk').length);
  });
  it('should answer no rows for "No balance account data in the period"', async () => {
    const c = client();
    srv.handle((_q, res) => res.end('File download failed:No balance account data in the period'));
    const r = await c.compareFile({ start_date: '20200101', end_date: '20200102' });
    expect(r.rows).toEqual([]);
    expect(r.noData).toBe(true);
  });
  it('should throw ERR_FILE_REQUEST for an error sentence, without retrying', async () => {
    const c = client();
    // "Before today" is the gateway's to decide (its clock): the client sends, the sentence comes back.
    srv.handle((_q, res) => res.end('File download failed:Finish date not ahead of today'));
    await expectCode(c.compareFile({ start_date: '20200101', end_date: '20200110' }), 'ERR_FILE_REQUEST');
    expect(srv.requests).toHaveLength(1);
  });
  it("should refuse a range over 10 days with core's §8.2 rule, before sending", async () => {
    const e = await expectCode(
      client().compareFile({ start_date: '20200101', end_date: '20200111' }),
      'ERR_INVALID_DATE',
    );
    expect(e.message).toContain('Over 10 days to Date period');
    expect(srv.requests).toHaveLength(0);
  });
  it('should retry "System exception" (safe to repeat), then give up with ERR_FILE_REQUEST', async () => {
    const c = client();
    srv.handle((_q, res) => res.end('System exception'));
    const e = await expectCode(c.rateFile(), 'ERR_FILE_REQUEST');
    expect(e.message).toContain('System exception');
    expect(srv.requests).toHaveLength(3);
  });
  it('should throw AlipayGatewayError ERR_GATEWAY with the XML code for ILLEGAL_PARTNER, without retrying', async () => {
    const c = client();
    srv.handle((_q, res) =>
      res.end(
        '<?xml version="1.0" encoding="GBK"?>\n<alipay><is_success>F</is_success><error>ILLEGAL_PARTNER</error></alipay>',
      ),
    );
    const e = await expectCode(
      c.compareFile({ start_date: '20200101', end_date: '20200102' }),
      'ERR_GATEWAY',
      'ILLEGAL_PARTNER',
    );
    expect(e.name).toBe('AlipayGatewayError');
    expect(srv.requests).toHaveLength(1);
  });
  it('should throw ERR_FILE_LINE naming the line for a short row', async () => {
    const c = client();
    srv.handle((_q, res) => res.end(LINES + 'x|1|USD\r\n'));
    const e = await expectCode(c.compareFile({ start_date: '20200101', end_date: '20200102' }), 'ERR_FILE_LINE');
    expect((e as { line?: number }).line).toBe(3);
    expect(e.name).toBe('AlipayFileError');
  });
  it('should reject a bad date before sending', async () => {
    await expectCode(client().compareFile({ start_date: '20200230', end_date: '20200301' }), 'ERR_INVALID_DATE');
  });
  it('should parse the rate file (§10), GBK-declared client too', async () => {
    const c = client({ charset: 'gbk' });
    srv.handle((_q, res) => res.end('20210826|101500|USD|6.706400\r\n20210826|101500|JPY|0.059123\r\n'));
    const r = await c.rateFile();
    expect(r.rows).toEqual([
      { line: 1, date: '20210826', time: '101500', currency: 'USD', rate: '6.706400', extra: [] },
      { line: 2, date: '20210826', time: '101500', currency: 'JPY', rate: '0.059123', extra: [] },
    ]);
    expect(srv.requests[0]!.query).toBe('_input_charset=GBK');
  });
});

describe('secondary merchants (§11)', () => {
  function reply(fields: Record<string, string>): string {
    const sign = md5Sign(fields, KEY_A);
    const leaves = Object.entries(fields)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join('');
    return `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><response><secmerchant>${leaves}</secmerchant></response><sign>${sign}</sign><sign_type>MD5</sign_type></alipay>`;
  }
  it('should register and read the queryStatus result', async () => {
    const c = client({ now: () => new Date('2026-01-01T00:00:00Z') });
    srv.handle((q, res) => {
      const { params } = parseForm(q.body);
      if (params.service === 'alipay.overseas.secmerchant.online.maintain')
        res.end(reply({ result_code: 'SUCCESS', secondary_merchant_id: 'M_1' }));
      else
        res.end(
          reply({
            result_code: 'SUCCESS',
            secondary_merchant_id: 'M_1',
            payment_method: 'ONLINE_PAYMENT',
            status: 'pending',
          }),
        );
    });
    await c.secmerchantMaintain({
      secondary_merchant_id: 'M_1',
      secondary_merchant_name: "Mika's coffee shop",
      secondary_merchant_industry: '5499',
      register_country: 'US',
      register_address: '3 Old Concord Rd',
      site_infos: [{ site_type: 'WEB', site_url: 'https://a.example' }],
    });
    const { params } = parseForm(srv.requests[0]!.body);
    expect(params.timestamp).toBe('2026-01-01 08:00:00');
    expect(params.site_infos).toBe('[{"site_type":"WEB","site_url":"https://a.example"}]');
    expect((await c.secmerchantQueryStatus({ secondary_merchant_id: 'M_1' })).status).toBe('PENDING');
  });
  it('should throw the result_code as gatewayCode on a business failure (§11.3)', async () => {
    const c = client();
    srv.handle((_q, res) => res.end(reply({ result_code: 'DATA_NOT_EXIST', detail_error_des: 'unknown' })));
    await expectCode(c.secmerchantQueryStatus({ secondary_merchant_id: 'M_9' }), 'ERR_GATEWAY', 'DATA_NOT_EXIST');
  });
});

describe('createGatewayClient configuration', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a bad gateway', { gateway: 'ftp://x' }, /gateway/],
    ['a bad partner', { partner: '' }, /partner/],
    ['a bad charset', { charset: 'latin1' }, /charset/],
    ['no signer', { signType: undefined }, /signer/],
    ['a bad timeout', { timeoutMs: -1 }, /timeoutMs/],
  ];
  for (const [name, patch, re] of cases) {
    it(`should throw TypeError for ${name}`, () => {
      expect(() =>
        createGatewayClient({
          gateway: srv.url,
          partner: PARTNER_A,
          signType: 'MD5',
          md5Key: KEY_A,
          ...patch,
        } as never),
      ).toThrow(re);
    });
  }
  it('should resolve the presets', () => {
    expect(
      createGatewayClient({ gateway: 'production', partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A }).gatewayUrl,
    ).toBe('https://intlmapi.alipay.com/gateway.do');
    expect(
      createGatewayClient({ gateway: 'sandbox', partner: PARTNER_A, signType: 'MD5', md5Key: KEY_A }).gatewayUrl,
    ).toBe('https://mapi.alipaydev.com/gateway.do');
  });
});
