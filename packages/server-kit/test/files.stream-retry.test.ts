// Issue 12, "Streams never replay": a streamed download (onRow) cut mid-body after rows reached
// the caller is never retried (a retry would hand those rows over again); before the first row
// it still is. Real HTTP: a node:http server on port 0 that sends part of the body, then
// destroys the socket, for the first `cuts` requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { isAlipayError } from '@alipay-kit/core';
import { createGatewayClient, type GatewayClient, type TransactionRow } from '../src/index.js';
import { AlipayDownloadInterruptedError } from '../src/client/files.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { startServer, type TestServer } from './helpers/http-server.js';

const ROWS = 2000;
const BODY = Array.from(
  { length: ROWS },
  (_, i) => `ID-${String(i + 1).padStart(5, '0')}|10.00|USD|20240101120000||P|0.10|P|row ${i + 1}\r\n`,
).join('');
const RANGE = { start_date: '20240101', end_date: '20240101' };

let srv: TestServer;
beforeAll(async () => (srv = await startServer()));
afterAll(() => srv.close());

function client(limit = 2): GatewayClient {
  srv.requests.length = 0;
  return createGatewayClient({
    gateway: srv.url,
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    retry: { limit, backoffMs: 5 },
    timeoutMs: 5000,
  });
}

/** Serve BODY; the first `cuts` requests get only its first `cutAt` bytes, then the socket is destroyed. */
function serveCut(cuts: number, cutAt: number, contentLength = true): void {
  let n = 0;
  srv.handle((_q, res: ServerResponse) => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (contentLength) res.setHeader('content-length', Buffer.byteLength(BODY));
    if (n++ >= cuts) return void res.end(BODY);
    res.write(BODY.slice(0, cutAt), () => setTimeout(() => res.socket?.destroy(), 20));
  });
}

/** A consumer that counts calls and distinct ids (duplicates show as calls > distinct). */
function consumer() {
  const ids = new Set<string>();
  let calls = 0;
  return {
    onRow: (row: TransactionRow) => {
      calls++;
      ids.add(row.partner_transaction_id);
    },
    get calls() {
      return calls;
    },
    get distinct() {
      return ids.size;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('streamed downloads never replay rows (issue 12)', () => {
  it('should deliver every row exactly once when nothing is cut', async () => {
    const c = client();
    serveCut(0, 0);
    const seen = consumer();
    const r = await c.compareFile(RANGE, { onRow: seen.onRow });
    expect([seen.calls, seen.distinct, r.rows.length]).toEqual([ROWS, ROWS, 0]);
    expect(srv.requests).toHaveLength(1);
  });

  it.each([
    ['with Content-Length', true],
    ['chunked', false],
  ])(
    'should reject, not retry, a cut after rows were delivered (%s), rowsDelivered = rows the consumer saw',
    async (_name, contentLength) => {
      const c = client();
      serveCut(1, Math.floor(BODY.length / 2), contentLength);
      const seen = consumer();
      const e = await rejection(c.compareFile(RANGE, { onRow: seen.onRow }));
      expect(srv.requests).toHaveLength(1); // no second attempt
      expect(seen.calls).toBeGreaterThan(0);
      expect(seen.calls).toBeLessThan(ROWS);
      expect(seen.calls).toBe(seen.distinct); // no duplicate rows
      expect(e).toBeInstanceOf(AlipayDownloadInterruptedError);
      expect(isAlipayError(e)).toBe(true);
      expect(e.name).toBe('AlipayDownloadInterruptedError');
      const err = e as AlipayDownloadInterruptedError;
      expect(err.code).toBe('ERR_NETWORK');
      expect(err.rowsDelivered).toBe(seen.calls);
      expect(err.message).toContain(`${seen.calls} rows`);
      expect(err.message).toMatch(/restart/i);
      expect(err.message).toContain('forex_compare_file');
      expect(err.message).not.toMatch(/sign=|[0-9a-f]{32}|gateway\.do\?/);
    },
  );

  it('should still retry a cut before the first row, and then deliver every row once', async () => {
    const c = client();
    serveCut(2, 20); // 20 bytes: less than one line
    const seen = consumer();
    await c.compareFile(RANGE, { onRow: seen.onRow });
    expect(srv.requests).toHaveLength(3);
    expect([seen.calls, seen.distinct]).toEqual([ROWS, ROWS]);
  });

  it('should give up with the plain transport error when every attempt is cut before the first row', async () => {
    const c = client(1);
    serveCut(5, 20);
    const seen = consumer();
    const e = await rejection(c.compareFile(RANGE, { onRow: seen.onRow }));
    expect(srv.requests).toHaveLength(2);
    expect(seen.calls).toBe(0);
    expect(e).not.toBeInstanceOf(AlipayDownloadInterruptedError);
    expect((e as { code?: string }).code).toBe('ERR_NETWORK');
  });

  it('should keep retrying a buffered download (no onRow) whole, with no duplicate rows', async () => {
    const c = client();
    serveCut(2, Math.floor(BODY.length / 2));
    const r = await c.compareFile(RANGE);
    expect(srv.requests).toHaveLength(3);
    expect(r.rows).toHaveLength(ROWS);
    expect(new Set(r.rows.map((x) => x.partner_transaction_id)).size).toBe(ROWS);
    expect(r.bytes).toBe(Buffer.byteLength(BODY)); // bytes of the attempt that succeeded
  });

  it('should hand the consumer its own error unchanged, without retrying', async () => {
    const c = client();
    serveCut(0, 0);
    const boom = new Error('database is down');
    let calls = 0;
    const e = await rejection(
      c.compareFile(RANGE, {
        onRow: () => {
          if (++calls === 10) throw boom;
        },
      }),
    );
    expect(e).toBe(boom);
    expect(calls).toBe(10);
    expect(srv.requests).toHaveLength(1);
  });

  it('should apply the same rule to the liquidation and rate files', async () => {
    const c = client();
    serveCut(1, Math.floor(BODY.length / 2));
    const seen = consumer();
    const e = await rejection(c.liquidationFile(RANGE, { onRow: seen.onRow }));
    expect((e as AlipayDownloadInterruptedError).rowsDelivered).toBe(seen.calls);
    expect(srv.requests).toHaveLength(1);

    const rates = Array.from(
      { length: 400 },
      (_, i) =>
        `20210826|101500|${String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26), 65 + (i % 7))}|6.706400\r\n`,
    ).join('');
    let n = 0;
    srv.requests.length = 0;
    srv.handle((_q, res) => {
      if (n++ > 0) return void res.end(rates);
      res.write(rates.slice(0, rates.length / 2), () => setTimeout(() => res.socket?.destroy(), 20));
    });
    let calls = 0;
    const e2 = await rejection(c.rateFile({ onRow: () => void calls++ }));
    expect((e2 as AlipayDownloadInterruptedError).rowsDelivered).toBe(calls);
    expect(calls).toBeGreaterThan(0);
    expect(srv.requests).toHaveLength(1);
  });
});
