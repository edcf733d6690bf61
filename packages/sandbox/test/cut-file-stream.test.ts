/**
 * Fault `cutFileStream` (issue 12): a file service sends its headers (full Content-Length) and
 * about half of the body, then destroys the connection.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, PARTNER_A, paymentUrl, signMd5, startSandbox, type Running } from './helpers.js';

let s: Running;
const ROWS = 400;
beforeAll(async () => {
  s = await startSandbox();
  for (let i = 0; i < ROWS; i++)
    await s.sandbox.control.simulatePayment(
      paymentUrl(s.gateway, {
        out_trade_no: `CUT-${String(i).padStart(4, '0')}`,
        subject: 'A parcel with a fairly long subject line',
      }),
    );
  await s.sandbox.control.advanceClock(86_400_000);
});
afterAll(() => s.close());

const compare = () =>
  `${s.gateway}?${encode(signMd5({ service: 'forex_compare_file', partner: PARTNER_A, start_date: '20261125', end_date: '20261125' }))}`;
const rates = () => `${s.gateway}?${encode(signMd5({ service: 'forex_rate_file', partner: PARTNER_A }))}`;

/** A raw GET that reports what arrived before the connection ended. */
function rawGet(url: string): Promise<{ status: number; length: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
      });
      const done = () =>
        resolve({
          status: res.statusCode ?? 0,
          length: Number(res.headers['content-length']),
          received,
          complete: res.complete,
        });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cutFileStream', () => {
  it('without the fault, the file arrives whole', async () => {
    const r = await rawGet(compare());
    expect(r).toMatchObject({ status: 200, complete: true });
    expect(r.received).toBe(r.length);
    expect(r.length).toBeGreaterThan(32_000); // many rows: a body far larger than one TCP segment
    const text = await fetch(compare()).then((x) => x.text());
    expect(text.split('\r\n')).toHaveLength(ROWS + 1);
  });

  it('sends the headers and about half of the body, then drops the connection', async () => {
    s.sandbox.control.setFaults({ service: 'forex_compare_file' }, { cutFileStream: 1 });
    const r = await rawGet(compare());
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
    expect(r.received).toBe(Math.floor(r.length / 2));
    // A fetch client sees the body fail mid-stream.
    const res = await fetch(compare());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    await expect(res.text()).rejects.toThrow();
    s.sandbox.control.clearFaults();
  });

  it('cuts forex_rate_file and forex_liquidation_file too, and only those scoped', async () => {
    s.sandbox.control.setFaults(undefined, { cutFileStream: 1 });
    const r = await rawGet(rates());
    expect(r.complete).toBe(false);
    expect(r.received).toBeGreaterThan(0);
    expect(r.received).toBeLessThan(r.length);
    const liq = await fetch(
      `${s.gateway}?${encode(signMd5({ service: 'forex_liquidation_file', partner: PARTNER_A, start_date: '20261125', end_date: '20261125' }))}`,
    );
    await expect(liq.text()).rejects.toThrow();
    // XML services are not file bodies: untouched.
    const q = await s.get(
      signMd5({ _input_charset: 'utf-8', service: 'single_trade_query', partner: PARTNER_A, out_trade_no: 'CUT-0000' }),
    );
    expect(q.text).toContain('<trade_status>TRADE_FINISHED</trade_status>');
    s.sandbox.control.setFaults(undefined, { cutFileStream: 1 });
    s.sandbox.control.setFaults({ service: 'forex_compare_file' }, { cutFileStream: 0 });
    expect((await rawGet(compare())).complete).toBe(true);
    s.sandbox.control.clearFaults();
    expect((await rawGet(rates())).complete).toBe(true);
  });
});
