// The router ↔ browser JSON contract (issue #16 points 4 and 5): every answer has exactly the
// fields of its `@alipay-kit/core/contract` type, and no code goes on the wire outside
// `AlipayErrorCode` (the error classes' unions and the router's own `RouterErrorCode`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlipayError,
  AlipayLedgerError,
  AlipayValidationError,
  isAlipayError,
  type AlipayErrorCode,
} from '@alipay-kit/core';
import type {
  CheckoutForm,
  CheckoutResponse,
  ErrorResponse,
  PublicOrder,
  RefundResponse,
  ReturnResponse,
} from '@alipay-kit/core/contract';
import { _thrownAnswer, _WIRE_CODES } from '../src/routes/errors.js';
import { _notifyVerifyRejectionCode } from '../src/routes/notify-errors.js';
import { HookBusyError, NotificationRejectedError, type Ledger } from '../src/index.js';
import { get, post, postNotify, startWorld, type World } from './helpers/world.js';

/** The field names of `T`, complete: the literal must name every key of `T` and no other. */
const fieldsOf = <T>(keys: Record<keyof T, true>): string[] => Object.keys(keys).sort();
const CHECKOUT = fieldsOf<CheckoutResponse>({
  outTradeNo: true,
  url: true,
  form: true,
  orderToken: true,
  expiresAt: true,
});
const FORM = fieldsOf<CheckoutForm>({ action: true, method: true, fields: true });
const ORDER = fieldsOf<PublicOrder>({
  outTradeNo: true,
  status: true,
  amount: true,
  currency: true,
  subject: true,
  rmb: true,
});
const RETURN = fieldsOf<ReturnResponse>({ outTradeNo: true, status: true, verified: true });
const REFUND = fieldsOf<RefundResponse>({
  outReturnNo: true,
  outTradeNo: true,
  status: true,
  amount: true,
  currency: true,
});
const ERROR = fieldsOf<ErrorResponse['error']>({ code: true, message: true });

const ADMIN = { 'x-admin': 'ok' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Assert an error answer: `{ error: { code, message } }` and nothing else, with a code of the unions. */
function expectErrorAnswer(r: { status: number; json: unknown }, status: number, code?: AlipayErrorCode): void {
  expect(r.status).toBe(status);
  const body = r.json as ErrorResponse;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(ERROR);
  expect(typeof body.error.message).toBe('string');
  expect(_WIRE_CODES.has(body.error.code), body.error.code).toBe(true);
  if (code) expect(body.error.code).toBe(code);
}

async function checkout(w: World, sku: string): Promise<CheckoutResponse> {
  const r = await post(w, '/checkout', { order: { sku } });
  expect(r.status, r.text).toBe(200);
  return r.json as CheckoutResponse;
}

describe('alipayRouter answers (the @alipay-kit/core/contract types)', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      wrapLedger: (l: Ledger): Ledger => ({
        ...l,
        // A Node system error looks like ours (`Error` + `code: 'ERR_…'`) but is not one of our codes.
        getOrder: (id) =>
          id === 'BOOM'
            ? Promise.reject(Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }))
            : l.getOrder(id),
      }),
    });
  });
  afterAll(() => w.close());

  it('should answer POST /checkout with exactly the fields of CheckoutResponse', async () => {
    const c = await checkout(w, 'tea');
    expect(Object.keys(c).sort()).toEqual(CHECKOUT);
    expect(Object.keys(c.form).sort()).toEqual(FORM);
    expect(typeof c.expiresAt).toBe('string');
    expect(new Date(c.expiresAt).toISOString()).toBe(c.expiresAt);
  });

  it('should answer GET /orders/:outTradeNo with exactly the fields of PublicOrder, rmb included', async () => {
    const usd = await checkout(w, 'tea');
    const a = await get(w, `/orders/${usd.outTradeNo}`, bearer(usd.orderToken));
    expect(a.status).toBe(200);
    expect(Object.keys(a.json).sort()).toEqual(ORDER);
    expect(a.json).toEqual({
      outTradeNo: usd.outTradeNo,
      status: 'pending',
      amount: '10.00',
      currency: 'USD',
      subject: 'Green tea',
      rmb: false,
    } satisfies PublicOrder);
    const cny = await checkout(w, 'rmb');
    const b = await get(w, `/orders/${cny.outTradeNo}`, bearer(cny.orderToken));
    expect(b.json).toEqual({
      outTradeNo: cny.outTradeNo,
      status: 'pending',
      amount: '1.01',
      currency: 'JPY',
      subject: 'CNY-priced',
      rmb: true,
    } satisfies PublicOrder);
  });

  it("should show the ledger's paid_after_close as paid", async () => {
    const c = await checkout(w, 'tea');
    await w.ledger.markClosed(c.outTradeNo, { source: 'query' });
    await w.ledger.markPaid(c.outTradeNo, { trade_no: '2026112522001300000000000009', source: 'query' });
    expect((await w.ledger.getOrder(c.outTradeNo))?.status).toBe('paid_after_close');
    const r = await get(w, `/orders/${c.outTradeNo}`, bearer(c.orderToken));
    expect(r.json).toMatchObject({ outTradeNo: c.outTradeNo, status: 'paid' });
    const back = await post(w, '/return', {
      query: `out_trade_no=${c.outTradeNo}&sign=x&sign_type=MD5`,
      orderToken: c.orderToken,
    });
    expect(back.json).toEqual({ outTradeNo: c.outTradeNo, status: 'paid', verified: false } satisfies ReturnResponse);
  });

  it('should answer POST /return with exactly the fields of ReturnResponse', async () => {
    const c = await checkout(w, 'tea');
    const r = await post(w, '/return', {
      query: `out_trade_no=${c.outTradeNo}&sign=forged&sign_type=MD5`,
      orderToken: c.orderToken,
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(RETURN);
    expect(r.json).toEqual({ outTradeNo: c.outTradeNo, status: 'pending', verified: false });
  });

  it('should answer POST /refunds with exactly the fields of RefundResponse', async () => {
    const c = await checkout(w, 'tea');
    expect((await w.sandbox.control.simulatePayment(c.url)).errorCode).toBeUndefined();
    await w.sandbox.control.flushNotifications();
    const r = await post(w, '/refunds', { outTradeNo: c.outTradeNo, amount: '1.00' }, ADMIN);
    expect(r.status, r.text).toBe(202);
    expect(Object.keys(r.json).sort()).toEqual(REFUND);
    expect(r.json).toMatchObject({ outTradeNo: c.outTradeNo, amount: '1.00', currency: 'USD' });
    expect(['requested', 'accepted', 'possibly_done', 'succeeded', 'failed']).toContain(r.json.status);
  });

  it('should answer every refusal with { error: { code, message } } and a code of AlipayErrorCode', async () => {
    const c = await checkout(w, 'tea');
    const big = JSON.stringify({ order: 'x'.repeat(40_000) });
    const cases: Array<[string, () => Promise<{ status: number; json: unknown }>, number, AlipayErrorCode]> = [
      ['checkout: body not an object', () => post(w, '/checkout', '[]'), 400, 'ERR_INVALID_PARAMS'],
      [
        'checkout: unknown variant',
        () => post(w, '/checkout', { order: { sku: 'tea' }, variant: 'app' }),
        400,
        'ERR_INVALID_PARAMS',
      ],
      [
        'checkout: resolveOrder refuses',
        () => post(w, '/checkout', { order: { sku: 'none' } }),
        404,
        'ERR_INVALID_PARAMS',
      ],
      [
        'checkout: resolved order invalid',
        () => post(w, '/checkout', { order: { sku: 'yen' } }),
        400,
        'ERR_INVALID_AMOUNT',
      ],
      ['checkout: not JSON', () => post(w, '/checkout', '{'), 400, 'ERR_INVALID_PARAMS'],
      ['checkout: too large', () => post(w, '/checkout', big), 413, 'ERR_INVALID_PARAMS'],
      ['orders: no token', () => get(w, `/orders/${c.outTradeNo}`), 401, 'ERR_UNAUTHORIZED'],
      ['orders: token of another order', () => get(w, '/orders/OTHER', bearer(c.orderToken)), 401, 'ERR_UNAUTHORIZED'],
      ['return: no query', () => post(w, '/return', {}), 400, 'ERR_INVALID_PARAMS'],
      ['return: no out_trade_no', () => post(w, '/return', { query: 'a=b' }), 400, 'ERR_INVALID_PARAMS'],
      [
        'return: no token',
        () => post(w, '/return', { query: `out_trade_no=${c.outTradeNo}` }),
        401,
        'ERR_UNAUTHORIZED',
      ],
      ['refunds: not authenticated', () => post(w, '/refunds', { outTradeNo: c.outTradeNo }), 401, 'ERR_UNAUTHORIZED'],
      [
        'refunds: not allowed',
        () => post(w, '/refunds', { outTradeNo: c.outTradeNo }, { 'x-admin': 'no' }),
        403,
        'ERR_UNAUTHORIZED',
      ],
      ['refunds: no outTradeNo', () => post(w, '/refunds', {}, ADMIN), 400, 'ERR_INVALID_PARAMS'],
      [
        'refunds: amount not a string',
        () => post(w, '/refunds', { outTradeNo: c.outTradeNo, amount: 1 }, ADMIN),
        400,
        'ERR_INVALID_AMOUNT',
      ],
      ['refunds: unknown order', () => post(w, '/refunds', { outTradeNo: 'NOPE' }, ADMIN), 404, 'ERR_ORDER_NOT_FOUND'],
      [
        'refunds: order not paid',
        () => post(w, '/refunds', { outTradeNo: c.outTradeNo, amount: '1.00' }, ADMIN),
        409,
        'ERR_INVALID_TRANSITION',
      ],
      [
        'refunds: a foreign ERR_ code from below',
        () => post(w, '/refunds', { outTradeNo: 'BOOM' }, ADMIN),
        500,
        'ERR_INTERNAL',
      ],
      ['reconcile: no dates', () => post(w, '/reconcile', {}, ADMIN), 400, 'ERR_INVALID_DATE'],
    ];
    for (const [what, call, status, code] of cases) {
      const r = await call();
      try {
        expectErrorAnswer(r, status, code);
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message} (${JSON.stringify(r.json)})`, { cause: e });
      }
    }
  });

  it('should answer POST /notify with text only, never a JSON code', async () => {
    expect(await postNotify(w, '')).toBe('fail');
    expect((await w.ledger.listRejections()).recent.map((r) => r.code)).toContain('ERR_NOTIFICATION_INVALID');
  });
});

describe("resolveOrder's own errors on the wire", () => {
  it("should keep an alipay-kit code, and turn a merchant's own ERR_ code into ERR_INVALID_PARAMS with its status", async () => {
    let thrown: unknown;
    const w = await startWorld({
      router: {
        resolveOrder: () => {
          throw thrown;
        },
      },
    });
    try {
      thrown = new AlipayValidationError('ERR_INVALID_CURRENCY', 'we do not sell in that currency', {
        field: 'currency',
      });
      expectErrorAnswer(await post(w, '/checkout', { order: 1 }), 400, 'ERR_INVALID_CURRENCY');
      thrown = Object.assign(new Error('out of stock'), { code: 'ERR_OUT_OF_STOCK', status: 409 });
      expectErrorAnswer(await post(w, '/checkout', { order: 1 }), 409, 'ERR_INVALID_PARAMS');
    } finally {
      await w.close();
    }
  });
});

describe('the status table (routes/errors.ts)', () => {
  /** The answer `_thrownAnswer` builds for `e`, its JSON body parsed. */
  function capture(e: unknown): { status: number; body: ErrorResponse } {
    const a = _thrownAnswer(e);
    return { status: a.status, body: JSON.parse(a.body as string) as ErrorResponse };
  }

  it('should map every code of AlipayErrorCode to a 4xx/5xx status and send the code as is', () => {
    expect(_WIRE_CODES.size).toBe(29); // 25 codes of the ten core classes (ERR_INVALID_AMOUNT/CURRENCY shared by two) + 4 of the router
    for (const code of _WIRE_CODES) {
      const { status, body } = capture(new AlipayError(code as AlipayErrorCode, 'm'));
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(body).toEqual({ error: { code, message: 'm' } });
    }
    expect(capture(new AlipayLedgerError('ERR_ORDER_NOT_FOUND', 'm')).status).toBe(404);
    expect(capture(new AlipayLedgerError('ERR_CONFIG', 'ledger is closed')).status).toBe(500);
    expect(capture(new AlipayError('ERR_INVALID_KEY', 'm', { status: 503 })).status).toBe(503);
  });

  it('should send ERR_INTERNAL, without the message, for anything else', () => {
    for (const e of [
      new Error('secret detail'),
      Object.assign(new TypeError('bad arg'), { code: 'ERR_INVALID_ARG_TYPE' }),
      'a string',
      null,
    ]) {
      expect(capture(e)).toEqual({ status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error' } } });
    }
  });
});

describe('no code outside the unions in the sources', () => {
  const SRC = fileURLToPath(new URL('../src/', import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });

  it('should name only codes of AlipayErrorCode in server-kit, strings and doc comments alike', () => {
    const stray: string[] = [];
    for (const f of files(SRC)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/['"`](ERR_[A-Z0-9_]+)['"`]/g))
        if (!_WIRE_CODES.has(m[1]!)) stray.push(`${f.slice(SRC.length)}: ${m[1]}`);
    }
    expect(stray).toEqual([]);
    expect(files(join(SRC, 'routes')).length).toBeGreaterThan(10);
  });
});

describe('the router error classes', () => {
  it('should make HookBusyError and NotificationRejectedError public AlipayErrors bound to their codes', () => {
    const busy = new HookBusyError('claimed elsewhere');
    expect(busy).toBeInstanceOf(AlipayError);
    expect(busy).toMatchObject({ name: 'HookBusyError', code: 'ERR_HOOK_BUSY', message: 'claimed elsewhere' });
    expect(isAlipayError(busy)).toBe(true);
    const rejected = new NotificationRejectedError('ERR_NOTIFICATION_MISMATCH', 'total_fee differs from the order');
    expect(rejected).toBeInstanceOf(AlipayError);
    expect(rejected).toMatchObject({
      name: 'NotificationRejectedError',
      code: 'ERR_NOTIFICATION_MISMATCH',
      message: 'total_fee differs from the order',
    });
    const wrong = () => {
      // @ts-expect-error a rejection never carries a router-only code
      new NotificationRejectedError('ERR_UNAUTHORIZED', 'x');
    };
    expect(typeof wrong).toBe('function');
  });

  it("should record a failed notify_verify with the client's own code, else ERR_NETWORK", () => {
    expect(_notifyVerifyRejectionCode(new AlipayError('ERR_TIMEOUT', 'slow'))).toBe('ERR_TIMEOUT');
    expect(_notifyVerifyRejectionCode(new AlipayError('ERR_RESPONSE_TOO_LARGE', 'big'))).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(_notifyVerifyRejectionCode(Object.assign(new Error('x'), { code: 'ERR_SOCKET_CLOSED' }))).toBe(
      'ERR_NETWORK',
    );
    expect(_notifyVerifyRejectionCode(new Error('x'))).toBe('ERR_NETWORK');
  });
});
