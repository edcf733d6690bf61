/**
 * Fault injection (issue 3 "Faults"), restart persistence with a SQLite file, GBK round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import {
  decodeForm,
  encode,
  KEY_A,
  md5Hex,
  PARTNER_A,
  paymentUrl,
  presign,
  rsaPair,
  sandboxKeys,
  signMd5,
  signRsa,
  startMerchant,
  startSandbox,
  T0,
  verifyRsa,
  xmlTag,
  type Running,
} from './helpers.js';

let s: Running | undefined;
let m: Awaited<ReturnType<typeof startMerchant>> | undefined;
afterEach(async () => {
  await s?.close();
  await m?.close();
  s = m = undefined;
});

const rateFile = () => signMd5({ service: 'forex_rate_file', partner: PARTNER_A });
const query = () =>
  signMd5({ _input_charset: 'utf-8', service: 'single_trade_query', partner: PARTNER_A, out_trade_no: 'ORDER-1' });

describe('faults', () => {
  it('latencyMs delays the answer', async () => {
    s = await startSandbox();
    s.sandbox.control.setFaults(undefined, { latencyMs: 300 });
    const t = Date.now();
    await s.get(rateFile());
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('http5xx answers HTTP 500, scoped to one service', async () => {
    s = await startSandbox();
    s.sandbox.control.setFaults({ service: 'forex_rate_file' }, { http5xx: 1 });
    expect((await s.get(rateFile())).status).toBe(500);
    expect((await s.get(query())).status).toBe(200);
    s.sandbox.control.clearFaults();
    expect((await s.get(rateFile())).status).toBe(200);
  });

  it('timeout hangs until the client gives up', async () => {
    s = await startSandbox();
    s.sandbox.control.setFaults({ partner: PARTNER_A }, { timeout: 1 });
    await expect(fetch(`${s.gateway}?${encode(rateFile())}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it('truncateXml cuts the XML answer', async () => {
    s = await startSandbox();
    s.sandbox.control.setFaults(undefined, { truncateXml: 1 });
    const r = await s.get(query());
    expect(r.text.startsWith('<?xml')).toBe(true);
    expect(r.text.endsWith('</alipay>')).toBe(false);
  });

  it('gbkResponses declares and encodes XML as GBK', async () => {
    s = await startSandbox();
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { subject: '测试商品' }));
    s.sandbox.control.setFaults(undefined, { gbkResponses: true });
    const res = await fetch(`${s.gateway}?${encode(query())}`);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=GBK');
    const text = iconv.decode(Buffer.from(await res.arrayBuffer()), 'gbk');
    expect(text.startsWith('<?xml version="1.0" encoding="GBK"?>')).toBe(true);
    expect(xmlTag(text, 'subject')).toBe('测试商品');
  });

  it('duplicateNotifications sends extra copies of each attempt', async () => {
    s = await startSandbox();
    m = await startMerchant();
    s.sandbox.control.setFaults({ partner: PARTNER_A }, { duplicateNotifications: 2 });
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.sandbox.control.flushNotifications();
    expect(m.received).toHaveLength(3);
    expect(new Set(m.notifications().map((n) => n.notify_id)).size).toBe(1);
    expect(s.sandbox.control.notifications()[0]!.attempts.map((a) => a.duplicate)).toEqual([false, true, true]);
  });

  it('outOfOrderNotifications holds notifications and delivers the newest first', async () => {
    s = await startSandbox();
    m = await startMerchant();
    s.sandbox.control.setFaults(undefined, { outOfOrderNotifications: true });
    await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
    await s.get(
      signMd5({
        _input_charset: 'UTF-8',
        service: 'forex_refund',
        partner: PARTNER_A,
        out_trade_no: 'ORDER-1',
        out_return_no: 'R1',
        currency: 'USD',
        return_amount: '1.00',
        gmt_return: '20261125120000',
        notify_url: `${m.url}/n`,
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(m.received).toHaveLength(0);
    await s.sandbox.control.advanceClock(5_000);
    expect(m.notifications().map((n) => n.notify_type)).toEqual(['refund_status_sync', 'trade_status_sync']);
  });

  it('mangleSignPlus sends the RSA sign with raw "+" in the return URL (§1.4 rule 6)', async () => {
    const merchant = rsaPair();
    s = await startSandbox({ merchants: [{ partner: PARTNER_A, rsaPublicKey: merchant.publicKey }] });
    s.sandbox.control.setFaults(undefined, { mangleSignPlus: true });
    let returnUrl = '';
    for (let i = 0; i < 20 && !returnUrl.includes('+'); i++) {
      const p = signRsa(
        {
          _input_charset: 'UTF-8',
          service: 'create_forex_trade',
          partner: PARTNER_A,
          out_trade_no: `O${i}`,
          subject: 's',
          currency: 'USD',
          total_fee: '1.00',
          return_url: 'https://m.test/r',
        },
        merchant.privateKey,
        'RSA2',
      );
      returnUrl = (await s.sandbox.control.simulatePayment(`${s.gateway}?${encode(p)}`)).returnUrl!;
    }
    const q = returnUrl.split('?')[1]!;
    expect(/sign=[^&]*\+/.test(q)).toBe(true);
    const decoded = decodeForm(q); // a framework reads '+' as a space …
    expect(decoded.sign).toContain(' ');
    expect(verifyRsa(decoded, sandboxKeys().publicKey, 'RSA2')).toBe(false);
    expect(verifyRsa({ ...decoded, sign: decoded.sign!.replace(/ /g, '+') }, sandboxKeys().publicKey, 'RSA2')).toBe(
      true,
    ); // … and the §1.4 repair fixes it
  });

  it('rejects a fault probability outside 0..1 over HTTP with 400', async () => {
    s = await startSandbox();
    const r = await fetch(`${s.base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: { http5xx: 2 } }),
    });
    expect(r.status).toBe(400);
    const ok = await fetch(`${s.base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: { service: 'forex_rate_file' }, faults: { http5xx: 1 } }),
    });
    expect(ok.status).toBe(200);
    expect((await s.get(rateFile())).status).toBe(500);
    await fetch(`${s.base}/_sandbox/faults`, { method: 'DELETE' });
    expect((await s.get(rateFile())).status).toBe(200);
  });
});

describe('restart persistence', () => {
  it('keeps trades, refunds, the clock and pending retries across a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-sandbox-'));
    const dataFile = join(dir, 'state.sqlite');
    try {
      m = await startMerchant((_r, n) => ({ body: n === 1 ? 'fail' : 'success' }));
      s = await startSandbox({ dataFile });
      await s.sandbox.control.simulatePayment(paymentUrl(s.gateway, { notify_url: `${m.url}/n` }));
      await s.sandbox.control.flushNotifications();
      await s.sandbox.control.advanceClock(60_000);
      await s.close();
      s = await startSandbox({ dataFile });
      expect(s.sandbox.control.now()).toBe(T0 + 60_000);
      expect(s.sandbox.control.trades()[0]!.trade_status).toBe('TRADE_FINISHED');
      expect(s.sandbox.control.notifications()[0]!.state).toBe('pending');
      await s.sandbox.control.advanceClock(60_000); // the +2m retry falls due after the restart
      expect(m.received).toHaveLength(2);
      expect(s.sandbox.control.notifications()[0]!.state).toBe('acknowledged');
      expect(xmlTag((await s.get(query())).text, 'trade_status')).toBe('TRADE_FINISHED');
    } finally {
      await s?.close();
      s = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('data files from an older sandbox', () => {
  it('gain the refunds.sync_answer column (T) on open, keeping their rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-sandbox-old-'));
    const dataFile = join(dir, 'old.sqlite');
    try {
      const old = new Database(dataFile);
      old.exec(`CREATE TABLE refunds (
        partner TEXT NOT NULL, out_return_no TEXT NOT NULL, out_trade_no TEXT NOT NULL, trade_no TEXT NOT NULL,
        currency TEXT NOT NULL, requested_field TEXT NOT NULL, requested_amount TEXT NOT NULL,
        foreign_minor INTEGER NOT NULL, cny_cents INTEGER NOT NULL, status TEXT NOT NULL, error_code TEXT,
        is_sync TEXT NOT NULL, reason TEXT, gmt_return TEXT NOT NULL, notify_url TEXT,
        charset TEXT NOT NULL, sign_type TEXT NOT NULL, created_at INTEGER NOT NULL, settled_at INTEGER,
        PRIMARY KEY (partner, out_return_no))`);
      old
        .prepare(
          `INSERT INTO refunds VALUES ('${PARTNER_A}','R-OLD','O-1','2026112522000000000000000001','USD','return_amount','1.00',100,671,'REFUND_SUCCESS',NULL,'N',NULL,'20261125120000',NULL,'utf-8','MD5',${T0},NULL)`,
        )
        .run();
      old.close();
      s = await startSandbox({ dataFile });
      expect(s.sandbox.control.refunds()).toMatchObject([{ out_return_no: 'R-OLD', sync_answer: 'T', executed: true }]);
    } finally {
      await s?.close();
      s = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GBK', () => {
  it('round-trips a GBK create_forex_trade: cashier shows the subject, return and notification are GBK-encoded and GBK-signed', async () => {
    s = await startSandbox();
    m = await startMerchant();
    // protocol §2.7 "Charset effect": the GBK vector
    const gbkVector = signMd5(
      {
        _input_charset: 'gbk',
        currency: 'USD',
        out_trade_no: 'T1',
        partner: PARTNER_A,
        service: 'create_forex_trade',
        subject: '测试商品',
        total_fee: '1.00',
      },
      KEY_A,
      'gbk',
    );
    expect(gbkVector.sign).toBe('45e00911b696201d2e81ad2fd15ef624');
    const page = await fetch(`${s.gateway}?${encode(gbkVector, 'gbk')}`).then((r) => r.text());
    expect(page).toContain('测试商品');
    // the UTF-8 signature over the GBK request fails
    const wrong = { ...gbkVector, sign: 'eea0c81e23f97982495b42f2c597d3b7' };
    expect(await fetch(`${s.gateway}?${encode(wrong, 'gbk')}`).then((r) => r.text())).toContain('>ILLEGAL_SIGN<');
    // POSTed as GBK form body with _input_charset in the URL (§1.2a)
    const p = signMd5(
      {
        _input_charset: 'GBK',
        service: 'create_forex_trade',
        partner: PARTNER_A,
        out_trade_no: 'G1',
        subject: '测试商品',
        currency: 'USD',
        total_fee: '1.00',
        notify_url: `${m.url}/n`,
        return_url: `${m.url}/r`,
      },
      KEY_A,
      'gbk',
    );
    const posted = await s.post(p, 'gbk');
    expect(posted.text).toContain('测试商品');
    const out = await s.sandbox.control.simulatePayment(`${s.gateway}?${encode(p, 'gbk')}`);
    const ret = decodeForm(out.returnUrl!.split('?')[1]!, 'gbk');
    expect(ret.sign).toBe(md5Hex(presign(ret), KEY_A, 'gbk'));
    await s.sandbox.control.flushNotifications();
    expect(m.received[0]!.contentType).toBe('application/x-www-form-urlencoded; charset=GBK');
    const n = m.notifications('gbk')[0]!;
    expect(n.sign).toBe(md5Hex(presign(n), KEY_A, 'gbk'));
    // the query in GBK echoes and signs the subject in GBK
    const q = signMd5(
      { _input_charset: 'GBK', service: 'single_trade_query', partner: PARTNER_A, out_trade_no: 'G1' },
      KEY_A,
      'gbk',
    );
    const xml = (await s.get(q, 'gbk')).text;
    expect(xmlTag(xml, 'subject')).toBe('测试商品');
  });

  it('refuses to start without merchants and validates rates', () => {
    expect(() => createSandbox({ merchants: [{ partner: PARTNER_A, md5Key: KEY_A }], rates: { USD: 'abc' } })).toThrow(
      RangeError,
    );
  });
});
