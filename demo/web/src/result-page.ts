/**
 * The result page. `<alipay-checkout>` does the work out of sight (verifies the return, keeps
 * `?out_trade_no=…` in the address bar, polls the order); the page says what happened in one
 * message, in words, with one way forward. A reload, or another tab of this browser, shows the
 * order's live state again from the stored order token.
 */
import type { PublicOrder } from '@alipay-kit/core/contract';
import { findProduct, toMinor } from '../../src/catalog.js';
import { productArt } from './art.js';
import { $, h, svg } from './dom.js';
import { cnyAbout, money, moneyOf } from './format.js';
import { productText, t } from './i18n.js';
import type { ShopKey } from './i18n-en.js';
import { initShell } from './shell.js';
import * as store from './store.js';
import { ENDPOINT, mountReturn } from './widget.js';

initShell();

const icon = $('#result-icon');
const title = $('#result-title');
const text = $('#result-text');
const details = $('#result-details');
const actions = $('#result-actions');
const section = $('#result');

type Kind = 'ok' | 'wait' | 'bad';
function show(kind: Kind, heading: ShopKey, body: ShopKey, button: HTMLElement): void {
  section.dataset.state = kind;
  icon.className = `result-icon ${kind}`;
  icon.textContent = kind === 'ok' ? '✓' : kind === 'wait' ? '…' : '!';
  title.textContent = t(heading);
  text.textContent = t(body);
  actions.replaceChildren(button);
}

const link = (href: string, key: ShopKey) => h('a', { class: 'btn btn-primary', href }, t(key));
const reload = (key: ShopKey) =>
  h('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, t(key));

/** What was bought (this tab's cart at checkout, when it is this order) and what was paid. */
async function orderSummary(outTradeNo: string, paid: boolean): Promise<void> {
  const rows: HTMLElement[] = [
    h('p', {}, `${t('result.order')} `, h('span', { class: 'order-ref mono', id: 'order-no' }, outTradeNo)),
  ];
  const last = store.lastOrder();
  if (last?.outTradeNo === outTradeNo) {
    const c = last.cart.currency;
    rows.push(
      h(
        'ul',
        { class: 'mini-lines' },
        last.cart.items.map((l) => {
          const p = findProduct(l.id);
          if (!p) return null;
          return h(
            'li',
            { class: 'mini-line' },
            h('div', { class: 'mini-thumb' }, svg(productArt(p.art)), h('span', { class: 'mini-qty' }, String(l.qty))),
            h('span', { class: 'mini-name' }, productText(p).name),
            h('span', { class: 'mini-price' }, money(toMinor(p.prices[c as 'USD'], c) * l.qty, c)),
          );
        }),
      ),
    );
  }
  details.replaceChildren(...rows);
  const order = await readOrder(outTradeNo);
  if (!order) return;
  // rmb orders are priced in CNY (§3.5): the amount is what Alipay charged. Otherwise Alipay
  // converts at its own rate, which the shop only knows approximately.
  const total = moneyOf(order.amount, order.rmb ? 'CNY' : order.currency);
  const cny = order.rmb ? total : await cnyEstimate(order);
  details.append(
    h(
      'dl',
      { class: 'paid-summary' },
      h(
        'div',
        { class: 'total' },
        h('dt', {}, t(paid ? 'result.totalPaid' : 'result.totalDue')),
        h(
          'dd',
          { id: 'paid-total', 'data-amount': order.amount, 'data-currency': order.rmb ? 'CNY' : order.currency },
          total,
        ),
      ),
      cny
        ? h(
            'div',
            {},
            h('dt', {}, t('result.charged')),
            h('dd', { id: 'paid-cny' }, order.rmb ? cny : t('result.chargedAbout', { cny })),
          )
        : null,
    ),
  );
}

async function readOrder(outTradeNo: string): Promise<PublicOrder | undefined> {
  const token = store.orderToken(outTradeNo);
  if (!token) return undefined;
  try {
    const r = await fetch(`${ENDPOINT}/orders/${encodeURIComponent(outTradeNo)}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    return r.ok ? ((await r.json()) as PublicOrder) : undefined;
  } catch {
    return undefined;
  }
}

async function cnyEstimate(order: PublicOrder): Promise<string | undefined> {
  try {
    const r = await fetch('/api/rates', { headers: { accept: 'application/json' } });
    const rate = r.ok ? Number(((await r.json()) as { rates: Record<string, string> }).rates[order.currency]) : 0;
    return rate ? cnyAbout(toMinor(order.amount, order.currency), order.currency, rate) : undefined;
  } catch {
    return undefined;
  }
}

/** A widget error code in words: the code itself is for the logs, not for shoppers. */
function errorWords(code: string): ShopKey {
  if (/^(NETWORK_ERROR|TIMEOUT|HTTP_5\d\d)$/.test(code)) return 'result.errorNetwork';
  if (/UNAUTHORIZED|TOKEN|HTTP_40[13]|FORBIDDEN/.test(code)) return 'result.errorAccess';
  return 'result.errorOther';
}

function start(): void {
  const params = new URLSearchParams(location.search);
  let id = params.get('out_trade_no');
  if (!id) {
    // /result without a reference: this tab's last order, if its token still reads it.
    const last = store.lastOrder()?.outTradeNo;
    if (last && store.orderToken(last)) {
      history.replaceState(history.state, '', `?out_trade_no=${encodeURIComponent(last)}${location.hash}`);
      id = last;
    }
  }
  if (!id) {
    show('bad', 'result.none', 'result.noneText', link('/', 'result.continue'));
    $('#result-widget').remove();
    return;
  }
  const signed = params.has('sign') || params.has('trade_status');
  if (!signed && !store.orderToken(id)) {
    // A reference without a token this browser holds (another browser, an expired link).
    show('bad', 'result.error', 'result.errorAccess', link('/', 'result.continue'));
    $('#result-widget').remove();
    return;
  }
  mountReturn($('#result-widget'), {
    paid(no, status) {
      show(
        'ok',
        'result.paid',
        status === 'paid' ? 'result.paidText' : 'result.refundedText',
        link('/', 'result.continue'),
      );
      if (store.lastOrder()?.outTradeNo === no) store.clear();
      void orderSummary(no, true);
    },
    pending(no) {
      show('wait', 'result.pending', 'result.pendingText', reload('result.check'));
      void orderSummary(no, false);
    },
    failed(no) {
      const cartLeft = store.count() > 0;
      show(
        'bad',
        'result.failed',
        'result.failedText',
        cartLeft ? link('/checkout', 'result.retry') : link('/', 'result.continue'),
      );
      details.replaceChildren(
        h('p', {}, `${t('result.order')} `, h('span', { class: 'order-ref mono', id: 'order-no' }, no)),
      );
    },
    error(code) {
      section.dataset.code = code;
      const words = errorWords(code);
      // Asking again helps when the shop was out of reach, not when the order is out of bounds.
      show(
        'bad',
        'result.error',
        words,
        words === 'result.errorAccess' ? link('/', 'result.continue') : reload('result.retry'),
      );
      if (id)
        details.replaceChildren(
          h('p', {}, `${t('result.order')} `, h('span', { class: 'order-ref mono', id: 'order-no' }, id)),
        );
    },
  });
}

start();
