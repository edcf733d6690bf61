/**
 * The Reconciliation tab: the gateway's transaction file for a period, matched against the ledger.
 * The date picker only offers periods the gateway serves (§8.2: ending before today in Beijing
 * time, at most 10 days), checked with core's own rule ({@link checkFileDateRange}).
 */
import { checkFileDateRange, formatBeijingDate, FILE_ERROR_SENTENCES } from '@alipay-kit/core';
import type { ReconReport, ReconRow } from '../../src/admin-types.js';
import { ApiError, api } from './admin-api.js';
import { label, reconErrorWords } from './admin-words.js';
import { $, h } from './dom.js';
import { beijingTime, moneyOf } from './format.js';

const DAY = 86_400_000;
/** Longest period the gateway serves, in days (§8.2). */
const MAX_DAYS = 10;

/** `YYYYMMDD` ↔ the date input's `YYYY-MM-DD`. */
const toInput = (ymd: string) => `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
const fromInput = (value: string) => value.replace(/-/g, '');
/** A `YYYY-MM-DD` shifted by whole days (calendar arithmetic in UTC: no zone involved). */
const shift = (value: string, days: number) =>
  new Date(Date.parse(`${value}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Why core's rule refuses a period, in words (the same sentences the gateway would answer). */
const RANGE_WORDS: Record<string, string> = {
  [FILE_ERROR_SENTENCES.ILLEGAL_DATE_PERIOD]: 'Pick a start and an end date.',
  [FILE_ERROR_SENTENCES.DATE_FORMAT]: 'Pick a start and an end date.',
  [FILE_ERROR_SENTENCES.FINISH_BEFORE_BEGIN]: 'The period ends before it starts.',
  [FILE_ERROR_SENTENCES.FINISH_NOT_BEFORE_TODAY]:
    'Alipay only has files for days that are over: end the period yesterday or earlier (Beijing time).',
  [FILE_ERROR_SENTENCES.OVER_10_DAYS]: `Alipay sends at most ${MAX_DAYS} days at a time: choose a shorter period.`,
};

/**
 * Fill in the default period, keep the picker inside what the gateway serves, handle the form.
 * Returns what to call whenever the tab is shown: it asks the server for the gateway's today
 * again (the sandbox's clock moves).
 */
export function initReconciliation(): () => Promise<void> {
  const from = $('#recon-from') as HTMLInputElement;
  const to = $('#recon-to') as HTMLInputElement;
  const run = $('#recon-form button[type="submit"]') as HTMLButtonElement;
  const hint = $('#recon-range-error');
  const reconResult = $('#recon-result');
  // The gateway's today (the sandbox's clock in sandbox mode), until the server says: the browser's.
  let gatewayToday = formatBeijingDate(Date.now());
  const today = () => gatewayToday;
  const yesterday = () => shift(toInput(today()), -1);
  const defaults = () => {
    to.value = yesterday();
    from.value = shift(to.value, -(7 - 1));
  };
  defaults();

  /** The calendar's limits follow the other date; the message says what core's rule refuses. */
  const check = (): boolean => {
    const last = yesterday();
    to.max = last;
    to.min = from.value || '';
    from.max = to.value && to.value < last ? to.value : last;
    from.min = to.value ? shift(to.value, -(MAX_DAYS - 1)) : '';
    const verdict = checkFileDateRange(fromInput(from.value), fromInput(to.value), {
      today: today(),
      maxDays: MAX_DAYS,
    });
    hint.hidden = verdict.ok;
    hint.textContent = verdict.ok ? '' : (RANGE_WORDS[verdict.sentence] ?? verdict.sentence);
    from.setAttribute('aria-invalid', String(!verdict.ok && verdict.field === 'start_date'));
    to.setAttribute('aria-invalid', String(!verdict.ok && verdict.field === 'end_date'));
    run.disabled = !verdict.ok;
    return verdict.ok;
  };
  from.addEventListener('input', check);
  to.addEventListener('input', check);
  check();
  let touched = false;
  from.addEventListener('input', () => (touched = true));
  to.addEventListener('input', () => (touched = true));

  $('#recon-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!check()) return;
    reconResult.replaceChildren(h('p', { class: 'loading' }, 'Downloading the transaction file and matching…'));
    try {
      renderReport(
        reconResult,
        await api<ReconReport>('/reconcile', { method: 'POST', body: { from: from.value, to: to.value } }),
      );
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'ERR_NETWORK';
      const message = e instanceof Error ? e.message : String(e);
      reconResult.replaceChildren(
        h(
          'div',
          { class: 'notice error error-box', role: 'alert', id: 'recon-error', 'data-code': code },
          h('strong', {}, 'No report. '),
          reconErrorWords(code, message),
        ),
      );
    }
  });

  return async () => {
    try {
      const limits = await api<{ today: string }>('/reconcile/limits');
      gatewayToday = limits.today;
      if (!touched) defaults();
      check();
      $('#recon-form').dataset.gatewayToday = limits.today;
    } catch {
      /* the server checks the period again on submit */
    }
  };
}

const KIND_LABEL: Record<string, string> = {
  matched: 'Matched',
  missing_in_ledger: 'Missing in ledger',
  missing_in_gateway: 'Missing at gateway',
  amount_mismatch: 'Amount differs',
  currency_mismatch: 'Currency differs',
  status_mismatch: 'Status differs',
};

const period = (r: ReconReport) => (r.from === r.to ? r.from : `${r.from} → ${r.to}`);

function verdictOf(r: ReconReport): HTMLElement {
  if (r.rows.length === 0)
    return h('span', { class: 'status status-empty', id: 'recon-verdict' }, 'no transactions in this period');
  if (r.differences === 0) return h('span', { class: 'status status-success', id: 'recon-verdict' }, 'all matched');
  return h(
    'span',
    { class: 'status status-mismatch', id: 'recon-verdict' },
    `${r.differences} difference${r.differences === 1 ? '' : 's'}`,
  );
}

function renderReport(reconResult: HTMLElement, r: ReconReport): void {
  const diffs = r.rows.filter((x) => x.kind !== 'matched');
  const matched = r.rows.filter((x) => x.kind === 'matched');
  const table = (rows: ReconRow[], caption: string) =>
    h(
      'div',
      { class: 'card table-card' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'visually-hidden' }, caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Result'),
            h('th', {}, 'Type'),
            h('th', {}, 'Order'),
            h('th', {}, 'Refund'),
            h('th', { class: 'num' }, 'Ledger'),
            h('th', { class: 'num' }, 'Gateway'),
            h('th', {}, 'Note'),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((x) =>
            h(
              'tr',
              { 'data-kind': x.kind },
              h(
                'td',
                {},
                h(
                  'span',
                  { class: `status ${x.kind === 'matched' ? 'status-success' : 'status-mismatch'}` },
                  KIND_LABEL[x.kind] ?? label(x.kind),
                ),
              ),
              h('td', {}, x.type === 'R' ? 'Refund' : x.type === 'P' ? 'Payment' : x.type),
              h('td', { class: 'mono nowrap' }, x.out_trade_no ?? '—'),
              h('td', { class: 'mono nowrap' }, x.out_return_no ?? '—'),
              h('td', { class: 'num' }, x.ledger_amount && x.currency ? moneyOf(x.ledger_amount, x.currency) : '—'),
              h('td', { class: 'num' }, x.gateway_amount && x.currency ? moneyOf(x.gateway_amount, x.currency) : '—'),
              h('td', { class: 'small muted' }, x.note ?? ''),
            ),
          ),
        ),
      ),
    );
  if (r.rows.length === 0) {
    reconResult.replaceChildren(
      h(
        'h2',
        { class: 'report-title' },
        h('span', {}, 'Report ', h('span', { class: 'period' }, period(r))),
        verdictOf(r),
      ),
      h(
        'div',
        { class: 'notice', id: 'recon-empty' },
        'No transactions in this period: Alipay’s file has no payments or refunds for these days, and the ledger has none either. Nothing to match.',
      ),
      h('p', { class: 'muted small' }, `Generated ${beijingTime(r.generated_at)}.`),
    );
    return;
  }
  reconResult.replaceChildren(
    h(
      'h2',
      { class: 'report-title' },
      h('span', {}, 'Report ', h('span', { class: 'period' }, period(r))),
      verdictOf(r),
    ),
    h(
      'div',
      { class: 'stats' },
      h(
        'div',
        { class: 'card stat good' },
        h('div', { class: 'label' }, 'Matched rows'),
        h('div', { class: 'value', 'data-stat': 'matched' }, String(r.matched)),
      ),
      h(
        'div',
        { class: `card stat ${r.differences ? 'bad' : ''}` },
        h('div', { class: 'label' }, 'Differences'),
        h('div', { class: 'value', 'data-stat': 'differences' }, String(r.differences)),
      ),
      ...r.totals.map((t) =>
        h(
          'div',
          { class: 'card stat' },
          h('div', { class: 'label' }, `Net ${t.currency}`),
          h('div', { class: 'value' }, moneyOf(t.net, t.currency)),
          h(
            'div',
            { class: 'small muted' },
            `${moneyOf(t.payments, t.currency)} in · ${moneyOf(t.refunds, t.currency)} refunded`,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'recon-tables' },
      diffs.length
        ? [h('h3', {}, 'Differences'), table(diffs, 'Differences')]
        : h(
            'div',
            { class: 'notice ok' },
            'Every row in the gateway file matches the ledger, and every ledger payment in the period is in the file.',
          ),
      matched.length ? [h('h3', {}, 'Matched'), table(matched, 'Matched rows')] : null,
    ),
    h('p', { class: 'muted small' }, `Generated ${beijingTime(r.generated_at)}.`),
  );
}
