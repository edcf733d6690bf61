import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { frame, frameElement, untilState, win } from './helpers.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

async function underStrictCsp(src: string) {
  const res = await fetch(src);
  expect(res.headers.get('content-security-policy')).to.equal(CSP);
  expect(await res.text()).not.to.match(/<script>|<style|style=/);

  const f = await frame(src);
  const el = await frameElement(f);
  const button = el.shadowRoot!.querySelector('[part="button"]')!;
  // The stylesheet was adopted although inline styles are forbidden.
  expect(getComputedStyle(button).backgroundColor).to.equal('rgb(22, 119, 255)');
  expect(el.shadowRoot!.adoptedStyleSheets.length).to.equal(1);
  expect(el.shadowRoot!.querySelector('style'), 'no <style> fallback').to.equal(null);

  // Through loading to error and back: every state it renders, rendered under the policy.
  (button as HTMLButtonElement).click();
  await untilState(el, 'error');
  expect(el.shadowRoot!.querySelector('[part="retry"]')).to.not.equal(null);
  await aTimeout(100); // violation events are queued as tasks
  expect(win(f).violations, 'CSP violations').to.deep.equal([]);

  // Control: the policy is live and the recorder hears violations.
  f.contentDocument!.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline style</p>');
  await waitUntil(() => win(f).violations.length > 0, 'the control violation was not reported');
  expect(win(f).violations[0]).to.match(/^style-src-attr/);
  f.remove();
}

describe('strict Content-Security-Policy', () => {
  it('should render and run with no violation: the ESM source', async () => {
    await underStrictCsp('/widget-api/page.html?order=checkout-500');
  });

  it('should render and run with no violation: the drop-in bundle', async function () {
    const built = await fetch('/packages/widget/dist/alipay-checkout.bundle.js', { method: 'HEAD' });
    if (!built.ok) this.skip(); // built by scripts/build.mjs (npm test builds first)
    await underStrictCsp('/widget-api/page.html?order=checkout-500&bundle=1');
  });
});
