/**
 * The dashboard's tables: trades, refunds, notifications (every attempt) and secondary
 * merchants. Columns are grouped (ids stacked, amounts with their CNY figure) so each table fits
 * a 1280 px page; a narrower screen scrolls inside the card. One time format everywhere:
 * `yyyy-MM-dd HH:mm:ss GMT+8`.
 *
 * @module
 */
import { displayAmountOf } from '../lib/amounts.js';
import { esc } from '../lib/html.js';
import { timeLabel } from '../lib/time.js';
import type { SandboxNotificationRecord, SandboxRefundRecord, SecmerchantRecord, TradeRecord } from '../types.js';

const A = '/_sandbox/dashboard/';

/** A status badge coloured by meaning. */
export function badge(value: string, text = value): string {
  const cls = /FINISHED|SUCCESS|acknowledged/.test(value)
    ? 'ok'
    : /CLOSED|FAIL|failed|not acknowledged/.test(value)
      ? 'bad'
      : 'warn';
  return `<span class="badge ${cls}">${esc(text)}</span>`;
}

/** A table inside a scrolling box, or a sentence when there are no rows. */
export function table(caption: string, headers: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return `<div class="table-scroll"><table><caption class="muted">${esc(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** A record's `yyyy-MM-dd HH:mm:ss` (GMT+8) with its zone. */
const at = (gmt8: string | undefined) => (gmt8 ? `${esc(gmt8)} GMT+8` : '—');
const sub = (text: string) => `<span class="sub">${text}</span>`;

/** Trade rows. `showPartner` when several merchants share the sandbox. */
export function tradeRows(trades: TradeRecord[], showPartner: boolean): string[] {
  return trades.map((t) => {
    const refunded = /^0+(\.0+)?$/.test(t.refunded_fee)
      ? '—'
      : `${esc(displayAmountOf(t.refunded_fee, t.currency))}${sub(esc(displayAmountOf(t.refunded_rmb_fee, 'CNY')))}`;
    const when = t.gmt_payment
      ? `paid ${at(t.gmt_payment)}`
      : t.gmt_close
        ? `closed ${at(t.gmt_close)}`
        : 'not paid yet';
    return `<tr><td class="id"><strong class="mono">${esc(t.out_trade_no)}</strong>${sub(`<span class="mono">${esc(t.trade_no)}</span>`)}${showPartner ? sub(`partner <span class="mono">${esc(t.partner)}</span>`) : ''}</td>
<td class="text">${esc(t.subject)}</td>
<td class="num">${esc(displayAmountOf(t.total_fee, t.currency))}${sub(esc(displayAmountOf(t.rmb_fee, 'CNY')))}</td>
<td>${badge(t.trade_status)}</td>
<td class="time">created ${at(t.gmt_create)}${sub(when)}</td>
<td class="num">${refunded}</td>
<td class="nowrap">${esc(t.sign_type)}${sub(esc(t.input_charset || 'no charset'))}</td></tr>`;
  });
}

/** Refund rows. "Set outcome" is offered only while its notification is still to be delivered. */
export function refundRows(refunds: SandboxRefundRecord[], notifications: SandboxNotificationRecord[]): string[] {
  return refunds.map((r) => {
    const pending =
      r.is_sync === 'N' &&
      notifications.some(
        (n) =>
          n.notify_type === 'refund_status_sync' &&
          n.partner === r.partner &&
          n.out_return_no === r.out_return_no &&
          n.state === 'pending',
      );
    const id = `o-${r.partner}-${r.out_return_no}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const outcome = pending
      ? `<form method="post" action="${A}refund-outcome" class="row"><input type="hidden" name="out_return_no" value="${esc(r.out_return_no)}">
<label class="muted" for="${esc(id)}">Report</label><select id="${esc(id)}" name="outcome"><option${r.refund_status === 'REFUND_SUCCESS' ? ' selected' : ''}>REFUND_SUCCESS</option><option${r.refund_status === 'REFUND_FAIL' ? ' selected' : ''}>REFUND_FAIL</option></select>
<button class="small" type="submit">Set outcome</button></form>`
      : `<span class="muted">${r.is_sync === 'Y' ? 'final (is_sync=Y)' : r.notify_url ? 'delivered: final' : 'final (no notify_url)'}</span>`;
    const answered = r.sync_answer === 'T' ? 'answered T' : `answered ${r.sync_answer}`;
    return `<tr><td class="id"><strong class="mono">${esc(r.out_return_no)}</strong>${sub(`order <span class="mono">${esc(r.out_trade_no)}</span>`)}</td>
<td class="num">${esc(displayAmountOf(r.return_amount, r.currency))}${sub(esc(displayAmountOf(r.return_rmb_amount, 'CNY')))}${sub(`${esc(r.requested_field)}=${esc(r.requested_amount)}`)}</td>
<td>${badge(r.refund_status)}${r.error_code ? sub(`<code>${esc(r.error_code)}</code>`) : ''}${sub(`${r.executed ? 'money returned' : 'not executed'} · ${r.sync_answer === 'T' ? esc(answered) : badge(r.sync_answer, answered)}`)}</td>
<td>${r.is_sync === 'Y' ? 'sync' : 'async'}</td>
<td class="time">${at(r.created)}</td>
<td>${outcome}</td></tr>`;
  });
}

/** Notification rows, each with its attempts folded. */
export function notificationRows(notifications: SandboxNotificationRecord[]): string[] {
  return notifications.map((n) => {
    const attempts = n.attempts
      .map(
        (a) =>
          `<tr><td>${a.n}${a.duplicate ? ' (copy)' : ''}</td><td class="time">${esc(timeLabel(a.at))}</td><td class="mono id">${esc(a.notify_id)}</td><td>${a.status === null ? '—' : esc(a.status)}</td><td><pre>${esc(a.body ?? a.error ?? '')}</pre></td><td>${a.acknowledged ? badge('acknowledged') : badge('not acknowledged')}</td></tr>`,
      )
      .join('');
    return `<tr><td>${n.id}</td><td class="id"><strong class="mono">${esc(n.out_return_no ?? n.out_trade_no)}</strong>${sub(esc(n.notify_type))}</td><td class="url mono">${esc(n.notify_url)}</td><td>${badge(n.state)}</td><td class="time">${n.next_attempt_at === null ? '—' : esc(timeLabel(n.next_attempt_at))}</td>
<td><details><summary>${n.attempts.length} attempt${n.attempts.length === 1 ? '' : 's'}</summary><pre>${esc(
      Object.entries(n.fields)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    )}</pre>
<div class="table-scroll"><table><thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">notify_id</th><th scope="col">HTTP</th><th scope="col">Response / error</th><th scope="col">Ack</th></tr></thead><tbody>${attempts}</tbody></table></div></details></td></tr>`;
  });
}

/** Secondary-merchant rows with Approve / Reject (whichever is not the current status). */
export function secmerchantRows(secmerchants: SecmerchantRecord[]): string[] {
  return secmerchants.map((s) => {
    // The review can be decided again at any time (an updated registration goes back to PENDING).
    const review = `<form method="post" action="${A}secmerchant-status" class="row"><input type="hidden" name="partner" value="${esc(s.partner)}"><input type="hidden" name="id" value="${esc(s.secondary_merchant_id)}">
${s.status === 'SUCCESS' ? '' : '<button class="small" name="status" value="SUCCESS" type="submit">Approve</button>'}${s.status === 'FAILED' ? '' : '<button class="small danger" name="status" value="FAILED" type="submit">Reject</button>'}</form>`;
    return `<tr><td class="id"><strong class="mono">${esc(s.secondary_merchant_id)}</strong>${sub(`partner <span class="mono">${esc(s.partner)}</span>`)}</td><td class="text">${esc(s.secondary_merchant_name)}</td><td>${badge(s.status)}${s.reject_reason ? sub(esc(s.reject_reason)) : ''}</td><td class="time">${at(s.updated)}</td><td>${review}</td></tr>`;
  });
}
