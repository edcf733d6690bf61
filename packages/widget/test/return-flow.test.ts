import { expect, waitUntil } from '@open-wc/testing';
import { TOKEN_KEY } from '../src/components/alipay-checkout/alipay-checkout.component.js';
import { frame, frameElement, nextLoad, requestLog, win } from './helpers.js';

afterEach(() => sessionStorage.clear());

/** Click the pay button in a test page and follow it to the cashier and back. */
async function payThroughCashier(query: string) {
  const f = await frame(`/widget-api/page.html?${query}`);
  const el = await frameElement(f);
  const back = nextLoad(f);
  (el.shadowRoot!.querySelector('[part="button"]') as HTMLButtonElement).click();
  await back; // → POST /checkout → cashier → 303 → the return page
  const returned = await frameElement(f);
  await waitUntil(() => /paid|failed|pending|error/.test(returned.state), `stuck in ${returned.state}`, {
    timeout: 10000,
  });
  await returned.updateComplete;
  return { f, el: returned, w: win(f) };
}

describe('return flow against the test API (real navigation, strict CSP)', () => {
  it('should pay end to end: checkout, cashier URL, return, verify, strip the query, poll, paid', async () => {
    const { f, el, w } = await payThroughCashier('order=paid-after-2&poll-timeout=10000');
    expect(el.state).to.equal('paid');
    expect(w.states).to.deep.equal(['verifying', 'paid']);
    const paid = w.events.find((e) => e.type === 'paid')!;
    const id = paid.detail.outTradeNo as string;
    expect(paid.detail).to.deep.equal({ outTradeNo: id, status: 'paid' });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).to.equal('Payment complete');

    // The gateway's parameters (and their sign) are gone from the address bar; the order
    // reference stays, for a reload.
    expect(f.contentWindow!.location.pathname).to.equal('/widget-api/page.html');
    expect(f.contentWindow!.location.search).to.equal(`?out_trade_no=${id}`);

    const log = await requestLog(id);
    expect(log.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /checkout',
      'GET /cashier',
      'POST /return',
      `GET /orders/${id}`,
      `GET /orders/${id}`,
    ]);
    const ret = log[2]!.body as { query: string; orderToken: string };
    expect(ret.orderToken, 'token carried across the round trip').to.equal(`tok.${id}`);
    expect(new URLSearchParams(ret.query).get('sign')).to.equal('good');
    expect(new URLSearchParams(ret.query).get('out_trade_no')).to.equal(id);
    expect(log[3]!.authorization).to.equal(`Bearer tok.${id}`);
    expect(String(log[1]!.query), 'the token never travels in a URL').not.to.contain('tok.');
    expect(sessionStorage.getItem(TOKEN_KEY + id), 'token kept for a reload').to.equal(`tok.${id}`);
    expect(w.violations).to.deep.equal([]);

    // Reload: no signed query any more, the stored token reads the order back, no /return.
    const reloaded = nextLoad(f);
    f.contentWindow!.location.reload();
    await reloaded;
    const again = await frameElement(f);
    await waitUntil(() => again.state === 'paid', `after reload: ${again.state}`, { timeout: 10000 });
    expect(win(f).events).to.deep.equal([{ type: 'paid', detail: { outTradeNo: id, status: 'paid' } }]);
    expect(f.contentWindow!.location.search).to.equal(`?out_trade_no=${id}`);
    const after = (await requestLog(id)).slice(5);
    expect(after.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`GET /orders/${id}`]);
    expect(after[0]!.authorization).to.equal(`Bearer tok.${id}`);
    f.remove();
  });

  it('should show a closed order as failed again after a reload, from the reference alone', async () => {
    const { f, w } = await payThroughCashier('order=closed');
    const id = w.events[0]!.detail.outTradeNo as string;
    const reloaded = nextLoad(f);
    f.contentWindow!.location.reload();
    await reloaded;
    const again = await frameElement(f);
    await waitUntil(() => again.state === 'failed', `after reload: ${again.state}`, { timeout: 10000 });
    expect(win(f).events).to.deep.equal([{ type: 'failed', detail: { outTradeNo: id, status: 'closed' } }]);
    f.remove();
  });

  it('should stay idle on a bare order reference whose token this tab does not hold', async () => {
    const f = await frame('/widget-api/page.html?out_trade_no=U-someone-elses-paid');
    const el = await frameElement(f);
    expect(el.state).to.equal('idle');
    expect(win(f).events).to.deep.equal([]);
    expect(await requestLog('U-someone-elses-paid')).to.deep.equal([]);
    f.remove();
  });

  it('should pay end to end through the auto-submitted form when the router sends no URL', async () => {
    const { f, el, w } = await payThroughCashier('order=form');
    expect(el.state).to.equal('paid');
    const id = w.events.find((e) => e.type === 'paid')!.detail.outTradeNo as string;
    const cashier = (await requestLog(id))[1]!;
    expect(cashier.method).to.equal('POST');
    expect(cashier.form).to.deep.equal({ out_trade_no: id, _input_charset: 'utf-8', sign: 'good', sign_type: 'MD5' });
    expect(w.violations).to.deep.equal([]);
    f.remove();
  });

  it('should end in failed for a closed trade', async () => {
    const { f, el, w } = await payThroughCashier('order=closed');
    expect(el.state).to.equal('failed');
    expect(w.events.map((e) => e.type)).to.deep.equal(['failed']);
    expect(f.contentWindow!.location.search).to.equal(`?out_trade_no=${w.events[0]!.detail.outTradeNo as string}`);
    f.remove();
  });

  it('should keep the query in the address bar when verification could not be done, and offer a retry', async () => {
    const { f, el, w } = await payThroughCashier('order=return-500');
    expect(el.state).to.equal('error');
    expect(w.events.at(-1)).to.deep.equal({ type: 'error', detail: { code: 'ILLEGAL_SIGN' } });
    expect(new URLSearchParams(f.contentWindow!.location.search).get('out_trade_no')).to.match(/-return-500$/);
    expect(el.shadowRoot!.querySelector('[part="retry"]')).to.not.equal(null);
    f.remove();
  });

  it('should stay idle on a page without gateway parameters', async () => {
    const f = await frame('/widget-api/page.html?order=paid&trade_no=1');
    const el = await frameElement(f);
    expect(el.state).to.equal('idle');
    expect(f.contentWindow!.location.search).to.equal('?order=paid&trade_no=1');
    f.remove();
  });
});
