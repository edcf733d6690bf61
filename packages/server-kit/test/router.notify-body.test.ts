// POST /notify reads its own raw body (src/express/read-body.ts): limits, encodings, and
// merchant apps that mount a body parser before the router. Real HTTP, real SQLite, the sandbox.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { KEY_A } from './fixtures/keys.js';
import { post, startWorld, type World } from './helpers/world.js';

/** A §3.9 payment notification signed with Key A (fixture builder). */
function notification(out_trade_no: string, extra: Record<string, string> = {}): string {
  const p = {
    notify_id: 'n'.repeat(34),
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-25 12:00:00',
    trade_no: '2026112522001300000000000001',
    trade_status: 'TRADE_FINISHED',
    out_trade_no,
    total_fee: '10.00',
    currency: 'USD',
    ...extra,
  };
  return encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POST with node:http so the test controls framing (chunked, content-length, encoding, abort). */
function rawPost(w: World, chunks: Buffer[], headers: Record<string, string | number> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${w.merchantUrl}/alipay/notify`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } },
      (res) => {
        const got: Buffer[] = [];
        res.on('data', (c: Buffer) => got.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(got).toString() }),
        );
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

async function pendingOrder(w: World): Promise<string> {
  const r = await post(w, '/checkout', { order: { sku: 'tea' } });
  expect(r.status, r.text).toBe(200);
  return (r.json as { outTradeNo: string }).outTradeNo;
}

describe('POST /notify body reading', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('should answer exactly `success` as text/plain with a length, in chunked framing too', async () => {
    w = await startWorld({ router: { notifyVerify: false } });
    const id = await pendingOrder(w);
    const body = Buffer.from(notification(id));
    const r = await rawPost(w, [body.subarray(0, 10), body.subarray(10, 200), body.subarray(200)], {
      'transfer-encoding': 'chunked',
    });
    expect(r).toMatchObject({ status: 200, body: 'success' });
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-length']).toBe('7');
    expect(r.headers.etag).toBeUndefined();
    expect((await w.ledger.getOrder(id))!.status).toBe('paid');
  });

  const refused: Array<[string, (id: string) => [Buffer[], Record<string, string | number>]]> = [
    ['a declared length over 64 KiB', (id) => [[Buffer.from(notification(id, { body: 'x'.repeat(70_000) }))], {}]],
    [
      'a chunked body growing over 64 KiB',
      (id) => [
        [Buffer.from(notification(id)), Buffer.from('&pad=' + 'x'.repeat(40_000)), Buffer.from('x'.repeat(40_000))],
        { 'transfer-encoding': 'chunked' },
      ],
    ],
    ['a gzip-compressed body', (id) => [[gzipSync(notification(id))], { 'content-encoding': 'gzip' }]],
  ];
  for (const [name, make] of refused) {
    it(`should answer fail, log ERR_NOTIFICATION_INVALID and change nothing for ${name}`, async () => {
      w = await startWorld({ router: { notifyVerify: false } });
      const id = await pendingOrder(w);
      const [chunks, headers] = make(id);
      expect((await rawPost(w, chunks, headers)).body).toBe('fail');
      expect((await w.ledger.getOrder(id))!.status).toBe('created');
      expect(w.logs.at(-1)).toMatch(/^alipay notify answered fail: ERR_NOTIFICATION_INVALID: /);
      // the connection and the server still work: the genuine notification applies
      expect((await rawPost(w, [Buffer.from(notification(id))])).body).toBe('success');
      expect(w.paid.map((o) => o.out_trade_no)).toEqual([id]);
    });
  }

  it('should name the mount order when express.urlencoded() ran before the router, and apply nothing', async () => {
    w = await startWorld({ router: { notifyVerify: false }, beforeRouter: [express.urlencoded({ extended: false })] });
    const id = await pendingOrder(w);
    expect((await rawPost(w, [Buffer.from(notification(id))])).body).toBe('fail');
    expect(w.logs.at(-1)).toMatch(/^alipay notify answered fail: ERR_CONFIG: .*mount the router first/);
    expect((await w.ledger.getOrder(id))!.status).toBe('created');
  });

  it('should read the body when a global express.json() (which skips form bodies) runs before the router', async () => {
    w = await startWorld({ router: { notifyVerify: false }, beforeRouter: [express.json()] });
    const id = await pendingOrder(w);
    expect((await rawPost(w, [Buffer.from(notification(id))])).body).toBe('success');
    expect((await w.ledger.getOrder(id))!.status).toBe('paid');
  });

  it('should use the bytes an express.raw() mounted before the router kept', async () => {
    w = await startWorld({
      router: { notifyVerify: false },
      beforeRouter: [express.raw({ type: 'application/x-www-form-urlencoded' })],
    });
    const id = await pendingOrder(w);
    expect((await rawPost(w, [Buffer.from(notification(id))])).body).toBe('success');
    expect((await w.ledger.getOrder(id))!.status).toBe('paid');
  });

  it('should survive a client that disconnects mid-body, then apply the retry', async () => {
    w = await startWorld({ router: { notifyVerify: false } });
    const id = await pendingOrder(w);
    const body = Buffer.from(notification(id));
    await new Promise<void>((resolve) => {
      const req = request(`${w!.merchantUrl}/alipay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
      });
      req.on('error', () => resolve());
      req.write(body.subarray(0, 50), () => setTimeout(() => (req.destroy(), resolve()), 50));
    });
    expect((await w.ledger.getOrder(id))!.status).toBe('created');
    expect((await rawPost(w, [body])).body).toBe('success');
    expect((await w.ledger.getOrder(id))!.status).toBe('paid');
  });
});
