/**
 * The notification queue (protocol §4): first send at the status change, retries on the §4
 * schedule divided by `timeScale`, a new 34-char notify_id and notify_time per attempt (each
 * re-signed, in the originating request's charset and sign type), every attempt recorded.
 * State lives in SQLite, so pending retries resume after a restart.
 *
 * Timers follow the sandbox clock: a timer is armed for the earliest due send; `advance` walks
 * the clock from due time to due time so a single big jump still runs every send in order.
 *
 * @module
 */
import type { Charset } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import type { SandboxContext } from '../context.js';
import { newNotifyId } from '../lib/ids.js';
import { formatGmt8 } from '../lib/time.js';
import type { NotificationRow } from '../store/notifications.js';
import type { NotificationInput, Notifier } from './queue-types.js';
import { postNotification } from './deliver.js';
import { MAX_SENDS, nextGap } from './schedule.js';

export type { NotificationInput, Notifier } from './queue-types.js';

/** Sandbox-clock ms a held (out-of-order) notification waits before going out on its own. */
const HOLD_MS = 5_000;

/** Create the notifier. `ctx.notifier` must be set to the result by the caller. */
export function createNotifier(ctx: Omit<SandboxContext, 'notifier'>): Notifier {
  const store = ctx.notifications;
  const inflight = new Map<number, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let kick: NodeJS.Immediate | undefined;
  let stopped = false;

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    const t = store.nextDueAt();
    if (t === null) return;
    const delay = Math.min(Math.max(t - ctx.clock.now(), 0), 2 ** 31 - 1);
    timer = setTimeout(() => void runDue(false), delay);
    timer.unref();
  }

  async function settleInflight(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight.values()]);
  }

  async function runDue(includeHeld: boolean): Promise<void> {
    if (stopped) return;
    const due = store.due(ctx.clock.now(), includeHeld).filter((n) => !inflight.has(n.id));
    const held = due.filter((n) => n.held === 1).sort((a, b) => b.id - a.id); // newest first
    const normal = due.filter((n) => n.held === 0);
    for (const n of normal) track(n.id, sendOnce(n));
    if (held.length > 0) {
      let chain = Promise.resolve();
      for (const n of held) {
        chain = chain.then(() => sendOnce(n));
        track(n.id, chain);
      }
    }
    await Promise.allSettled([...inflight.values()]);
    arm();
  }

  function track(id: number, p: Promise<void>): void {
    const tracked = p
      .catch((err) => ctx.log(`notification ${id}: internal error ${(err as Error).message}`))
      .finally(() => inflight.delete(id));
    inflight.set(id, tracked);
  }

  async function sendOnce(n: NotificationRow): Promise<void> {
    const fresh = store.get(n.id);
    if (!fresh || fresh.state !== 'pending') return;
    const merchant = ctx.merchants.get(fresh.partner);
    const sendNo = fresh.sends + 1;
    const at = ctx.clock.now();
    if (!merchant) {
      store.afterSend(fresh.id, fresh.sends, 'failed', null);
      return;
    }
    const charset = fresh.charset as Charset;
    const notifyId = newNotifyId();
    store.issueNotifyId(notifyId, fresh.partner, at);
    const business = JSON.parse(fresh.fields) as Array<[string, string]>;
    const pairs: Array<[string, string]> = [
      ['notify_id', notifyId],
      ['notify_type', fresh.notify_type],
      ['notify_time', formatGmt8(at)],
      ...business,
    ];
    const obj = Object.fromEntries(pairs);
    const sign = ctx.signer.sign(obj, fresh.sign_type as never, charset, merchant.config);
    const ordered: Record<string, string> = {};
    for (const [k, v] of pairs) ordered[k] = v;
    ordered.sign = sign;
    ordered.sign_type = fresh.sign_type;
    const body = encodeForm(ordered, charset, { unencodable: 'replace' });
    const faults = ctx.faults.resolve(fresh.partner, fresh.notify_type);
    const outcome = await postNotification(
      ctx.fetch,
      fresh.notify_url,
      body,
      charset,
      ctx.notifyTimeoutMs,
      ctx.lenientAcknowledgement,
    );
    store.insertAttempt({
      notification_id: fresh.id,
      n: sendNo,
      duplicate: 0,
      at,
      notify_id: notifyId,
      status: outcome.status,
      body: outcome.body,
      error: outcome.error,
      acknowledged: outcome.acknowledged ? 1 : 0,
    });
    let acked = outcome.acknowledged;
    for (let i = 0; i < Math.floor(faults.duplicateNotifications ?? 0); i++) {
      const copy = await postNotification(
        ctx.fetch,
        fresh.notify_url,
        body,
        charset,
        ctx.notifyTimeoutMs,
        ctx.lenientAcknowledgement,
      );
      store.insertAttempt({
        notification_id: fresh.id,
        n: sendNo,
        duplicate: 1,
        at,
        notify_id: notifyId,
        status: copy.status,
        body: copy.body,
        error: copy.error,
        acknowledged: copy.acknowledged ? 1 : 0,
      });
      acked ||= copy.acknowledged;
    }
    const gap = nextGap(sendNo, ctx.timeScale);
    if (acked) store.afterSend(fresh.id, sendNo, 'acknowledged', null);
    else if (sendNo >= MAX_SENDS || gap === undefined) store.afterSend(fresh.id, sendNo, 'failed', null);
    else store.afterSend(fresh.id, sendNo, 'pending', at + gap);
    ctx.log(
      `notify ${fresh.notify_type} ${fresh.out_return_no ?? fresh.out_trade_no} send ${sendNo}/${MAX_SENDS} → ${outcome.status ?? outcome.error}${acked ? ' (acknowledged)' : ''}`,
    );
  }

  return {
    enqueue(input) {
      const now = ctx.clock.now();
      const hold = !!ctx.faults.resolve(input.partner, input.notify_type).outOfOrderNotifications;
      const id = store.insert({
        partner: input.partner,
        notify_type: input.notify_type,
        out_trade_no: input.out_trade_no,
        out_return_no: input.out_return_no,
        notify_url: input.notify_url,
        charset: input.charset,
        sign_type: input.sign_type,
        fields: JSON.stringify(input.fields),
        state: 'pending',
        sends: 0,
        next_at: hold ? now + HOLD_MS : now,
        held: hold ? 1 : 0,
        created_at: now,
      });
      if (!hold && !stopped && !kick) {
        kick = setImmediate(() => {
          kick = undefined;
          void runDue(false);
        });
      } else arm();
      return id;
    },
    async flush() {
      await settleInflight();
      await runDue(true);
      await settleInflight();
    },
    async advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('ms must be a non-negative finite number');
      const target = ctx.clock.now() + ms;
      for (let guard = 0; guard < 100_000; guard++) {
        await settleInflight();
        const next = store.nextDueAt();
        if (next === null || next > target) break;
        const now = ctx.clock.now();
        if (next > now) ctx.clock.advance(next - now);
        await runDue(false);
      }
      const rest = target - ctx.clock.now();
      if (rest > 0) ctx.clock.advance(rest);
      await settleInflight();
      arm();
    },
    start: arm,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (kick) clearImmediate(kick);
      await settleInflight();
    },
  };
}
