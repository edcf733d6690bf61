// P5: click-to-paid wall time of the full flow in headless Chromium: the demo storefront
// (its exported startDemo factory, port 0, embedded sandbox) → the <alipay-checkout> pay button →
// the sandbox cashier → "Log in as test buyer and pay" → back on the result page → the element
// shows the order paid (confirmed by the server, which got the notification). Median of P5_RUNS
// (default 5) runs after one warm-up run; the cart is filled before the clock starts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/wtr/browser-flags.mjs';
import { median, row } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.P5_RUNS ?? 5);

async function onePurchase(browser, shopUrl, sandboxUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // Not timed: choose a product and open the checkout page with the widget ready.
    await page.goto(`${shopUrl}/`);
    await page.selectOption('#currency', 'USD');
    await page.locator('[data-product] button').first().click();
    await page.locator('#cart-count', { hasText: /^1$/ }).waitFor();
    await page.goto(`${shopUrl}/checkout`);
    const pay = page.locator('alipay-checkout').getByRole('button', { name: /pay with alipay/i });
    await pay.waitFor();
    // Timed: click → cashier → pay → return → "paid".
    const t0 = performance.now();
    await pay.click();
    await page.waitForURL((u) => u.href.startsWith(sandboxUrl), { timeout: 15_000 });
    await page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${shopUrl}/result`), { timeout: 15_000 });
    await page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    const ms = performance.now() - t0;
    if (errors.length) throw new Error(`P5: page errors: ${errors.join('; ')}`);
    return ms;
  } finally {
    await context.close();
  }
}

export async function runP5() {
  const start = join(here, '../demo/dist/start.js');
  if (!existsSync(start) || !existsSync(join(here, '../demo/dist/web/checkout.html')))
    throw new Error('P5: build the demo first (npm run build)');
  const { startDemo } = await import(pathToFileURL(start).href);
  const dataDir = mkdtempSync(join(tmpdir(), 'ak-bench-p5-'));
  const logs = [];
  const running = await startDemo({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: randomBytes(12).toString('base64url'),
    adminPasswordGenerated: false,
    tokenSecret: randomBytes(32).toString('base64url'),
    sandbox: { port: 0, dataFile: ':memory:', timeScale: 60, signType: 'RSA2' },
    log: (line) => logs.push(line),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const warm = await onePurchase(browser, running.url, running.sandboxUrl);
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(await onePurchase(browser, running.url, running.sandboxUrl));
    console.error(`  P5.e2e: warm-up ${warm.toFixed(0)} ms; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    return [
      row('P5.e2e', median(times) / 1000, null, 's', '<= 1.5', {
        runs_ms: times.map(Math.round),
        warmup_ms: Math.round(warm),
      }),
    ];
  } finally {
    await browser.close();
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
