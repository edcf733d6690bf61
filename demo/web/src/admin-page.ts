import '../styles/admin.css';
import type { AdminInfo, AdminOrderDetail, AdminOrderSummary, AdminRates, ReconReport, ReconRow } from '../../src/admin-types.js';
import { SHOP_CURRENCIES, decimalsOf } from '../../src/catalog.js';
import { LOGO } from './art.js';
import { $, h, svg } from './dom.js';
import { dateTime, moneyOf, shortDateTime } from './format.js';

for (const el of document.querySelectorAll('[data-logo]')) el.replaceChildren(svg(LOGO));

class ApiError extends Error {
  constructor(message: string, readonly code: string, readonly status: number) {
    super(message);
  }
}

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  // `/api/alipay/…` is the kit's router (its admin routes check the same session); the rest is
  // the demo's own admin API.
  const res = await fetch(path.startsWith('/api/') ? path : `/admin/api${path}`, {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json', 'x-admin-request': '1' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.href = `/admin/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
    throw new ApiError('Logged out', 'ERR_UNAUTHORIZED', 401);
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } } & T;
  if (!res.ok || data.error) throw new ApiError(data.error?.message ?? `HTTP ${res.status}`, data.error?.code ?? 'ERR_HTTP', res.status);
  return data;
}

const LABEL: Record<string, string> = { created: 'awaiting payment', possibly_done: 'possibly done' };
const label = (s: string) => LABEL[s] ?? s.replace(/_/g, ' ').toLowerCase();
const statusChip = (s: string | undefined) => h('span', { class: `status status-${(s ?? 'unknown').toLowerCase()}` }, label(s ?? 'unknown'));
const errorBox = (e: unknown) => h('div', { class: 'notice error error-box', role: 'alert' }, e instanceof Error ? e.message : String(e));

/* ---------------------------------------------------------------- tabs */
const TABS = ['orders', 'reconciliation', 'rates'] as const;
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
  if (tab === 'orders') {
    const no = decodeURIComponent(location.hash.split('/')[1] ?? '');
    if (no && no !== selected) void selectOrder(no);
  }
}
window.addEventListener('hashchange', showTab);

/* ---------------------------------------------------------------- info */
void api<AdminInfo>('/info').then((info) => {
  const pill = $('#mode-pill');
  pill.hidden = false;
  pill.textContent = info.mode === 'sandbox' ? `Sandbox · ${info.signType}` : `Live · ${info.signType}`;
  pill.title = `Partner ${info.partner} · ${info.gateway}`;
  if (info.mode === 'live') pill.classList.add('live');
  if (info.mode === 'sandbox') $('#recon-sandbox-hint').hidden = false;
  if (info.sandboxDashboard) {
    const link = $('#sandbox-link') as HTMLAnchorElement;
    link.href = info.sandboxDashboard;
    link.hidden = false;
  }
}).catch(() => undefined);

/* ---------------------------------------------------------------- orders */
let orders: AdminOrderSummary[] = [];
let selected: string | undefined;
const tbody = $('#orders-table tbody');
const filter = $('#order-filter') as HTMLSelectElement;
const search = $('#order-search') as HTMLInputElement;

async function loadOrders(): Promise<void> {
  try {
    ({ orders } = await api<{ orders: AdminOrderSummary[] }>('/orders'));
    const statuses = [...new Set(orders.map((o) => o.status))].sort();
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
  const rows = orders.filter((o) => (!filter.value || o.status === filter.value) && (!q || o.out_trade_no.toLowerCase().includes(q) || (o.trade_no ?? '').includes(q)));
  $('#orders-empty').hidden = rows.length > 0;
  tbody.replaceChildren(
    ...rows.map((o) =>
      h('tr', { 'data-order': o.out_trade_no, 'aria-current': o.out_trade_no === selected ? 'true' : 'false', onclick: () => (location.hash = `orders/${encodeURIComponent(o.out_trade_no)}`) },
        h('td', {}, h('a', { class: 'order-no', href: `#orders/${encodeURIComponent(o.out_trade_no)}` }, o.out_trade_no)),
        h('td', { class: 'when' }, shortDateTime(o.created_at)),
        h('td', { class: 'items', title: o.subject }, o.subject),
        h('td', { class: 'num' }, moneyOf(o.total_fee, o.currency), o.refunded_fee && Number(o.refunded_fee) > 0 ? h('span', { class: 'sub' }, `−${moneyOf(o.refunded_fee, o.currency)} refunded`) : null),
        h('td', {}, statusChip(o.status)),
      ),
    ),
  );
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
  for (const tr of tbody.querySelectorAll('tr')) tr.setAttribute('aria-current', String((tr as HTMLElement).dataset.order === no));
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
let flash: { kind: 'ok' | 'error'; text: string } | undefined;

function renderDetail(o: AdminOrderDetail): void {
  const refundable = Number(o.refundable) > 0;
  const message = flash;
  flash = undefined;
  detail.replaceChildren(...[
    message ? h('div', { class: `notice ${message.kind} flash`, role: 'status' }, message.text) : null,
    h('div', { class: 'detail-head' }, h('h2', {}, o.out_trade_no), statusChip(o.status)),
    h('p', { class: 'detail-amount', 'data-amount': o.total_fee }, moneyOf(o.total_fee, o.currency)),
    Number(o.refunded_fee) > 0 ? h('p', { class: 'muted small', 'data-refunded': o.refunded_fee }, `${moneyOf(o.refunded_fee, o.currency)} refunded · ${moneyOf(o.refundable, o.currency)} refundable`) : null,
    h('dl', { class: 'detail-meta' },
      h('dt', {}, 'Alipay trade'), h('dd', { class: 'mono' }, o.trade_no ?? '—'),
      h('dt', {}, 'Created'), h('dd', {}, dateTime(o.created_at)),
      h('dt', {}, 'Updated'), h('dd', {}, dateTime(o.updated_at)),
      o.gateway?.trade_status ? [h('dt', {}, 'Gateway says'), h('dd', {}, statusChip(o.gateway.trade_status))] : null,
    ),
    section('Items', o.items.length
      ? h('table', { class: 'data' }, h('tbody', {}, o.items.map((i) => h('tr', {}, h('td', {}, i.name), h('td', { class: 'num' }, `× ${i.qty}`), h('td', { class: 'num' }, moneyOf(i.amount, o.currency))))))
      : h('p', { class: 'muted small' }, o.subject)),
    section('State history', o.history.length
      ? h('ol', { class: 'timeline', 'aria-label': 'State history' }, o.history.map((e) =>
        h('li', {}, h('span', { class: 'what' }, e.from ? `${label(e.from)} → ${label(e.to)}` : label(e.to)), h('span', { class: 'when' }, `${dateTime(e.at)} · ${SOURCE[e.source] ?? e.source}${e.note ? ` · ${e.note}` : ''}`))))
      : h('p', { class: 'muted small' }, 'No transitions recorded.')),
    section(`Notifications received (${o.notifications.length})`, o.notifications.length
      ? h('table', { class: 'data', 'data-notifications': String(o.notifications.length) },
        h('thead', {}, h('tr', {}, h('th', {}, 'Received'), h('th', {}, 'Type'), h('th', {}, 'Status'), h('th', {}, 'Handling'))),
        h('tbody', {}, o.notifications.map((n) => h('tr', {},
          h('td', { class: 'when' }, shortDateTime(n.received_at)),
          h('td', { title: n.out_return_no ?? '' }, n.notify_type === 'refund_status_sync' ? `refund …${(n.out_return_no ?? '').slice(-6)}` : 'payment'),
          h('td', {}, n.status ? statusChip(n.status) : '—'),
          h('td', {}, n.outcome, n.note ? h('span', { class: 'sub' }, n.note) : null)))))
      : h('p', { class: 'muted small' }, 'None yet. Alipay notifies the shop’s server once the buyer pays.')),
    o.gateway?.attempts?.length
      ? section(`Sandbox delivery attempts (${o.gateway.attempts.length})`, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Type'), h('th', {}, 'Sent (GMT+8)'), h('th', {}, 'Reply'))),
        h('tbody', {}, o.gateway.attempts.map((a) => h('tr', {},
          h('td', {}, `${a.n}${a.duplicate ? ' (dup)' : ''}`),
          h('td', {}, a.notify_type === 'refund_status_sync' ? 'refund' : 'payment'),
          h('td', {}, a.time),
          h('td', {}, a.status === null ? 'no answer' : `${a.status} ${a.body ?? ''}`.trim()))))))
      : null,
    section('Refunds', [
      o.refunds.length
        ? h('table', { class: 'data', id: 'refunds-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Refund'), h('th', { class: 'num' }, 'Amount'), h('th', {}, 'Status'))),
          h('tbody', {}, o.refunds.map((r) => h('tr', { 'data-refund': r.out_return_no },
            h('td', {}, h('span', { class: 'mono' }, r.out_return_no), h('span', { class: 'sub' }, `${shortDateTime(r.created_at)}${r.reason ? ` · ${r.reason}` : ''}`)),
            h('td', { class: 'num' }, moneyOf(r.amount, r.currency)),
            h('td', {}, statusChip(r.status), r.error ? h('span', { class: 'sub' }, r.error) : null)))))
        : h('p', { class: 'muted small' }, 'No refunds.'),
      refundable ? refundForm(o) : null,
    ]),
  ].filter((n): n is HTMLElement => !!n));
}

/** Where a transition came from, in words. */
const SOURCE: Record<string, string> = {
  checkout: 'order placed',
  notify: 'Alipay notification',
  query: 'single_trade_query',
  refund_notify: 'refund notification',
  refund: 'refund',
};

function section(title: string, ...body: (Node | null | undefined | false | (Node | null)[])[]): HTMLElement {
  return h("section", { class: "detail-section" }, h("h3", {}, title), ...body);
}

function refundForm(o: AdminOrderDetail): HTMLElement {
  const step = decimalsOf(o.currency) === 0 ? '1' : '0.01';
  const amount = h('input', { type: 'number', name: 'amount', id: 'refund-amount', min: step, step, max: o.refundable, value: o.refundable, required: true, inputmode: 'decimal' });
  const reason = h('input', { type: 'text', name: 'reason', id: 'refund-reason', maxlength: 100, value: 'Customer request', required: true });
  const msg = h('div', { class: 'notice', role: 'status', hidden: true });
  const submit = h('button', { class: 'btn btn-danger btn-sm', type: 'submit' }, 'Refund');
  const full = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => { amount.value = o.refundable; } }, `Full amount (${moneyOf(o.refundable, o.currency)})`);
  const form = h('form', { class: 'refund-form', id: 'refund-form' },
    h('label', { class: 'field' }, h('span', {}, 'Amount'), h('span', { class: 'amount-input' }, amount, h('span', {}, o.currency))),
    h('label', { class: 'field' }, h('span', {}, 'Reason'), reason),
    h('div', { class: 'actions' }, submit, full),
    msg,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    msg.hidden = true;
    try {
      const r = await api<{ outReturnNo: string; status: string }>('/api/alipay/refunds', { method: 'POST', body: { outTradeNo: o.out_trade_no, amount: amount.value, reason: reason.value } });
      flash = { kind: 'ok', text: `Refund ${r.outReturnNo} ${label(r.status)}. Alipay confirms it with a notification; refresh to see it settle.` };
      await Promise.all([loadOrders(), selectOrder(o.out_trade_no)]);
    } catch (e) {
      msg.className = 'notice error';
      msg.textContent = e instanceof ApiError ? `${e.message}${e.code ? ` (${e.code})` : ''}` : String(e);
      msg.hidden = false;
      submit.disabled = false;
    }
  });
  return form;
}

/* ---------------------------------------------------------------- reconciliation */
const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const fromInput = $('#recon-from') as HTMLInputElement;
const toInput = $('#recon-to') as HTMLInputElement;
// The gateway serves files for past days only (the end date must be before today, §8.2).
const yesterday = beijingDate(new Date(Date.now() - 86400_000));
toInput.value = yesterday;
fromInput.value = beijingDate(new Date(Date.now() - 7 * 86400_000));
const reconResult = $('#recon-result');

$('#recon-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  reconResult.replaceChildren(h('p', { class: 'loading' }, 'Downloading the transaction file and matching…'));
  try {
    renderReport(await api<ReconReport>('/reconcile', { method: 'POST', body: { from: fromInput.value, to: toInput.value } }));
  } catch (e) {
    reconResult.replaceChildren(errorBox(e));
  }
});

const KIND_LABEL: Record<string, string> = {
  matched: 'Matched',
  missing_in_ledger: 'Missing in ledger',
  missing_in_gateway: 'Missing at gateway',
  amount_mismatch: 'Amount differs',
  currency_mismatch: 'Currency differs',
  status_mismatch: 'Status differs',
};

function renderReport(r: ReconReport): void {
  const diffs = r.rows.filter((x) => x.kind !== 'matched');
  const matched = r.rows.filter((x) => x.kind === 'matched');
  const table = (rows: ReconRow[], caption: string) =>
    h('div', { class: 'card table-card' },
      h('table', { class: 'data' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', {}, h('tr', {}, h('th', {}, 'Result'), h('th', {}, 'Type'), h('th', {}, 'Order'), h('th', {}, 'Refund'), h('th', { class: 'num' }, 'Ledger'), h('th', { class: 'num' }, 'Gateway'), h('th', {}, 'Note'))),
        h('tbody', {}, rows.map((x) => h('tr', { 'data-kind': x.kind },
          h('td', {}, h('span', { class: `status ${x.kind === 'matched' ? 'status-success' : 'status-mismatch'}` }, KIND_LABEL[x.kind] ?? label(x.kind))),
          h('td', {}, x.type === 'R' ? 'Refund' : x.type === 'P' ? 'Payment' : x.type),
          h('td', { class: 'mono' }, x.out_trade_no ?? '—'),
          h('td', { class: 'mono' }, x.out_return_no ?? '—'),
          h('td', { class: 'num' }, x.ledger_amount && x.currency ? moneyOf(x.ledger_amount, x.currency) : '—'),
          h('td', { class: 'num' }, x.gateway_amount && x.currency ? moneyOf(x.gateway_amount, x.currency) : '—'),
          h('td', { class: 'small muted' }, x.note ?? ''))))));
  reconResult.replaceChildren(
    h('h2', { class: 'report-title' }, `Report ${r.from} → ${r.to}`, r.differences === 0 ? h('span', { class: 'status status-success', id: 'recon-verdict' }, 'all matched') : h('span', { class: 'status status-mismatch', id: 'recon-verdict' }, `${r.differences} difference${r.differences === 1 ? '' : 's'}`)),
    h('div', { class: 'stats' },
      h('div', { class: 'card stat good' }, h('div', { class: 'label' }, 'Matched rows'), h('div', { class: 'value', 'data-stat': 'matched' }, String(r.matched))),
      h('div', { class: `card stat ${r.differences ? 'bad' : ''}` }, h('div', { class: 'label' }, 'Differences'), h('div', { class: 'value', 'data-stat': 'differences' }, String(r.differences))),
      ...r.totals.map((t) => h('div', { class: 'card stat' }, h('div', { class: 'label' }, `Net ${t.currency}`), h('div', { class: 'value' }, moneyOf(t.net, t.currency)),
        h('div', { class: 'small muted' }, `${moneyOf(t.payments, t.currency)} in · ${moneyOf(t.refunds, t.currency)} refunded`))),
    ),
    h('div', { class: 'recon-tables' },
      diffs.length ? [h('h3', {}, 'Differences'), table(diffs, 'Differences')] : h('div', { class: 'notice ok' }, 'Every row in the gateway file matches the ledger, and every ledger payment in the range is in the file.'),
      matched.length ? [h('h3', {}, 'Matched'), table(matched, 'Matched rows')] : null,
    ),
    h('p', { class: 'muted small' }, `Generated ${dateTime(r.generated_at)}.`),
  );
}

/* ---------------------------------------------------------------- rates */
async function loadRates(): Promise<void> {
  const box = $('#rates-result');
  box.replaceChildren(h('p', { class: 'loading' }, 'Downloading the rate file…'));
  try {
    const r = await api<AdminRates>('/rates');
    const shop = new Set<string>(SHOP_CURRENCIES);
    const sorted = [...r.rates].sort((a, b) => Number(shop.has(b.currency)) - Number(shop.has(a.currency)) || a.currency.localeCompare(b.currency));
    box.replaceChildren(
      h('div', { class: 'rates-grid', id: 'rates-grid' }, sorted.map((x) =>
        h('div', { class: `card rate-card${shop.has(x.currency) ? ' shop' : ''}`, 'data-currency': x.currency },
          shop.has(x.currency) ? h('span', { class: 'chip tag' }, 'sold in') : null,
          h('div', { class: 'cur' }, x.currency),
          h('div', { class: 'rate' }, x.rate),
          h('div', { class: 'small muted' }, `CNY per 1 ${x.currency} · updated ${x.updated}`)))),
      h('p', { class: 'muted small' }, `Fetched ${dateTime(r.fetched_at)}. The gateway allows 100 rate-file downloads a day; the shop caches it for an hour.`),
    );
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

showTab();
