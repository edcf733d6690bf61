/**
 * The direct path to gateway.do (gateway/direct.ts): requests answered before Express routes
 * anything must get the answer they got through Express. Pinned over raw HTTP: the headers of a
 * notify_verify answer (§7) and of HTML answers, the path spellings Express routes, a POST body
 * (2 MB limit, content encodings), faults, a sub-app mount, and an unexpected error still
 * reaching Express's error handler.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/http/security.js';
import { createSandbox } from '../src/index.js';
import { encode, KEY_A, PARTNER_A, paymentUrl, sandboxKeys, startSandbox, T0, type Running } from './helpers.js';

let s: Running | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with a verbatim request target (`path`), on its own connection. */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(base + '/', { method: options.method ?? 'GET', path, headers: options.headers, agent: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A notify_id the sandbox issued (paid through the cashier simulation, notification captured). */
async function issuedNotifyId(): Promise<{ s: Running; notifyId: string }> {
  const bodies: string[] = [];
  const running = await startSandbox({
    fetch: async (_url, init) => {
      bodies.push(String(init?.body));
      return new Response('success');
    },
  });
  await running.sandbox.control.simulatePayment(paymentUrl(running.gateway, { notify_url: 'http://127.0.0.1:1/n' }));
  await running.sandbox.control.flushNotifications();
  return { s: running, notifyId: new URLSearchParams(bodies[0]).get('notify_id')! };
}

const verifyQuery = (notifyId: string) => encode({ service: 'notify_verify', partner: PARTNER_A, notify_id: notifyId });

function expectSecurityHeaders(h: IncomingHttpHeaders): void {
  expect(h['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('same-origin');
  expect(h['x-frame-options']).toBe('DENY');
}

describe('notify_verify answers (§7)', () => {
  it('should answer plain text with no-store, the security headers and a Content-Length, not chunked', async () => {
    const r = await issuedNotifyId();
    s = r.s;
    const cases: Array<[string, string]> = [
      [verifyQuery(r.notifyId), 'true'],
      [verifyQuery('not-issued'), 'false'],
      [`service=notify_verify&partner=${PARTNER_A}`, 'invalid'],
    ];
    for (const [query, body] of cases) {
      const a = await raw(s.base, `/gateway.do?${query}`);
      expect(a.status).toBe(200);
      expect(a.body).toBe(body);
      expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(a.headers['cache-control']).toBe('no-store');
      expect(a.headers['content-length']).toBe(String(body.length));
      expect(a.headers['transfer-encoding']).toBeUndefined();
      expectSecurityHeaders(a.headers);
    }
  });

  it('should answer HEAD with the same headers and no body (no Content-Length, as before)', async () => {
    const r = await issuedNotifyId();
    s = r.s;
    const a = await raw(s.base, `/gateway.do?${verifyQuery(r.notifyId)}`, { method: 'HEAD' });
    expect(a.status).toBe(200);
    expect(a.body).toBe('');
    expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.headers['content-length']).toBeUndefined();
    expectSecurityHeaders(a.headers);
  });

  it('should answer every spelling Express routes to /gateway.do, and no other', async () => {
    const r = await issuedNotifyId();
    s = r.s;
    const q = verifyQuery(r.notifyId);
    for (const path of [
      `/GATEWAY.DO?${q}`,
      `/Gateway.Do/?${q}`,
      `/gateway.do#frag?${q}`,
      `${s.base}/gateway.do?${q}`,
      `/gateway.do?${q}&_input_charset=gbk`,
    ]) {
      const a = await raw(s.base, path);
      expect([a.status, a.body], path).toEqual([200, 'true']);
      expect(a.headers['cache-control']).toBe('no-store');
    }
    for (const path of [`/gateway.do//?${q}`, `/gateway%2Edo?${q}`, `/gateway.do;x?${q}`, `/gateway.dox?${q}`])
      expect((await raw(s.base, path)).status, path).toBe(404);
  });

  it('should also answer under a parent Express app that mounts the sandbox', async () => {
    const r = await issuedNotifyId();
    s = r.s;
    const parent = express();
    parent.use('/alipay', s.sandbox.app);
    const server = parent.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const a = await raw(base, `/alipay/gateway.do?${verifyQuery(r.notifyId)}`);
      expect([a.status, a.body]).toEqual([200, 'true']);
      expectSecurityHeaders(a.headers);
      expect((await raw(base, '/alipay/_sandbox/dashboard')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('a gateway.do body', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('should still be read and merged with the query (plain, gzip; an empty one is no body)', async () => {
    const r = await issuedNotifyId();
    s = r.s;
    const body = verifyQuery(r.notifyId);
    expect((await raw(s.base, '/gateway.do', { method: 'POST', headers: form, body })).body).toBe('true');
    expect(
      (await raw(s.base, '/gateway.do?service=notify_verify', { method: 'POST', headers: form, body: body.slice(21) }))
        .body,
    ).toBe('true');
    const gz = await raw(s.base, '/gateway.do', {
      method: 'POST',
      headers: { ...form, 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(gz.body).toBe('true');
    const empty = await raw(s.base, `/gateway.do?${body}`, { method: 'POST', headers: form, body: '' });
    expect(empty.body).toBe('true');
  });

  it('should refuse more than 2 MB (413) and an unknown content encoding (415), security headers on', async () => {
    s = await startSandbox();
    const big = await raw(s.base, '/gateway.do', {
      method: 'POST',
      headers: form,
      body: 'a='.padEnd(2 * 1024 * 1024 + 1, 'x'),
    });
    expect(big.status).toBe(413);
    expect(big.headers['referrer-policy']).toBe('same-origin');
    const limit = await raw(s.base, '/gateway.do', {
      method: 'POST',
      headers: form,
      body: 'service=notify_verify&'.padEnd(2 * 1024 * 1024, 'x'),
    });
    expect([limit.status, limit.body]).toEqual([200, 'invalid']);
    const odd = await raw(s.base, '/gateway.do', {
      method: 'POST',
      headers: { ...form, 'content-encoding': 'foo' },
      body: 'service=notify_verify',
    });
    expect(odd.status).toBe(415);
    expect(odd.headers['x-frame-options']).toBe('DENY');
  });

  it('should get the cashier page (HTML) with the security headers when posted', async () => {
    s = await startSandbox();
    const url = paymentUrl(s.gateway);
    const page = await raw(s.base, '/gateway.do', { method: 'POST', headers: form, body: url.split('?')[1] });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(page.headers);
    const error = await raw(s.base, '/gateway.do', {
      method: 'POST',
      headers: form,
      body: url.split('?')[1]!.replace(/sign=[^&]*/, 'sign=bad'),
    });
    expect(error.body).toContain('id="alipay-error-code"');
    expect(error.headers['content-type']).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(error.headers);
  });

  it('should see the transport faults as a GET does (http5xx)', async () => {
    s = await startSandbox();
    s.sandbox.control.setFaults(undefined, { http5xx: 1 });
    const a = await raw(s.base, '/gateway.do', { method: 'POST', headers: form, body: 'service=notify_verify' });
    expect([a.status, a.body, a.headers['content-type']]).toEqual([
      500,
      'Internal Server Error',
      'text/plain; charset=utf-8',
    ]);
    expect(a.headers['cache-control']).toBeUndefined();
    expectSecurityHeaders(a.headers);
  });
});

describe('an unexpected error in the gateway', () => {
  it("should still reach Express's error handler (HTTP 500 after the security headers)", async () => {
    const sandbox = createSandbox({
      merchants: [{ partner: PARTNER_A, md5Key: KEY_A }],
      keyPair: sandboxKeys(),
      now: () => T0,
    });
    const server = sandbox.app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await sandbox.close(); // the database is closed: notify_verify's lookup throws
    try {
      for (const method of ['GET', 'POST']) {
        const a = await raw(base, `/gateway.do?service=notify_verify&partner=${PARTNER_A}&notify_id=x`, {
          method,
          ...(method === 'POST' ? { body: 'a=b' } : {}),
        });
        expect(a.status, method).toBe(500);
        expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(a.headers['content-security-policy']).toBe("default-src 'none'");
        expect(a.headers['referrer-policy']).toBe('same-origin');
        expect(a.headers['x-frame-options']).toBe('DENY');
      }
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});
