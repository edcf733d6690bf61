/**
 * The purchase in every browser engine buyers use (issue 18): catalog → cart → checkout → the
 * widget's pay button → sandbox cashier → pay → back on the result page with "paid" confirmed
 * by the server, then a reload of the result page (the signed return must not come back).
 *
 * playwright-core (purchase.test.ts) drives Chromium only; this file drives Chromium and Firefox
 * through puppeteer-core and WebKit through WebKitWebDriver (test/engines.ts). Which engines:
 * E2E_ENGINES=chromium,firefox,webkit (default all three). `npm run test:browsers` runs it once
 * per engine and counts it in that engine's line; the plain vitest run leaves it out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesToRun, launch, missing, text, waitFor, type EngineBrowser, type EnginePage } from './engines.js';
import { startShop, type Shop } from './harness.js';

let shop: Shop;
beforeAll(async () => {
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
});

for (const engine of enginesToRun()) {
  describe(`purchase in ${engine}`, () => {
    let browser: EngineBrowser | undefined;
    let page: EnginePage | undefined;
    beforeAll(async () => {
      const why = missing(engine);
      if (why) throw new Error(`${engine} is not installed: ${why}. npm test installs it; E2E_ENGINES leaves it out.`);
      browser = await launch(engine);
    }, 120_000);
    afterAll(async () => {
      await page?.close().catch(() => undefined);
      await browser?.close();
    });

    let outTradeNo = '';
    let resultUrl = '';

    it('should pay at the cashier, come back and show the order as paid', async () => {
      page = await browser!.newPage();
      const p = page;
      await p.goto(`${shop.url}/`);
      await waitFor(p, `document.querySelector('[data-product="oolong-tin"] button')`, 'the catalog');
      await p.select('#currency', 'USD');
      await p.click('[data-product="oolong-tin"] button');
      await p.click('[data-product="oolong-tin"] button');
      await waitFor(p, `document.querySelector('#cart-count')?.textContent === '2'`, 'two items in the cart');

      await p.goto(`${shop.url}/cart`);
      await waitFor(p, `document.querySelector('[data-total]')`, 'the cart total');
      const total = await p.run<string>(`return document.querySelector('[data-total]').getAttribute('data-total')`);
      expect(total).toMatch(/^\d+\.\d\d$/);

      await p.goto(`${shop.url}/checkout`);
      await waitFor(
        p,
        `document.querySelector('alipay-checkout')?.shadowRoot?.querySelector('[part="button"]:not([disabled])')`,
        "the widget's pay button",
      );
      await p.click('[part="button"]', 'alipay-checkout');
      await waitFor(
        p,
        `location.href.startsWith(${JSON.stringify(shop.sandboxUrl)}) && document.querySelector('#cashier-title')`,
        'the sandbox cashier',
      );
      expect(await text(p, '#cashier-title')).toBe('Alipay cashier');
      // The cashier shows the server's price for the cart.
      expect(await text(p, '.amount')).toContain(total);

      await p.click('#pay');
      await waitFor(
        p,
        `location.href.startsWith(${JSON.stringify(`${shop.url}/result`)}) && document.querySelector('#result[data-state="ok"]')`,
        'the paid result page',
        60_000,
      );
      expect(await text(p, '#result-title')).toMatch(/payment was received/i);
      outTradeNo = (await text(p, '#order-no')) ?? '';
      expect(outTradeNo).toMatch(/^LL-/);
      // The widget removed the gateway's signed parameters from the address bar…
      resultUrl = await p.url();
      expect(new URL(resultUrl).searchParams.has('sign')).toBe(false);
      // …and the cart is emptied once the payment is confirmed.
      await waitFor(p, `document.querySelector('#cart-count')?.hidden === true`, 'the emptied cart');

      const order = await shop.demo.backend.order(outTradeNo);
      expect(order?.status).toBe('paid');
      expect(order?.total_fee).toBe(total);
    }, 150_000);

    it('should reload the result page without replaying the signed return', async () => {
      expect(outTradeNo, 'the purchase above must pass first').not.toBe('');
      const p = page!;
      await p.reload();
      await waitFor(
        p,
        `document.readyState === 'complete' && document.querySelector('#result[data-state]')`,
        'the reloaded result page',
      );
      const url = new URL(await p.url());
      expect(url.pathname).toBe('/result');
      expect(url.searchParams.has('sign')).toBe(false);
      expect(url.searchParams.has('trade_status')).toBe(false);
      // Nothing was paid twice or changed by the reload.
      await shop.sandbox.flushNotifications();
      expect(shop.sandbox.notifications({ out_trade_no: outTradeNo })).toHaveLength(1);
      const order = await shop.demo.backend.order(outTradeNo);
      expect(order?.status).toBe('paid');
      expect(order?.notifications).toHaveLength(1);
      // The page still works after the reload: its shell and a way back to the shop.
      expect(await p.run<boolean>(`return !!document.querySelector('#result-actions a[href="/"]')`)).toBe(true);
    });
  });
}
