/**
 * The QA dashboard (`GET /`, `/_sandbox/dashboard`): clock and controls, trades, refunds,
 * every notification attempt with the merchant's response, secondary merchants, faults (shown
 * and set through a form).
 * Plain HTML forms, no script, no external assets.
 *
 * @module
 */
import { esc, page } from '../lib/html.js';
import { formatGmt8 } from '../lib/time.js';
import { faultForm } from './fault-form.js';
import type { FaultConfig, FaultScope, NotificationRecord, RefundRecord, SecmerchantRecord, TradeRecord } from '../types.js';

/** Everything the dashboard shows. */
export interface DashboardData {
  now: number;
  merchants: Array<{ partner: string; name: string }>;
  trades: TradeRecord[];
  refunds: RefundRecord[];
  notifications: NotificationRecord[];
  secmerchants: SecmerchantRecord[];
  faults: Array<{ scope: FaultScope; faults: FaultConfig }>;
}

function badge(value: string): string {
  const cls = /FINISHED|SUCCESS|acknowledged/.test(value) ? 'ok' : /CLOSED|FAIL|failed/.test(value) ? 'bad' : 'warn';
  return `<span class="badge ${cls}">${esc(value)}</span>`;
}

function table(caption: string, headers: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  // Wide tables scroll inside their card instead of spilling out of it.
  return `<div class="table-scroll"><table><caption class="muted">${esc(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const A = '/_sandbox/dashboard/';

/** Render the dashboard. */
export function dashboardPage(d: DashboardData): string {
  const trades = d.trades.map(
    (t) =>
      `<tr><td class="mono">${esc(t.partner)}</td><td class="mono">${esc(t.out_trade_no)}</td><td class="mono">${esc(t.trade_no)}</td><td>${esc(t.subject)}</td><td class="num">${esc(t.currency)} ${esc(t.total_fee)}</td><td class="num">CNY ${esc(t.rmb_fee)}</td><td>${badge(t.trade_status)}</td><td>${esc(t.gmt_create)}</td><td>${esc(t.gmt_payment ?? t.gmt_close ?? '')}</td><td class="num">${esc(t.refunded_fee)} / CNY ${esc(t.refunded_rmb_fee)}</td><td>${esc(t.sign_type)} / ${esc(t.input_charset || '(none)')}</td></tr>`,
  );
  const refunds = d.refunds.map(
    (r) =>
      `<tr><td class="mono">${esc(r.out_return_no)}</td><td class="mono">${esc(r.out_trade_no)}</td><td>${esc(r.requested_field)}=${esc(r.requested_amount)}</td><td class="num">${esc(r.currency)} ${esc(r.return_amount)}</td><td>${badge(r.refund_status)}${r.error_code ? ` <code>${esc(r.error_code)}</code>` : ''}</td><td>${r.executed ? 'yes' : 'no'}</td><td>${r.sync_answer === 'T' ? 'T' : badge(r.sync_answer)}</td><td>${esc(r.is_sync)}</td><td>${esc(r.created)}</td>
<td><form method="post" action="${A}refund-outcome" class="row"><input type="hidden" name="out_return_no" value="${esc(r.out_return_no)}">
<label class="muted" for="o-${esc(r.out_return_no)}">Outcome</label><select id="o-${esc(r.out_return_no)}" name="outcome"><option>REFUND_SUCCESS</option><option>REFUND_FAIL</option></select>
<button class="small" type="submit">Set</button></form></td></tr>`,
  );
  const notes = d.notifications.map((n) => {
    const attempts = n.attempts
      .map(
        (a) =>
          `<tr><td>${a.n}${a.duplicate ? ' (copy)' : ''}</td><td>${esc(a.time)}</td><td class="mono">${esc(a.notify_id)}</td><td>${a.status === null ? '—' : esc(a.status)}</td><td><pre>${esc(a.body ?? a.error ?? '')}</pre></td><td>${a.acknowledged ? badge('acknowledged') : badge('not acknowledged')}</td></tr>`,
      )
      .join('');
    return `<tr><td>${n.id}</td><td>${esc(n.notify_type)}</td><td class="mono">${esc(n.out_return_no ?? n.out_trade_no)}</td><td class="mono">${esc(n.notify_url)}</td><td>${badge(n.state)}</td><td>${n.next_attempt_at === null ? '—' : esc(formatGmt8(n.next_attempt_at))}</td>
<td><details><summary>${n.attempts.length} attempt(s)</summary><pre>${esc(Object.entries(n.fields).map(([k, v]) => `${k}=${v}`).join('\n'))}</pre>
<table><thead><tr><th scope="col">#</th><th scope="col">Time (GMT+8)</th><th scope="col">notify_id</th><th scope="col">HTTP</th><th scope="col">Response / error</th><th scope="col">Ack</th></tr></thead><tbody>${attempts}</tbody></table></details></td></tr>`;
  });
  const secs = d.secmerchants.map(
    (s) =>
      `<tr><td class="mono">${esc(s.partner)}</td><td class="mono">${esc(s.secondary_merchant_id)}</td><td>${esc(s.secondary_merchant_name)}</td><td>${badge(s.status)}</td><td>${esc(s.reject_reason ?? '')}</td>
<td><form method="post" action="${A}secmerchant-status" class="row"><input type="hidden" name="partner" value="${esc(s.partner)}"><input type="hidden" name="id" value="${esc(s.secondary_merchant_id)}">
<button class="small" name="status" value="SUCCESS" type="submit">Approve</button><button class="small danger" name="status" value="FAILED" type="submit">Reject</button></form></td></tr>`,
  );
  const faults = d.faults.map((f) => `<li><code>${esc(JSON.stringify(f.scope))}</code> → <code>${esc(JSON.stringify(f.faults))}</code></li>`).join('');
  const adv = (ms: number, label: string) => `<form method="post" action="${A}advance"><input type="hidden" name="ms" value="${ms}"><button class="small secondary" type="submit">+${esc(label)}</button></form>`;
  return page(
    'Alipay sandbox dashboard',
    `<section class="card" aria-labelledby="clock-title"><h1 id="clock-title">Sandbox dashboard</h1>
<p>Gateway clock: <strong>${esc(formatGmt8(d.now))}</strong> (GMT+8). Merchants: ${d.merchants.map((m) => `<code>${esc(m.partner)}</code> ${esc(m.name)}`).join(', ')}.</p>
<div class="row" role="group" aria-label="Clock and notification controls">${adv(120_000, '2 min')}${adv(600_000, '10 min')}${adv(3_600_000, '1 hour')}${adv(86_400_000, '1 day')}
<form method="post" action="${A}flush"><button class="small" type="submit">Deliver due notifications</button></form>
<form method="post" action="${A}settle"><button class="small secondary" type="submit">Settle everything</button></form>
<form method="post" action="${A}clear-faults"><button class="small danger" type="submit">Clear faults</button></form>
<a href="/" class="muted">Refresh</a></div>
${faults ? `<h2>Active faults</h2><ul>${faults}</ul>` : '<p class="muted">No active faults.</p>'}</section>
<section class="card">${faultForm(`${A}faults`, d.merchants.map((m) => m.partner))}</section>
<section class="card" aria-labelledby="trades-title"><h2 id="trades-title">Trades (${d.trades.length})</h2>${table('Trades exist from buyer login on (§3.1)', ['Partner', 'out_trade_no', 'trade_no', 'Subject', 'Amount', 'CNY', 'Status', 'Created', 'Paid / closed', 'Refunded (foreign / CNY)', 'Sign / charset'], trades, 'No trades yet.')}</section>
<section class="card" aria-labelledby="refunds-title"><h2 id="refunds-title">Refunds (${d.refunds.length})</h2>${table('forex_refund requests accepted', ['out_return_no', 'out_trade_no', 'Requested', 'Amount', 'Status', 'Executed', 'Answered', 'is_sync', 'Created', 'Outcome (async)'], refunds, 'No refunds yet.')}</section>
<section class="card" aria-labelledby="notes-title"><h2 id="notes-title">Notifications (${d.notifications.length})</h2>${table('Every attempt with the merchant response; acknowledged only by HTTP 200 + "success" (§4)', ['#', 'Type', 'Order / refund', 'notify_url', 'State', 'Next attempt', 'Attempts'], notes, 'No notifications yet.')}</section>
<section class="card" aria-labelledby="sec-title"><h2 id="sec-title">Secondary merchants (${d.secmerchants.length})</h2>${table('Registrations (§11)', ['Partner', 'Id', 'Name', 'Status', 'Reject reason', 'Review'], secs, 'No secondary merchants yet.')}</section>`,
  );
}
