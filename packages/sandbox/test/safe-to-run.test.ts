/**
 * Safe to leave running (issue 13): cross-origin refusal of every state-changing request to the
 * sandbox's pages and control API (gateway.do stays open: §1.2a forms come from the merchant's
 * origin), security headers on every page, POST → 303 → result page, a favicon. Over real HTTP,
 * and in Chromium for the attack the issue reports (a form on another local port).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { paymentUrl, startSandbox, T0, type Running } from './helpers.js';

let s: Running;
afterEach(async () => {
  await s?.close();
});

const sessionOf = (html: string) => /\/cashier\/([0-9a-f]+)\/pay/.exec(html)?.[1];

describe('security headers and favicon', () => {
  it('should send CSP (frame-ancestors none, the inline style by hash), nosniff and Referrer-Policy on every page', async () => {
    s = await startSandbox();
    const cashier = await fetch(paymentUrl(s.gateway));
    const id = sessionOf(await cashier.clone().text())!;
    await fetch(`${s.base}/cashier/${id}/cancel`, { method: 'POST' });
    const pages = [
      cashier,
      await fetch(`${s.base}/`),
      await fetch(`${s.base}/_sandbox/dashboard`),
      await fetch(`${s.base}/cashier/${id}/result`),
      await fetch(paymentUrl(s.gateway).replace('10.00', '1.00')),
      await fetch(`${s.base}/cashier/nope`),
    ];
    for (const r of pages) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, r.url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      const html = await r.text();
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      expect(html).not.toMatch(/ style="/);
      expect(html).toContain('<link rel="icon" href="/favicon.svg"');
    }
  });

  it('should serve the favicon at /favicon.ico and /favicon.svg', async () => {
    s = await startSandbox();
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const r = await fetch(`${s.base}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await r.text()).toMatch(/^<svg /);
    }
  });
});

describe('cross-origin refusal', () => {
  const post = (
    path: string,
    headers: Record<string, string>,
    body = 'ms=86400000',
    type = 'application/x-www-form-urlencoded',
  ) =>
    fetch(`${s.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': type, ...headers },
      body,
    });

  it('should refuse a state-changing POST from another origin or site, and leave the clock alone', async () => {
    s = await startSandbox();
    const attempts: Array<Record<string, string>> = [
      { origin: 'http://127.0.0.1:3000' },
      { origin: 'http://localhost:1' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { origin: 'null', 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const r = await post('/_sandbox/dashboard/advance', headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(await r.text()).toMatch(/cross-origin request refused/);
    }
    expect(
      (await post('/_sandbox/clock/advance', { origin: 'http://127.0.0.1:3000' }, '{"ms":1}', 'application/json'))
        .status,
    ).toBe(403);
    expect(
      (await fetch(`${s.base}/_sandbox/faults`, { method: 'DELETE', headers: { origin: 'http://evil.test' } })).status,
    ).toBe(403);
    expect(s.sandbox.control.now()).toBe(T0);
  });

  it('should accept its own origin, Sec-Fetch-Site same-origin, and clients that send no Origin (server-to-server, demos)', async () => {
    s = await startSandbox();
    expect((await post('/_sandbox/dashboard/advance', { origin: s.base }, 'ms=1000')).status).toBe(303);
    expect(
      (await post('/_sandbox/dashboard/advance', { origin: 'null', 'sec-fetch-site': 'same-origin' }, 'ms=1000'))
        .status,
    ).toBe(303);
    expect((await post('/_sandbox/dashboard/advance', { 'sec-fetch-site': 'same-origin' }, 'ms=1000')).status).toBe(
      303,
    );
    expect((await post('/_sandbox/clock/advance', {}, '{"ms":1000}', 'application/json')).status).toBe(200);
    expect(s.sandbox.control.now()).toBe(T0 + 4000);
  });

  it('should guard the cashier actions, but never gateway.do (§1.2a: the merchant page posts the payment form)', async () => {
    s = await startSandbox();
    const url = paymentUrl(s.gateway);
    const posted = await fetch(s.gateway, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://shop.test',
        'sec-fetch-site': 'cross-site',
      },
      body: url.split('?')[1],
    });
    const id = sessionOf(await posted.text());
    expect(id).toBeDefined();
    expect((await post(`/cashier/${id}/pay`, { origin: 'http://shop.test' }, '')).status).toBe(403);
    expect(s.sandbox.control.trades()).toEqual([]);
    expect((await post(`/cashier/${id}/pay`, {}, '')).status).toBe(303);
    expect(s.sandbox.control.trades()[0]!.trade_status).toBe('TRADE_FINISHED');
  });
});

describe('cashier POST → 303 → result page', () => {
  it('should answer cancel, time-out and pay (without return_url) with 303 to a result page a person understands', async () => {
    s = await startSandbox();
    const cases: Array<[string, string, RegExp]> = [
      ['cancel', 'Payment cancelled', /Nothing was charged/],
      ['timeout', 'Payment timed out', /This payment expired; nothing was charged/],
      ['pay', 'Payment successful', /You paid/],
    ];
    for (const [i, [action, title, sentence]] of cases.entries()) {
      const id = sessionOf(await (await fetch(paymentUrl(s.gateway, { out_trade_no: `R-${i}` }))).text())!;
      const r = await fetch(`${s.base}/cashier/${id}/${action}`, { method: 'POST', redirect: 'manual' });
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe(`/cashier/${id}/result`);
      const page = await (await fetch(`${s.base}${r.headers.get('location')}`)).text();
      expect(page).toContain(`<h1 id="result-title">${title}</h1>`);
      expect(page).toMatch(sentence);
      expect(page).not.toContain('TRADE_CLOSED');
      // Reopening the cashier of a finished session shows its result, not the buttons.
      expect((await fetch(`${s.base}/cashier/${id}`, { redirect: 'manual' })).status).toBe(303);
    }
  });

  it('should show a refused action on the result page with its code, and ignore codes it never produces', async () => {
    s = await startSandbox();
    const url = paymentUrl(s.gateway);
    const early = sessionOf(await (await fetch(url)).text())!;
    await s.sandbox.control.simulatePayment(url); // paid through another session
    const r = await fetch(`${s.base}/cashier/${early}/pay`, { method: 'POST', redirect: 'manual' });
    expect(r.headers.get('location')).toBe(`/cashier/${early}/result?error=TRADE_HAS_SUCCESS`);
    expect(await (await fetch(`${s.base}${r.headers.get('location')}`)).text()).toContain(
      'id="alipay-error-code" class="error-code">TRADE_HAS_SUCCESS<',
    );
    const forged = await fetch(`${s.base}/cashier/${early}/result?error=%3Cscript%3E`, { redirect: 'manual' });
    expect(await forged.text()).not.toContain('<script>');
  });
});

describe('in Chromium', () => {
  let browser: Browser;
  let evil: Server;
  let evilUrl = '';
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    // "Another local port": a page that auto-submits a form to the sandbox and frames its dashboard.
    evil = createServer((req, res) => {
      const target = decodeURIComponent((req.url ?? '').slice(1));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        req.url?.startsWith('/frame/')
          ? `<iframe id="f" src="${decodeURIComponent(req.url.slice(7))}"></iframe>`
          : `<form id="f" method="post" action="${target}/_sandbox/dashboard/advance"><input name="ms" value="86400000"></form><script>document.getElementById('f').submit()</script>`,
      );
    });
    evil.listen(0, '127.0.0.1');
    await new Promise((r) => evil.once('listening', r));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    evil?.closeAllConnections();
    await new Promise((r) => evil?.close(r));
  });

  it('should refuse a form on another local port that tries to move the gateway clock by a day', async () => {
    s = await startSandbox();
    const page = await browser.newPage();
    const refused = page.waitForResponse((r) => r.url().endsWith('/_sandbox/dashboard/advance'));
    await page.goto(`${evilUrl}/${encodeURIComponent(s.base)}`);
    expect((await refused).status()).toBe(403);
    expect(s.sandbox.control.now()).toBe(T0);
    await page.close();
  });

  it('should not let another page frame the dashboard', async () => {
    s = await startSandbox();
    const page = await browser.newPage();
    await page.goto(`${evilUrl}/frame/${encodeURIComponent(`${s.base}/`)}`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(text).not.toContain('Sandbox dashboard');
    await page.close();
  });

  it('should go Back from the cancel result without ERR_CACHE_MISS', async () => {
    s = await startSandbox();
    const page = await browser.newPage();
    await page.goto(paymentUrl(s.gateway, { out_trade_no: 'BACK-1' }));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Payment cancelled' }).waitFor();
    const back = await page.goBack();
    expect(back?.status()).toBe(200);
    await expect(page.locator('#merchant-name').count()).resolves.toBe(1);
    const forward = await page.goForward();
    expect(forward?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Payment cancelled');
    await page.close();
  });
});
