// The commands of the model-based suite. Each one: a deterministic precondition on the model
// (`check`), an action on the real world (`run`), and a `toString()` that reads as a line of a
// test script (fast-check prints the shrunk list with it).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { KEY_B } from '../helpers/world.js';
import { money, orderAt, type Discrepancy, type Model, type Real } from './model.js';
import { HOUR, type InstName } from './world.js';

type Cmd = fc.AsyncCommand<Model, Real, false>;

const MAX_ORDERS = 4;
/** Clock moved by commands per sequence at most (the sequence stays inside one Beijing day). */
const MAX_ADVANCE_MS = 3 * HOUR;

function other(n: InstName): InstName {
  return n === 'a' ? 'b' : 'a';
}

function violation(r: Real, text: string): void {
  r.log.violations.push(text);
}

// ───────────── orders and the buyer ─────────────

export class Checkout implements Cmd {
  constructor(
    readonly inst: InstName,
    readonly amount: string,
  ) {}
  check(m: Model) {
    return m.alive[this.inst] && m.orders.length < MAX_ORDERS;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const id = `${m.runId}o${m.orders.length}`;
    const res = await r.w.inst[this.inst].http('/checkout', { order: { id, amount: this.amount } }, false);
    if (res.status !== 200 || typeof res.json?.url !== 'string')
      throw new Error(`checkout on ${this.inst} answered ${res.status}: ${res.text.slice(0, 300)}`);
    m.orders.push({
      id,
      inst: this.inst,
      amountMinor: Math.round(Number(this.amount) * 100),
      url: res.json.url,
      refunds: [],
    });
  }
  toString() {
    return `checkout(${this.inst}, ${this.amount})`;
  }
}

export type BuyerAction = 'pay' | 'cancel' | 'login' | 'timeout';
export class Buyer implements Cmd {
  constructor(
    readonly idx: number,
    readonly action: BuyerAction,
  ) {}
  check(m: Model) {
    return m.orders.length > 0;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const o = orderAt(m, this.idx)!;
    const out = await r.w.sandbox.control.simulatePayment(o.url, { action: this.action });
    r.stats.bump(r.stats.answers, `buyer ${this.action} → ${out.errorCode ?? 'ok'}`);
  }
  toString() {
    return `buyer(#${this.idx}, ${this.action})`;
  }
}

export class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check(m: Model) {
    return m.advancedMs + this.ms <= MAX_ADVANCE_MS;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    m.advancedMs += this.ms;
    await r.w.advance(this.ms);
  }
  toString() {
    return `advanceClock(${this.ms >= 60_000 ? `${this.ms / 60_000} min` : `${this.ms / 1000} s`})`;
  }
}

/**
 * Run one instance's clock ahead of the gateway's (NTP drift): its sweeper then gives up links
 * the gateway still honours, so a buyer can pay an order the ledger has closed (late payment).
 */
export class Skew implements Cmd {
  constructor(
    readonly inst: InstName,
    readonly ms: number,
  ) {}
  check(m: Model) {
    return m.alive[this.inst] && (m.skew[this.inst] ?? 0) !== this.ms;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    m.skew = { ...m.skew, [this.inst]: this.ms };
    r.w.skew[this.inst] = this.ms;
    await r.w.syncClocks();
  }
  toString() {
    return `clockSkew(${this.inst}, ${this.ms === 0 ? 'none' : `+${this.ms / 60_000} min`})`;
  }
}

// ───────────── notifications ─────────────

export type NotifyOp =
  | 'hold'
  | 'release'
  | 'flush'
  | 'partition'
  | 'heal'
  | 'route-a'
  | 'route-b'
  | 'route-alt'
  | 'duplicate'
  | 'unduplicate';
export class Notifications implements Cmd {
  constructor(readonly op: NotifyOp) {}
  check(m: Model) {
    const all = m.faults['*'] ?? {};
    switch (this.op) {
      case 'hold':
        return !all.outOfOrderNotifications;
      case 'release':
        return !!all.outOfOrderNotifications;
      case 'duplicate':
        return !all.duplicateNotifications;
      case 'unduplicate':
        return !!all.duplicateNotifications;
      case 'partition':
        return !m.partition;
      case 'heal':
        return m.partition;
      default:
        return true;
    }
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const w = r.w;
    const all = { ...(m.faults['*'] ?? {}) };
    switch (this.op) {
      case 'hold':
        all.outOfOrderNotifications = true;
        break;
      case 'release':
        delete all.outOfOrderNotifications;
        break;
      case 'duplicate':
        all.duplicateNotifications = 1;
        break;
      case 'unduplicate':
        delete all.duplicateNotifications;
        break;
      case 'partition':
        m.partition = w.partition = true;
        return;
      case 'heal':
        m.partition = w.partition = false;
        return;
      case 'flush':
        await w.sandbox.control.flushNotifications();
        return;
      default:
        w.route = this.op === 'route-a' ? 'a' : this.op === 'route-b' ? 'b' : 'alt';
        return;
    }
    m.faults = { ...m.faults, '*': all };
    w.applyFaults(m.faults);
    if (this.op === 'release') await w.sandbox.control.flushNotifications();
  }
  toString() {
    return `notifications(${this.op})`;
  }
}

// ───────────── refunds ─────────────

export type RefundKind = 'full' | 'half' | 'cent' | 'repeat' | 'over';

/** The refund a kind asks for on an order: its id and amount (a `repeat` reuses the last id and amount). */
function plan(
  m: Model,
  idx: number,
  kind: RefundKind,
): { outTradeNo: string; outReturnNo: string; amountMinor: number; total: number } {
  const o = orderAt(m, idx)!;
  const last = o.refunds.at(-1);
  if (kind === 'repeat' && last)
    return { outTradeNo: o.id, outReturnNo: last.id, amountMinor: last.amountMinor, total: o.amountMinor };
  const amountMinor =
    kind === 'full'
      ? o.amountMinor
      : kind === 'cent'
        ? 1
        : kind === 'over'
          ? o.amountMinor + 100
          : Math.max(1, Math.floor(o.amountMinor / 2));
  const outReturnNo = `${o.id}r${++m.refundSeq}`;
  o.refunds.push({ id: outReturnNo, amountMinor });
  return { outTradeNo: o.id, outReturnNo, amountMinor, total: o.amountMinor };
}

async function postRefund(
  r: Real,
  inst: InstName,
  p: ReturnType<typeof plan>,
  label: string,
): Promise<{ status: number; body: any } | { error: string }> {
  try {
    const res = await r.w.inst[inst].http('/refunds', {
      outTradeNo: p.outTradeNo,
      amount: money(p.amountMinor),
      outReturnNo: p.outReturnNo,
      reason: 'invariant suite',
    });
    const what = res.json?.status ?? res.json?.error?.code ?? res.text.slice(0, 40);
    r.stats.bump(r.stats.answers, `refund ${res.status} ${what}`);
    const okStatuses = ['requested', 'accepted', 'possibly_done', 'succeeded', 'failed'];
    if (res.status === 202 && !okStatuses.includes(res.json?.status))
      violation(r, `${label}: 202 with unknown status ${JSON.stringify(res.json)}`);
    if (res.status >= 500) r.log.notes.push(`${label}: POST /refunds answered ${res.status} ${res.text.slice(0, 200)}`);
    return { status: res.status, body: res.json };
  } catch (e) {
    r.stats.bump(r.stats.answers, `refund transport-error`);
    return { error: (e as Error).message };
  }
}

export class Refund implements Cmd {
  constructor(
    readonly idx: number,
    readonly inst: InstName,
    readonly kind: RefundKind,
    readonly asyncFail: boolean,
  ) {}
  check(m: Model) {
    return m.orders.length > 0 && m.alive[this.inst];
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const before = orderAt(m, this.idx)!.refunds.length;
    const p = plan(m, this.idx, this.kind);
    // Only for a new out_return_no: setRefundOutcome rewrites an existing refund at the gateway
    // even after its notification was delivered (a retroactive "un-refund" no gateway does).
    const fresh = orderAt(m, this.idx)!.refunds.length > before;
    if (this.asyncFail && fresh) r.w.sandbox.control.setRefundOutcome(p.outReturnNo, 'REFUND_FAIL', 'SYSTEM_EXCEPTION');
    const a = await postRefund(r, this.inst, p, this.toString());
    if (this.kind === 'over' && 'status' in a && a.status === 202 && a.body?.status !== 'failed')
      violation(
        r,
        `I3 ${this} ${p.outReturnNo}: a refund above the order total was accepted (${JSON.stringify(a.body)})`,
      );
  }
  toString() {
    return `refund(#${this.idx}, ${this.kind}${this.asyncFail ? ', gateway will fail it' : ''}) on ${this.inst}`;
  }
}

export class ConcurrentRefunds implements Cmd {
  constructor(
    readonly idx: number,
    readonly kindA: RefundKind,
    readonly kindB: RefundKind,
    readonly sameId: boolean,
  ) {}
  check(m: Model) {
    return m.orders.length > 0 && m.alive.a && m.alive.b;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const pa = plan(m, this.idx, this.kindA);
    const pb = this.sameId ? pa : plan(m, this.idx, this.kindB);
    await Promise.all([postRefund(r, 'a', pa, this.toString()), postRefund(r, 'b', pb, this.toString())]);
  }
  toString() {
    return this.sameId
      ? `concurrentRefunds(#${this.idx}, ${this.kindA}, same out_return_no on a and b)`
      : `concurrentRefunds(#${this.idx}, ${this.kindA} on a ‖ ${this.kindB} on b)`;
  }
}

// ───────────── faults ─────────────

export type FaultName =
  | 'http5xx'
  | 'timeout'
  | 'truncateXml'
  | 'latencyMs'
  | 'refundSystemError+applied'
  | 'refundSystemError-notApplied'
  | 'cutFileStream';
export const FAULT_SCOPES = ['*', 'forex_refund', 'single_trade_query', 'notify_verify', 'forex_compare_file'] as const;

function faultFields(name: FaultName): Record<string, unknown> {
  switch (name) {
    case 'latencyMs':
      return { latencyMs: 40 };
    case 'refundSystemError+applied':
      return { refundSystemError: 1, refundSystemErrorApplied: true };
    case 'refundSystemError-notApplied':
      return { refundSystemError: 1, refundSystemErrorApplied: false };
    case 'cutFileStream':
      return { cutFileStream: 1 };
    default:
      return { [name]: 1 };
  }
}
function faultKey(name: FaultName): string {
  return name.startsWith('refundSystemError') ? 'refundSystemError' : name;
}

export class Fault implements Cmd {
  constructor(
    readonly scope: (typeof FAULT_SCOPES)[number],
    readonly name: FaultName,
    readonly on: boolean,
  ) {}
  check(m: Model) {
    const set = (m.faults[this.scope] ?? {})[faultKey(this.name)] !== undefined;
    return this.on ? !set : set;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const cur: Record<string, unknown> = { ...(m.faults[this.scope] ?? {}) };
    if (this.on) {
      Object.assign(cur, faultFields(this.name));
      r.stats.bump(r.stats.faults, `${this.name}@${this.scope}`);
    } else for (const k of Object.keys(faultFields(this.name))) delete cur[k];
    m.faults = { ...m.faults, [this.scope]: cur };
    r.w.applyFaults(m.faults);
  }
  toString() {
    return `${this.on ? 'inject' : 'clear'}(${this.name}${this.scope === '*' ? '' : ` on ${this.scope}`})`;
  }
}

// ───────────── crashes ─────────────

export class Kill implements Cmd {
  constructor(
    readonly inst: InstName,
    readonly restart: boolean,
  ) {}
  check(m: Model) {
    return m.alive[this.inst] && (this.restart || m.alive[other(this.inst)]);
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const w = r.w;
    await w.quiesce(this.inst);
    for (const id of w.inst[this.inst].inflight.values()) w.interrupted.add(id);
    await w.inst[this.inst].kill();
    r.stats.kills++;
    m.alive[this.inst] = this.restart;
    if (this.restart) {
      await w.inst[this.inst].start();
      await w.syncClocks();
    }
  }
  toString() {
    return `SIGKILL(${this.inst})${this.restart ? ' + restart' : ', left down'}`;
  }
}

export class Restart implements Cmd {
  constructor(readonly inst: InstName) {}
  check(m: Model) {
    return !m.alive[this.inst];
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    await r.w.inst[this.inst].start();
    await r.w.syncClocks();
    m.alive[this.inst] = true;
  }
  toString() {
    return `restart(${this.inst})`;
  }
}

/**
 * SIGKILL the instance that receives the next notification delivery, `delayMs` after it is sent,
 * and restart it. With `payIdx`, the buyer first pays that order, so the delivery that is cut is
 * its payment notification (a kill while the hook may be running).
 */
export class KillMidDelivery implements Cmd {
  constructor(
    readonly delayMs: number,
    readonly payIdx?: number,
  ) {}
  check(m: Model) {
    return (
      m.alive.a &&
      m.alive.b &&
      !m.partition &&
      m.advancedMs + 3000 <= MAX_ADVANCE_MS &&
      (this.payIdx === undefined || m.orders.length > 0)
    );
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const w = r.w;
    w.killOnDelivery = { inst: 'any', delayMs: this.delayMs, fired: false };
    m.advancedMs += 3000;
    if (this.payIdx !== undefined) {
      const out = await w.sandbox.control.simulatePayment(orderAt(m, this.payIdx)!.url, { action: 'pay' });
      r.stats.bump(r.stats.answers, `killMidDelivery pay → ${out.errorCode ?? 'ok'}`);
    }
    await w.sandbox.control.flushNotifications();
    await w.advance(3000); // past the first retry gap (2 min / timeScale)
    const k = w.killOnDelivery;
    w.killOnDelivery = undefined;
    if (k.fired && k.victim) {
      await new Promise((res) => setTimeout(res, this.delayMs + 5));
      await w.inst[k.victim].kill();
      r.stats.kills++;
      await w.inst[k.victim].start();
      await w.syncClocks();
    }
    r.stats.bump(r.stats.answers, `killMidDelivery ${k.fired ? 'fired' : 'nothing to deliver'}`);
  }
  toString() {
    return `${this.payIdx === undefined ? '' : `buyer(#${this.payIdx}, pay) + `}SIGKILL(receiver of the next notification, ${this.delayMs} ms after sending) + restart`;
  }
}

/** POST /refunds on `inst` and SIGKILL it the moment the gateway receives the forex_refund; restart it. */
export class KillMidRefund implements Cmd {
  constructor(
    readonly idx: number,
    readonly inst: InstName,
    readonly kind: RefundKind,
  ) {}
  check(m: Model) {
    return m.orders.length > 0 && m.alive[this.inst];
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const w = r.w;
    const p = plan(m, this.idx, this.kind);
    w.killOnRefund = { inst: this.inst, fired: false };
    const victim = w.inst[this.inst];
    const answer = await postRefund(r, this.inst, p, this.toString());
    const fired = w.killOnRefund.fired;
    w.killOnRefund = undefined;
    if (fired) {
      for (const id of victim.inflight.values()) w.interrupted.add(id);
      await victim.kill();
      r.stats.kills++;
      await victim.start();
      await w.syncClocks();
    }
    r.stats.bump(
      r.stats.answers,
      `killMidRefund ${fired ? 'fired' : 'no gateway call'} ${'status' in answer ? answer.status : 'error'}`,
    );
  }
  toString() {
    return `refund(#${this.idx}, ${this.kind}) on ${this.inst} + SIGKILL(${this.inst}) when the gateway receives it + restart`;
  }
}

// ───────────── sweeper, pending refunds, files ─────────────

export class Sweep implements Cmd {
  constructor(readonly inst: InstName) {}
  check(m: Model) {
    return m.alive[this.inst];
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const out = await r.w.inst[this.inst].request('sweep', {
      olderThanSeconds: 0,
      minIntervalSeconds: 0,
      ids: m.orders.map((o) => o.id),
    });
    if (!out.supported) r.stats.bump(r.stats.notes, 'syncPendingOrders missing: fell back to syncOrder per order');
  }
  toString() {
    return `syncPendingOrders() on ${this.inst}`;
  }
}

export class ResolveRefunds implements Cmd {
  constructor(readonly inst: InstName) {}
  check(m: Model) {
    return m.alive[this.inst];
  }
  async run(_m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const out = await r.w.inst[this.inst].request('resolve', { olderThanSeconds: 0 });
    if (!out.supported) r.stats.bump(r.stats.notes, 'resolvePendingRefunds missing');
  }
  toString() {
    return `resolvePendingRefunds() on ${this.inst}`;
  }
}

/** Download and reconcile a finished earlier day mid-run: an error, or the report that day ended with (nothing new). */
export class DownloadFiles implements Cmd {
  constructor(readonly inst: InstName) {}
  check(m: Model) {
    return m.alive[this.inst] && m.prevDay !== undefined;
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    const day = m.prevDay!;
    const res = await r.w.inst[this.inst].http('/reconcile', { startDate: day, endDate: day });
    r.stats.bump(
      r.stats.answers,
      `reconcile(prev day) ${res.status}${res.status >= 400 ? ' ' + (res.json?.error?.code ?? '') : ''}`,
    );
    if (res.status !== 200) return;
    const known = r.dayReports.get(day);
    if (!known) return;
    const now = discrepancyIds(res.json);
    const fresh = [...now].filter((id) => !known.has(id));
    if (fresh.length > 0)
      violation(
        r,
        `I5 ${this}: reconcile of the finished day ${day} reports new differences ${fresh.join(', ')} (faults: ${JSON.stringify(m.faults)}); the day ended with [${[...known].join(', ')}]`,
      );
  }
  toString() {
    return `reconcile(previous day) on ${this.inst}`;
  }
}

/** Every id a reconcile report lists as a difference. */
export function discrepancyIds(report: any): Set<string> {
  const ids = new Set<string>();
  for (const x of report?.mismatches ?? []) ids.add(`${x.type}:${x.partner_transaction_id}:${x.field}`);
  for (const x of report?.missingInLedger ?? []) ids.add(`P:${x.partner_transaction_id}:missingInLedger`);
  for (const x of report?.missingInFile ?? []) ids.add(`P:${x.out_trade_no}:missingInFile`);
  for (const x of report?.refunds?.missingInLedger ?? []) ids.add(`R:${x.partner_transaction_id}:missingInLedger`);
  for (const x of report?.refunds?.missingInFile ?? []) ids.add(`R:${x.out_return_no}:missingInFile`);
  for (const x of report?.refunds?.resolved ?? []) ids.add(`R:${x}:resolved`);
  for (const x of report?.latePayments ?? []) ids.add(`P:${x.out_trade_no}:late`);
  return ids;
}

// ───────────── forged notifications, discrepancies ─────────────

function md5Sign(params: Record<string, string>, key: string): string {
  const pre = Object.keys(params)
    .filter((k) => k.toLowerCase() !== 'sign' && k.toLowerCase() !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5')
    .update(pre + key, 'utf8')
    .digest('hex');
}

export type ForgeKind = 'bad-sign' | 'other-key' | 'replay-tampered' | 'garbage';

/** A forged notification body (~2 KB, so that storing it would show). */
export function forgedBody(kind: ForgeKind, m: Model, recent: string[], i: number): string {
  const pad = 'x'.repeat(1500);
  const o = m.orders.length ? m.orders[i % m.orders.length] : undefined;
  const fields: Record<string, string> = {
    notify_id: `forged${Date.now()}${i}`.padEnd(34, '0').slice(0, 34),
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-25 12:00:00',
    out_trade_no: o?.id ?? `${m.runId}ghost`,
    trade_no: '2026112522001300000000000001',
    total_fee: o ? money(o.amountMinor) : '10.00',
    currency: 'USD',
    trade_status: 'TRADE_FINISHED',
    body: pad,
  };
  switch (kind) {
    case 'garbage':
      return `%%%${pad}&&=${i}&sign=zz`;
    case 'bad-sign':
      return new URLSearchParams({ ...fields, sign: 'f'.repeat(32), sign_type: 'MD5' }).toString();
    case 'other-key':
      return new URLSearchParams({ ...fields, sign: md5Sign(fields, KEY_B), sign_type: 'MD5' }).toString();
    case 'replay-tampered': {
      const base = recent.length
        ? new URLSearchParams(recent[i % recent.length])
        : new URLSearchParams({ ...fields, sign: 'a'.repeat(32), sign_type: 'MD5' });
      if (base.has('total_fee')) base.set('total_fee', '0.01');
      if (base.has('return_amount')) base.set('return_amount', '9999.00');
      if (base.has('refund_status')) base.set('refund_status', 'REFUND_SUCCESS');
      else base.set('trade_status', 'TRADE_FINISHED');
      base.set('body', pad);
      return base.toString();
    }
  }
}

export class Forge implements Cmd {
  constructor(
    readonly inst: InstName,
    readonly kind: ForgeKind,
    readonly n: number,
  ) {}
  check(m: Model) {
    return m.alive[this.inst];
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    for (let i = 0; i < this.n; i++) {
      const res = await r.w.inst[this.inst].postNotify(forgedBody(this.kind, m, r.w.recentBodies, i));
      r.log.forged++;
      r.stats.forged++;
      if (res.text !== 'fail')
        violation(
          r,
          `I6 ${this}: a forged notification (${this.kind}) was answered ${res.status} ${JSON.stringify(res.text.slice(0, 40))}`,
        );
    }
  }
  toString() {
    return `forgeNotifications(${this.n} × ${this.kind}) to ${this.inst}`;
  }
}

export class InjectDiscrepancy implements Cmd {
  constructor(readonly kind: Discrepancy) {}
  check(m: Model) {
    return !m.discrepancies.includes(this.kind);
  }
  async run(m: Model, r: Real) {
    r.stats.bump(r.stats.commands, this.constructor.name);
    m.discrepancies.push(this.kind);
  }
  toString() {
    return this.kind === 'foreign_payment'
      ? 'discrepancy(a payment the ledger never saw, at the end)'
      : 'discrepancy(ledger amount of a paid order changed, at the end)';
  }
}

// ───────────── arbitraries ─────────────

const inst = fc.constantFrom<InstName>('a', 'b');
const idx = fc.nat({ max: 7 });
const refundKind = fc.constantFrom<RefundKind>('full', 'half', 'cent', 'repeat', 'over', 'half');

/**
 * The command arbitraries, weighted by repetition. `crashes`: how many of the entries are SIGKILL
 * commands (each restart costs a process start, the dearest thing here; `npm test` uses 1, soak 3).
 */
export function commandArbitraries(crashes = 3): Array<fc.Arbitrary<Cmd>> {
  const checkout = fc.tuple(inst, fc.constantFrom('1.00', '10.00', '33.33')).map(([i, a]) => new Checkout(i, a) as Cmd);
  const buyer = fc
    .tuple(idx, fc.constantFrom<BuyerAction>('pay', 'pay', 'pay', 'cancel', 'login', 'timeout'))
    .map(([i, a]) => new Buyer(i, a) as Cmd);
  const advance = fc
    .constantFrom(1000, 20_000, 3 * 60_000, 7 * 60_000, 11 * 60_000, 13 * 60_000)
    .map((ms) => new Advance(ms) as Cmd);
  const skew = fc.tuple(inst, fc.constantFrom(0, 5 * 60_000)).map(([i, ms]) => new Skew(i, ms) as Cmd);
  const notify = fc
    .constantFrom<NotifyOp>(
      'hold',
      'release',
      'flush',
      'partition',
      'heal',
      'route-a',
      'route-b',
      'route-alt',
      'duplicate',
      'unduplicate',
    )
    .map((op) => new Notifications(op) as Cmd);
  const refund = fc
    .tuple(idx, inst, refundKind, fc.boolean())
    .map(([i, n, k, f]) => new Refund(i, n, k, f && k !== 'over' && k !== 'repeat') as Cmd);
  const concurrent = fc
    .tuple(idx, refundKind, refundKind, fc.boolean())
    .map(([i, a, b, same]) => new ConcurrentRefunds(i, a, b, same) as Cmd);
  const fault = fc
    .tuple(
      fc.constantFrom<FaultName>(
        'http5xx',
        'timeout',
        'truncateXml',
        'latencyMs',
        'refundSystemError+applied',
        'refundSystemError-notApplied',
        'cutFileStream',
      ),
      fc.constantFrom(...FAULT_SCOPES),
      fc.boolean(),
    )
    .map(([name, scope, on]) => {
      // Faults that only mean something for one service are set on it.
      const s = name.startsWith('refundSystemError')
        ? 'forex_refund'
        : name === 'cutFileStream'
          ? 'forex_compare_file'
          : scope;
      return new Fault(s, name, on) as Cmd;
    });
  const kill = fc.tuple(inst, fc.boolean()).map(([i, restart]) => new Kill(i, restart) as Cmd);
  const restart = inst.map((i) => new Restart(i) as Cmd);
  const killDelivery = fc
    .tuple(fc.constantFrom(0, 3, 10, 30), fc.option(idx, { nil: undefined }))
    .map(([d, pay]) => new KillMidDelivery(d, pay) as Cmd);
  const killRefund = fc.tuple(idx, inst, refundKind).map(([i, n, k]) => new KillMidRefund(i, n, k) as Cmd);
  const sweep = inst.map((i) => new Sweep(i) as Cmd);
  const resolve = inst.map((i) => new ResolveRefunds(i) as Cmd);
  const files = inst.map((i) => new DownloadFiles(i) as Cmd);
  const forge = fc
    .tuple(
      inst,
      fc.constantFrom<ForgeKind>('bad-sign', 'other-key', 'replay-tampered', 'garbage'),
      fc.constantFrom(1, 4),
    )
    .map(([i, k, n]) => new Forge(i, k, n) as Cmd);
  const discrepancy = fc
    .constantFrom<Discrepancy>('foreign_payment', 'ledger_amount')
    .map((k) => new InjectDiscrepancy(k) as Cmd);
  return [
    checkout,
    checkout,
    checkout,
    checkout,
    buyer,
    buyer,
    buyer,
    buyer,
    advance,
    advance,
    skew,
    notify,
    notify,
    refund,
    refund,
    refund,
    refund,
    concurrent,
    concurrent,
    fault,
    fault,
    fault,
    ...(crashes >= 3
      ? [kill, killDelivery, killRefund]
      : Array.from({ length: crashes }, () => fc.oneof(kill, killDelivery, killRefund))),
    restart,
    sweep,
    resolve,
    files,
    forge,
    discrepancy,
  ];
}

/**
 * The opening of every sequence: one or two orders and what their buyers do, so that the random
 * commands after it have something to act on (most preconditions need an order).
 */
export function preludeArbitrary(): fc.Arbitrary<Cmd[]> {
  const order = fc.tuple(
    inst,
    fc.constantFrom('1.00', '10.00', '33.33'),
    fc.constantFrom<BuyerAction | 'nothing' | 'late'>('pay', 'pay', 'pay', 'login', 'nothing', 'late'),
  );
  return fc.array(order, { minLength: 1, maxLength: 2 }).map((xs) =>
    xs.flatMap(([i, amount, action], k): Cmd[] => {
      const open = new Checkout(i, amount);
      if (action === 'nothing') return [open];
      if (action === 'pay') return [open, new Buyer(k, 'pay'), new Notifications('flush')];
      // The other instance's clock runs 5 min ahead: its sweeper gives the link up while the
      // gateway still honours it, then the buyer pays — a late payment (paid_after_close).
      if (action === 'late')
        return [
          open,
          new Skew(other(i), 5 * 60_000),
          new Advance(7 * 60_000),
          new Sweep(other(i)),
          new Buyer(k, 'pay'),
          new Notifications('flush'),
        ];
      return [open, new Buyer(k, action)];
    }),
  );
}
