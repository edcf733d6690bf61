// After each sequence: settle the world (drain, sweeper, pending refunds), then compare the
// shared ledger with the gateway's own records (the gateway is the truth) — I1 to I5. I6 (forged
// notifications cost the ledger a bounded number of bytes) has its own check in the test file.
import { discrepancyIds } from './commands.js';
import { minor, type Model, type Real } from './model.js';
import { INSTANCES } from './world.js';

const PAID_STATES = ['paid', 'partially_refunded', 'refunded', 'paid_after_close'];
const OPEN_REFUND = ['requested', 'accepted', 'possibly_done'];
/** Gateway answers that prove a forex_refund was not executed (what the merchant may count as failed). */
const DEFINITIVE =
  /^(RETURN_AMOUNT_EXCEED|CURRENCY_NOT_SAME|PURCHASE_TRADE_NOT_EXIST|REFUNDMENT_VALID_DATE_EXCEED|ILLEGAL_.*)$/;
const MIN = 60_000;

interface LedgerDump {
  id: string;
  order: any;
  refunds: any[];
  history: Array<{ from: string | null; to: string; source: string }>;
}

/** Settle everything the sequence left in flight. */
export async function settle(m: Model, r: Real): Promise<void> {
  const w = r.w;
  w.killOnDelivery = undefined;
  w.killOnRefund = undefined;
  w.partition = false;
  w.route = 'alt';
  m.faults = {};
  w.applyFaults({});
  const skewed = w.skew.a !== 0 || w.skew.b !== 0;
  w.skew.a = w.skew.b = 0;
  m.skew = {};
  await w.reviveAll();
  if (skewed) await w.syncClocks();
  m.alive = { a: true, b: true };
  await w.drain();
  // Past every trade window (12 h / timeScale), the merchant's order validity and hook claims.
  await w.advance(13 * MIN + 1000);
  await w.drain();
  const ids = m.orders.map((o) => o.id);
  // The sweeper on one instance, pending refunds on the other; once more when that sent anything
  // (a resend is answered, its notification delivered, the other instance then sees the result).
  for (const [sweeper, resolver] of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    const [swept, resolved] = await Promise.all([
      w.inst[sweeper].request('sweep', { olderThanSeconds: 0, minIntervalSeconds: 0, ids }),
      w.inst[resolver].request('resolve', { olderThanSeconds: 0 }),
    ]);
    const busy = w.sandbox.control.notifications({ state: 'pending' }).length > 0;
    await w.drain();
    const s = swept.result ?? {};
    const quiet =
      !busy &&
      (resolved.result?.checked ?? 0) === 0 &&
      (s.paid ?? 0) + (s.closed ?? 0) + (s.mismatched ?? 0) + (s.failed ?? 0) === 0;
    if (quiet) break;
  }
  await Promise.all(INSTANCES.map((n) => w.inst[n].request('drainHooks', {})));
  await w.drain();
}

/** I1–I4 for the sequence's orders. Returns the reconcile differences the run is expected to show. */
export async function checkLedger(m: Model, r: Real): Promise<{ expected: Set<string>; dumps: LedgerDump[] }> {
  const w = r.w;
  const v = (t: string) => r.log.violations.push(t);
  const expected = new Set<string>();
  const ids = m.orders.map((o) => o.id);
  const dumps: LedgerDump[] = (await w.inst.a.request('dump', { ids })).orders;
  const snap = w.sandbox.control.snapshot();
  const trades = new Map(snap.trades.filter((t) => t.out_trade_no.startsWith(m.runId)).map((t) => [t.out_trade_no, t]));
  const gwRefunds = snap.refunds.filter((x) => x.out_trade_no.startsWith(m.runId));
  const fulfil = w.fulfilment().filter((l) => l.id.startsWith(m.runId));
  const count = (k: string) => r.stats.bump(r.stats.checks, k);

  // I3 (gateway side): no out_return_no executed twice.
  const seen = new Set<string>();
  for (const g of gwRefunds) {
    count('I3 out_return_no executed once');
    if (seen.has(g.out_return_no)) v(`I3 out_return_no ${g.out_return_no} executed twice by the gateway`);
    seen.add(g.out_return_no);
  }

  for (const mo of m.orders) {
    r.stats.ordersChecked++;
    const d = dumps.find((x) => x.id === mo.id);
    const order = d?.order;
    const t = trades.get(mo.id);
    const gwOf = gwRefunds.filter((x) => x.out_trade_no === mo.id);
    const gwOk = gwOf.filter((x) => x.refund_status === 'REFUND_SUCCESS');
    const gwRefunded = gwOk.reduce((s, x) => s + minor(x.return_amount), 0);
    const ledgerRefunds = d?.refunds ?? [];
    const tag = `${mo.id} (gateway ${t?.trade_status ?? 'no trade'}, ledger ${order?.status ?? 'missing'})`;
    if (!order) {
      v(`I1 ${mo.id}: the ledger lost an order that /checkout created`);
      continue;
    }
    // I1: order state = trade state.
    count('I1 order state');
    if (!t) {
      if (!['created', 'closed'].includes(order.status))
        v(`I1 ${tag}: the gateway has no trade but the ledger says ${order.status}`);
    } else if (t.trade_status === 'TRADE_FINISHED') {
      if (!PAID_STATES.includes(order.status))
        v(`I1 ${tag}: the gateway has the money but the ledger says ${order.status}`);
      if (order.trade_no !== null && order.trade_no !== t.trade_no)
        v(`I1 ${tag}: ledger trade_no ${order.trade_no} ≠ gateway ${t.trade_no}`);
      if (order.total_fee_minor !== minor(t.total_fee) || order.currency !== t.currency)
        v(`I1 ${tag}: ledger amount ${order.total_fee_minor} ${order.currency} ≠ gateway ${t.total_fee} ${t.currency}`);
    } else if (t.trade_status === 'TRADE_CLOSED') {
      if (order.status !== 'closed')
        v(`I1 ${tag}: the gateway closed the trade, the ledger says ${order.status} after the sweeper`);
    } else if (!['created', 'closed'].includes(order.status))
      v(`I1 ${tag}: trade still waiting, the ledger says ${order.status}`);
    if (d!.history.some((h) => h.to === 'paid_after_close')) {
      count('I1 late payment seen');
      // Reconcile lists late payments still in paid_after_close (refunded ones need no decision).
      if (order.status === 'paid_after_close') expected.add(`P:${mo.id}:late`);
    }

    // I2 refunds: executed ≤ paid; executed ⇒ never failed; ledger succeeded ⇒ executed.
    count('I2 refunds');
    if (gwRefunded > mo.amountMinor) v(`I2 ${tag}: the gateway refunded ${gwRefunded} > paid ${mo.amountMinor}`);
    let lag = 0;
    for (const g of gwOf) {
      r.stats.refundsChecked++;
      const l = ledgerRefunds.find((x: any) => x.out_return_no === g.out_return_no);
      if (g.refund_status === 'REFUND_SUCCESS') {
        if (!l) {
          v(
            `I2 ${tag}: refund ${g.out_return_no} (${g.return_amount}) executed by the gateway is unknown to the ledger`,
          );
          continue;
        }
        if (l.status === 'failed')
          v(`I2 ${tag}: refund ${g.out_return_no} executed by the gateway is 'failed' in the ledger (${l.error_code})`);
        else if (OPEN_REFUND.includes(l.status)) {
          // Only explainable when its notification never got through (retries exhausted).
          const notes = w.sandbox.control.notifications({ out_return_no: g.out_return_no });
          const lost = notes.length === 0 || notes.every((n) => n.state === 'failed');
          if (!lost)
            v(
              `I2 ${tag}: refund ${g.out_return_no} executed and its notification acknowledged, ledger still ${l.status}`,
            );
          else {
            lag += minor(g.return_amount);
            r.stats.bump(
              r.stats.notes,
              'refund executed, notification lost, ledger still open (reconcile resolves it)',
            );
          }
        }
      } else if (l && l.status === 'succeeded')
        v(`I2 ${tag}: refund ${g.out_return_no} failed at the gateway (${g.error_code}) but 'succeeded' in the ledger`);
    }
    for (const l of ledgerRefunds) {
      // What the day's reconcile must say about refunds still open: resolved from the file row when
      // the gateway executed them, listed missing from the file when it did not.
      if (OPEN_REFUND.includes(l.status))
        expected.add(
          gwOk.some((g) => g.out_return_no === l.out_return_no)
            ? `R:${l.out_return_no}:resolved`
            : `R:${l.out_return_no}:missingInFile`,
        );
      if (l.status === 'succeeded' && !gwOk.some((g) => g.out_return_no === l.out_return_no))
        v(`I2 ${tag}: ledger refund ${l.out_return_no} 'succeeded' but the gateway never executed it`);
    }
    const committed = ledgerRefunds
      .filter((l: any) => l.status !== 'failed')
      .reduce((s: number, l: any) => s + l.amount_minor, 0);
    if (committed > mo.amountMinor)
      v(
        `I3 ${tag}: refunds not failed in the ledger sum to ${committed} > total ${mo.amountMinor} (remainder check not atomic)`,
      );
    const succeeded = ledgerRefunds
      .filter((l: any) => l.status === 'succeeded')
      .reduce((s: number, l: any) => s + l.amount_minor, 0);
    if (order.refunded_minor !== succeeded)
      v(`I2 ${tag}: order.refunded_minor ${order.refunded_minor} ≠ sum of its succeeded refunds ${succeeded}`);
    // I1 refunded amounts and the state they imply.
    if (t?.trade_status === 'TRADE_FINISHED') {
      count('I1 refunded amount');
      if (order.refunded_minor + lag !== gwRefunded)
        v(
          `I1 ${tag}: ledger refunded ${order.refunded_minor} (+${lag} lost notifications) ≠ gateway refunded ${gwRefunded}`,
        );
      const want =
        order.refunded_minor === 0
          ? ['paid', 'paid_after_close']
          : order.refunded_minor < mo.amountMinor
            ? ['partially_refunded']
            : ['refunded'];
      if (PAID_STATES.includes(order.status) && !want.includes(order.status))
        v(`I1 ${tag}: refunded ${order.refunded_minor} of ${mo.amountMinor} but state ${order.status}`);
    }

    // I4: every paid trade fulfilled exactly once (onPaid + onLatePayment, both instances).
    count('I4 fulfilment');
    const lines = fulfil.filter((l) => l.id === mo.id && (l.kind === 'paid' || l.kind === 'late_paid'));
    const paidAtGateway = t?.trade_status === 'TRADE_FINISHED';
    const maxLines = w.interrupted.has(mo.id) ? 2 : 1;
    if (paidAtGateway && (lines.length < 1 || lines.length > maxLines))
      v(
        `I4 ${tag}: paid at the gateway, fulfilled ${lines.length} time(s) [${lines.map((l) => `${l.kind}@${l.inst}`).join(', ')}]${maxLines === 2 ? ' (a kill interrupted a delivery)' : ''}`,
      );
    if (!paidAtGateway && lines.length > 0) v(`I4 ${tag}: not paid at the gateway, fulfilled ${lines.length} time(s)`);
    if (paidAtGateway && lines.length > 0) {
      const late = (d!.history ?? []).some((h) => h.to === 'paid_after_close');
      const kinds = new Set(lines.map((l) => l.kind));
      if (late && kinds.has('paid')) v(`I4 ${tag}: a late payment (closed → paid_after_close) ran onPaid`);
      if (!late && kinds.has('late_paid')) v(`I4 ${tag}: onLatePayment ran for an order that was never closed`);
    }
    if (w.interrupted.has(mo.id) && lines.length === 2)
      r.stats.bump(r.stats.notes, 'hook ran twice after a SIGKILL mid-delivery (at-least-once)');
    // onRefunded once per succeeded refund.
    for (const l of ledgerRefunds.filter((x: any) => x.status === 'succeeded')) {
      const n = fulfil.filter((x) => x.kind === 'refunded' && x.ret === l.out_return_no).length;
      count('I4 refund hook');
      if (n < 1 || n > maxLines) v(`I4 ${tag}: onRefunded ran ${n} time(s) for succeeded refund ${l.out_return_no}`);
    }
  }

  // I3 (wire side): no new out_return_no sent while earlier refunds of the order that the merchant
  // could not know as failed already covered the total.
  const failAckAt = new Map<string, number>();
  for (const d of w.deliveries)
    if (d.acked && d.status === 'REFUND_FAIL' && d.out_return_no && d.out_trade_no.startsWith(m.runId))
      failAckAt.set(d.out_return_no, Math.min(failAckAt.get(d.out_return_no) ?? Infinity, d.realAt));
  const sends = w.refundSends.filter((s) => s.out_trade_no.startsWith(m.runId));
  for (const mo of m.orders) {
    const mine = sends.filter((s) => s.out_trade_no === mo.id).sort((a, b) => a.seq - b.seq);
    const firstAmount = new Map<string, number>();
    for (const s of mine) {
      if (firstAmount.has(s.out_return_no)) continue;
      count('I3 refund send');
      let open = 0;
      for (const [id, amt] of firstAmount) {
        const before = mine.filter((x) => x.out_return_no === id && x.seq < s.seq);
        const refused = before.some((x) => DEFINITIVE.test(x.answer) && (x.answeredAt ?? Infinity) < s.realAt);
        const failAcked = (failAckAt.get(id) ?? Infinity) < s.realAt;
        if (!refused && !failAcked) open += amt;
      }
      const amt = minor(s.amount);
      if (open + amt > mo.amountMinor) {
        v(
          `I3 ${mo.id}: refund ${s.out_return_no} (${s.amount}) sent while ${open} of ${mo.amountMinor} was already committed by unresolved refunds [${[...firstAmount.keys()].join(', ')}]`,
        );
      }
      firstAmount.set(s.out_return_no, amt);
    }
  }
  return { expected, dumps };
}

/** Inject the sequence's discrepancies, move to the next day, reconcile the sequence's day (I5). */
export async function reconcileDay(m: Model, r: Real, expected: Set<string>, dumps: LedgerDump[]): Promise<void> {
  const w = r.w;
  const day = w.beijingDay();
  if (m.discrepancies.includes('foreign_payment')) {
    const id = `${m.runId}X`;
    const url = w.client.paymentUrl({
      out_trade_no: id,
      subject: 'Not in the ledger',
      currency: 'USD',
      total_fee: '5.00',
    });
    const out = await w.sandbox.control.simulatePayment(url);
    if (out.errorCode) r.log.notes.push(`foreign payment refused: ${out.errorCode}`);
    else expected.add(`P:${id}:missingInLedger`);
  }
  if (m.discrepancies.includes('ledger_amount')) {
    const paid = dumps.find((d) => d.order && PAID_STATES.includes(d.order.status));
    if (paid) {
      const changed = await w.ledgerSql(
        'UPDATE orders SET total_fee_minor = total_fee_minor + 7 WHERE out_trade_no = ?',
        [paid.id],
      );
      if (changed === 1) expected.add(`P:${paid.id}:amount`);
    }
  }
  await w.nextDay(1);
  // Faults are cleared by now; a transport error (the client's short timeout on a busy machine) is retried.
  let res = await w.inst.a.http('/reconcile', { startDate: day, endDate: day });
  for (let i = 0; i < 3 && res.status >= 500; i++) {
    r.stats.bump(r.stats.notes, `reconcile retried after ${res.status} ${res.json?.error?.code ?? ''}`);
    res = await w.inst[i % 2 ? 'a' : 'b'].http('/reconcile', { startDate: day, endDate: day });
  }
  r.stats.bump(r.stats.checks, 'I5 reconcile');
  if (res.status !== 200) {
    r.log.violations.push(`I5 reconcile of ${day} answered ${res.status} ${res.text.slice(0, 300)}`);
    return;
  }
  const got = discrepancyIds(res.json);
  r.dayReports.set(day, got);
  const missing = [...expected].filter((x) => !got.has(x));
  const extra = [...got].filter((x) => !expected.has(x));
  if (missing.length)
    r.log.violations.push(`I5 reconcile of ${day} does not show injected/known differences: ${missing.join(', ')}`);
  if (extra.length)
    r.log.violations.push(`I5 reconcile of ${day} reports differences the run did not cause: ${extra.join(', ')}`);
  if (expected.size === 0) r.stats.bump(r.stats.checks, 'I5 clean day');
  else r.stats.bump(r.stats.checks, 'I5 day with discrepancies');
}
