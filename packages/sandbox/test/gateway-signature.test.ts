/**
 * gateway.do signature and gateway-level checks (protocol §1.2, §1.6, §2), driven by the
 * document's MD5 vectors (§2.7, Key A) sent over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import {
  encode,
  KEY_A,
  PARTNER_A,
  presign,
  responseChildren,
  rsaPair,
  sandboxKeys,
  signMd5,
  signRsa,
  startSandbox,
  verifyRsa,
  xmlTag,
  type Running,
} from './helpers.js';

/** Parse a §2.7 pre-sign string back into parameters. */
function fromPresign(s: string): Record<string, string> {
  return Object.fromEntries(s.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

// protocol §2.7 A1–A10: pre-sign strings and expected MD5 with Key A (Kaligo test/service/*_test.rb).
const A4 =
  '_input_charset=utf-8&currency=USD&notify_url=https://example.com/notify&out_trade_no=12345&partner=2088101122136241&service=create_forex_trade&subject=product_name&supplier=company_name&total_fee=350.45';
const A9 =
  '_input_charset=utf-8&currency=USD&gmt_return=20150320120000&out_return_no=SAMPLE_REFUND_ID&out_trade_no=SAMPLE_TRANSACTION_ID&partner=2088101122136241&reason=hello&return_rmb_amount=200.00&service=forex_refund';
const VECTORS: Array<{ id: string; pre: string; sign: string; expect: (r: { type: string; text: string }) => void }> = [
  {
    id: 'A1',
    pre: 'end_date=20120205&partner=2088101122136241&service=forex_compare_file&start_date=20120202',
    sign: '3d09abe0980696bb39bb72c6137266ca',
    expect: (r) => expect(r.text).toBe('File download failed:No balance account data in the period'),
  },
  {
    id: 'A2',
    pre: 'end_date=20120205&partner=2088101122136241&service=forex_liquidation_file&start_date=20120202',
    sign: '68c26fcba73dc3134bc88bb04a8be865',
    expect: (r) => expect(r.text).toBe('File download failed:No balance account data in the period'),
  },
  {
    id: 'A3',
    pre: 'partner=2088101122136241&service=forex_rate_file',
    sign: '4051af1716d522b47acff927d4fb9781',
    expect: (r) => expect(r.text).toMatch(/^\d{8}\|\d{6}\|USD\|6\.706400\r$/m),
  },
  {
    id: 'A4',
    pre: A4,
    sign: '2dd75a3023c0a3a795a83109966bbc7d',
    expect: (r) => expect(r.text).toContain('Log in as test buyer and pay'),
  },
  {
    id: 'A5',
    pre: A4.replace('service=create_forex_trade', 'service=create_forex_trade_wap'),
    sign: 'c19f42a597963f118c4f99f2fc7f716f',
    expect: (r) => expect(r.text).toContain('Alipay mobile cashier'),
  },
  {
    id: 'A6',
    pre: A4.replace('&total_fee=350.45', '').replace('&service=', '&rmb_fee=0.10&service='),
    sign: '4986b31c8febb978ee6d6c45f76614ac',
    expect: (r) => expect(r.text).toContain('CNY 0.10'),
  },
  {
    id: 'A7',
    pre: '_input_charset=utf-8&out_trade_no=SAMPLE_TRANSACTION_ID&partner=2088101122136241&service=single_trade_query',
    sign: 'd4d3825356fd0799ee16829acffc1460',
    expect: (r) => expect(xmlTag(r.text, 'error')).toBe('TRADE_NOT_EXIST'),
  },
  {
    id: 'A8',
    pre: '_input_charset=utf-8&partner=2088101122136241&service=single_trade_query',
    sign: 'af7007238531b0b0917f3972e24c6c64',
    expect: (r) => expect(xmlTag(r.text, 'error')).toBe('ILLEGAL_ARGUMENT'),
  },
  {
    id: 'A9',
    pre: A9,
    sign: 'a77e894e71491f41e73ebe40319cc300',
    expect: (r) => expect(xmlTag(r.text, 'error')).toBe('PURCHASE_TRADE_NOT_EXIST'),
  },
  {
    id: 'A10',
    pre: A9.replace('reason=hello', 'reason=no_reason'),
    sign: 'c4c09ca3fc78d04b88d9459b02673b1b',
    expect: (r) => expect(xmlTag(r.text, 'error')).toBe('PURCHASE_TRADE_NOT_EXIST'),
  },
];

function errorCodeOf(r: { type: string; text: string }): string | undefined {
  if (r.type.startsWith('text/html')) return /id="alipay-error-code"[^>]*>([^<]*)</.exec(r.text)?.[1];
  return xmlTag(r.text, 'error');
}

let s: Running;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.close());

describe('gateway.do with the protocol §2.7 vectors (Key A)', () => {
  for (const v of VECTORS) {
    it(`accepts vector ${v.id} (protocol §2.7 ${v.id}) and answers per its service`, async () => {
      const params = { ...fromPresign(v.pre), sign: v.sign, sign_type: 'MD5' };
      expect(presign(params)).toBe(v.pre);
      const r = await s.get(params);
      expect(r.status).toBe(200);
      expect(errorCodeOf(r)).not.toBe('ILLEGAL_SIGN');
      v.expect(r);
    });

    it(`rejects vector ${v.id} with a tampered value → ILLEGAL_SIGN`, async () => {
      const params: Record<string, string> = { ...fromPresign(v.pre), sign: v.sign, sign_type: 'MD5' };
      params.partner = PARTNER_A; // keep the partner known
      const key =
        Object.keys(params).find((k) => !['partner', 'service', 'sign', 'sign_type', '_input_charset'].includes(k)) ??
        'extra';
      params[key] = (params[key] ?? '') + 'x';
      const r = await s.get(params);
      expect(r.status).toBe(200);
      expect(errorCodeOf(r)).toBe('ILLEGAL_SIGN');
    });
  }

  it('rejects an uppercase-hex MD5 sign with ILLEGAL_SIGN (§2.2: case-sensitive)', async () => {
    const r = await s.get({
      partner: PARTNER_A,
      service: 'forex_rate_file',
      sign: '4051AF1716D522B47ACFF927D4FB9781',
      sign_type: 'MD5',
    });
    expect(xmlTag(r.text, 'error')).toBe('ILLEGAL_SIGN');
    expect(r.type).toBe('text/xml; charset=utf-8');
  });

  it('gives the cashier services an HTML error page with #alipay-error-code (§3.7)', async () => {
    const params = {
      ...fromPresign(A4),
      sign: '2dd75a3023c0a3a795a83109966bbc7d',
      sign_type: 'MD5',
      subject: 'changed',
    };
    const r = await s.get(params);
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<span id="alipay-error-code" class="error-code">ILLEGAL_SIGN</span>');
  });

  it('accepts the A7 query as a POST form body and as POST with parameters in the query string (§1.2b)', async () => {
    const params = { ...fromPresign(VECTORS[6]!.pre), sign: VECTORS[6]!.sign, sign_type: 'MD5' };
    expect(xmlTag((await s.post(params)).text, 'error')).toBe('TRADE_NOT_EXIST');
    expect(xmlTag((await s.post({}, 'utf-8', '?' + encode(params))).text, 'error')).toBe('TRADE_NOT_EXIST');
    const { sign, sign_type, ...rest } = params;
    expect(xmlTag((await s.post({ sign, sign_type }, 'utf-8', '?' + encode(rest))).text, 'error')).toBe(
      'TRADE_NOT_EXIST',
    );
  });

  it('rejects a key sent in query and body with different values → ILLEGAL_ARGUMENT (§1.2, §1.6 step 1)', async () => {
    const params = { ...fromPresign(VECTORS[6]!.pre), sign: VECTORS[6]!.sign, sign_type: 'MD5' };
    const r = await s.post(params, 'utf-8', '?out_trade_no=OTHER');
    expect(xmlTag(r.text, 'error')).toBe('ILLEGAL_ARGUMENT');
    // the same value twice is no conflict
    expect(xmlTag((await s.post(params, 'utf-8', '?out_trade_no=SAMPLE_TRANSACTION_ID')).text, 'error')).toBe(
      'TRADE_NOT_EXIST',
    );
  });
});

describe('gateway.do check order (§1.6)', () => {
  const q = (extra: Record<string, string>) => ({
    _input_charset: 'utf-8',
    service: 'single_trade_query',
    partner: PARTNER_A,
    out_trade_no: 'X',
    ...extra,
  });
  const cases: Array<[string, () => Record<string, string>, string]> = [
    ['unknown service', () => signMd5(q({ service: 'create_direct_pay_by_user' })), 'ILLEGAL_SERVICE'],
    [
      'missing service (even with a bad sign)',
      () => ({ ...q({}), service: '', sign: 'bad', sign_type: 'MD5' }),
      'ILLEGAL_SERVICE',
    ],
    ['unknown partner', () => signMd5(q({ partner: '2088000000000000' })), 'ILLEGAL_PARTNER'],
    ['missing partner', () => signMd5(q({ partner: '' })), 'ILLEGAL_PARTNER'],
    ['charset ISO-8859-1', () => signMd5(q({ _input_charset: 'ISO-8859-1' })), 'ILLEGAL_CHARSET'],
    ['lowercase sign_type md5', () => ({ ...signMd5(q({})), sign_type: 'md5' }), 'ILLEGAL_SIGN_TYPE'],
    ['sign_type DSA without a DSA key', () => ({ ...signMd5(q({})), sign_type: 'DSA' }), 'ILLEGAL_SIGN_TYPE'],
    ['missing sign_type', () => ({ ...signMd5(q({})), sign_type: '' }), 'ILLEGAL_SIGN_TYPE'],
    ['RSA2 for an MD5-only merchant', () => ({ ...signMd5(q({})), sign_type: 'RSA2' }), 'ILLEGAL_SECURITY_PROFILE'],
    ['missing sign', () => ({ ...signMd5(q({})), sign: '' }), 'ILLEGAL_SIGN'],
    [
      'sign over UTF-8 bytes of a GBK request with Chinese',
      () => ({ ...signMd5(q({ _input_charset: 'GBK', out_trade_no: '测试' }), KEY_A, 'utf-8') }),
      'ILLEGAL_SIGN',
    ],
  ];
  for (const [name, build, code] of cases) {
    it(`answers ${code} for ${name}`, async () => {
      const params = build();
      const r = await s.get(params, params._input_charset === 'GBK' ? 'gbk' : 'utf-8');
      expect(r.text).toBe(
        `<?xml version="1.0" encoding="utf-8"?>\n<alipay><is_success>F</is_success><error>${code}</error></alipay>`,
      );
    });
  }

  it('answers ILLEGAL_CHARSET for GBK on create_forex_trade_wap (§1.3 UTF-8 only)', async () => {
    const p = signMd5({ ...fromPresign(A4), service: 'create_forex_trade_wap', _input_charset: 'GBK' }, KEY_A, 'gbk');
    expect(errorCodeOf(await s.get(p, 'gbk'))).toBe('ILLEGAL_CHARSET');
  });

  it('drops sign/sign_type from the pre-sign string ignoring case (§2.1 step 2)', async () => {
    const p = signMd5(q({}));
    const r = await s.get({ ...p, SIGN_TYPE: 'junk', Sign: 'junk' });
    expect(xmlTag(r.text, 'error')).toBe('TRADE_NOT_EXIST');
  });

  it('signs over unknown parameters too (§3.2 "ignore but verify")', async () => {
    const p = signMd5(q({ sendFormat: 'normal' }));
    expect(xmlTag((await s.get(p)).text, 'error')).toBe('TRADE_NOT_EXIST');
    expect(xmlTag((await s.get({ ...p, sendFormat: 'other' })).text, 'error')).toBe('ILLEGAL_SIGN');
  });
});

describe('RSA, RSA2 and DSA requests (§2.3)', () => {
  it('accepts RSA and RSA2 requests signed with the merchant key and signs the reply with the same type', async () => {
    const merchant = rsaPair();
    const sb = await startSandbox({ merchants: [{ partner: '2088000000000001', rsaPublicKey: merchant.publicKey }] });
    try {
      for (const type of ['RSA', 'RSA2'] as const) {
        const secm = signRsa(
          {
            _input_charset: 'UTF-8',
            service: 'alipay.overseas.secmerchant.maintain.queryStatus',
            partner: '2088000000000001',
            timestamp: '2026-11-25 12:00:00',
            secondary_merchant_id: 'NOPE',
            payment_method: 'ONLINE_PAYMENT',
          },
          merchant.privateKey,
          type,
        );
        const r = await sb.get(secm);
        expect(xmlTag(r.text, 'sign_type')).toBe(type);
        const fields = Object.fromEntries(responseChildren(r.text, 'secmerchant'));
        expect(fields.result_code).toBe('DATA_NOT_EXIST');
        expect(verifyRsa({ ...fields, sign: xmlTag(r.text, 'sign')! }, sandboxKeys().publicKey, type)).toBe(true);
        // tampered
        const bad = await sb.get({ ...secm, secondary_merchant_id: 'NOPE2' });
        expect(xmlTag(bad.text, 'error')).toBe('ILLEGAL_SIGN');
        // MD5 for an RSA-only merchant
        expect(xmlTag((await sb.get({ ...secm, sign_type: 'MD5' })).text, 'error')).toBe('ILLEGAL_SECURITY_PROFILE');
      }
    } finally {
      await sb.close();
    }
  });

  it('serves the sandbox public key at /.well-known/alipay-public-key', async () => {
    const r = await fetch(`${s.base}/.well-known/alipay-public-key`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await r.text()).toBe(sandboxKeys().publicKey);
  });

  it('accepts DSA only for a merchant configured with a DSA key', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const dsa = generateKeyPairSync('dsa', {
      modulusLength: 1024,
      divisorLength: 160,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const sb = await startSandbox({ merchants: [{ partner: '2088000000000002', dsaPublicKey: dsa.publicKey }] });
    try {
      const p: Record<string, string> = { service: 'forex_rate_file', partner: '2088000000000002' };
      const signed = {
        ...p,
        sign: sign('sha1', Buffer.from(presign(p)), dsa.privateKey).toString('base64'),
        sign_type: 'DSA',
      };
      expect((await sb.get(signed)).text).toMatch(/\|USD\|/);
      expect(
        xmlTag(
          (await sb.get({ ...signed, partner: '2088000000000002', service: 'forex_rate_file', extra: '1' })).text,
          'error',
        ),
      ).toBe('ILLEGAL_SIGN');
    } finally {
      await sb.close();
    }
  });

  it('throws TypeError at start-up for a merchant without any key', () => {
    expect(() => createSandbox({ merchants: [{ partner: '2088' }] })).toThrow(TypeError);
    expect(() => createSandbox({ merchants: [] })).toThrow(/at least one merchant/);
  });
});
