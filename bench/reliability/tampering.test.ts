// Tampered and replayed notifications (issue 8): none is accepted — the answer is `fail` and the
// order does not move. Bodies start from real sandbox-issued notifications (captured, not delivered).
import { createPrivateKey, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPreSignString, md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { ADMIN, KEY_A, KEY_B, PARTNER_A, startWorld, type World } from './helpers/world.js';
import { SecretWatch } from './helpers/secrets.js';

const watch = new SecretWatch();
const attacker = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
watch.privateKey(attacker);

const params = (body: string) => Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
const form = (p: Record<string, string>) => encodeForm(p);
const withoutSign = (p: Record<string, string>) => {
  const { sign: _s, sign_type: _t, ...rest } = p;
  return rest;
};
const rsaSigned = (p: Record<string, string>, type: 'RSA' | 'RSA2') => ({
  ...withoutSign(p),
  sign: rsaSign(
    type === 'RSA' ? 'sha1' : 'sha256',
    Buffer.from(buildPreSignString(withoutSign(p)), 'utf8'),
    createPrivateKey(attacker),
  ).toString('base64'),
  sign_type: type,
});

async function genuine(w: World): Promise<{ outTradeNo: string; body: string }> {
  const before = w.captured.length;
  const { outTradeNo } = await w.pay();
  await w.sandbox.control.flushNotifications();
  const c = w.captured.slice(before).find((x) => x.out_trade_no === outTradeNo);
  if (!c) throw new Error('no notification captured');
  return { outTradeNo, body: c.body };
}

describe('POST /notify with tampered notifications (MD5 merchant, notify_verify on)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld({ delivery: { mode: 'capture' }, watch })));
  afterAll(() => w?.close());

  const cases: Array<[string, (p: Record<string, string>) => string]> = [
    ['total_fee changed after signing', (p) => form({ ...p, total_fee: '0.01' })],
    ['currency changed after signing', (p) => form({ ...p, currency: 'HKD' })],
    ['trade_status changed after signing', (p) => form({ ...p, trade_status: 'TRADE_CLOSED' })],
    [
      're-signed with another partner’s MD5 key (Key B)',
      (p) => form({ ...withoutSign(p), sign: md5Sign(withoutSign(p), KEY_B), sign_type: 'MD5' }),
    ],
    [
      'seller_id of another partner, correctly re-signed',
      (p) =>
        form({
          ...withoutSign(p),
          seller_id: '2088000000000001',
          sign: md5Sign({ ...withoutSign(p), seller_id: '2088000000000001' }, KEY_A),
          sign_type: 'MD5',
        }),
    ],
    [
      'one hex digit of sign flipped',
      (p) => form({ ...p, sign: p.sign!.slice(0, -1) + (p.sign!.endsWith('0') ? '1' : '0') }),
    ],
    ['sign in uppercase hex', (p) => form({ ...p, sign: p.sign!.toUpperCase() })],
    ['sign removed', (p) => form(withoutSign(p))],
    ['sign_type swapped to RSA with an attacker’s RSA signature', (p) => form(rsaSigned(p, 'RSA'))],
    ['sign_type swapped to RSA2 with an attacker’s RSA2 signature', (p) => form(rsaSigned(p, 'RSA2'))],
    [
      'a forged notify_id, correctly re-signed',
      (p) =>
        form({
          ...withoutSign(p),
          notify_id: 'f'.repeat(34),
          sign: md5Sign({ ...withoutSign(p), notify_id: 'f'.repeat(34) }, KEY_A),
          sign_type: 'MD5',
        }),
    ],
    ['out_trade_no of another order', (p) => form({ ...p, out_trade_no: 'AK-OTHER-ORDER' })],
  ];
  for (const [name, tamper] of cases) {
    it(`should answer fail and keep the order pending for ${name}`, async () => {
      const g = await genuine(w);
      expect(await w.postNotify(tamper(params(g.body)))).toBe('fail');
      expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('created');
      expect(w.paid.has(g.outTradeNo)).toBe(false);
    });
  }

  it('should answer fail for a genuine notification whose notify_id went stale (§7 TTL 60 s)', async () => {
    const g = await genuine(w);
    await w.sandbox.control.advanceClock(61_000);
    expect(await w.postNotify(g.body)).toBe('fail');
    expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('created');
  });

  it('should answer fail to a replayed old payment notification after a full refund, and keep the order refunded', async () => {
    const g = await genuine(w);
    expect(await w.postNotify(g.body)).toBe('success');
    const r = await w.post('/refunds', { outTradeNo: g.outTradeNo }, ADMIN);
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    await w.sandbox.control.flushNotifications();
    const refundNote = w.captured.find(
      (c) => c.out_trade_no === g.outTradeNo && c.body.includes('refund_status_sync'),
    )!;
    expect(await w.postNotify(refundNote.body)).toBe('success');
    expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('refunded');
    await w.sandbox.control.advanceClock(5 * 60_000);
    expect(await w.postNotify(g.body)).toBe('fail');
    expect(await w.postNotify(refundNote.body)).toBe('fail');
    const o = (await w.ledger.getOrder(g.outTradeNo))!;
    expect([o.status, o.refunded_minor]).toEqual(['refunded', 1000]);
    expect(w.paid.get(g.outTradeNo)).toBe(1);
  });
});

describe('POST /notify replays without notify_verify (signature only)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld({ delivery: { mode: 'capture' }, notifyVerify: false, watch })));
  afterAll(() => w?.close());

  it('should leave a refunded order refunded when an old payment notification is replayed (idempotent duplicate)', async () => {
    const g = await genuine(w);
    expect(await w.postNotify(g.body)).toBe('success');
    expect((await w.post('/refunds', { outTradeNo: g.outTradeNo }, ADMIN)).status).toBe(202);
    await w.sandbox.control.flushNotifications();
    const refundNote = w.captured.find(
      (c) => c.out_trade_no === g.outTradeNo && c.body.includes('refund_status_sync'),
    )!;
    expect(await w.postNotify(refundNote.body)).toBe('success');
    // Without notify_verify a replay of a genuine body cannot be told from a retry: §4 says answer
    // success to duplicates; what matters is that nothing moves.
    for (let i = 0; i < 3; i++) await w.postNotify(g.body);
    const o = (await w.ledger.getOrder(g.outTradeNo))!;
    expect([o.status, o.refunded_minor]).toEqual(['refunded', 1000]);
    expect(w.paid.get(g.outTradeNo)).toBe(1);
    expect(w.refunded.get(g.outTradeNo)).toBe(1);
    expect((await w.ledger.history(g.outTradeNo)).map((h) => h.to)).toEqual(['created', 'paid', 'refunded']);
  });

  it('should answer fail to a tampered amount even without notify_verify', async () => {
    const g = await genuine(w);
    expect(await w.postNotify(g.body.replace('total_fee=10.00', 'total_fee=1.00'))).toBe('fail');
    expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('created');
  });
});

describe('POST /notify for an RSA2 merchant (sign_type swap)', () => {
  let w: World;
  beforeAll(async () => (w = await startWorld({ delivery: { mode: 'capture' }, signType: 'RSA2', watch })));
  afterAll(() => w?.close());

  it('should accept the genuine RSA2 notification', async () => {
    const g = await genuine(w);
    expect(params(g.body).sign_type).toBe('RSA2');
    expect(await w.postNotify(g.body)).toBe('success');
    expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('paid');
  });

  it('should accept the genuine RSA2 sign relabelled RSA: the configured sign type decides, the label is not compared (§2.4 decision)', async () => {
    const g = await genuine(w);
    expect(await w.postNotify(form({ ...params(g.body), sign_type: 'RSA' }))).toBe('success');
    expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('paid');
  });

  for (const [name, make] of [
    [
      'an MD5 signature with the partner’s MD5 key and sign_type=MD5',
      (p: Record<string, string>) =>
        form({ ...withoutSign(p), sign: md5Sign(withoutSign(p), KEY_A), sign_type: 'MD5' }),
    ],
    ['an RSA (SHA-1) signature by another key', (p: Record<string, string>) => form(rsaSigned(p, 'RSA'))],
    [
      'the genuine sign with partner swapped in',
      (p: Record<string, string>) => form({ ...p, partner: '2088000000000001' }),
    ],
  ] as const) {
    it(`should answer fail and keep the order pending for ${name}`, async () => {
      const g = await genuine(w);
      const text = await w.postNotify(make(params(g.body)));
      expect(text).toBe('fail');
      expect((await w.ledger.getOrder(g.outTradeNo))!.status).toBe('created');
    });
  }
});

describe('secrets across the tampering suite', () => {
  it('should keep keys (MD5, RSA private) and every sign value out of every log line and error message', () => {
    expect(watch.secrets.size).toBeGreaterThan(20);
    expect(watch.lines.length).toBeGreaterThan(10);
    expect(watch.leaks()).toEqual([]);
  });
});
