// Signing vectors of protocol §2.7 (expected values copied from the document, never computed
// by this code base). Sources as named in §2.7:
//   A1–A10: Kaligo/alipay-global test/service/*_test.rb (Key A, sandbox partner 2088101122136241)
//   B1–B2: chloerei/alipay test/alipay/service_test.rb (Key B)
//   XML MD5: 2015 sandbox single_trade_query reply captured in a Django app (§2.7, §5.5)
//   odoo: odoo/odoo addons/payment_alipay/tests/common.py
//   charset pair: derived in §2.7 ("Charset effect")
//   RSA / RSA2: chloerei/alipay test/test_helper.rb key, message `partner=123&service=test`

/** Key A (§2.7): the public sandbox/test merchant of Kaligo/alipay-global and lokielse SANDBOX.md. */
export const KEY_A = '760bdzec6y9goq7ctyx96ezkz78287de';
/** The partner of Key A (§2.7). */
export const PARTNER_A = '2088101122136241';
/** Key B (§2.7): chloerei/alipay test/alipay/service_test.rb. */
export const KEY_B = '10000000000000000000000000000000';
/** The partner of Key B (§2.7). */
export const PARTNER_B = '1000000000000000';

export interface Md5Vector {
  id: string;
  source: string;
  key: string;
  preSign: string;
  sign: string;
  charset?: 'utf-8' | 'gbk';
}

/** Split a vector's pre-sign string back into its parameters (values hold no `&`). */
export function paramsOf(preSign: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of preSign.split('&')) {
    const i = part.indexOf('=');
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

const A4 =
  '_input_charset=utf-8&currency=USD&notify_url=https://example.com/notify&out_trade_no=12345&partner=2088101122136241&service=create_forex_trade&subject=product_name&supplier=company_name&total_fee=350.45';
const A9 =
  '_input_charset=utf-8&currency=USD&gmt_return=20150320120000&out_return_no=SAMPLE_REFUND_ID&out_trade_no=SAMPLE_TRANSACTION_ID&partner=2088101122136241&reason=hello&return_rmb_amount=200.00&service=forex_refund';

export const MD5_VECTORS: Md5Vector[] = [
  {
    id: 'A1',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: 'end_date=20120205&partner=2088101122136241&service=forex_compare_file&start_date=20120202',
    sign: '3d09abe0980696bb39bb72c6137266ca',
  },
  {
    id: 'A2',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: 'end_date=20120205&partner=2088101122136241&service=forex_liquidation_file&start_date=20120202',
    sign: '68c26fcba73dc3134bc88bb04a8be865',
  },
  {
    id: 'A3',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: 'partner=2088101122136241&service=forex_rate_file',
    sign: '4051af1716d522b47acff927d4fb9781',
  },
  { id: 'A4', source: 'Kaligo test/service', key: KEY_A, preSign: A4, sign: '2dd75a3023c0a3a795a83109966bbc7d' },
  {
    id: 'A5',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: A4.replace('service=create_forex_trade', 'service=create_forex_trade_wap'),
    sign: 'c19f42a597963f118c4f99f2fc7f716f',
  },
  {
    id: 'A6',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign:
      '_input_charset=utf-8&currency=USD&notify_url=https://example.com/notify&out_trade_no=12345&partner=2088101122136241&rmb_fee=0.10&service=create_forex_trade&subject=product_name&supplier=company_name',
    sign: '4986b31c8febb978ee6d6c45f76614ac',
  },
  {
    id: 'A7',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign:
      '_input_charset=utf-8&out_trade_no=SAMPLE_TRANSACTION_ID&partner=2088101122136241&service=single_trade_query',
    sign: 'd4d3825356fd0799ee16829acffc1460',
  },
  {
    id: 'A8',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: '_input_charset=utf-8&partner=2088101122136241&service=single_trade_query',
    sign: 'af7007238531b0b0917f3972e24c6c64',
  },
  { id: 'A9', source: 'Kaligo test/service', key: KEY_A, preSign: A9, sign: 'a77e894e71491f41e73ebe40319cc300' },
  {
    id: 'A10',
    source: 'Kaligo test/service',
    key: KEY_A,
    preSign: A9.replace('reason=hello', 'reason=no_reason'),
    sign: 'c4c09ca3fc78d04b88d9459b02673b1b',
  },
  {
    id: 'B1',
    source: 'chloerei test/alipay/service_test.rb',
    key: KEY_B,
    preSign:
      '_input_charset=utf-8&currency=EUR&notify_url=https://example.com/notify&out_trade_no=1&partner=1000000000000000&service=create_forex_trade&subject=test&total_fee=0.01',
    sign: 'f24fd4d76acabf860263a40805138380',
  },
  {
    id: 'B2',
    source: 'chloerei test/alipay/service_test.rb',
    key: KEY_B,
    preSign:
      '_input_charset=utf-8&currency=USD&gmt_return=20150101000000&out_return_no=1&out_trade_no=12345678980&partner=1000000000000000&reason=reason&return_amount=0.01&service=forex_refund',
    sign: 'c9681fff5505fe993d1b2b8141308d0d',
  },
  {
    id: 'XML',
    source: '2015 sandbox single_trade_query reply (Django app), §2.7',
    key: KEY_A,
    preSign:
      'buyer_email=alipaytest20091@gmail.com&buyer_id=2088102000979107&discount=0.00&flag_trade_locked=0&gmt_create=2015-09-24 06:33:01&gmt_last_modified_time=2015-09-24 06:33:22&gmt_payment=2015-09-24 06:33:22&is_total_fee_adjust=F&operator_role=B&out_trade_no=100091865&payment_type=18&price=0.08&quantity=1&seller_email=overseas_kgtest@163.com&seller_id=2088101122136241&subject=Parcel fee&to_buyer_fee=0.00&to_seller_fee=0.08&total_fee=0.08&trade_no=2015092400001000100080038061&trade_status=TRADE_FINISHED&use_coupon=F',
    sign: '7f20766f03ada56c65969a30d860aa1b',
  },
  {
    id: 'odoo',
    source: 'odoo addons/payment_alipay/tests/common.py',
    key: 'dummy',
    preSign:
      'currency=CNY&notify_id=1234567890123456789012345678901234&notify_time=2021-12-01 01:01:01&notify_type=trade_status_sync&out_trade_no=Test Transaction&total_fee=1111.11&trade_no=2021111111111111111111111111&trade_status=TRADE_FINISHED',
    sign: '782b6d1015549f847e2ab27d1edb65c7',
  },
  {
    id: 'charset-utf8',
    source: '§2.7 charset effect (derived)',
    key: KEY_A,
    charset: 'utf-8',
    preSign:
      '_input_charset=utf-8&currency=USD&out_trade_no=T1&partner=2088101122136241&service=create_forex_trade&subject=测试商品&total_fee=1.00',
    sign: 'eea0c81e23f97982495b42f2c597d3b7',
  },
  {
    id: 'charset-gbk',
    source: '§2.7 charset effect (derived)',
    key: KEY_A,
    charset: 'gbk',
    preSign:
      '_input_charset=gbk&currency=USD&out_trade_no=T1&partner=2088101122136241&service=create_forex_trade&subject=测试商品&total_fee=1.00',
    sign: '45e00911b696201d2e81ad2fd15ef624',
  },
];

/** B2 exactly as chloerei's GET URL sends it (§6.7): parameters deliberately unsorted. */
export const B2_URL =
  'https://mapi.alipay.com/gateway.do?service=forex_refund&partner=1000000000000000&_input_charset=utf-8&gmt_return=20150101000000&out_return_no=1&out_trade_no=12345678980&return_amount=0.01&currency=USD&reason=reason&sign_type=MD5&sign=c9681fff5505fe993d1b2b8141308d0d';

/** The request URL built from A4 (§2.7, parameters sorted, then sign and sign_type). */
export const A4_URL =
  'https://mapi.alipaydev.com/gateway.do?_input_charset=utf-8&currency=USD&notify_url=https%3A%2F%2Fexample.com%2Fnotify&out_trade_no=12345&partner=2088101122136241&service=create_forex_trade&subject=product_name&supplier=company_name&total_fee=350.45&sign=2dd75a3023c0a3a795a83109966bbc7d&sign_type=MD5';

/** §2.1 official-style example (derived in the document, not independently confirmed). */
export const PRESIGN_PAGE_EXAMPLE = {
  params: {
    service: 'create_forex_trade',
    partner: '2088021017666931',
    _input_charset: 'UTF-8',
    out_trade_no: 'out_trade_no_20200109_175140',
    subject: "Mika's coffee shop",
    currency: 'USD',
    total_fee: '0.01',
    timeout_rule: '12h',
    product_code: 'NEW_OVERSEAS_SELLER',
    trade_information:
      '{"business_type":"4","goods_info":"Macbook 12 inch M3 8G 256G SSD^1|Apple iPad Pro 11 inch^1","total_quantity":"2"}',
  },
  preSign:
    '_input_charset=UTF-8&currency=USD&out_trade_no=out_trade_no_20200109_175140&partner=2088021017666931&product_code=NEW_OVERSEAS_SELLER&service=create_forex_trade&subject=Mika\'s coffee shop&timeout_rule=12h&total_fee=0.01&trade_information={"business_type":"4","goods_info":"Macbook 12 inch M3 8G 256G SSD^1|Apple iPad Pro 11 inch^1","total_quantity":"2"}',
  sign: '7a02d114b6564d796492f9f665c7e98d',
};

/** §2.7 RSA (SHA1withRSA), verified against chloerei and OpenSSL. */
export const RSA_VECTOR = {
  source: 'chloerei test/test_helper.rb TEST_RSA_PRIVATE_KEY; equals chloerei, reproduced with OpenSSL (§2.7)',
  message: 'partner=123&service=test',
  sign: 'TaVXdP/0ia5NxIv9T76v6vGOrtgoaFrwnchKIWP9PQeX1UkUVxaq6ejDFmXFrFR+Plk+E/XzfV2DYJSVt0Am0qJRSgeg+PuvK+yWGCGm9GJgUJlS4Eyta3g+8DWwRWTjUyh5yzlf9JoSnbNjYpBolnMRD7B/u1JLkTMJuMx2TVM=',
};

/** §2.7 RSA2 (SHA256withRSA), derived with OpenSSL in the document. */
export const RSA2_VECTOR = {
  source: 'chloerei test/test_helper.rb TEST_RSA_PRIVATE_KEY; derived with OpenSSL in §2.7',
  message: 'partner=123&service=test',
  sign: 'NQ/NS3M3CLeCE0WFaX0PU6Dh/LS0ig2ngh/JDXtDqZWQw36sUOucgU9qNVd/f/KZEz78dPNdWjNE6Ay6hy1EayGEhxnTJ8uuOOFhdshRRYDoNB3LmIhuXt3B23eqfnSgO4GiarHBHpGa+x8GARWb0KHRWjCzuxZ8fL4+/8ebLFQ=',
};
