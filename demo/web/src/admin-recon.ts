/** The Reconciliation tab: the gateway's transaction file for a date range, matched against the ledger. */
import type { ReconReport, ReconRow } from '../../src/admin-types.js';
import { api, errorBox } from './admin-api.js';
import { label } from './admin-words.js';
import { $, h } from './dom.js';
import { dateTime, moneyOf } from './format.js';

const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Fill in the default range and handle the form. */
export function initReconciliation(): void {
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
      renderReport(reconResult, await api<ReconReport>('/reconcile', { method: 'POST', body: { from: fromInput.value, to: toInput.value } }));
    } catch (e) {
      reconResult.replaceChildren(errorBox(e));
    }
  });
}

const KIND_LABEL: Record<string, string> = {
  matched: 'Matched',
  missing_in_ledger: 'Missing in ledger',
  missing_in_gateway: 'Missing at gateway',
  amount_mismatch: 'Amount differs',
  currency_mismatch: 'Currency differs',
  status_mismatch: 'Status differs',
};

function renderReport(reconResult: HTMLElement, r: ReconReport): void {
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
