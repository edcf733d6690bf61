import { describe, it, assert } from 'vitest';
import {
  AlipayNotificationError,
  buildPreSignString,
  parseCallback,
  parseNotification,
  parseReturn,
  repairReturnSign,
  verifyNotification,
  verifyParams,
} from '../../src/index.js';
import { parseForm } from '../../src/encoding.js';
import {
  NOTIFY_12_1_PRESIGN,
  NOTIFY_12_1_URL,
  NOTIFY_12_2_BODY,
  NOTIFY_12_2_SIGN,
  NOTIFY_12_3_RAW,
  NOTIFY_12_4,
  REFUND_NOTIFY_6_6,
  WAP_RETURN_3_8,
  WEB_RETURN_3_8,
} from '../fixtures/samples.js';
import { paramsOf } from '../fixtures/vectors.js';
import { TEST_PRIVATE_KEY_BARE, TEST_PUBLIC_KEY_PEM } from '../fixtures/keys.js';
import { rejectsCode, throwsCode, webCryptoSign } from '../helpers.js';

describe('parseNotification (§3.9, §6.6)', () => {
  it('types the §12.4 odoo payment notification', () => {
    const n = parseNotification(NOTIFY_12_4);
    assert.strictEqual(n.kind, 'payment');
    if (n.kind !== 'payment') return;
    assert.strictEqual(n.out_trade_no, 'Test Transaction');
    assert.strictEqual(n.total_fee, '1111.11');
    assert.strictEqual(n.minor.total_fee, 111111);
    assert.strictEqual(n.trade_status, 'TRADE_FINISHED');
    assert.strictEqual(n.params.sign, NOTIFY_12_4.sign);
  });

  it('types the §12.1 doc sample with the extended fields', () => {
    const q = NOTIFY_12_1_URL.slice(NOTIFY_12_1_URL.indexOf('?') + 1);
    const n = parseNotification(paramsOf(q));
    assert.strictEqual(n.kind, 'payment');
    if (n.kind !== 'payment') return;
    assert.strictEqual(n.forex_rate, '0.85420000');
    assert.strictEqual(n.rmb_fee, '0.09');
    assert.deepEqual(n.minor, { total_fee: 10, rmb_fee: 9 });
    assert.strictEqual(n.buyer_id, '208812287878****');
    assert.strictEqual(buildPreSignString(n.params), NOTIFY_12_1_PRESIGN);
  });

  it('reads the §12.2 form body: JPY 3.00 is 3 yen, sign decoded with + intact', () => {
    const { params } = parseForm(NOTIFY_12_2_BODY);
    assert.strictEqual(params.sign, NOTIFY_12_2_SIGN);
    const n = parseNotification(params);
    assert.strictEqual(n.kind, 'payment');
    if (n.kind === 'payment') {
      assert.strictEqual(n.minor.total_fee, 3);
      assert.strictEqual(n.notify_time, '2021-08-26 19:34:07');
    }
  });

  it('keeps the §12.3 placeholder status verbatim', () => {
    const n = parseNotification(paramsOf(NOTIFY_12_3_RAW));
    assert.strictEqual(n.kind, 'payment');
    if (n.kind === 'payment') assert.strictEqual(n.trade_status, 'TRADE_STATUS');
  });

  it('types the §6.6 refund notification: CNY return_amount', () => {
    const n = parseNotification(REFUND_NOTIFY_6_6);
    assert.strictEqual(n.kind, 'refund');
    if (n.kind !== 'refund') return;
    assert.strictEqual(n.out_return_no, 'alex_refund_1629973952');
    assert.strictEqual(n.refund_status, 'REFUND_SUCCESS');
    assert.strictEqual(n.currency, 'CNY');
    assert.strictEqual(n.minor.return_amount, 101);
    assert.isUndefined(n.error_code);
    assert.strictEqual(
      buildPreSignString(n.params),
      'currency=CNY&notify_id=2021082600222183235095291417346698&notify_time=2021-08-26 18:32:35&notify_type=refund_status_sync&out_return_no=alex_refund_1629973952&out_trade_no=alex_1629950066&refund_status=REFUND_SUCCESS&return_amount=1.01',
    );
  });

  const broken: Array<[string, Record<string, string | undefined>, string]> = [
    ['unknown notify_type', { notify_type: 'batch_refund' }, 'notify_type'],
    ['missing trade_no', { trade_no: undefined }, 'trade_no'],
    ['JPY with decimals', { currency: 'JPY', total_fee: '3.50' }, 'total_fee'],
    ['float-looking amount', { total_fee: '1e3' }, 'total_fee'],
    ['bad notify_time', { notify_time: '2021-13-01 01:01:01' }, 'notify_time'],
    ['lowercase currency', { currency: 'cny' }, 'currency'],
  ];
  for (const [name, patch, field] of broken) {
    it(`throws ERR_NOTIFICATION_INVALID on ${field} for ${name}`, () => {
      const p: Record<string, string> = { ...NOTIFY_12_4 };
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete p[k];
        else p[k] = v;
      }
      const err = throwsCode(() => parseNotification(p), 'ERR_NOTIFICATION_INVALID', field);
      assert.instanceOf(err, AlipayNotificationError);
    });
  }
});

describe('parseReturn (§3.8)', () => {
  it('types the captured web and wap returns', () => {
    const web = parseReturn(WEB_RETURN_3_8);
    assert.strictEqual(web.kind, 'return');
    assert.strictEqual(web.minor.total_fee, 3);
    assert.isUndefined(web.rmb_fee);
    const wap = parseReturn(WAP_RETURN_3_8);
    assert.deepEqual(wap.minor, { total_fee: 2, rmb_fee: 10 });
    assert.strictEqual(parseCallback(WAP_RETURN_3_8).kind, 'return');
    assert.strictEqual(parseCallback(NOTIFY_12_4).kind, 'payment');
  });
  it('gives the pre-sign strings of the captured returns', () => {
    assert.strictEqual(
      buildPreSignString(WEB_RETURN_3_8),
      'currency=JPY&out_trade_no=1629977581&total_fee=3.00&trade_no=2021082622001380751416304935&trade_status=TRADE_FINISHED',
    );
    assert.strictEqual(
      buildPreSignString(WAP_RETURN_3_8),
      'currency=JPY&out_trade_no=1629976225&rmb_fee=0.10&total_fee=2.00&trade_no=2021082622001380751416021962&trade_status=TRADE_FINISHED',
    );
  });
});

describe('repairReturnSign (§1.4 rule 6)', () => {
  it("turns the spaces of the captured web return's sign back into '+', and nothing else", () => {
    const repaired = repairReturnSign({ ...WEB_RETURN_3_8, subject: 'a b' });
    assert.notInclude(repaired.sign!, ' ');
    assert.strictEqual(repaired.sign, WEB_RETURN_3_8.sign!.replace(/ /g, '+'));
    assert.strictEqual(repaired.subject, 'a b');
  });
  it('parses a raw query or full URL, where an unescaped + arrives as a space', () => {
    const sign = 'ab+cd/ef==';
    const url = `https://shop.example/return?out_trade_no=1&subject=a+b&sign=${sign}&sign_type=RSA#frag`;
    const p = repairReturnSign(url);
    assert.strictEqual(p.sign, sign);
    assert.strictEqual(p.subject, 'a b');
    assert.strictEqual(repairReturnSign('?sign=a%2Bb').sign, 'a+b');
    assert.strictEqual(Object.getPrototypeOf(p), null);
  });
  it('refuses a parameter repeated with different values', () => {
    throwsCode(
      () => repairReturnSign('total_fee=1.00&total_fee=100.00&sign=x'),
      'ERR_NOTIFICATION_INVALID',
      'total_fee',
    );
  });

  it('space-damaged RSA sign fails verify; the repaired one verifies (round trip with the test key)', async () => {
    const params: Record<string, string> = {
      currency: 'JPY',
      out_trade_no: '1629977581',
      total_fee: '3.00',
      trade_no: '2021082622001380751416304935',
      trade_status: 'TRADE_FINISHED',
      sign_type: 'RSA',
    };
    let sign = '';
    // find a signature containing '+' (the quirk needs one); vary out_trade_no until it does
    for (let i = 0; !sign.includes('+'); i++) {
      params.out_trade_no = `16299775${80 + i}`;
      sign = await webCryptoSign(TEST_PRIVATE_KEY_BARE, buildPreSignString(params), 'RSA');
    }
    const keys = { alipayPublicKey: TEST_PUBLIC_KEY_PEM };
    const damaged = { ...params, sign: sign.replace(/\+/g, ' ') };
    assert.isFalse(await verifyParams(damaged, keys, { signType: 'RSA' }));
    await rejectsCode(
      verifyNotification(damaged, keys, { signType: 'RSA', expect: 'return' }),
      'ERR_NOTIFICATION_INVALID',
    );
    const ret = await verifyNotification(repairReturnSign(damaged), keys, { signType: 'RSA', expect: 'return' });
    assert.strictEqual(ret.kind, 'return');
    assert.strictEqual(ret.minor.total_fee, 3);
  });
});

describe('verifyNotification (§2.4)', () => {
  it('verifies and types the §12.4 MD5 notification', async () => {
    const n = await verifyNotification(NOTIFY_12_4, { md5Key: 'dummy' }, { signType: 'MD5', expect: 'notification' });
    assert.strictEqual(n.kind, 'payment');
  });
  it('throws ERR_NOTIFICATION_INVALID for a tampered amount, without the sign in the message', async () => {
    const err = await rejectsCode(
      verifyNotification({ ...NOTIFY_12_4, total_fee: '1.00' }, { md5Key: 'dummy' }, { signType: 'MD5' }),
      'ERR_NOTIFICATION_INVALID',
    );
    assert.notInclude(err.message, NOTIFY_12_4.sign!);
    assert.notInclude(err.message, 'dummy');
  });
  it('throws when the verified payload is not the expected kind', async () => {
    await rejectsCode(
      verifyNotification(NOTIFY_12_4, { md5Key: 'dummy' }, { signType: 'MD5', expect: 'return' }),
      'ERR_NOTIFICATION_INVALID',
    );
    await rejectsCode(
      verifyNotification(NOTIFY_12_4, { md5Key: 'dummy' }, { signType: 'MD5', expect: 'refund' }),
      'ERR_NOTIFICATION_INVALID',
    );
  });
  it('the pudongping RSA captures do not verify with an unrelated key (Alipay key not public)', async () => {
    await rejectsCode(
      verifyNotification(
        parseForm(NOTIFY_12_2_BODY).params,
        { alipayPublicKey: TEST_PUBLIC_KEY_PEM },
        { signType: 'RSA' },
      ),
      'ERR_NOTIFICATION_INVALID',
    );
    await rejectsCode(
      verifyNotification(REFUND_NOTIFY_6_6, { alipayPublicKey: TEST_PUBLIC_KEY_PEM }, { signType: 'RSA' }),
      'ERR_NOTIFICATION_INVALID',
    );
  });
  it('verifies an RSA2 refund notification signed with the test key', async () => {
    const p: Record<string, string> = { ...REFUND_NOTIFY_6_6, sign_type: 'RSA2' };
    delete p.sign;
    p.sign = await webCryptoSign(TEST_PRIVATE_KEY_BARE, buildPreSignString(p), 'RSA2');
    const n = await verifyNotification(
      p,
      { alipayPublicKey: TEST_PUBLIC_KEY_PEM },
      { signType: 'RSA2', expect: 'refund' },
    );
    assert.strictEqual(n.refund_status, 'REFUND_SUCCESS');
  });
});
