/**
 * Test harness: a demo (storefront + embedded sandbox) on port 0 with its own temporary data
 * folder, pages from the one shared Chromium, screenshots under test-results/screenshots/.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { inject } from 'vitest';
import type { SignType } from '../src/config.js';
import { startDemo, type RunningDemo } from '../src/start.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export interface Shop extends RunningDemo {
  dataDir: string;
  logs: string[];
  /** The embedded sandbox's control API. */
  sandbox: NonNullable<RunningDemo['demo']['sandbox']>['control'];
}

export interface ShopOptions {
  signType?: SignType;
  timeScale?: number;
  /** The router's sweeper interval (s); 0 = off. Default: the demo's. */
  sweepIntervalSeconds?: number;
  /** The shop's payment clock (the sandbox keeps the real one). */
  now?: () => Date;
}

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  // Reuse the key pairs generated once in global-setup (RSA keygen is the slow part).
  for (const f of ['merchant-rsa.pem', 'sandbox-rsa.pem']) copyFileSync(join(inject('keysDir'), f), join(dataDir, f));
  const logs: string[] = [];
  const running = await startDemo({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    adminPasswordGenerated: false,
    tokenSecret: randomBytes(32).toString('base64url'),
    sandbox: {
      port: 0,
      dataFile: ':memory:',
      timeScale: options.timeScale ?? 60,
      signType: options.signType ?? 'RSA2',
    },
    ...(options.sweepIntervalSeconds !== undefined ? { sweepIntervalSeconds: options.sweepIntervalSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
    log: (line) => logs.push(line),
  });
  const control = running.demo.sandbox!.control;
  return {
    ...running,
    dataDir,
    logs,
    sandbox: control,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let browser: Browser | undefined;
export async function getBrowser(): Promise<Browser> {
  browser ??= await chromium.connect(inject('browserWsEndpoint'));
  return browser;
}
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, locale: 'en-US' };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'en-US',
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and CSP violations seen on the page. */
  problems: string[];
}

export async function newSession(options: BrowserContextOptions = DESKTOP): Promise<Session> {
  const context = await (await getBrowser()).newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // HTTP errors are reported with their URL below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    // The sandbox's pages have no favicon; that 404 is not the shop's.
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
      problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

/** Full-page screenshot into test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Storefront: add products (by id) to the cart from the catalog page, then open the cart. */
export async function fillCart(
  page: Page,
  shop: Shop,
  items: { id: string; qty?: number }[],
  currency = 'USD',
): Promise<void> {
  await page.goto(`${shop.url}/`);
  await page.selectOption('#currency', currency);
  for (const { id, qty = 1 } of items) {
    for (let i = 0; i < qty; i++) await page.locator(`[data-product="${id}"] button`).click();
  }
  await page
    .locator('#cart-count', { hasText: new RegExp(`^${items.reduce((n, i) => n + (i.qty ?? 1), 0)}$`) })
    .waitFor();
}

/** From a filled cart: checkout page → click the widget's pay button → the sandbox cashier. */
export async function goToCashier(page: Page, shop: Shop): Promise<void> {
  await page.goto(`${shop.url}/checkout`);
  await page
    .locator('alipay-checkout')
    .getByRole('button', { name: /pay with alipay/i })
    .click();
  await page.waitForURL((u) => u.href.startsWith(shop.sandboxUrl!), { timeout: 15_000 });
  await page.locator('#cashier-title').waitFor();
}

/** Admin: log in with the test password (lands on the orders tab). */
export async function adminLogin(page: Page, shop: Shop): Promise<void> {
  await page.goto(`${shop.url}/admin`);
  await page.waitForURL(/\/admin\/login/);
  await page.fill('#password', ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/admin');
  await page.locator('#orders-title').waitFor();
}

/** Storefront: buy from a fresh cart and pay at the cashier; resolves with the paid order's number. */
export async function buyAndPay(shop: Shop, items: { id: string; qty?: number }[], currency = 'USD'): Promise<string> {
  const buyer = await newSession();
  try {
    await fillCart(buyer.page, shop, items, currency);
    await goToCashier(buyer.page, shop);
    await buyer.page.getByRole('button', { name: 'Log in as test buyer and pay' }).click();
    await buyer.page.locator('#result[data-state="ok"]').waitFor({ timeout: 30_000 });
    return (await buyer.page.locator('#order-no').textContent())!;
  } finally {
    await buyer.context.close();
  }
}

/** Admin: open one order's detail panel. */
export async function openOrder(page: Page, outTradeNo: string): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/admin#orders/${encodeURIComponent(outTradeNo)}`);
  await page.locator('#order-detail h2', { hasText: outTradeNo }).waitFor();
}
