/**
 * The QA dashboard (`GET /`, `/_sandbox/dashboard`): what the last action did, the gateway clock
 * and its controls, faults (active ones in words with a one-click clear, and the form), trades,
 * refunds, every notification attempt with the merchant's answer, secondary merchants.
 * Plain HTML forms, no script, no external assets.
 *
 * @module
 */
import { esc, page } from '../lib/html.js';
import { timeLabel } from '../lib/time.js';
import { activeFaults, faultForm } from './fault-form.js';
import type { Notice } from './notice.js';
import { notificationRows, refundRows, secmerchantRows, table, tradeRows } from './tables.js';
import type {
  FaultConfig,
  FaultScope,
  SandboxNotificationRecord,
  SandboxRefundRecord,
  SecmerchantRecord,
  TradeRecord,
} from '../types.js';

/** Everything the dashboard shows. */
export interface DashboardData {
  now: number;
  merchants: Array<{ partner: string; name: string }>;
  trades: TradeRecord[];
  refunds: SandboxRefundRecord[];
  notifications: SandboxNotificationRecord[];
  secmerchants: SecmerchantRecord[];
  faults: Array<{ scope: FaultScope; faults: FaultConfig }>;
  /** What the previous action did (after its 303). */
  notice?: Notice | undefined;
}

const A = '/_sandbox/dashboard/';

/** Render the dashboard. */
export function dashboardPage(d: DashboardData): string {
  const adv = (ms: number, label: string) =>
    `<form method="post" action="${A}advance"><input type="hidden" name="ms" value="${ms}"><button class="small secondary" type="submit">+${esc(label)}</button></form>`;
  const notice = d.notice
    ? `<p class="notice ${d.notice.kind}" role="status" id="notice">${esc(d.notice.text)}</p>`
    : '';
  const merchants = d.merchants.map((m) => `<code>${esc(m.partner)}</code> ${esc(m.name)}`).join(', ');
  return page(
    'Alipay sandbox dashboard',
    `${notice}<section class="card" aria-labelledby="clock-title"><h1 id="clock-title">Sandbox dashboard</h1>
<p>Gateway clock: <strong id="gateway-clock">${esc(timeLabel(d.now))}</strong>. Merchants: ${merchants}.</p>
<div class="row" role="group" aria-label="Clock and notification controls">${adv(120_000, '2 min')}${adv(600_000, '10 min')}${adv(3_600_000, '1 hour')}${adv(86_400_000, '1 day')}
<form method="post" action="${A}flush"><button class="small" type="submit">Deliver due notifications</button></form>
<form method="post" action="${A}settle"><button class="small secondary" type="submit">Settle everything</button></form>
<a href="/_sandbox/dashboard" class="muted">Refresh</a></div></section>
<section class="card" aria-labelledby="fault-form-title">${activeFaults(`${A}clear-faults`, d.faults)}${faultForm(
      `${A}faults`,
      d.merchants.map((m) => m.partner),
    )}</section>
<section class="card" aria-labelledby="trades-title"><h2 id="trades-title">Trades (${d.trades.length})</h2>${table('Trades exist from buyer login on (§3.1)', ['Order / trade_no', 'Subject', 'Amount', 'Status', 'Time', 'Refunded', 'Sign'], tradeRows(d.trades, d.merchants.length > 1), 'No trades yet.')}</section>
<section class="card" aria-labelledby="refunds-title"><h2 id="refunds-title">Refunds (${d.refunds.length})</h2>${table('forex_refund requests the gateway took (§6)', ['Refund', 'Amount', 'Status', 'Mode', 'Requested', 'Outcome'], refundRows(d.refunds, d.notifications), 'No refunds yet.')}</section>
<section class="card" aria-labelledby="notes-title"><h2 id="notes-title">Notifications (${d.notifications.length})</h2>${table('Every attempt with the merchant response; acknowledged only by HTTP 200 + "success" (§4)', ['#', 'Order / refund', 'notify_url', 'State', 'Next attempt', 'Attempts'], notificationRows(d.notifications), 'No notifications yet.')}</section>
<section class="card" aria-labelledby="sec-title"><h2 id="sec-title">Secondary merchants (${d.secmerchants.length})</h2>${table('Registrations (§11)', ['Id', 'Name', 'Status', 'Updated', 'Review'], secmerchantRows(d.secmerchants), 'No secondary merchants yet.')}</section>`,
  );
}
