// The Express router under hostile or mistaken input (issues 14 and 15): malformed ids are 400
// with a stable code on every route, never 500; order tokens without `exp` or `sub` are refused;
// an express.urlencoded() mounted before the router is reported with one error line that says
// what to do — when the router is mounted, before any notification has to fail for it.
import express from 'express';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { AlipayErrorCode } from '../src/index.js';
import { KEY_A } from './fixtures/keys.js';
import { get, post, postNotify, SECRET, startWorld, type World } from './helpers/world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function checkout(world: World): Promise<{ outTradeNo: string; orderToken: string }> {
  const r = await post(world, '/checkout', { order: { sku: 'tea' } });
  expect(r.status, r.text).toBe(200);
  return r.json as { outTradeNo: string; orderToken: string };
}

const token = (claims: { sub?: string; exp?: number }) => {
  let t = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('alipay-kit/order')
    .setIssuedAt(Math.floor(w!.sandbox.control.now() / 1000));
  if (claims.sub !== undefined) t = t.setSubject(claims.sub);
  if (claims.exp !== undefined) t = t.setExpirationTime(claims.exp);
  return t.sign(new TextEncoder().encode(SECRET));
};

describe('malformed input on every route (issue 14)', () => {
  it('should answer 400 ERR_INVALID_PARAMS for a bad order id in the path, before the token is looked at', async () => {
    w = await startWorld();
    const c = await checkout(w);
    const auth = { authorization: `Bearer ${c.orderToken}` };
    for (const path of [
      '/orders/%ZZ',
      '/orders/%',
      '/orders/%C3%28',
      '/orders/a%2Fb',
      `/orders/${'A'.repeat(65)}`,
      `/orders/${'%41'.repeat(3000)}`,
      '/orders/a.b',
    ]) {
      for (const headers of [auth, {}]) {
        const r = await get(w, path, headers);
        expect([r.status, r.json?.error?.code], path).toEqual([400, 'ERR_INVALID_PARAMS']);
      }
    }
    // the id as percent-encoding of a valid one is fine
    expect((await get(w, `/orders/${encodeURIComponent(c.outTradeNo)}`, auth)).status).toBe(200);
    // trailing slash and case, as Express routing allows them
    expect((await get(w, `/orders/${c.outTradeNo}/`, auth)).status).toBe(200);
  });

  it('should answer 400 for bad ids and bodies on POST /return, /refunds and /checkout', async () => {
    const world = (w = await startWorld());
    const c = await checkout(world);
    const admin = { 'x-admin': 'ok' };
    const cases: Array<[string, () => Promise<{ status: number; json: any }>, number, AlipayErrorCode]> = [
      [
        'refund: over-long id',
        () => post(world, '/refunds', { outTradeNo: 'A'.repeat(65) }, admin),
        400,
        'ERR_INVALID_PARAMS',
      ],
      ['refund: odd id', () => post(world, '/refunds', { outTradeNo: '../etc' }, admin), 400, 'ERR_INVALID_PARAMS'],
      [
        'refund: bad outReturnNo',
        () => post(world, '/refunds', { outTradeNo: c.outTradeNo, outReturnNo: 'x y' }, admin),
        400,
        'ERR_INVALID_PARAMS',
      ],
      [
        'refund: bad amount',
        () => post(world, '/refunds', { outTradeNo: c.outTradeNo, amount: '1,00' }, admin),
        400,
        'ERR_INVALID_AMOUNT',
      ],
      [
        'return: odd out_trade_no',
        () => post(world, '/return', { query: 'out_trade_no=%ZZ&sign=x', orderToken: c.orderToken }),
        400,
        'ERR_INVALID_PARAMS',
      ],
      [
        'return: over-long out_trade_no',
        () => post(world, '/return', { query: `out_trade_no=${'A'.repeat(65)}`, orderToken: c.orderToken }),
        400,
        'ERR_INVALID_PARAMS',
      ],
      ['checkout: trailing garbage', () => post(world, '/checkout', '{"order":1} x'), 400, 'ERR_INVALID_PARAMS'],
      ['checkout: a JSON scalar', () => post(world, '/checkout', '"tea"'), 400, 'ERR_INVALID_PARAMS'],
      [
        'reconcile: bad date',
        () => post(world, '/reconcile', { startDate: '2026-13-45', endDate: '2026-13-46' }, admin),
        400,
        'ERR_INVALID_DATE',
      ],
    ];
    for (const [what, call, status, code] of cases) {
      const r = await call();
      expect([r.status, r.json?.error?.code], what).toEqual([status, code]);
    }
    // a mangled sync return is an unverified return redirected home, not an error
    const back = await get(w, '/return?out_trade_no=%ZZ&sign=%E0%A4%A&sign_type=MD5');
    expect([back.status, back.location]).toEqual([303, '/thanks']);
  });

  it('should refuse order tokens without exp or without sub (jose requiredClaims)', async () => {
    w = await startWorld();
    const c = await checkout(w);
    const soon = Math.floor(w.sandbox.control.now() / 1000) + 600;
    const noExp = await token({ sub: c.outTradeNo });
    const noSub = await token({ exp: soon });
    const good = await token({ sub: c.outTradeNo, exp: soon });
    expect((await get(w, `/orders/${c.outTradeNo}`, { authorization: `Bearer ${noExp}` })).status).toBe(401);
    expect((await get(w, `/orders/${c.outTradeNo}`, { authorization: `Bearer ${noSub}` })).status).toBe(401);
    expect((await post(w, '/return', { query: `out_trade_no=${c.outTradeNo}`, orderToken: noExp })).status).toBe(401);
    expect((await get(w, `/orders/${c.outTradeNo}`, { authorization: `Bearer ${good}` })).status).toBe(200);
    // the router's own tokens carry both
    const [, payload] = c.orderToken.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      sub: c.outTradeNo,
      exp: expect.any(Number),
    });
  });
});

describe('a body parser mounted before the router (issue 15)', () => {
  const notification = (out_trade_no: string) => {
    const p = {
      notify_id: 'n'.repeat(34),
      notify_type: 'trade_status_sync',
      notify_time: '2026-11-25 12:00:00',
      trade_no: '2026112522001300000000000001',
      trade_status: 'TRADE_FINISHED',
      out_trade_no,
      total_fee: '10.00',
      currency: 'USD',
    };
    return encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
  };

  it('should log one error line saying what to do when the router is mounted, at error level, before any request', async () => {
    const errors: Array<[string, Record<string, unknown> | undefined]> = [];
    const warnings: string[] = [];
    w = await startWorld({
      beforeRouter: [express.urlencoded({ extended: false })],
      router: {
        notifyVerify: false,
        logger: { warn: (m) => void warnings.push(m), error: (m, f) => void errors.push([m, f]) },
      },
    });
    // app.use('/alipay', router) has run, no request yet
    expect(errors).toHaveLength(1);
    const [message, fields] = errors[0]!;
    expect(message).toMatch(
      /express\.urlencoded\(\).*before alipayRouter.*answered fail.*Fix: mount the router before the parser/,
    );
    expect(fields).toEqual({ code: 'ERR_CONFIG', detectedBy: 'mount' });
    const c = await checkout(w); // JSON routes still work
    // the notification still fails (its body is gone) — with its own warning, and no second error line
    expect(await postNotify(w, notification(c.outTradeNo))).toBe('fail');
    expect(await postNotify(w, notification(c.outTradeNo))).toBe('fail');
    expect(errors).toHaveLength(1);
    expect(warnings.filter((m) => m.startsWith('alipay notify answered fail: ERR_CONFIG'))).toHaveLength(2);
    expect((await w.ledger.getOrder(c.outTradeNo))!.status).toBe('created');
  });

  it('should say nothing when the parser is mounted after the router, or on other paths', async () => {
    const errors: string[] = [];
    w = await startWorld({
      router: { notifyVerify: false, logger: { warn: () => {}, error: (m) => void errors.push(m) } },
    });
    w.app.use(express.urlencoded({ extended: false }));
    w.app.use('/forms', express.urlencoded({ extended: false }));
    const c = await checkout(w);
    expect(await postNotify(w, notification(c.outTradeNo))).toBe('success');
    expect(errors).toEqual([]);
  });

  it('should report a parser the app stack does not show (wrapped in another middleware) on the first consumed notification, once', async () => {
    const errors: string[] = [];
    const parse = express.urlencoded({ extended: false });
    w = await startWorld({
      beforeRouter: [(req, res, next) => parse(req, res, next)],
      router: {
        notifyVerify: false,
        logger: { warn: () => {}, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
      },
    });
    const c = await checkout(w);
    expect(errors).toEqual([]);
    expect(await postNotify(w, notification(c.outTradeNo))).toBe('fail');
    expect(await postNotify(w, notification(c.outTradeNo))).toBe('fail');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"detectedBy":"notification"');
  });

  it('should write the error line to stderr with the default logger', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (
      lines.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      w = await startWorld({ beforeRouter: [express.urlencoded({ extended: false })], router: { logger: undefined } });
    } finally {
      process.stderr.write = write;
    }
    expect(lines.filter((l) => l.startsWith('alipay-kit error alipay-kit: a body parser'))).toHaveLength(1);
  });
});
