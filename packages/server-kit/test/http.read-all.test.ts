// _readAll (lib/http.ts) over node:http's response, read by its events rather than an async
// iterator: the whole body, the byte cap, a body cut mid-way, a timeout mid-body. Real HTTP: a
// node:http server on port 0; each answer is compared with reading the same bytes as an
// AsyncIterable (the path an injected `fetch` takes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { _createHttp, _readAll, type Http } from '../src/lib/http.js';
import { startServer, type TestServer } from './helpers/http-server.js';

let srv: TestServer;
beforeAll(async () => (srv = await startServer()));
afterAll(() => srv.close());

const http = (timeoutMs = 5_000): Http =>
  _createHttp({ timeoutMs, retry: { limit: 0, backoffMs: 1, maxBackoffMs: 1 } });

/** GET the test server and read the body with `_readAll(max)`. */
const get = (h: Http, max: number) =>
  h.send({ url: srv.url, method: 'GET', label: 'test_read' }, (res) => _readAll(res.body, max, 'test_read'));

async function* chunksOf(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

/** The rejection's code (or the value itself when it resolved). */
const codeOf = (p: Promise<unknown>) =>
  p.then(
    (v) => v,
    (e: { code?: string }) => e.code,
  );

describe('_readAll over a node:http response', () => {
  it('should return every chunk of a chunked body, byte for byte, as the iterable path does', async () => {
    const parts = ['true', '\r\n', 'é'.repeat(3000), 'x'];
    srv.handle(async (_q, res: ServerResponse) => {
      for (const p of parts) {
        res.write(p);
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    const bytes = await get(http(), 1 << 20);
    expect(Buffer.from(bytes).toString('utf8')).toBe(parts.join(''));
    expect(Buffer.from(await _readAll(chunksOf(...parts), 1 << 20, 'test_read'))).toEqual(Buffer.from(bytes));
  });

  it('should return an empty body as zero bytes', async () => {
    srv.handle((_q, res) => res.end());
    expect((await get(http(), 16)).byteLength).toBe(0);
  });

  it('should refuse a body over the cap with ERR_RESPONSE_TOO_LARGE and drop the connection', async () => {
    let closed = false;
    srv.handle((_q, res) => {
      res.on('close', () => (closed = true));
      res.write('a'.repeat(3000));
      setTimeout(() => res.end('b'.repeat(3000)), 20);
    });
    await expect(codeOf(get(http(), 4096))).resolves.toBe('ERR_RESPONSE_TOO_LARGE');
    await expect(codeOf(_readAll(chunksOf('a'.repeat(3000), 'b'.repeat(3000)), 4096, 'x'))).resolves.toBe(
      'ERR_RESPONSE_TOO_LARGE',
    );
    await expect.poll(() => closed).toBe(true);
  });

  it('should accept a body of exactly the cap', async () => {
    srv.handle((_q, res) => res.end('z'.repeat(4096)));
    expect((await get(http(), 4096)).byteLength).toBe(4096);
  });

  it('should report a body cut mid-way as ERR_NETWORK, never as a short success', async () => {
    srv.handle((_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('true');
      setImmediate(() => res.socket?.destroy());
    });
    await expect(codeOf(get(http(), 4096))).resolves.toBe('ERR_NETWORK');
  });

  it('should report a body that stops arriving as ERR_TIMEOUT', async () => {
    srv.handle((_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('tr'); // and nothing more until the client gives up
    });
    await expect(codeOf(get(http(200), 4096))).resolves.toBe('ERR_TIMEOUT');
  });
});
