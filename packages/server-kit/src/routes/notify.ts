// POST /notify (protocol §3.9, §4, §6.6, §7): verify with the configured sign type, optionally
// notify_verify, cross-check against the ledger, apply idempotently, run hooks, and answer
// `success` only after everything is committed. Anything else: `fail` + one log line.
import {
  AlipayNotificationError,
  isAlipayError,
  verifyNotification,
  type PaymentNotification,
  type RefundNotification,
} from '@alipay-kit/core';
import { parseForm } from '@alipay-kit/core/encoding';
import type { EventClaim, NewNotification, OrderRecord } from '../ledger/types.js';
import {
  _DEFAULT_HOOK_CLAIM_STALE_MS,
  _fireHooks,
  _reportMisMountedParser,
  HookBusyError,
  type RouterContext,
} from './context.js';
import { _BodyReadError, _notifyAnswer, type _HttpAnswer, type _HttpRequest } from './http.js';
import {
  NotificationRejectedError as Reject,
  _NOTIFY_BODY_LIMIT,
  _notifyVerifyRejectionCode,
} from './notify-errors.js';

/** The raw notification body, or the refusal naming why it could not be read. */
async function readNotification(ctx: RouterContext, req: _HttpRequest): Promise<Uint8Array> {
  try {
    return await req.readBody(_NOTIFY_BODY_LIMIT);
  } catch (e) {
    const reason = e instanceof _BodyReadError ? e.reason : 'aborted';
    if (reason === 'consumed') {
      _reportMisMountedParser(ctx, 'notification');
      throw new Reject(
        'ERR_CONFIG',
        ctx.adapter === 'alipayFetchHandler'
          ? 'the notification body was already read before alipayFetchHandler; pass it the untouched Request'
          : 'the notification body was consumed by a body parser mounted before alipayRouter; mount the router first',
      );
    }
    if (reason === 'compressed') throw new Reject('ERR_NOTIFICATION_INVALID', 'compressed notification body');
    if (reason === 'too_large') throw new Reject('ERR_NOTIFICATION_INVALID', 'notification body is too large');
    throw new Reject('ERR_NOTIFICATION_INVALID', 'the request was aborted mid-body');
  }
}

export function _notifyHandler(ctx: RouterContext) {
  const { client, ledger } = ctx;
  const verifyRemote = ctx.options.notifyVerify ?? true;
  const staleMs = ctx.options.hookClaimStaleMs ?? _DEFAULT_HOOK_CLAIM_STALE_MS;

  /** What applying a notification did; `recorded` when the ledger stored the notification in the same transaction. */
  interface Applied {
    outcome: string;
    recorded?: boolean;
    events?: EventClaim;
    order?: OrderRecord;
  }

  const lateLog = (out_trade_no: string) =>
    ctx.logger.warn(
      'alipay notify: payment for an order the ledger had closed, recorded as paid_after_close (onLatePayment runs)',
      { out_trade_no },
    );

  function checkPayment(n: PaymentNotification, order: OrderRecord): void {
    if (n.currency !== order.currency) throw new Reject('ERR_NOTIFICATION_MISMATCH', 'currency differs from the order');
    // total_fee is the foreign amount, even for rmb_fee orders (§3.5): compare what we priced.
    if (order.total_fee_minor !== null && n.minor.total_fee !== order.total_fee_minor)
      throw new Reject('ERR_NOTIFICATION_MISMATCH', 'total_fee differs from the order');
    if (order.rmb_fee_minor !== null && n.minor.rmb_fee !== undefined && n.minor.rmb_fee !== order.rmb_fee_minor)
      throw new Reject('ERR_NOTIFICATION_MISMATCH', 'rmb_fee differs from the order');
  }

  async function applyPayment(
    n: PaymentNotification,
    notification: Omit<NewNotification, 'outcome'>,
  ): Promise<Applied> {
    const paid = n.trade_status === 'TRADE_FINISHED' || n.trade_status === 'TRADE_SUCCESS';
    // Check, transition, notification row and hook claim in one ledger transaction.
    let r;
    try {
      r = await ledger.applyPaymentNotification({
        out_trade_no: n.out_trade_no,
        to: paid ? 'paid' : n.trade_status === 'TRADE_CLOSED' ? 'closed' : null,
        trade_no: n.trade_no,
        source: 'notify',
        check: (order) => checkPayment(n, order),
        notification,
        claim: { staleMs },
      });
    } catch (e) {
      if (isAlipayError(e) && e.code === 'ERR_ORDER_NOT_FOUND')
        throw new Reject('ERR_ORDER_NOT_FOUND', 'unknown out_trade_no');
      throw e;
    }
    if (r.changed && r.order.status === 'paid_after_close') lateLog(n.out_trade_no);
    return { outcome: r.outcome, recorded: true, ...(r.events ? { events: r.events } : {}), order: r.order };
  }

  async function applyRefund(n: RefundNotification): Promise<Applied> {
    return { outcome: await applyRefundResult(n) };
  }

  async function applyRefundResult(n: RefundNotification): Promise<string> {
    const refund = await ledger.getRefund(n.out_return_no);
    if (!refund) throw new Reject('ERR_ORDER_NOT_FOUND', 'unknown out_return_no');
    if (refund.out_trade_no !== n.out_trade_no)
      throw new Reject('ERR_NOTIFICATION_MISMATCH', 'out_trade_no differs from the refund');
    // §6.6: CNY + CNY amount for return_rmb_amount refunds, else the order currency.
    if (n.currency !== refund.currency)
      throw new Reject('ERR_NOTIFICATION_MISMATCH', 'currency differs from the refund');
    if (n.minor.return_amount !== refund.amount_minor)
      throw new Reject('ERR_NOTIFICATION_MISMATCH', 'return_amount differs from the refund');
    if (n.refund_status !== 'REFUND_SUCCESS' && n.refund_status !== 'REFUND_FAIL') return 'ignored';
    const r = await ledger.applyRefundResult(n.out_return_no, {
      status: n.refund_status === 'REFUND_SUCCESS' ? 'succeeded' : 'failed',
      error_code: n.error_code ?? null,
      source: 'refund_notify',
    });
    return r.changed ? 'applied' : 'duplicate';
  }

  return async function alipayNotify(req: _HttpRequest): Promise<_HttpAnswer> {
    let params: Record<string, string> = Object.create(null);
    let outTradeNo: string | undefined;
    const notification = (): Omit<NewNotification, 'outcome'> => ({
      notify_id: params.notify_id ?? null,
      notify_type: params.notify_type ?? null,
      out_trade_no: params.out_trade_no ?? null,
      out_return_no: params.out_return_no ?? null,
      status: params.trade_status ?? params.refund_status ?? null,
      params: { ...params },
    });
    const record = (outcome: string) => ledger.recordNotification({ ...notification(), outcome }).catch(() => {});
    // Until the signature (and notify_verify) pass, the body is anyone's: a refusal then stores
    // no field and touches no order, only a bounded ring entry (code, time, sender address).
    let verified = false;
    try {
      const raw = await readNotification(ctx, req);
      if (raw.length === 0) throw new Reject('ERR_NOTIFICATION_INVALID', 'empty body');
      // The body is ASCII after percent-encoding; bytes decode in the configured charset (§2.4 step 1).
      const parsed = parseForm(
        Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1'),
        client.charset,
      );
      params = parsed.params;
      outTradeNo = params.out_trade_no;
      if (parsed.duplicates.length > 0)
        throw new Reject('ERR_NOTIFICATION_INVALID', 'a parameter is repeated with different values');
      // Verify-then-parse is core's (§2.4), with the client's node:crypto verifier plugged in.
      let n: PaymentNotification | RefundNotification;
      try {
        n = await verifyNotification(params, client.verifier, { expect: 'notification' });
      } catch (e) {
        if (e instanceof AlipayNotificationError && e.field === 'sign')
          throw new Reject('ERR_SIGNATURE_INVALID', `signature does not verify with the configured ${client.signType}`);
        throw new Reject('ERR_NOTIFICATION_INVALID', isAlipayError(e) ? e.message : 'unreadable notification');
      }
      if (params.seller_id !== undefined && params.seller_id !== '' && params.seller_id !== client.partner)
        throw new Reject('ERR_NOTIFICATION_MISMATCH', 'seller_id is not our partner');
      if (verifyRemote) {
        let ok: boolean;
        try {
          ok = await client.notifyVerify(n.notify_id);
        } catch (e) {
          throw new Reject(_notifyVerifyRejectionCode(e), 'notify_verify could not be called');
        }
        if (!ok)
          throw new Reject('ERR_NOTIFICATION_INVALID', 'notify_verify did not answer true (stale or forged notify_id)');
      }
      verified = true;
      const applied = n.kind === 'payment' ? await applyPayment(n, notification()) : await applyRefund(n);
      if (!applied.recorded) await record(applied.outcome);
      await _fireHooks(
        ctx,
        n.out_trade_no,
        applied.events ? { events: applied.events, ...(applied.order ? { order: applied.order } : {}) } : undefined,
      );
      return _notifyAnswer('success');
    } catch (e) {
      const code =
        e instanceof Reject || e instanceof HookBusyError ? e.code : isAlipayError(e) ? e.code : 'ERR_INTERNAL';
      const detail =
        e instanceof Reject || e instanceof HookBusyError || isAlipayError(e) ? e.message : 'ledger or hook failure';
      if (verified) await record(`rejected:${code}`);
      else await ledger.recordRejection({ code, source: req.remoteAddress?.slice(0, 64) ?? null }).catch(() => {});
      // One line, no sign, no key, no raw body.
      ctx.logger.warn(`alipay notify answered fail: ${code}: ${detail}`, {
        code,
        out_trade_no: outTradeNo?.slice(0, 64),
        notify_id: params.notify_id?.slice(0, 64),
      });
      return _notifyAnswer('fail');
    }
  };
}
