/**
 * The cashier pages (HTML, no external assets, no script): the payment page with merchant,
 * subject and amount in the order currency and in CNY at the sandbox rate; the §3.7 error page
 * carrying `id="alipay-error-code"`; and the result pages.
 *
 * @module
 */
import { esc, page } from '../lib/html.js';
import { displayAmount, formatRate } from '../lib/amounts.js';
import { timeLabel } from '../lib/time.js';
import type { PendingOrder } from '../services/create-trade.js';
import type { TradeRow } from '../store/trades.js';

/** The codes the cashier shows, each with its sentence (the result page shows no other code). */
export const EXPLAIN: Readonly<Record<string, string>> = {
  ILLEGAL_SIGN: 'The signature (sign) does not match the parameters.',
  ILLEGAL_ARGUMENT: 'A parameter is missing, malformed or invalid.',
  ILLEGAL_SERVICE: 'The service parameter names no known service.',
  ILLEGAL_PARTNER: 'The partner (PID) is missing or unknown.',
  ILLEGAL_CHARSET: '_input_charset is not supported for this service.',
  ILLEGAL_SIGN_TYPE: 'sign_type must be MD5, RSA or RSA2.',
  ILLEGAL_SECURITY_PROFILE: 'The partner has no key configured for this sign_type.',
  ILLEGAL_CURRENCY: 'The currency is not contracted for this partner.',
  ILLEGAL_TIMEOUT_RULE: 'timeout_rule is not a listed value or is not enabled for this partner.',
  TRADE_HAS_SUCCESS: 'This out_trade_no has already been paid.',
  TRADE_HAS_CLOSE: 'This trade is closed: its payment window has passed and it cannot be reopened.',
  SESSION_TIMEOUT: 'This cashier session or payment link has expired.',
};

/** The §3.7 error page: HTTP 200 HTML whose `#alipay-error-code` holds the bare code; `detail` adds a sentence. */
export function errorPage(code: string, detail?: string): string {
  return page(
    `Error ${code}`,
    `<section class="card" role="alert" aria-labelledby="err-title">
<h1 id="err-title">We could not process this payment request</h1>
<p>Error code (错误代码): <span id="alipay-error-code" class="error-code">${esc(code)}</span></p>
<p>${esc(EXPLAIN[code] ?? 'The request was rejected.')}</p>
${detail ? `<p id="alipay-error-detail">${esc(detail)}</p>` : ''}
</section>`,
    { narrow: true },
  );
}

/** Where "back to the merchant" points: refer_url, else the return_url's origin. */
export function merchantLink(order: Pick<PendingOrder, 'refer_url' | 'return_url'>): string | undefined {
  if (order.refer_url) return order.refer_url;
  if (order.return_url) {
    try {
      return new URL(order.return_url).origin + '/';
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function amountFacts(order: PendingOrder): string {
  const foreign = displayAmount(order.foreign_minor, order.currency);
  const cny = displayAmount(order.cny_cents, 'CNY');
  const rate = `1 ${order.currency} = ${formatRate(order.rate, 6)} CNY (sandbox rate)`;
  return order.priced_in === 'cny'
    ? `<dt>You pay</dt><dd><span class="amount">${esc(cny)}</span></dd><dt>Merchant receives</dt><dd class="cny">${esc(foreign)}</dd><dt>Rate</dt><dd class="muted">${esc(rate)}</dd>`
    : `<dt>Order amount</dt><dd><span class="amount">${esc(foreign)}</span></dd><dt>You pay</dt><dd class="cny">${esc(cny)}</dd><dt>Rate</dt><dd class="muted">${esc(rate)}</dd>`;
}

/** What the merchant sent that a tester may want to check (open: this cashier is for testers; a click folds it). */
function sentFacts(order: PendingOrder, registeredName: string | undefined): string {
  const rows: Array<[string, string | null | undefined]> = [
    ['Supplier', order.supplier],
    ['Secondary merchant', order.secondary_merchant_name],
    ['Industry (MCC)', order.secondary_merchant_industry],
    ['Partner', registeredName],
    ['Service', order.service],
    ['Sign type / charset', `${order.sign_type} / ${order.input_charset || '(none: UTF-8)'}`],
    ['Merchant site', order.refer_url],
  ];
  const facts = rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('');
  return `<details class="sent" open><summary>What the merchant sent</summary><dl class="facts">${facts}</dl></details>`;
}

/** The cashier itself. `base` is the absolute or empty URL prefix for the forms. */
export function cashierPage(input: {
  base: string;
  sessionId: string;
  merchantName: string;
  registeredName?: string;
  order: PendingOrder;
  trade?: TradeRow | undefined;
}): string {
  const { order, trade } = input;
  const act = (a: string) => `${input.base}/cashier/${encodeURIComponent(input.sessionId)}/${a}`;
  const status = trade
    ? `<p class="muted" id="cashier-status">Logged in as the test buyer. Trade <code>${esc(trade.trade_no)}</code> is <span class="badge warn">${esc(trade.status)}</span> until ${esc(timeLabel(trade.expires_at))}: pay before then.</p>`
    : `<p class="muted" id="cashier-status">Not logged in yet: the Alipay trade is created when the buyer logs in.${
        order.link_expires_at ? ` This link accepts a login until ${esc(timeLabel(order.link_expires_at))}.` : ''
      }</p>`;
  // After "log in (don't pay yet)" the buyer is logged in: the main button only pays.
  const payLabel = trade ? 'Pay' : 'Log in as test buyer and pay';
  const login = trade
    ? ''
    : `<form method="post" action="${esc(act('login'))}"><button type="submit" class="secondary">Log in as test buyer (don't pay yet)</button></form>`;
  const payTitle = displayAmount(
    order.priced_in === 'cny' ? order.cny_cents : order.foreign_minor,
    order.priced_in === 'cny' ? 'CNY' : order.currency,
  );
  return page(
    `Pay ${payTitle} — Alipay sandbox cashier`,
    `<section class="card" aria-labelledby="cashier-title">
<h1 id="cashier-title">${order.service === 'create_forex_trade_wap' ? 'Alipay mobile cashier' : 'Alipay cashier'}</h1>
<dl class="facts">
<dt>Merchant</dt><dd id="merchant-name">${esc(input.merchantName)}</dd>
<dt>Subject</dt><dd id="order-subject">${esc(order.subject)}</dd>
${order.body ? `<dt>Description</dt><dd>${esc(order.body)}</dd>` : ''}
<dt>Order no.</dt><dd><code>${esc(order.out_trade_no)}</code></dd>
${amountFacts(order)}
</dl>
${status}
<div class="actions">
<form method="post" action="${esc(act('pay'))}"><button type="submit" id="pay" autofocus>${esc(payLabel)}</button></form>
${login}
<form method="post" action="${esc(act('cancel'))}"><button type="submit" id="cancel" class="secondary">Cancel</button></form>
<form method="post" action="${esc(act('timeout'))}"><button type="submit" id="timeout" class="danger">Let it time out</button></form>
</div>
${sentFacts(order, input.registeredName)}
</section>`,
    { narrow: true, subtitle: 'Test buyer cashier — no real money moves here' },
  );
}

/** A result page ("Payment cancelled", "Trade closed", "Payment successful"). */
export function resultPage(title: string, message: string, link?: { href: string; label: string }): string {
  return page(
    title,
    `<section class="card" role="status" aria-labelledby="result-title">
<h1 id="result-title">${esc(title)}</h1>
<p>${esc(message)}</p>
${link ? `<p><a class="button secondary" href="${esc(link.href)}">${esc(link.label)}</a></p>` : ''}
</section>`,
    { narrow: true },
  );
}
