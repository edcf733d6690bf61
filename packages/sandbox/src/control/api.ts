/**
 * The {@link SandboxControl} object: clock, notifications, faults, records and the test-buyer
 * simulation, all over the shared context.
 *
 * @module
 */
import type { SandboxContext } from '../context.js';
import { cancel, loadSession, login, pay, timeOut } from '../cashier/flow.js';
import { dispatchGateway } from '../gateway/dispatch.js';
import { parseGatewayRequest } from '../gateway/parse.js';
import { serviceInfo } from '../gateway/services.js';
import { refundNotificationFields } from '../notify/payloads.js';
import { refreshTrade } from '../services/trade-state.js';
import type { NotificationFilter, SandboxControl, SecmerchantStatus, SimulatePaymentResult } from '../types.js';
import { toNotificationRecord, toRefundRecord, toSecmerchantRecord, toTradeRecord } from './records.js';

/** A refused simulation: the code, plus the reason in words when there is one. */
function refused(code: string, detail: string | undefined): SimulatePaymentResult {
  return detail === undefined ? { errorCode: code } : { errorCode: code, errorDetail: detail };
}

/** Build the control object. */
export function createControl(ctx: SandboxContext): SandboxControl {
  const trades = (partner?: string) =>
    ctx.trades.all(partner).map((row) => {
      const t = refreshTrade(ctx, row)!;
      const done = ctx.refunds.forTrade(t.partner, t.trade_no).filter((r) => r.status === 'REFUND_SUCCESS');
      return toTradeRecord(t, {
        foreign: done.reduce((s, r) => s + r.foreign_minor, 0),
        cny: done.reduce((s, r) => s + r.cny_cents, 0),
      });
    });
  const refunds = (partner?: string) =>
    ctx.refunds
      .all(partner)
      .map((r) => toRefundRecord(r, ctx.trades.byTradeNo(r.partner, r.trade_no)?.currency ?? r.currency));
  return {
    publicKey: ctx.publicKey,
    dsaPublicKey: () => ctx.signer.dsaPublicKey(),
    now: () => ctx.clock.now(),
    advanceClock: (ms) => ctx.notifier.advance(ms),
    flushNotifications: () => ctx.notifier.flush(),

    async simulatePayment(paymentUrl, opts = {}) {
      if (typeof paymentUrl !== 'string') throw new TypeError('paymentUrl must be a string');
      const noHash = paymentUrl.split('#')[0]!;
      const q = noHash.indexOf('?');
      const parsed = parseGatewayRequest(q === -1 ? '' : noHash.slice(q + 1), undefined, undefined);
      if (serviceInfo(parsed.params.service)?.kind !== 'cashier') return { errorCode: 'ILLEGAL_SERVICE' };
      const d = dispatchGateway(ctx, parsed);
      if (d.errorCode !== undefined || d.sessionId === undefined)
        return refused(d.errorCode ?? 'SYSTEM_ERROR', d.errorDetail);
      const s = loadSession(ctx, d.sessionId)!;
      const action = opts.action ?? 'pay';
      if (action === 'cancel') {
        cancel(ctx, s);
        return {};
      }
      const out = action === 'pay' ? pay(ctx, s) : action === 'timeout' ? timeOut(ctx, s) : login(ctx, s);
      if (!out.ok) return refused(out.code, out.detail);
      const result: { returnUrl?: string; tradeNo?: string } = { tradeNo: out.trade.trade_no };
      const returnUrl = (out as { returnUrl?: string | undefined }).returnUrl;
      if (returnUrl) result.returnUrl = returnUrl;
      return result;
    },

    setFaults: (scope, faults) => ctx.faults.set(scope, faults),
    clearFaults: (scope) => ctx.faults.clear(scope),

    trades: (partner) => trades(partner),
    refunds: (partner) => refunds(partner),
    snapshot: (partner) => ({ now: ctx.clock.now(), trades: trades(partner), refunds: refunds(partner) }),
    notifications(filter: NotificationFilter = {}) {
      return ctx.notifications
        .all()
        .filter(
          (n) =>
            (filter.partner === undefined || n.partner === filter.partner) &&
            (filter.out_trade_no === undefined || n.out_trade_no === filter.out_trade_no) &&
            (filter.out_return_no === undefined || n.out_return_no === filter.out_return_no) &&
            (filter.notify_type === undefined || n.notify_type === filter.notify_type) &&
            (filter.state === undefined || n.state === filter.state),
        )
        .map((n) => toNotificationRecord(n, ctx.notifications.attempts(n.id)));
    },

    setRefundOutcome(outReturnNo, outcome, errorCode) {
      if (outcome !== 'REFUND_SUCCESS' && outcome !== 'REFUND_FAIL')
        throw new TypeError('outcome must be REFUND_SUCCESS or REFUND_FAIL');
      const code = outcome === 'REFUND_FAIL' ? (errorCode ?? 'SYSTEM_EXCEPTION') : null;
      ctx.refunds.setOutcome(outReturnNo, outcome, code);
      // An existing asynchronous refund changes too, and so do its undelivered notifications —
      // unless the merchant already acknowledged its outcome: the gateway never rewrites a
      // delivered refund result (an executed refund cannot be "un-refunded").
      for (const r of ctx.refunds.byOutReturnNo(outReturnNo)) {
        if (r.is_sync !== 'N') continue;
        if (ctx.notifications.forRefund(r.partner, r.out_return_no).some((n) => n.state === 'acknowledged')) continue;
        ctx.refunds.setStatus(r.partner, r.out_return_no, outcome, code);
        const trade = ctx.trades.byTradeNo(r.partner, r.trade_no);
        for (const n of ctx.notifications.forRefund(r.partner, r.out_return_no)) {
          if (n.state !== 'pending' || !trade) continue;
          ctx.notifications.setFields(
            n.id,
            JSON.stringify(refundNotificationFields({ ...r, status: outcome, error_code: code }, trade)),
          );
        }
      }
    },
    setSecmerchantStatus(partner, id, status: SecmerchantStatus, rejectReason) {
      if (status !== 'PENDING' && status !== 'SUCCESS' && status !== 'FAILED')
        throw new TypeError('status must be PENDING, SUCCESS or FAILED');
      const changed = ctx.secmerchants.setStatus(
        partner,
        id,
        status,
        status === 'FAILED' ? (rejectReason ?? 'High risk merchant, registration reject.') : null,
        ctx.clock.now(),
      );
      if (changed === 0) throw new RangeError(`no secondary merchant ${id} for partner ${partner}`);
    },
    secmerchants: (partner) => ctx.secmerchants.all(partner).map(toSecmerchantRecord),
    settle(options = {}) {
      const now = ctx.clock.now();
      const before = options.before ?? now;
      return ctx.trades.settle(options.partner, before, now) + ctx.refunds.settle(options.partner, before, now);
    },
  };
}
