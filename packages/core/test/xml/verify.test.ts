import { describe, it, assert } from 'vitest';
import { parseGatewayXml, buildResponsePreSignString, verifyGatewayXml } from '../../src/index.js';
import { KEY_A, MD5_VECTORS, RSA_VECTOR } from '../fixtures/vectors.js';
import { QUERY_XML_2015, QUERY_XML_2017, XML_REFUND_OK, XML_TRADE_NOT_EXIST } from '../fixtures/samples.js';
import { TEST_PRIVATE_KEY_BARE, TEST_PUBLIC_KEY_PEM } from '../fixtures/keys.js';
import { rejectsCode, webCryptoSign } from '../helpers.js';

const xmlVector = MD5_VECTORS.find((v) => v.id === 'XML')!;

describe('verifyGatewayXml (§2.5)', () => {
  it('builds the §2.7 XML pre-sign string from the <trade> children', () => {
    assert.strictEqual(buildResponsePreSignString(parseGatewayXml(QUERY_XML_2015)), xmlVector.preSign);
  });

  it('verifies the 2015 sandbox reply with Key A (MD5, verified vector)', async () => {
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(QUERY_XML_2015), { md5Key: KEY_A }, { signType: 'MD5' }));
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(QUERY_XML_2015), { md5Key: KEY_A }));
  });

  it('fails when a value, the sign or the key changes', async () => {
    const tampered = parseGatewayXml(
      QUERY_XML_2015.replace('<total_fee>0.08</total_fee>', '<total_fee>8.00</total_fee>'),
    );
    assert.isFalse(await verifyGatewayXml(tampered, { md5Key: KEY_A }, { signType: 'MD5' }));
    const r = parseGatewayXml(QUERY_XML_2015);
    assert.isFalse(
      await verifyGatewayXml({ ...r, sign: r.sign!.toUpperCase() }, { md5Key: KEY_A }, { signType: 'MD5' }),
    );
    assert.isFalse(await verifyGatewayXml(r, { md5Key: 'x'.repeat(32) }, { signType: 'MD5' }));
    assert.isFalse(await verifyGatewayXml(r, { md5Key: KEY_A }, { signType: 'RSA' }));
    // the 2017 sample's key is not public: it must not verify with Key A
    assert.isFalse(await verifyGatewayXml(parseGatewayXml(QUERY_XML_2017), { md5Key: KEY_A }, { signType: 'MD5' }));
  });

  it('does not trim leaf text: whitespace inside a value changes the signature', async () => {
    const padded = parseGatewayXml(
      QUERY_XML_2015.replace('<subject>Parcel fee</subject>', '<subject> Parcel fee</subject>'),
    );
    assert.isFalse(await verifyGatewayXml(padded, { md5Key: KEY_A }, { signType: 'MD5' }));
  });

  it('fails a T reply with <response> but no <sign>', async () => {
    const nosign = parseGatewayXml(QUERY_XML_2015.replace(/<sign>[^<]*<\/sign>/, ''));
    assert.isFalse(await verifyGatewayXml(nosign, { md5Key: KEY_A }, { signType: 'MD5' }));
  });

  it('has nothing to verify without <response> (refund T, failures)', async () => {
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(XML_REFUND_OK), { md5Key: KEY_A }, { signType: 'MD5' }));
    assert.isTrue(await verifyGatewayXml(parseGatewayXml(XML_TRADE_NOT_EXIST), { md5Key: KEY_A }, { signType: 'MD5' }));
  });

  it('verifies RSA and RSA2 replies, entity-decoded values included', async () => {
    const xml = (sign: string, type: string) =>
      `<alipay><is_success>T</is_success><response><trade><partner>123</partner><service>test</service></trade></response><sign>${sign}</sign><sign_type>${type}</sign_type></alipay>`;
    assert.isTrue(
      await verifyGatewayXml(
        parseGatewayXml(xml(RSA_VECTOR.sign, 'RSA')),
        { alipayPublicKey: TEST_PUBLIC_KEY_PEM },
        { signType: 'RSA' },
      ),
    );
    const subject = 'a & b <c>';
    const sig = await webCryptoSign(TEST_PRIVATE_KEY_BARE, `out_trade_no=1&subject=${subject}`, 'RSA2');
    const body = `<alipay><is_success>T</is_success><response><trade><subject>a &amp; b &lt;c&gt;</subject><out_trade_no>1</out_trade_no></trade></response><sign>${sig}</sign><sign_type>RSA2</sign_type></alipay>`;
    assert.isTrue(
      await verifyGatewayXml(parseGatewayXml(body), { alipayPublicKey: TEST_PUBLIC_KEY_PEM }, { signType: 'RSA2' }),
    );
    assert.isFalse(
      await verifyGatewayXml(parseGatewayXml(body), { alipayPublicKey: TEST_PUBLIC_KEY_PEM }, { signType: 'RSA' }),
    );
  });

  it('rejects with ERR_KEY_MISMATCH for a private key (configuration error)', async () => {
    const xml = `<alipay><is_success>T</is_success><response><trade><a>1</a></trade></response><sign>${RSA_VECTOR.sign}</sign></alipay>`;
    await rejectsCode(
      verifyGatewayXml(parseGatewayXml(xml), { alipayPublicKey: TEST_PRIVATE_KEY_BARE }, { signType: 'RSA' }),
      'ERR_KEY_MISMATCH',
    );
  });
});
