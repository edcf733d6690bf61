// P1: server-kit signing throughput for a typical create_forex_trade parameter set, against a
// minimal hand-written node:crypto implementation of the same rules (key parsed once into a
// KeyObject, pre-sign string built with a plain sort/join).
import { createHash, createPrivateKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { createSigner } from '@alipay-kit/server-kit';
import { compareOps, row } from './lib/results.mjs';

const MD5_KEY = '760bdzec6y9goq7ctyx96ezkz78287de'; // protocol §2.7 Key A (public sandbox key)

/** A create_forex_trade parameter set as a shop sends it (protocol §3.2, §2.1 example). */
export const params = {
  service: 'create_forex_trade',
  partner: '2088101122136241',
  _input_charset: 'UTF-8',
  notify_url: 'https://shop.example.com/alipay/notify',
  return_url: 'https://shop.example.com/alipay/return',
  subject: "Mika's coffee shop",
  body: 'Espresso beans 1kg x2',
  out_trade_no: 'ORD-20261125-000123',
  currency: 'USD',
  total_fee: '58.00',
  product_code: 'NEW_OVERSEAS_SELLER',
  timeout_rule: '12h',
  trade_information: '{"business_type":"4","goods_info":"Espresso beans 1kg^2","total_quantity":"2"}',
};

function baselinePreSign(p) {
  return Object.keys(p)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && p[k] !== '' && p[k] != null)
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
}

export function runP1() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const keyObject = createPrivateKey(pem);
  const rows = [];

  const md5 = createSigner({ signType: 'MD5', md5Key: MD5_KEY });
  const md5Base = () =>
    createHash('md5')
      .update(baselinePreSign(params) + MD5_KEY, 'utf8')
      .digest('hex');
  if (md5.sign(params) !== md5Base()) throw new Error('P1.md5: signer and baseline disagree');
  const m = compareOps(() => md5.sign(params), md5Base);
  rows.push(row('P1.md5', m.value, m.baseline, 'ops/s', '>= 0.9'));

  for (const [id, signType, hash] of [
    ['P1.rsa', 'RSA', 'sha1'],
    ['P1.rsa2', 'RSA2', 'sha256'],
  ]) {
    const signer = createSigner({ signType, privateKey: pem });
    const base = () => cryptoSign(hash, Buffer.from(baselinePreSign(params), 'utf8'), keyObject).toString('base64');
    if (signer.sign(params) !== base()) throw new Error(`${id}: signer and baseline disagree`);
    const r = compareOps(() => signer.sign(params), base, { rounds: 5, ms: 600 });
    rows.push(row(id, r.value, r.baseline, 'ops/s', '>= 0.9'));
  }
  return rows;
}
