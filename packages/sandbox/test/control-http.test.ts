/**
 * Control over HTTP (`/_sandbox/*`, JSON) and the dashboard at `GET /`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { paymentUrl, startMerchant, startSandbox, T0, type Running } from './helpers.js';

let s: Running;
afterEach(() => s.close());

const json = (base: string, path: string, method = 'GET', body?: unknown) =>
  fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('/_sandbox control API', () => {
  it('lists trades, refunds and notifications, advances the clock and flushes over HTTP', async () => {
    s = await startSandbox();
    const m = await startMerchant(() => ({ body: 'nope' }));
    try {
      await json(s.base, '/_sandbox/simulate', 'POST', { url: paymentUrl(s.gateway, { notify_url: `${m.url}/n` }) });
      await json(s.base, '/_sandbox/notifications/flush', 'POST');
      expect((await json(s.base, '/_sandbox/trades')).body).toMatchObject([
        { out_trade_no: 'ORDER-1', trade_status: 'TRADE_FINISHED' },
      ]);
      expect((await json(s.base, '/_sandbox/clock/advance', 'POST', { ms: 120_000 })).body).toEqual({
        now: T0 + 120_000,
      });
      const notes = (await json(s.base, '/_sandbox/notifications?out_trade_no=ORDER-1')).body as Array<{
        attempts: Array<{ body: string }>;
      }>;
      expect(notes[0]!.attempts.map((a) => a.body)).toEqual(['nope', 'nope']);
      expect((await json(s.base, '/_sandbox/refunds')).body).toEqual([]);
      expect((await json(s.base, '/_sandbox/clock/advance', 'POST', { ms: -1 })).status).toBe(400);
      expect((await json(s.base, '/_sandbox/refunds/R9/outcome', 'POST', { outcome: 'MAYBE' })).status).toBe(400);
      expect(
        (await json(s.base, '/_sandbox/secmerchants/2088/unknown/status', 'POST', { status: 'SUCCESS' })).status,
      ).toBe(400);
      const dash = await fetch(`${s.base}/`);
      expect(dash.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await dash.text();
      expect(html).toContain('ORDER-1');
      expect(html).toContain('nope');
      expect(html).not.toMatch(/<script|<link (?!rel="icon" href="\/favicon\.svg")/); // no assets but the sandbox's own favicon
    } finally {
      await m.close();
    }
  });
});
