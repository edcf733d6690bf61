/**
 * Refunds in the admin: the state table (order page and Refunds tab) with "Check again" for a
 * refund whose outcome is unknown, and the one-click full refund of a late payment. Every call
 * goes to the kit's `POST /api/alipay/refunds`; resending the same `outReturnNo` and amount is
 * how an ambiguous refund is resolved (the gateway executes one refund number at most once).
 */
import type { AdminOrderDetail, AdminRefund } from '../../src/admin-types.js';
import { ApiError, api } from './admin-api.js';
import { REFUND_STATE, RETRYABLE, refundCodeWords, refundErrorWords, statusChip } from './admin-words.js';
import { h } from './dom.js';
import { timeParts } from './admin-time.js';
import { moneyOf } from './format.js';

/** What the kit's `POST /refunds` answers when it did not refuse. */
export interface RefundAnswer {
  outReturnNo: string;
  status: AdminRefund['status'];
  amount: string;
  currency: string;
}

/** A message for the page after a refund call, and whether it is good news. */
export interface RefundOutcome {
  kind: 'ok' | 'info' | 'error';
  text: string;
}

/** The answer of a refund call in words. */
export function outcomeOf(r: RefundAnswer): RefundOutcome {
  const what = `Refund ${r.outReturnNo} (${moneyOf(r.amount, r.currency)})`;
  switch (r.status) {
    case 'accepted':
      return {
        kind: 'ok',
        text: `${what} accepted by Alipay. Its notification confirms it; refresh to see it settle.`,
      };
    case 'succeeded':
      return { kind: 'ok', text: `${what} is confirmed: the buyer has been refunded.` };
    case 'failed':
      return { kind: 'error', text: `${what} was refused by Alipay earlier; nothing was refunded.` };
    default:
      return {
        kind: 'info',
        text: `${what}: Alipay’s answer was unclear, so it may or may not have been executed. It still counts against the order; “Check again” asks Alipay again with the same refund number.`,
      };
  }
}

function failureOf(e: unknown): RefundOutcome {
  return { kind: 'error', text: e instanceof ApiError ? refundErrorWords(e.code, e.message) : String(e) };
}

/** Send a refund (new, or again with its number). Never throws: the outcome is in words. */
export async function sendRefund(body: {
  outTradeNo: string;
  amount: string;
  reason: string;
  outReturnNo?: string;
}): Promise<RefundOutcome> {
  try {
    return outcomeOf(await api<RefundAnswer>('/api/alipay/refunds', { method: 'POST', body }));
  } catch (e) {
    return failureOf(e);
  }
}

function stateCell(r: AdminRefund, onOutcome: (o: RefundOutcome) => void): HTMLElement {
  const detail =
    r.status === 'failed'
      ? `Reason: ${refundCodeWords(r.error ?? 'UNKNOWN')}`
      : r.status === 'possibly_done' && r.error
        ? `Last answer: ${refundCodeWords(r.error)}`
        : undefined;
  const cell = h(
    'td',
    { class: 'refund-state' },
    statusChip(r.status),
    h('span', { class: 'state-words' }, REFUND_STATE[r.status] ?? r.status),
    detail ? h('span', { class: 'sub' }, detail) : null,
  );
  if (RETRYABLE.has(r.status)) {
    const again = h(
      'button',
      {
        class: 'btn btn-ghost btn-sm',
        type: 'button',
        'data-action': 'check-again',
        title: `Send ${r.out_return_no} to Alipay again with the same number and amount: it is executed at most once.`,
      },
      'Check again',
    );
    again.addEventListener('click', async () => {
      again.disabled = true;
      again.textContent = 'Checking…';
      onOutcome(
        await sendRefund({
          outTradeNo: r.out_trade_no,
          outReturnNo: r.out_return_no,
          amount: r.amount,
          reason: r.reason ?? 'no_reason',
        }),
      );
    });
    cell.append(h('span', { class: 'refund-actions' }, again));
  }
  return cell;
}

/** On the order's own page the order number is known: `LL-…-R522a7274` → `…-R522a7274`. */
const shortRefundNo = (r: AdminRefund) =>
  r.out_return_no.startsWith(`${r.out_trade_no}-`)
    ? `…${r.out_return_no.slice(r.out_trade_no.length)}`
    : r.out_return_no;

/** The refunds table. `withOrder` adds the order column (the Refunds tab). */
export function refundsTable(
  refunds: AdminRefund[],
  opts: { withOrder?: boolean; id?: string; onOutcome: (o: RefundOutcome) => void },
): HTMLElement {
  return h(
    'table',
    { class: 'data refunds-table', ...(opts.id ? { id: opts.id } : {}) },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Refund'),
        opts.withOrder ? h('th', {}, 'Order') : null,
        h('th', { class: 'num' }, 'Amount'),
        h('th', {}, 'State'),
      ),
    ),
    h(
      'tbody',
      {},
      refunds.map((r) =>
        h(
          'tr',
          { 'data-refund': r.out_return_no, 'data-state': r.status },
          h(
            'td',
            {},
            h('span', { class: 'mono', title: r.out_return_no }, opts.withOrder ? r.out_return_no : shortRefundNo(r)),
            h('span', { class: 'sub' }, ...timeParts(r.created_at), r.reason ? ` · ${r.reason}` : ''),
          ),
          opts.withOrder
            ? h(
                'td',
                {},
                h('a', { class: 'mono', href: `#orders/${encodeURIComponent(r.out_trade_no)}` }, r.out_trade_no),
              )
            : null,
          h('td', { class: 'num' }, moneyOf(r.amount, r.currency)),
          stateCell(r, opts.onOutcome),
        ),
      ),
    ),
  );
}

/**
 * A late payment (`paid_after_close`): what happened, and "Refund in full" with a confirm step
 * that shows the amount and currency before anything is sent.
 */
export function latePaymentCallout(o: AdminOrderDetail, onOutcome: (o: RefundOutcome) => void): HTMLElement {
  const money = `${moneyOf(o.refundable, o.currency)} ${o.currency}`;
  const actions = h('div', { class: 'late-actions' });
  const box = h(
    'div',
    { class: 'late-callout', id: 'late-payment', role: 'note' },
    h('p', { class: 'late-title' }, 'Paid after the order was closed'),
    h(
      'p',
      {},
      'Alipay confirmed a payment for this order after the shop had closed it, so the buyer was charged. Ship the order, or send the money back.',
    ),
    actions,
  );
  const ask = () => {
    const start = h(
      'button',
      { class: 'btn btn-danger btn-sm', type: 'button', id: 'refund-in-full' },
      'Refund in full',
    );
    start.addEventListener('click', confirm);
    actions.replaceChildren(start, h('span', { class: 'muted small' }, money));
  };
  const confirm = () => {
    const yes = h(
      'button',
      { class: 'btn btn-danger btn-sm', type: 'button', id: 'refund-in-full-confirm' },
      `Yes, refund ${money}`,
    );
    const no = h('button', { class: 'btn btn-ghost btn-sm', type: 'button' }, 'Cancel');
    no.addEventListener('click', ask);
    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      yes.textContent = 'Sending…';
      onOutcome(
        await sendRefund({
          outTradeNo: o.out_trade_no,
          amount: o.refundable,
          reason: 'Paid after the order was closed',
        }),
      );
    });
    actions.replaceChildren(
      h(
        'p',
        { class: 'confirm-text', id: 'refund-in-full-question' },
        `Refund ${money} to the buyer through Alipay? This returns the whole payment.`,
      ),
      yes,
      no,
    );
    yes.focus();
  };
  if (Number(o.refundable) > 0) ask();
  else actions.replaceChildren(h('p', { class: 'muted small' }, 'Nothing is left to refund: see the refunds below.'));
  return box;
}
