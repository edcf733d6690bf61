import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys, setUserAgent } from '@web/test-runner-commands';
import { AlipayCheckout, TOKEN_KEY } from '../src/components/alipay-checkout/alipay-checkout.component.js';
import type { AlipayCheckoutErrorEvent } from '../src/events/error.js';
import type { AlipayCheckoutRedirectEvent } from '../src/events/redirect.js';
import {
  API,
  checkout,
  focused,
  has,
  live,
  part,
  parts,
  requestLog,
  returnQuery,
  tradeNo,
  untilState,
} from './helpers.js';

afterEach(() => sessionStorage.clear());

describe('<alipay-checkout> registration and idle state', () => {
  it('should upgrade to AlipayCheckout and be in HTMLElementTagNameMap', async () => {
    const el = document.createElement('alipay-checkout');
    expect(el).to.be.instanceOf(AlipayCheckout);
    expect(customElements.get('alipay-checkout')).to.equal(AlipayCheckout);
  });

  it('should render the pay button with the Alipay mark, reflect state="idle" and be accessible', async () => {
    const { el } = await checkout();
    const button = part(el, 'button')!;
    expect(button.tagName).to.equal('BUTTON');
    expect(button.textContent!.trim()).to.equal('Pay with Alipay');
    expect(part(el, 'icon')!.tagName.toLowerCase()).to.equal('svg');
    expect(part(el, 'icon')!.getAttribute('aria-hidden')).to.equal('true');
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(live(el)).to.deep.equal({ polite: '', assertive: '' });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.getAttribute('aria-live')).to.equal('polite');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.getAttribute('aria-live')).to.equal('assertive');
    await expect(el).to.be.accessible();
  });

  it('should default to the Alipay blue #1677FF and follow --alipay-checkout-color', async () => {
    const { el } = await checkout();
    expect(getComputedStyle(part(el, 'button')!).backgroundColor).to.equal('rgb(22, 119, 255)');
    el.style.setProperty('--alipay-checkout-color', 'rgb(0, 100, 0)');
    expect(getComputedStyle(part(el, 'button')!).backgroundColor).to.equal('rgb(0, 100, 0)');
    el.style.setProperty('--alipay-checkout-radius', '0px');
    expect(getComputedStyle(part(el, 'button')!).borderTopLeftRadius).to.equal('0px');
  });

  it('should leak no CSS into the document', async () => {
    const sheets = document.styleSheets.length;
    const adopted = document.adoptedStyleSheets.length;
    const { el } = await checkout();
    const outside = document.createElement('button');
    outside.className = 'pay';
    el.after(outside);
    expect(document.styleSheets.length).to.equal(sheets);
    expect(document.adoptedStyleSheets.length).to.equal(adopted);
    expect(getComputedStyle(outside).backgroundColor).not.to.equal('rgb(22, 119, 255)');
    outside.remove();
  });

  it('should parse the order attribute as JSON when it looks like JSON, else keep the string', async () => {
    const a = await fixture<AlipayCheckout>(
      html`<alipay-checkout order='{"cart":"c_81","items":[1,2]}'></alipay-checkout>`,
    );
    expect(a.order).to.deep.equal({ cart: 'c_81', items: [1, 2] });
    const b = await fixture<AlipayCheckout>(html`<alipay-checkout order="sku-42"></alipay-checkout>`);
    expect(b.order).to.equal('sku-42');
    const c = await fixture<AlipayCheckout>(html`<alipay-checkout order="{not json"></alipay-checkout>`);
    expect(c.order).to.equal('{not json');
    const d = await fixture<AlipayCheckout>(html`<alipay-checkout order="[1,2]"></alipay-checkout>`);
    expect(d.order).to.deep.equal([1, 2]);
  });

  it('should use the label attribute over the locale', async () => {
    const el = await fixture<AlipayCheckout>(html`<alipay-checkout label="Checkout"></alipay-checkout>`);
    expect(part(el, 'button')!.textContent!.trim()).to.equal('Checkout');
  });
});

describe('<alipay-checkout> checkout and redirect', () => {
  it('should go loading, POST {order, variant} as JSON, fire a cancelable composed redirect, then redirect', async () => {
    const { el, navigations } = await checkout({ scenario: 'checkout-slow', cart: 'c_81' }, { variant: 'wap' });
    const redirect = oneEvent(document, 'alipay-checkout:redirect');
    part(el, 'button')!.click();
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
    expect(has(el, 'spinner')).to.equal(true);
    expect(live(el).polite).to.equal('Contacting Alipay…');
    await expect(el).to.be.accessible();

    const event = (await redirect) as AlipayCheckoutRedirectEvent;
    expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
    expect(event.detail.outTradeNo).to.match(/^T\d+-checkout-slow$/);
    expect(event.detail.url).to.contain('/widget-api/cashier?');
    expect(event.detail.form.action).to.equal('/widget-api/cashier');
    await untilState(el, 'redirecting');
    expect(live(el).polite).to.equal('Redirecting to Alipay…');
    expect(el.getAttribute('state')).to.equal('redirecting');
    await expect(el).to.be.accessible();
    expect(navigations).to.have.length(1);
    expect(navigations[0]!.orderToken).to.equal(`tok.${event.detail.outTradeNo}`);

    const [entry] = await requestLog(event.detail.outTradeNo);
    expect(entry).to.deep.include({ method: 'POST', path: '/checkout' });
    expect(entry!.body).to.deep.equal({ order: { scenario: 'checkout-slow', cart: 'c_81' }, variant: 'wap' });
  });

  it('should keep the order token in sessionStorage only, keyed by outTradeNo', async () => {
    const { el, navigations } = await checkout('paid');
    localStorage.clear();
    el.pay();
    await untilState(el, 'redirecting');
    const { outTradeNo, orderToken, url } = navigations[0]!;
    expect(sessionStorage.getItem(TOKEN_KEY + outTradeNo)).to.equal(orderToken);
    expect(localStorage.length).to.equal(0);
    expect(url).not.to.contain(orderToken);
  });

  it('should stay on the page and go back to idle when the redirect event is canceled', async () => {
    const { el, navigations } = await checkout('paid');
    el.addEventListener('alipay-checkout:redirect', (e) => e.preventDefault(), { once: true });
    const redirect = oneEvent(el, 'alipay-checkout:redirect');
    part(el, 'button')!.click();
    await redirect;
    await untilState(el, 'idle');
    expect(navigations).to.have.length(0);
    expect(live(el).polite).to.equal('');
  });

  it('should ignore clicks while busy (one checkout per click burst)', async () => {
    const { el, navigations } = await checkout('checkout-slow');
    const button = part(el, 'button')!;
    button.click();
    button.click();
    el.pay();
    await untilState(el, 'redirecting');
    expect(navigations).to.have.length(1);
  });

  it('should do nothing while disabled, and the button should be disabled', async () => {
    const { el, navigations } = await checkout('paid', { disabled: true });
    expect(el.hasAttribute('disabled')).to.equal(true);
    expect(part(el, 'button')!.matches(':disabled')).to.equal(true);
    part(el, 'button')!.click();
    el.pay();
    await aTimeout(100);
    expect(el.state).to.equal('idle');
    expect(navigations).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('should send variant "web" for auto on a desktop and "wap" on a phone', async () => {
    const { el } = await checkout('checkout-500');
    el.pay();
    await oneEvent(el, 'alipay-checkout:error');
    const desktop = (await requestLog('checkout')).at(-1)!;
    expect((desktop.body as { variant: string }).variant).to.equal('web');
    const iPhone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    // The browser's own user agent where the driver can set it (CDP, BiDi); WebKitWebDriver
    // cannot, so there the page's navigator answers the phone's.
    const restore = await setUserAgent(iPhone).then(
      () => () => setUserAgent(navigator.userAgent.replace(/iPhone.*$/, 'X11; Linux x86_64')),
      () => {
        Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => iPhone });
        return async () => void delete (navigator as { userAgent?: string }).userAgent;
      },
    );
    try {
      el.pay();
      await oneEvent(el, 'alipay-checkout:error');
    } finally {
      await restore();
    }
    const phone = (await requestLog('checkout')).at(-1)!;
    expect((phone.body as { variant: string }).variant).to.equal('wap');
    expect(phone.contentType).to.equal('application/json');
  });

  it('should post the form built programmatically (utf-8, in the shadow root) when the router sends no URL', async () => {
    const el = await fixture<AlipayCheckout>(html`<alipay-checkout endpoint=${API} order="form"></alipay-checkout>`);
    const submitted: HTMLFormElement[] = [];
    const submit = HTMLFormElement.prototype.submit;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted.push(this);
    };
    try {
      el.pay();
      await untilState(el, 'redirecting');
      await aTimeout(0);
    } finally {
      HTMLFormElement.prototype.submit = submit;
    }
    expect(submitted).to.have.length(1);
    const form = submitted[0]!;
    expect(form.getRootNode() === el.shadowRoot, 'form in the shadow root').to.equal(true);
    expect(new URL(form.action).pathname).to.equal('/widget-api/cashier');
    expect(form.method).to.equal('post');
    expect(form.acceptCharset).to.equal('utf-8');
    expect(Object.fromEntries(new FormData(form))).to.deep.include({ _input_charset: 'utf-8', sign_type: 'MD5' });
    expect(form.querySelectorAll('input[type="hidden"]').length).to.equal(4);
    form.remove();
  });

  it('should go back to idle when the page is restored from the bfcache while redirecting', async () => {
    const { el } = await checkout('paid');
    el.pay();
    await untilState(el, 'redirecting');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await untilState(el, 'idle');
  });
});

describe('<alipay-checkout> errors', () => {
  const cases: [string, unknown, string][] = [
    ['a 500 with an error body', 'checkout-500', 'INTERNAL'],
    ['a 400 with an error body', 'checkout-400', 'ORDER_INVALID'],
    ['a 200 without an order token', 'checkout-bad', 'BAD_RESPONSE'],
    ['a javascript: cashier URL', 'checkout-js', 'BAD_RESPONSE'],
  ];
  for (const [what, order, code] of cases) {
    it(`should show the error state and fire error { code: ${code} } on ${what}`, async () => {
      const { el, navigations } = await checkout(order);
      el.pay();
      const e = (await oneEvent(el, 'alipay-checkout:error')) as AlipayCheckoutErrorEvent;
      expect(e.detail).to.deep.equal({ code });
      expect(e.bubbles && e.composed).to.equal(true);
      await untilState(el, 'error');
      expect(navigations).to.have.length(0);
    });
  }

  it('should announce the error assertively, offer a retry, and be accessible', async () => {
    const { el } = await checkout('checkout-500');
    el.pay();
    await untilState(el, 'error');
    expect(live(el)).to.deep.equal({ polite: '', assertive: 'Something went wrong' });
    expect(has(el, 'button')).to.equal(false);
    expect(part(el, 'retry')!.textContent!.trim()).to.equal('Try again');
    expect(has(el, 'status-icon')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('should retry the checkout from the retry button', async () => {
    const { el, navigations } = await checkout('checkout-500');
    el.pay();
    await untilState(el, 'error');
    el.order = 'paid';
    part(el, 'retry')!.click();
    await untilState(el, 'redirecting');
    expect(navigations).to.have.length(1);
  });

  it('should report NO_ENDPOINT without an endpoint, NETWORK_ERROR when unreachable, HTTP_<status> without a JSON error body', async () => {
    const { el } = await checkout('paid', { endpoint: '' });
    el.pay();
    expect(((await oneEvent(el, 'alipay-checkout:error')) as AlipayCheckoutErrorEvent).detail.code).to.equal(
      'NO_ENDPOINT',
    );
    el.endpoint = 'http://127.0.0.1:9';
    el.pay();
    expect(((await oneEvent(el, 'alipay-checkout:error')) as AlipayCheckoutErrorEvent).detail.code).to.equal(
      'NETWORK_ERROR',
    );
    const flaky = tradeNo('return-flaky');
    el.endpoint = API;
    const p = oneEvent(el, 'alipay-checkout:error');
    void el.handleReturn(returnQuery(flaky));
    expect(((await p) as AlipayCheckoutErrorEvent).detail.code).to.equal('HTTP_503');
  });
});

describe('<alipay-checkout> return page', () => {
  async function returned(scenario: string, { token = true, pollTimeout = 8000 } = {}) {
    const id = tradeNo(scenario);
    if (token) sessionStorage.setItem(TOKEN_KEY + id, `tok.${id}`);
    const { el } = await checkout(null, { pollTimeout });
    return { el, id, done: el.handleReturn(returnQuery(id)) };
  }

  it('should verify, announce it politely, and be accessible while verifying', async () => {
    const { el, done } = await returned('paid-after-2');
    await el.updateComplete;
    expect(el.state).to.equal('verifying');
    expect(live(el).polite).to.equal('Confirming your payment…');
    expect(has(el, 'spinner')).to.equal(true);
    expect(has(el, 'button')).to.equal(false);
    await expect(el).to.be.accessible();
    await done;
  });

  it('should POST the raw query and the token to /return, poll /orders with the bearer token, then fire paid', async () => {
    const { el, id } = await returned('paid-after-3');
    const e = (await oneEvent(el, 'alipay-checkout:paid')) as CustomEvent;
    expect(e.detail).to.deep.equal({ outTradeNo: id, status: 'paid' });
    expect(e.bubbles && e.composed).to.equal(true);
    await untilState(el, 'paid');
    expect(live(el).polite).to.equal('Payment complete');
    await expect(el).to.be.accessible();
    expect(sessionStorage.getItem(TOKEN_KEY + id), 'token kept for a reload of the return page').to.equal(`tok.${id}`);

    const log = await requestLog(id);
    expect(log[0]).to.deep.equal({
      method: 'POST',
      path: '/return',
      body: { query: returnQuery(id), orderToken: `tok.${id}` },
    });
    const polls = log.slice(1);
    expect(polls).to.have.length(3);
    for (const p of polls)
      expect(p).to.deep.equal({ method: 'GET', path: `/orders/${id}`, authorization: `Bearer tok.${id}` });
  });

  it('should back off between polls (0.5 s, 1 s, 2 s …)', async () => {
    const { el } = await returned('paid-after-3');
    const t0 = performance.now();
    await oneEvent(el, 'alipay-checkout:paid');
    const elapsed = performance.now() - t0;
    expect(elapsed).to.be.within(3400, 6000); // 0.5 + 1 + 2 s of waiting, plus three round trips
  });

  it('should stop at pending after poll-timeout, fire pending, offer "Check again", and be accessible', async () => {
    const { el, id } = await returned('pending', { pollTimeout: 1200 });
    const e = (await oneEvent(el, 'alipay-checkout:pending')) as CustomEvent;
    expect(e.detail).to.deep.equal({ outTradeNo: id });
    await untilState(el, 'pending');
    expect(live(el).polite).to.equal('Payment processing. We’ll confirm it soon.');
    expect(part(el, 'retry')!.textContent!.trim()).to.equal('Check again');
    await expect(el).to.be.accessible();
    expect((await requestLog(id)).filter((r) => r.method === 'GET')).to.have.length(2); // at 0.5 s and 1.2 s
    expect(sessionStorage.getItem(TOKEN_KEY + id), 'token kept for "Check again"').to.equal(`tok.${id}`);
    el.pay();
    await el.updateComplete;
    expect(el.state, 'no second order while a payment may be under way').to.equal('pending');
    part(el, 'retry')!.click();
    await untilState(el, 'verifying', 1000);
    await untilState(el, 'pending');
  });

  it('should show failed and fire failed when the trade is closed, and be accessible', async () => {
    const { el, id } = await returned('closed');
    const e = (await oneEvent(el, 'alipay-checkout:failed')) as CustomEvent;
    expect(e.detail).to.deep.equal({ outTradeNo: id, status: 'closed' });
    await untilState(el, 'failed');
    expect(live(el).polite).to.equal('Payment not completed');
    expect(has(el, 'button'), 'no order on this page: no pay button').to.equal(false);
    await expect(el).to.be.accessible();
    el.order = 'paid';
    await el.updateComplete;
    expect(part(el, 'button')!.textContent!.trim(), 'with an order: pay again').to.equal('Pay with Alipay');
    await expect(el).to.be.accessible();
  });

  for (const status of ['refunded', 'partially_refunded']) {
    it(`should show paid for a ${status} order`, async () => {
      const { el, id } = await returned(status);
      const e = (await oneEvent(el, 'alipay-checkout:paid')) as CustomEvent;
      expect(e.detail).to.deep.equal({ outTradeNo: id, status });
    });
  }

  it('should stop at pending without polling when there is no token in sessionStorage', async () => {
    const { el, id } = await returned('paid-after-2', { token: false });
    await oneEvent(el, 'alipay-checkout:pending');
    const log = await requestLog(id);
    expect(log).to.have.length(1);
    expect(log[0]!.body).to.deep.equal({ query: returnQuery(id), orderToken: null });
  });

  it('should show the error state with the router code when /return or /orders fails, and retry', async () => {
    const a = await returned('return-500');
    expect(((await oneEvent(a.el, 'alipay-checkout:error')) as AlipayCheckoutErrorEvent).detail.code).to.equal(
      'ILLEGAL_SIGN',
    );
    const b = await returned('orders-401');
    expect(((await oneEvent(b.el, 'alipay-checkout:error')) as AlipayCheckoutErrorEvent).detail.code).to.equal(
      'TOKEN_INVALID',
    );
    const c = await returned('return-flaky');
    await oneEvent(c.el, 'alipay-checkout:error');
    await untilState(c.el, 'error');
    part(c.el, 'retry')!.click();
    await oneEvent(c.el, 'alipay-checkout:paid');
  });

  it('should reject a query that is not a gateway return', async () => {
    const { el } = await checkout();
    let error: unknown;
    await el.handleReturn('foo=bar').catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(el.state).to.equal('idle');
  });

  it('should read a bare order reference back with the stored token, without /return', async () => {
    const { el } = await checkout();
    const id = tradeNo('paid');
    sessionStorage.setItem(TOKEN_KEY + id, `tok.${id}`);
    const done = el.handleReturn(`out_trade_no=${id}`);
    const e = (await oneEvent(el, 'alipay-checkout:paid')) as CustomEvent;
    await done;
    expect(e.detail).to.deep.equal({ outTradeNo: id, status: 'paid' });
    expect(await requestLog(id)).to.deep.equal([
      { method: 'GET', path: `/orders/${id}`, authorization: `Bearer tok.${id}` },
    ]);
  });

  it('should reject a bare order reference whose token this tab does not hold', async () => {
    const { el } = await checkout();
    const id = tradeNo('paid');
    let error: unknown;
    await el.handleReturn(`out_trade_no=${id}`).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(el.state).to.equal('idle');
    expect(await requestLog(id)).to.deep.equal([]);
  });

  it('should leave the address bar alone when the query did not come from it', async () => {
    const before = location.href;
    const { el } = await returned('paid');
    await untilState(el, 'paid');
    expect(location.href).to.equal(before);
  });
});

describe('<alipay-checkout> keyboard, focus, motion, direction', () => {
  it('should be reachable with Tab, show a focus ring, and pay with Enter and with Space', async () => {
    const { el, navigations } = await checkout('paid');
    const before = document.createElement('input');
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === el, 'the host has focus').to.equal(true);
    const button = part(el, 'button')!;
    expect(focused(el)).to.equal('button');
    expect(button.matches(':focus-visible')).to.equal(true);
    const ring = getComputedStyle(button);
    expect(ring.outlineStyle).to.equal('solid');
    expect(ring.outlineWidth).to.equal('3px');
    await sendKeys({ press: 'Enter' });
    await untilState(el, 'redirecting');
    expect(focused(el), 'focus stays on the busy button').to.equal('button');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await untilState(el, 'idle');
    await sendKeys({ press: ' ' }); // ' ', not 'Space': puppeteer's BiDi keyboard (Firefox) knows only the former
    await untilState(el, 'redirecting');
    expect(navigations).to.have.length(2);
    before.remove();
  });

  it('should move focus to the retry button when the focused pay button goes away, and retry with Enter', async () => {
    const { el } = await checkout('checkout-500');
    part(el, 'button')!.focus();
    await sendKeys({ press: 'Enter' });
    await untilState(el, 'error');
    expect(focused(el)).to.equal('retry');
    const again = oneEvent(el, 'alipay-checkout:error');
    await sendKeys({ press: 'Enter' });
    await again;
    expect(focused(el)).to.equal('retry');
  });

  it('should not steal focus it did not have', async () => {
    const { el } = await checkout('checkout-500');
    el.pay();
    await untilState(el, 'error');
    expect(focused(el)).to.equal(undefined);
  });

  it('should stop the spinner for prefers-reduced-motion: reduce', async () => {
    const { el } = await checkout('checkout-slow');
    el.pay();
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'spinner')!).animationName).to.equal('spin');
    const emulated = await emulateMedia({ reducedMotion: 'reduce' }).then(
      () => true,
      () => false, // WebKitWebDriver cannot emulate media features
    );
    if (emulated) {
      try {
        expect(getComputedStyle(part(el, 'spinner')!).animationName).to.equal('none');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
    } else {
      // This engine parsed the feature and the element's adopted sheet holds the rule for it.
      expect(matchMedia('(prefers-reduced-motion: reduce)').media).to.equal('(prefers-reduced-motion: reduce)');
      const rules = el.shadowRoot!.adoptedStyleSheets.flatMap((s) => [...s.cssRules]);
      const reduce = rules.find(
        (r): r is CSSMediaRule => r instanceof CSSMediaRule && /prefers-reduced-motion:\s*reduce/.test(r.conditionText),
      );
      expect(reduce, 'a @media (prefers-reduced-motion: reduce) rule').to.not.equal(undefined);
      const spin = [...reduce!.cssRules].find(
        (r): r is CSSStyleRule => r instanceof CSSStyleRule && r.selectorText.includes('.spin'),
      );
      expect(spin?.style.animationName).to.equal('none');
    }
    await untilState(el, 'redirecting');
  });

  it('should mirror in a right-to-left context (logical properties)', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div dir="rtl"><alipay-checkout label="ادفع"></alipay-checkout></div>`,
    );
    const el = wrap.querySelector('alipay-checkout')!;
    await el.updateComplete;
    const icon = part(el, 'icon')!.getBoundingClientRect();
    const label = part(el, 'button')!.querySelector('span')!.getBoundingClientRect();
    expect(icon.left, 'the mark sits at the inline start: on the right').to.be.greaterThan(label.left);
    await expect(el).to.be.accessible();
  });

  it('should expose the documented parts', async () => {
    const { el } = await checkout('checkout-slow');
    expect(parts(el, 'status')).to.have.length(2);
    el.pay();
    await el.updateComplete;
    for (const name of ['button', 'spinner', 'status']) expect(has(el, name), name).to.equal(true);
    await untilState(el, 'redirecting');
  });

  it('should abort its requests when removed, and resume the return flow when put back', async () => {
    const id = tradeNo('paid-after-2');
    sessionStorage.setItem(TOKEN_KEY + id, `tok.${id}`);
    const { el } = await checkout(null);
    void el.handleReturn(returnQuery(id));
    const parent = el.parentElement!;
    el.remove();
    await aTimeout(1200);
    expect(el.state).to.equal('verifying');
    parent.append(el);
    await untilState(el, 'paid');
  });
});
