/**
 * The admin's words for the ledger's states and the kit's and the gateway's codes. Codes stay
 * visible next to the words (an operator searches the logs with them).
 */
import type { AdminRefundStatus } from '../../src/admin-types.js';
import { h } from './dom.js';

/** Short labels for chips: order states, gateway trade states, notification statuses. */
const LABEL: Record<string, string> = {
  created: 'awaiting payment',
  paid_after_close: 'Paid after close',
  possibly_done: 'unclear',
  requested: 'not confirmed sent',
  accepted: 'accepted',
  succeeded: 'refunded',
};
export const label = (s: string): string => LABEL[s] ?? s.replace(/_/g, ' ').toLowerCase();

/** What an order state means, for the chip's tooltip. */
const ORDER_HINT: Record<string, string> = {
  created: 'Waiting for the buyer to pay at the Alipay cashier.',
  closed: 'Given up: the cashier timed out, or the payment link expired without a payment. No money was taken.',
  paid_after_close:
    'Alipay confirmed a payment after the order was closed. The money is real: ship the order or refund it.',
};

export function statusChip(s: string | undefined): HTMLElement {
  const state = (s ?? 'unknown').toLowerCase();
  return h('span', { class: `status status-${state}`, title: ORDER_HINT[state] }, label(s ?? 'unknown'));
}

/** A refund's state in words (the chip says it short). */
export const REFUND_STATE: Record<AdminRefundStatus, string> = {
  requested: 'Recorded, but not confirmed as sent to Alipay (the reply was lost or the shop stopped mid-way)',
  accepted: 'Accepted by Alipay — waiting for its refund notification',
  possibly_done: 'Sent — Alipay’s answer was unclear; waiting for confirmation',
  succeeded: 'Refunded to the buyer',
  failed: 'Refused — nothing was refunded',
};

/** Refund states that wait for Alipay (not final); they still count against the order. */
export const WAITING: ReadonlySet<string> = new Set<AdminRefundStatus>(['requested', 'accepted', 'possibly_done']);

/** Refund states an operator may resend with the same refund number ("Check again"). */
export const RETRYABLE: ReadonlySet<string> = new Set<AdminRefundStatus>(['requested', 'possibly_done']);

/** Gateway and kit codes a refund can carry, in words. */
const REFUND_CODE: Record<string, string> = {
  RETURN_AMOUNT_EXCEED: 'the amount is more than what is left on the payment',
  CURRENCY_NOT_SAME: 'the currency is not the payment’s currency',
  PURCHASE_TRADE_NOT_EXIST: 'Alipay has no such payment',
  REFUNDMENT_VALID_DATE_EXCEED: 'the payment is too old to be refunded',
  REPEATED_REFUNDMENT_REQUEST: 'Alipay already has a refund with this number',
  SYSTEM_ERROR: 'Alipay reported an internal error',
  SYSTEM_EXCEPTION: 'Alipay reported an internal error',
  REFUND_FAIL: 'Alipay could not complete it',
  ERR_TIMEOUT: 'Alipay did not answer in time',
  ERR_NETWORK: 'the connection to Alipay failed',
  ERR_HTTP_STATUS: 'Alipay answered with an HTTP error',
  ERR_XML_MALFORMED: 'Alipay’s reply could not be read',
  ERR_SIGNATURE_INVALID: 'Alipay’s reply did not carry a valid signature',
  ERR_INVALID_AMOUNT: 'the amount was refused before sending',
  ERR_INVALID_PARAMS: 'a parameter was refused before sending',
  ERR_INVALID_CURRENCY: 'the currency was refused before sending',
};

/** "Alipay reported an internal error (SYSTEM_ERROR)". */
export function refundCodeWords(code: string): string {
  const words =
    REFUND_CODE[code] ??
    (code.startsWith('ILLEGAL_') ? 'Alipay refused a parameter of the request' : 'Alipay refused it');
  return `${words} (${code})`;
}

/** Why a notification was refused before it touched any order. */
const REJECTION: Record<string, string> = {
  ERR_SIGNATURE_INVALID: 'bad signature',
  ERR_NOTIFICATION_INVALID: 'unreadable, or Alipay did not confirm it (notify_verify)',
  ERR_NOTIFICATION_MISMATCH: 'addressed to another merchant',
  ERR_NETWORK: 'Alipay could not be asked to confirm it',
  ERR_TIMEOUT: 'Alipay could not be asked to confirm it in time',
};
export const rejectionWords = (code: string): string =>
  REJECTION[code] ?? code.replace(/^ERR_/, '').replace(/_/g, ' ').toLowerCase();

/** Errors of the kit's `POST /refunds` that an operator can act on. */
const REFUND_ERROR: Record<string, string> = {
  ERR_INVALID_AMOUNT:
    'That is more than what is left to refund. Refunds still waiting for Alipay’s confirmation count too.',
  ERR_INVALID_TRANSITION: 'This order cannot be refunded in its current state.',
  ERR_ORDER_CONFLICT: 'This refund number was already used with other terms.',
};
export function refundErrorWords(code: string, message: string): string {
  if (code === 'ERR_REFUND_REJECTED') {
    const gateway = /:\s*([A-Z_]+)\s*$/.exec(message)?.[1];
    return `Alipay refused the refund: ${gateway ? refundCodeWords(gateway) : message}. Nothing was refunded.`;
  }
  return `${REFUND_ERROR[code] ?? message} (${code})`;
}

/** The gateway's file-service sentences (§8.3) and the kit's codes a reconciliation can end with, in words. */
const RECON_SENTENCE: [RegExp, string][] = [
  [
    /Finish date not ahead of today/i,
    'Alipay only has files for days that are over: end the period yesterday (Beijing time) or earlier.',
  ],
  [/Over 10 days/i, 'Alipay sends at most 10 days at a time: choose a shorter period.'],
  [/Finish date ahead of begin date/i, 'The period ends before it starts: swap the two dates.'],
  [/Date format incorrect|Illegal Date period/i, 'Alipay could not read the dates: pick both from the calendar.'],
  [/Over limit/i, 'The period has more transactions than Alipay sends in one file: choose a shorter period.'],
  [
    /Internet connected exception|System exception/i,
    'Alipay had a problem preparing the file. Try again in a few minutes.',
  ],
  [
    /Merchant ID incorrect/i,
    'Alipay does not know this merchant account (partner ID): check the shop’s configuration.',
  ],
];
const RECON_CODE: Record<string, string> = {
  ILLEGAL_PARTNER: 'Alipay does not know this merchant account (partner ID): check the shop’s configuration.',
  ILLEGAL_SIGN: 'Alipay refused the shop’s signature: check the merchant keys in the configuration.',
  ILLEGAL_SERVICE: 'This merchant account is not allowed to download transaction files.',
  ILLEGAL_PARTNER_EXTERFACE: 'This merchant account is not allowed to download transaction files.',
  SYSTEM_ERROR: 'Alipay had a problem preparing the file. Try again in a few minutes.',
  ERR_TIMEOUT: 'Alipay did not answer in time. Try again in a few minutes.',
  ERR_NETWORK: 'The shop could not reach Alipay. Try again in a few minutes.',
  ERR_HTTP_STATUS: 'Alipay answered with an error page. Try again in a few minutes.',
  ERR_FILE_TRUNCATED: 'The file from Alipay arrived incomplete. Try again.',
  ERR_INVALID_DATE: 'Pick a start and an end date from the calendar.',
};

/**
 * A reconciliation failure in words for the shop owner (the code stays on the element for
 * support, never in the sentence).
 *
 * @example reconErrorWords('ERR_FILE_REQUEST', 'Over 10 days to Date period') // 'Alipay sends at most 10 days at a time: …'
 */
export function reconErrorWords(code: string, message: string): string {
  for (const [re, words] of RECON_SENTENCE) if (re.test(message)) return words;
  return (
    RECON_CODE[code] ??
    (code.startsWith('ERR_FILE')
      ? 'The transaction file from Alipay could not be read. Try again; if it keeps failing, see the server log.'
      : 'Alipay refused the request. See the server log for details.')
  );
}
