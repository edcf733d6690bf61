// Issue 16 point 1: core's verify-then-parse functions accept a pluggable Verifier (server-kit's
// node:crypto one), plus the readers and date helper the Node client now takes from core.
import { describe, it, assert } from 'vitest';
import {
  AlipayGatewayError,
  isVerifier,
  md5Sign,
  normalizeBeijingDate,
  parseGatewayXml,
  readForexRefundResponse,
  readSecmerchantResult,
  verifyGatewayXml,
  verifyNotification,
  verifyParams,
  type Verifier,
} from '../src/index.js';
import { KEY_A } from './fixtures/vectors.js';
import { QUERY_XML_2015, XML_REFUND_OK, XML_TRADE_NOT_EXIST } from './fixtures/samples.js';
import { rejectsCode } from './helpers.js';

/** Core's own MD5 check behind the interface, recording what it was asked. */
function recording(): Verifier & { seen: Array<Record<string, string>> } {
  const seen: Array<Record<string, string>> = [];
  return { seen, verify: async (p) => (seen.push(p), verifyParams(p, { md5Key: KEY_A }, { signType: 'MD5' })) };
}

const PAYMENT = {
  notify_id: 'n1',
  notify_type: 'trade_status_sync',
  notify_time: '2026-11-25 12:00:00',
  out_trade_no: 'A1',
  trade_no: '2026',
  total_fee: '10.00',
  currency: 'USD',
  trade_status: 'TRADE_FINISHED',
};

describe('Verifier (pluggable verification)', () => {
  it('tells a verifier from keys', () => {
    assert.isTrue(isVerifier({ verify: async () => true }));
    assert.isFalse(isVerifier({ md5Key: KEY_A }));
    assert.isFalse(isVerifier(null));
  });

  it('verifyNotification verifies with the given verifier, then parses', async () => {
    const v = recording();
    const params = { ...PAYMENT, sign: md5Sign(PAYMENT, KEY_A), sign_type: 'MD5' };
    const n = await verifyNotification(params, v, { expect: 'notification' });
    assert.strictEqual(n.kind, 'payment');
    assert.deepEqual(v.seen, [params]);
  });

  it('verifyNotification rejects ERR_NOTIFICATION_INVALID on field sign when the verifier says no', async () => {
    const params = { ...PAYMENT, sign: md5Sign(PAYMENT, KEY_A), sign_type: 'MD5', total_fee: '1000.00' };
    const e = await rejectsCode(verifyNotification(params, recording()), 'ERR_NOTIFICATION_INVALID');
    assert.strictEqual(e.field, 'sign');
  });

  it('verifyGatewayXml hands the <response> fields plus sign to the verifier', async () => {
    const v = recording();
    const r = parseGatewayXml(QUERY_XML_2015);
    assert.isTrue(await verifyGatewayXml(r, v));
    assert.strictEqual(v.seen.length, 1);
    assert.strictEqual(v.seen[0]!.sign, r.sign);
    assert.strictEqual(v.seen[0]!.trade_no, r.response!.fields.trade_no);
    assert.isFalse(
      await verifyGatewayXml(
        parseGatewayXml(QUERY_XML_2015.replace('<total_fee>0.08</total_fee>', '<total_fee>8.00</total_fee>')),
        v,
      ),
    );
  });

  it('verifyGatewayXml does not ask the verifier when nothing is signed, and fails a <response> without <sign>', async () => {
    const v = recording();
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(XML_REFUND_OK), v));
    assert.isFalse(await verifyGatewayXml(parseGatewayXml(QUERY_XML_2015.replace(/<sign>.*<\/sign>/, '')), v));
    assert.strictEqual(v.seen.length, 0);
  });
});

describe('readForexRefundResponse (§6.4)', () => {
  it('reads T as accepted', () => {
    assert.deepEqual(readForexRefundResponse(parseGatewayXml(XML_REFUND_OK)), { is_success: 'T' });
  });
  it('throws the gateway code verbatim for F', () => {
    try {
      readForexRefundResponse(parseGatewayXml(XML_TRADE_NOT_EXIST));
      assert.fail('no throw');
    } catch (e) {
      assert.instanceOf(e, AlipayGatewayError);
      assert.strictEqual((e as AlipayGatewayError).gatewayCode, 'TRADE_NOT_EXIST');
    }
  });
});

describe('normalizeBeijingDate (§8.2)', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['20210826', '20210826'],
    ['2021-08-26', '20210826'],
    ['20200229', '20200229'],
    ['20200230', undefined],
    ['2021-0826', undefined],
    ['2021/08/26', undefined],
    ['２０２１０８２６', undefined],
    [20210826, undefined],
    ['', undefined],
  ];
  for (const [input, out] of cases) {
    it(`gives ${String(out)} for ${JSON.stringify(input)}`, () => assert.strictEqual(normalizeBeijingDate(input), out));
  }
});

describe('readSecmerchantResult status (§11.2: case-insensitive)', () => {
  const wrap = (status: string) =>
    parseGatewayXml(
      `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><response><secmerchant><result_code>SUCCESS</result_code><status>${status}</status></secmerchant></response><sign>s</sign><sign_type>MD5</sign_type></alipay>`,
    );
  it('upper-cases a known status and keeps an unknown one verbatim', () => {
    assert.strictEqual(readSecmerchantResult(wrap('pending')).status, 'PENDING');
    assert.strictEqual(readSecmerchantResult(wrap('Audit')).status, 'Audit');
  });
});
