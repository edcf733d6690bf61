import '../styles/admin.css';
import type { AdminInfo, AdminOrderDetail, AdminOrderSummary, AdminRefund } from '../../src/admin-types.js';
import { currencyDecimals, formatRequestAmount, toMinorUnits } from '@alipay-kit/core';
import { api, errorBox } from './admin-api.js';
import { loadRates } from './admin-rates.js';
import { initReconciliation } from './admin-recon.js';
import { latePaymentCallout, refundsTable, sendRefund, type RefundOutcome } from './admin-refunds.js';
import { loadRejections } from './admin-rejections.js';
import { WAITING, label, statusChip } from './admin-words.js';
import { LOGO } from './art.js';
import { $, h, svg } from './dom.js';
import { timeParts } from './admin-time.js';
import { beijingTime, moneyOf } from './format.js';

for (const el of document.querySelectorAll('[data-logo]')) el.replaceChildren(svg(LOGO));

/* ---------------------------------------------------------------- tabs */
const TABS = ['orders', 'refunds', 'reconciliation', 'rates'] as const;
type Tab = (typeof TABS)[number];
const loaded = new Set<Tab>();

function showTab(): void {
  const want = location.hash.replace(/^#/, '').split('/')[0] as Tab;
  const tab: Tab = TABS.includes(want) ? want : 'orders';
  for (const a of document.querySelectorAll<HTMLAnchorElement>('[data-tab]')) {
    if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const p of document.querySelectorAll<HTMLElement>('[data-panel]')) p.hidden = p.dataset.panel !== tab;
  if (!loaded.has(tab)) {
    loaded.add(tab);
    if (tab === 'orders') void loadOrders();
    if (tab === 'rates') void loadRates();
  }
  if (tab === 'reconciliation') void refreshReconLimits(); // the gateway's today moves (the sandbox clock)
  if (tab === 'refunds') void loadRefunds(); // states move on their own (notifications, the sweeper)
  if (tab === 'orders') {
    const no = decodeURIComponent(location.hash.split('/')[1] ?? '');
    if (no && no !== selected) void selectOrder(no);
  }
}
window.addEventListener('hashchange', showTab);

/* ---------------------------------------------------------------- info */
/** Whether the shop's order sweeper runs (from /info). */
let sweeperOn = false;

void api<AdminInfo>('/info')
  .then((info) => {
    sweeperOn = info.sweepIntervalSeconds > 0;
    const pill = $('#mode-pill');
    pill.hidden = false;
    pill.textContent = info.mode === 'sandbox' ? `Sandbox · ${info.signType}` : `Live · ${info.signType}`;
    pill.title = `Partner ${info.partner} · ${info.gateway}`;
    if (info.mode === 'live') pill.classList.add('live');
    if (info.mode === 'sandbox') $('#recon-sandbox-hint').hidden = false;
    $('#sweeper-note').textContent =
      info.sweepIntervalSeconds > 0
        ? `The shop’s sweeper does the same about every ${info.sweepIntervalSeconds} s.`
        : 'The shop’s sweeper is off (SWEEP_INTERVAL_SECONDS=0): only “Check again” or a notification resolves them.';
    if (info.sandboxDashboard) {
      const link = $('#sandbox-link') as HTMLAnchorElement;
      link.href = info.sandboxDashboard;
      link.hidden = false;
    }
  })
  .catch(() => undefined);

/* ---------------------------------------------------------------- orders */
let orders: AdminOrderSummary[] = [];
let selected: string | undefined;
const tbody = $('#orders-table tbody');
const filter = $('#order-filter') as HTMLSelectElement;
const search = $('#order-search') as HTMLInputElement;

async function loadOrders(): Promise<void> {
  void loadRejections($('#rejections'));
  void countOpenRefunds();
  try {
    ({ orders } = await api<{ orders: AdminOrderSummary[] }>('/orders'));
    const statuses: string[] = [...new Set(orders.map((o) => o.status))].sort();
    const current = filter.value;
    filter.replaceChildren(new Option('All orders', ''), ...statuses.map((s) => new Option(label(s), s)));
    filter.value = statuses.includes(current) ? current : '';
    renderOrders();
  } catch (e) {
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, errorBox(e))));
  }
}

function renderOrders(): void {
  const q = search.value.trim().toLowerCase();
  const rows = orders.filter(
    (o) =>
      (!filter.value || o.status === filter.value) &&
      (!q || o.out_trade_no.toLowerCase().includes(q) || (o.trade_no ?? '').includes(q)),
  );
  $('#orders-empty').hidden = rows.length > 0;
  tbody.replaceChildren(
    ...rows.map((o) =>
      h(
        'tr',
        {
          'data-order': o.out_trade_no,
          'aria-current': o.out_trade_no === selected ? 'true' : 'false',
          onclick: () => (location.hash = `orders/${encodeURIComponent(o.out_trade_no)}`),
        },
        h(
          'td',
          {},
          h('a', { class: 'order-no', href: `#orders/${encodeURIComponent(o.out_trade_no)}` }, o.out_trade_no),
        ),
        h('td', { class: 'when' }, timeParts(o.created_at)),
        h('td', { class: 'items', title: o.subject }, o.subject),
        h(
          'td',
          { class: 'num' },
          moneyOf(o.total_fee, o.currency),
          o.refunded_fee && Number(o.refunded_fee) > 0
            ? h('span', { class: 'sub' }, `−${moneyOf(o.refunded_fee, o.currency)} refunded`)
            : null,
        ),
        h('td', { class: 'state' }, statusChip(o.status), stateSub(o)),
      ),
    ),
  );
}
/** Under the chip of a closed or late-paid order: its Alipay trade number, or that there was no payment. */
function stateSub(o: AdminOrderSummary): HTMLElement | null {
  if (o.status !== 'paid_after_close' && o.status !== 'closed') return null;
  if (o.trade_no) return h('span', { class: 'sub mono trade-no', title: 'Alipay trade number' }, o.trade_no);
  return h('span', { class: 'sub no-trade' }, 'no payment');
}
filter.addEventListener('change', renderOrders);
search.addEventListener('input', renderOrders);
$('#orders-refresh').addEventListener('click', () => {
  void loadOrders();
  if (selected) void selectOrder(selected);
});

const detail = $('#order-detail');

async function selectOrder(no: string): Promise<void> {
  selected = no;
  for (const tr of tbody.querySelectorAll('tr'))
    tr.setAttribute('aria-current', String((tr as HTMLElement).dataset.order === no));
  detail.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const order = await api<AdminOrderDetail>(`/orders/${encodeURIComponent(no)}`);
    if (selected === no) renderDetail(order);
    // Opening a pending order asks the gateway; keep the list in step with what it learnt.
    const row = orders.find((x) => x.out_trade_no === no);
    if (row && row.status !== order.status) {
      Object.assign(row, { status: order.status, refunded_fee: order.refunded_fee, updated_at: order.updated_at });
      renderOrders();
    }
  } catch (e) {
    detail.replaceChildren(errorBox(e));
  }
}

/** A message shown once at the top of the next detail render (after a refund). */
let flash: RefundOutcome | undefined;

/** After a refund call from the order page: say what happened, then show the order as it is now. */
async function afterRefund(no: string, outcome: RefundOutcome): Promise<void> {
  flash = outcome;
  await Promise.all([loadOrders(), selectOrder(no)]);
}

/** A line under the amount for states that need explaining. */
function stateNote(o: AdminOrderDetail): HTMLElement | null {
  if (o.status === 'paid_after_close') return latePaymentCallout(o, (r) => void afterRefund(o.out_trade_no, r));
  if (o.status === 'closed')
    return h(
      'p',
      { class: 'state-note closed-note' },
      'Closed without a payment: the cashier timed out or the payment link expired. Should Alipay still confirm a payment for it, the order turns “Paid after close”.',
    );
  if (o.status === 'created')
    return h(
      'p',
      { class: 'state-note' },
      `Waiting for the buyer at the Alipay cashier. The shop checks with Alipay when you open it${sweeperOn ? ', and its sweeper closes the order once the payment link has expired unpaid' : ''}.`,
    );
  return null;
}

function renderDetail(o: AdminOrderDetail): void {
  const refundable = Number(o.refundable) > 0;
  const message = flash;
  flash = undefined;
  detail.replaceChildren(
    ...[
      message ? h('div', { class: `notice ${message.kind} flash`, role: 'status' }, message.text) : null,
      h('div', { class: 'detail-head' }, h('h2', {}, o.out_trade_no), statusChip(o.status)),
      h('p', { class: 'detail-amount', 'data-amount': o.total_fee }, moneyOf(o.total_fee, o.currency)),
      stateNote(o),
      Number(o.refunded_fee) > 0
        ? h(
            'p',
            { class: 'muted small', 'data-refunded': o.refunded_fee },
            `${moneyOf(o.refunded_fee, o.currency)} refunded · ${moneyOf(o.refundable, o.currency)} refundable`,
          )
        : null,
      h(
        'dl',
        { class: 'detail-meta' },
        h('dt', {}, 'Alipay trade'),
        h('dd', { class: 'mono' }, o.trade_no ?? '—'),
        h('dt', {}, 'Created'),
        h('dd', {}, beijingTime(o.created_at)),
        h('dt', {}, 'Updated'),
        h('dd', {}, beijingTime(o.updated_at)),
        o.gateway?.trade_status ? [h('dt', {}, 'Gateway says'), h('dd', {}, statusChip(o.gateway.trade_status))] : null,
      ),
      section(
        'Items',
        o.items.length
          ? h(
              'table',
              { class: 'data' },
              h(
                'tbody',
                {},
                o.items.map((i) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, i.name),
                    h('td', { class: 'num' }, `× ${i.qty}`),
                    h('td', { class: 'num' }, moneyOf(i.amount, o.currency)),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted small' }, o.subject),
      ),
      section(
        'State history',
        o.history.length
          ? h(
              'ol',
              { class: 'timeline', 'aria-label': 'State history' },
              o.history.map((e) =>
                h(
                  'li',
                  {},
                  h('span', { class: 'what' }, e.from ? `${label(e.from)} → ${label(e.to)}` : label(e.to)),
                  h(
                    'span',
                    { class: 'when' },
                    `${beijingTime(e.at)} · ${SOURCE[e.source] ?? e.source}${e.note ? ` · ${e.note}` : ''}`,
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted small' }, 'No transitions recorded.'),
      ),
      section(
        `Notifications received (${o.notifications.length})`,
        o.notifications.length
          ? h(
              'table',
              { class: 'data', 'data-notifications': String(o.notifications.length) },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Received'),
                  h('th', {}, 'Type'),
                  h('th', {}, 'Status'),
                  h('th', {}, 'Handling'),
                ),
              ),
              h(
                'tbody',
                {},
                o.notifications.map((n) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'when' }, timeParts(n.received_at)),
                    h(
                      'td',
                      { title: n.out_return_no ?? '' },
                      n.notify_type === 'refund_status_sync'
                        ? `refund …${(n.out_return_no ?? '').slice(-6)}`
                        : 'payment',
                    ),
                    h('td', {}, n.status ? statusChip(n.status) : '—'),
                    h('td', {}, n.outcome, n.note ? h('span', { class: 'sub' }, n.note) : null),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted small' }, 'None yet. Alipay notifies the shop’s server once the buyer pays.'),
      ),
      o.gateway?.attempts?.length
        ? section(
            `Sandbox delivery attempts (${o.gateway.attempts.length})`,
            h(
              'table',
              { class: 'data' },
              h(
                'thead',
                {},
                h('tr', {}, h('th', {}, '#'), h('th', {}, 'Type'), h('th', {}, 'Sent'), h('th', {}, 'Reply')),
              ),
              h(
                'tbody',
                {},
                o.gateway.attempts.map((a) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, `${a.n}${a.duplicate ? ' (dup)' : ''}`),
                    h('td', {}, a.notify_type === 'refund_status_sync' ? 'refund' : 'payment'),
                    h('td', { class: 'when' }, timeParts(a.time)),
                    h('td', {}, a.status === null ? 'no answer' : `${a.status} ${a.body ?? ''}`.trim()),
                  ),
                ),
              ),
            ),
          )
        : null,
      section('Refunds', [
        o.refunds.length
          ? refundsTable(o.refunds, { id: 'refunds-table', onOutcome: (r) => void afterRefund(o.out_trade_no, r) })
          : h('p', { class: 'muted small' }, 'No refunds.'),
        // A late payment's refund starts from its callout (refund in full); the form stays for partial ones.
        refundable ? refundForm(o) : heldNote(o),
      ]),
    ].filter((n): n is HTMLElement => !!n),
  );
}

/** Why there is no refund form on a paid order: refunds waiting for Alipay hold the rest. */
function heldNote(o: AdminOrderDetail): HTMLElement | null {
  const open = o.refunds.filter((r) => WAITING.has(r.status));
  if (!open.length || o.status === 'refunded') return null;
  return h(
    'p',
    { class: 'state-note', id: 'refund-held' },
    `Nothing more can be refunded for now: ${open.length === 1 ? 'a refund is waiting for Alipay’s confirmation and still counts' : `${open.length} refunds are waiting for Alipay’s confirmation and still count`} against this order.`,
  );
}

/** Where a transition came from, in words. */
const SOURCE: Record<string, string> = {
  checkout: 'order placed',
  notify: 'Alipay notification',
  query: 'single_trade_query',
  refund_notify: 'refund notification',
  refund: 'refund',
  sweeper: 'order sweeper: link expired, no trade at Alipay',
  compare_file: 'Alipay transaction file',
};

function section(title: string, ...body: (Node | null | undefined | false | (Node | null)[])[]): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', {}, title), ...body);
}

/**
 * The refund form: starts empty, "Full amount" fills in what is left, and nothing is sent before
 * a confirm step in the page repeats the amount and the currency.
 */
function refundForm(o: AdminOrderDetail): HTMLElement {
  const step = currencyDecimals(o.currency) === 0 ? '1' : '0.01';
  const refundableMinor = toMinorUnits(o.refundable, o.currency);
  const amount = h('input', {
    type: 'text',
    name: 'amount',
    id: 'refund-amount',
    required: true,
    inputmode: 'decimal',
    autocomplete: 'off',
    placeholder: step === '1' ? '0' : '0.00',
    'aria-describedby': 'refund-left',
    'data-refundable': o.refundable,
  });
  const reason = h('input', {
    type: 'text',
    name: 'reason',
    id: 'refund-reason',
    maxlength: 100,
    placeholder: 'Customer request',
  });
  const msg = h('div', { class: 'notice', role: 'status', hidden: true });
  const review = h('button', { class: 'btn btn-danger btn-sm', type: 'submit', id: 'refund-review' }, 'Review refund…');
  const full = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', id: 'refund-full' }, 'Full amount');
  const actions = h('div', { class: 'actions' }, review, full);
  const fields = [amount, reason, full];
  const form = h(
    'form',
    { class: 'refund-form', id: 'refund-form', novalidate: true },
    h(
      'label',
      { class: 'field' },
      h('span', {}, 'Amount'),
      h('span', { class: 'amount-input' }, amount, h('span', {}, o.currency)),
    ),
    h('label', { class: 'field' }, h('span', {}, 'Reason'), reason),
    h(
      'p',
      { class: 'muted small refund-left', id: 'refund-left' },
      `Up to ${moneyOf(o.refundable, o.currency)} ${o.currency} can be refunded.`,
    ),
    actions,
    msg,
  );
  const say = (kind: 'error' | 'info', text: string) => {
    msg.className = `notice ${kind}`;
    msg.textContent = text;
    msg.hidden = false;
  };
  full.addEventListener('click', () => {
    amount.value = o.refundable;
    msg.hidden = true;
    amount.focus();
  });

  /** Back to editing: the fields open again, the confirm step goes. */
  const edit = () => {
    for (const f of fields) f.disabled = false;
    actions.replaceChildren(review, full);
    form.classList.remove('confirming');
  };

  /** The confirm step: the amount and currency in words, then "Yes" sends, "Change" goes back. */
  const confirmStep = (value: string) => {
    const money = `${moneyOf(value, o.currency)} ${o.currency}`;
    const whole = value === o.refundable;
    for (const f of fields) f.disabled = true;
    form.classList.add('confirming');
    const yes = h(
      'button',
      { class: 'btn btn-danger btn-sm', type: 'button', id: 'refund-confirm' },
      `Yes, refund ${money}`,
    );
    const no = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', id: 'refund-change' }, 'Change');
    no.addEventListener('click', () => {
      edit();
      amount.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      yes.textContent = 'Sending…';
      const outcome = await sendRefund({
        outTradeNo: o.out_trade_no,
        amount: value,
        reason: reason.value.trim() || 'Customer request',
      });
      if (outcome.kind !== 'error') return afterRefund(o.out_trade_no, outcome);
      edit();
      say('error', outcome.text);
    });
    actions.replaceChildren(
      h(
        'p',
        { class: 'confirm-text', id: 'refund-question' },
        `Refund ${money} to the buyer through Alipay?${whole ? ' This is everything that is left on the payment.' : ''} It cannot be undone.`,
      ),
      yes,
      no,
    );
    yes.focus();
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    msg.hidden = true;
    const value = amount.value.trim();
    let minor: number;
    try {
      minor = toMinorUnits(value, o.currency);
    } catch {
      amount.setAttribute('aria-invalid', 'true');
      say(
        'error',
        value === ''
          ? 'Enter the amount to refund, or use “Full amount”.'
          : `Enter an amount in ${o.currency}${step === '1' ? ', whole units only' : ', like 12.50'}.`,
      );
      amount.focus();
      return;
    }
    if (minor > refundableMinor) {
      amount.setAttribute('aria-invalid', 'true');
      say('error', `That is more than the ${moneyOf(o.refundable, o.currency)} ${o.currency} left to refund.`);
      amount.focus();
      return;
    }
    amount.removeAttribute('aria-invalid');
    confirmStep(formatRequestAmount(minor, o.currency));
  });
  return form;
}

/* ---------------------------------------------------------------- refunds */
const refundsBox = $('#refunds-result');
const refundsNote = $('#refunds-note');

/** The Refunds tab says how many refunds wait for Alipay, from any tab. */
function showOpenRefunds(refunds: AdminRefund[]): number {
  const open = refunds.filter((r) => WAITING.has(r.status)).length;
  const badge = $('#refunds-badge');
  badge.hidden = open === 0;
  badge.textContent = String(open);
  badge.title = `${open} refund${open === 1 ? '' : 's'} waiting for Alipay’s confirmation`;
  return open;
}

async function countOpenRefunds(): Promise<void> {
  try {
    showOpenRefunds((await api<{ refunds: AdminRefund[] }>('/refunds')).refunds);
  } catch {
    /* the badge is a hint; the tab itself reports errors */
  }
}

async function loadRefunds(outcome?: RefundOutcome): Promise<void> {
  try {
    const { refunds } = await api<{ refunds: AdminRefund[] }>('/refunds');
    const open = showOpenRefunds(refunds);
    refundsNote.textContent = refunds.length
      ? `${refunds.length} refund${refunds.length === 1 ? '' : 's'} · ${open ? `${open} waiting for Alipay’s confirmation` : 'all settled'}`
      : '';
    const list = refunds.length
      ? h(
          'div',
          { class: 'card table-card' },
          refundsTable(refunds, { withOrder: true, id: 'all-refunds', onOutcome: (r) => void loadRefunds(r) }),
        )
      : h('p', { class: 'card empty-row muted' }, 'No refunds yet. Refund an order from its page.');
    refundsBox.replaceChildren(
      ...(outcome ? [h('div', { class: `notice ${outcome.kind} flash`, role: 'status' }, outcome.text)] : []),
      list,
    );
  } catch (e) {
    refundsBox.replaceChildren(errorBox(e));
  }
}
$('#refunds-refresh').addEventListener('click', () => void loadRefunds());

const refreshReconLimits = initReconciliation();
showTab();
