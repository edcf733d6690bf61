/**
 * The startup check that a ledger object implements every {@link Ledger} method: a merchant's own
 * ledger that lacks one is refused when the router is created, naming what is missing, rather
 * than failing on the first notification.
 *
 * @module
 */
import type { Ledger } from './types.js';

/** Every method of {@link Ledger}, checked at startup. */
const LEDGER_METHODS = [
  'createOrder',
  'getOrder',
  'listOrders',
  'markPaid',
  'markClosed',
  'createRefund',
  'getRefund',
  'listRefunds',
  'listOpenRefunds',
  'setRefundRequestStatus',
  'applyRefundResult',
  'recordNotification',
  'recordRejection',
  'listRejections',
  'claimOrdersForSync',
  'listNotifications',
  'history',
  'claimEvents',
  'claimOrderEvents',
  'listOrdersWithOpenEvents',
  'applyPaymentNotification',
  'completeEvent',
  'releaseEvent',
  'close',
  'getOrderFactsByIds',
  'checkPaymentRows',
  'getRefundsByIds',
  'countOrdersPaidInRange',
  'listRefundsInRange',
] as const satisfies ReadonlyArray<keyof Ledger>;

/** The {@link Ledger} methods `value` lacks (all of them when it is not an object). */
export function _missingLedgerMethods(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [...LEDGER_METHODS];
  return LEDGER_METHODS.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function');
}
