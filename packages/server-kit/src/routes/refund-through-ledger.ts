/**
 * `refundThroughLedger`: the one way a refund is made — recorded in the ledger before the gateway
 * is asked (§6.3), checked against the order's refundable remainder under the ledger's lock, sent,
 * and the gateway's answer recorded as exactly what it proves. `POST /refunds`, `router.refund()`
 * and merchants' own code all call it. `client.refund()` alone bypasses the ledger.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { AlipayLedgerError, AlipayValidationError, formatRequestAmount, toMinorUnits } from '@alipay-kit/core';
import type { GatewayClient } from '../client/create-gateway-client.js';
import { _missingLedgerMethods } from '../ledger/conformance.js';
import type { Ledger, OrderRecord, RefundRecord } from '../ledger/types.js';
import { _stderrLogger, type Logger } from '../lib/logger.js';
import { _isOutTradeNo } from './ids.js';
import { _sendRefund } from './refund-send.js';

/**
 * Options of {@link refundThroughLedger}.
 *
 * @example
 * ```ts
 * const o: RefundThroughLedgerOptions = { client, ledger, outTradeNo: id, amount: '4.00', notifyUrl: 'https://shop.example/alipay/notify' }
 * ```
 */
export interface RefundThroughLedgerOptions {
  client: GatewayClient;
  ledger: Ledger;
  /** The order to refund (it must be paid or partially refunded). */
  outTradeNo: string;
  /**
   * Decimal string in the order's pricing currency (CNY for orders priced with `rmb`). Without it:
   * a retry (same `outReturnNo`) repeats the recorded amount, a new refund takes what is left.
   */
  amount?: string;
  /** At most 100 characters, sent to the gateway. */
  reason?: string;
  /** 1–64 letters, digits, `_` or `-`. The same value again retries the same refund (§6.3). Default: `<outTradeNo>-R<random>`. */
  outReturnNo?: string;
  /** Where the refund notification goes (the router's `/notify`). */
  notifyUrl?: string;
  /** Default: stderr. */
  logger?: Logger;
}

/**
 * What {@link refundThroughLedger} recorded.
 *
 * @example
 * ```ts
 * const { refund, amount, currency, sent } = await refundThroughLedger(o)
 * console.log(`${amount} ${currency} ${refund.status}${sent ? '' : ' (already recorded)'}`)
 * ```
 */
export interface RefundThroughLedgerResult {
  /** The refund as the ledger now holds it; `status` is what the gateway's answer proves. */
  refund: RefundRecord;
  /** The amount as a decimal string in `currency`. */
  amount: string;
  /** The order's pricing currency (CNY for `rmb` orders). */
  currency: string;
  /**
   * True when this call asked the gateway. False when the refund was already final in the ledger
   * (`failed`, `succeeded`) or `accepted` (its notification is coming; asking again could only be
   * answered `REPEATED_REFUNDMENT_REQUEST`).
   */
  sent: boolean;
  /** The gateway's own code when it refused (`RETURN_AMOUNT_EXCEED`, …). */
  gatewayCode?: string;
}

/** What is left to refund on an order now: paid minus every refund that is not `failed` (a hint; the ledger enforces it). */
async function refundableRemainder(ledger: Ledger, order: OrderRecord): Promise<number> {
  const rmb = order.total_fee_minor === null;
  const unit = rmb ? 'CNY' : order.currency;
  const total = rmb ? order.rmb_fee_minor! : order.total_fee_minor!;
  const committed = (await ledger.listRefunds(order.out_trade_no))
    .filter((r) => r.status !== 'failed' && r.currency === unit)
    .reduce((s, r) => s + r.amount_minor, 0);
  return total - committed;
}

/** Check the caller's input; throws `AlipayValidationError` naming the field. */
function checkInput(o: RefundThroughLedgerOptions): void {
  if (typeof o.outTradeNo !== 'string' || o.outTradeNo === '')
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'outTradeNo is required', { field: 'outTradeNo' });
  if (!_isOutTradeNo(o.outTradeNo))
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'outTradeNo must be 1–64 letters, digits, _ or -', {
      field: 'outTradeNo',
    });
  if (o.amount !== undefined && typeof o.amount !== 'string')
    throw new AlipayValidationError('ERR_INVALID_AMOUNT', 'amount must be a decimal string', { field: 'amount' });
  if (o.reason !== undefined && (typeof o.reason !== 'string' || o.reason.length > 100))
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'reason must be a string of at most 100 characters', {
      field: 'reason',
    });
  if (
    o.outReturnNo !== undefined &&
    (typeof o.outReturnNo !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.outReturnNo))
  )
    throw new AlipayValidationError('ERR_INVALID_PARAMS', 'outReturnNo must be 1–64 letters, digits, _ or -', {
      field: 'outReturnNo',
    });
}

/**
 * Refund a paid order through the ledger. The ledger checks the refundable remainder atomically
 * (`createRefund`, order row locked), so two instances refunding at once never over-commit; the
 * refund is recorded before the gateway is called and the answer is recorded, never guessed: `T`
 * → `accepted` (its notification makes it `succeeded`), a definitive refusal → `failed` (with
 * `gatewayCode`), anything ambiguous (timeout, `SYSTEM_ERROR`) → `possibly_done`, which the
 * sweeper, a retry with the same `outReturnNo`, the notification or `reconcile` settles.
 *
 * Throws `AlipayValidationError` for bad input (`ERR_INVALID_PARAMS`, `ERR_INVALID_AMOUNT`: also
 * "nothing left to refund"), `AlipayLedgerError` `ERR_ORDER_NOT_FOUND` for an unknown order and
 * `ERR_INVALID_TRANSITION` for an order that is not paid. Never throws for gateway trouble.
 *
 * Use this (or the router's `POST /refunds` / `router.refund()`), not `client.refund()`: a refund
 * made with the bare client is unknown to the ledger, which then disagrees with the gateway.
 *
 * @example
 * ```ts
 * const r = await refundThroughLedger({ client, ledger, outTradeNo: 'AK20261125120000a1b2c3d4e5', amount: '4.00', reason: 'chipped cup', notifyUrl })
 * if (r.refund.status === 'failed') console.log('refused by Alipay:', r.gatewayCode)
 * else console.log(`${r.amount} ${r.currency}: ${r.refund.status}`) // 'accepted', or 'possibly_done' until confirmed
 * ```
 */
export async function refundThroughLedger(options: RefundThroughLedgerOptions): Promise<RefundThroughLedgerResult> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('refundThroughLedger: options must be an object');
  const { client, ledger } = options;
  if (!client || typeof client.refund !== 'function')
    throw new TypeError('refundThroughLedger: client must come from createGatewayClient()');
  const missing = _missingLedgerMethods(ledger);
  if (missing.length > 0)
    throw new TypeError(
      `refundThroughLedger: ledger must implement the Ledger interface (missing: ${missing.join(', ')})`,
    );
  checkInput(options);
  const order = await ledger.getOrder(options.outTradeNo);
  if (!order) throw new AlipayLedgerError('ERR_ORDER_NOT_FOUND', 'unknown order', { field: 'outTradeNo' });
  const unit = order.total_fee_minor === null ? 'CNY' : order.currency;
  const outReturnNo = options.outReturnNo ?? `${order.out_trade_no.slice(0, 50)}-R${randomBytes(4).toString('hex')}`;
  // Without an amount: a retry repeats the recorded one; a new refund takes what is left now
  // (the ledger re-checks it under its lock, so a concurrent refund makes this one fail cleanly).
  const amountMinor =
    options.amount !== undefined
      ? toMinorUnits(options.amount, unit, { field: 'amount' })
      : ((await ledger.getRefund(outReturnNo))?.amount_minor ?? (await refundableRemainder(ledger, order)));
  if (amountMinor <= 0)
    throw new AlipayValidationError('ERR_INVALID_AMOUNT', `nothing is left to refund on this order (0 ${unit})`, {
      field: 'amount',
    });
  // Durable log before the gateway call (§6.3), remainder checked in the same transaction.
  const { refund, created } = await ledger.createRefund({
    out_return_no: outReturnNo,
    out_trade_no: order.out_trade_no,
    currency: unit,
    amount_minor: amountMinor,
    reason: options.reason ?? null,
  });
  const amount = formatRequestAmount(amountMinor, unit);
  if (refund.status === 'failed' || refund.status === 'succeeded' || refund.status === 'accepted')
    return { refund, amount, currency: unit, sent: false };
  const send = {
    client,
    ledger,
    logger: options.logger ?? _stderrLogger,
    ...(options.notifyUrl ? { notifyUrl: options.notifyUrl } : {}),
  };
  const r = await _sendRefund(send, order, refund, !created);
  return {
    refund: r.refund,
    amount,
    currency: unit,
    sent: true,
    ...(r.gatewayCode ? { gatewayCode: r.gatewayCode } : {}),
  };
}
