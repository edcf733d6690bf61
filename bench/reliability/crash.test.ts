// SIGKILL mid-storm (issue 8): the merchant server runs in its own process with a SQLite ledger
// file; it is killed with SIGKILL while the sandbox's notifications (payments, then refunds) are
// in flight, restarted on the same file, and the sandbox keeps retrying on the §4 schedule
// (advanceClock). Every trade must end in its final state and the ledger must be consistent.
//
// The kill point is deterministic: the merchant kills itself (fixtures/merchant.mjs,
// CRASH_AT_NOTIFICATION / CRASH_IN) at the Nth arrival at a chosen point, never on a timer:
// - payment storm: inside the ledger transaction of the Nth payment notification (`commit`), so
//   at most N-1 payments can have been answered `success` and at least T-N+1 are cut off;
// - refund storm: inside the Nth refund hook, after its effect (`hook`), so at most N-1 refund
//   notifications can have been answered, and exactly that one hook runs a second time.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '@alipay-kit/sandbox';
// @ts-expect-error plain ESM helper without types
import { startChild } from '../lib/child.mjs';
import { CRASH_TRADES } from './helpers/env.js';
import { SecretWatch } from './helpers/secrets.js';
import { KEY_A, PARTNER_A, T0, pool } from './helpers/world.js';

const MERCHANT = fileURLToPath(new URL('./fixtures/merchant.mjs', import.meta.url));
const NOTIFY_URL = 'http://merchant.test/alipay/notify'; // resolved to the live process's port below
const watch = new SecretWatch();
watch.secret(KEY_A);

/** Where the merchant kills itself: the `at`-th arrival at `in` (see fixtures/merchant.mjs). */
interface CrashPoint {
  in: 'commit' | 'hook';
  at: number;
}
/** A line of the merchant's CRASH_LOG, written just before it killed itself. */
interface Crash extends CrashPoint {
  kind: 'payment' | 'paid' | 'refunded';
  out_trade_no: string;
  out_return_no: string | null;
}

interface Child {
  info: { port: number };
  child: import('node:child_process').ChildProcess;
  request(m: { type: string; [k: string]: unknown }): Promise<unknown>;
  stop(signal?: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

describe(`merchant process killed with SIGKILL mid-storm (${CRASH_TRADES} trades, payments then refunds)`, () => {
  let sandbox: Sandbox;
  let gwServer: Server;
  let gateway = '';
  let dir = '';
  let merchant: Child | undefined;
  let gate: Promise<void> | undefined;
  let openGate: () => void = () => {};
  const trades: string[] = [];

  const crashLog = (): Crash[] => {
    const file = join(dir, 'crash.log');
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Crash)
      : [];
  };
  /** Start the merchant on the ledger file; with `crash`, armed to SIGKILL itself there. */
  const start = async (crash?: CrashPoint): Promise<Child> => {
    const c = (await startChild(MERCHANT, {
      env: {
        LEDGER_FILE: join(dir, 'ledger.db'),
        FULFIL_LOG: join(dir, 'fulfil.log'),
        GATEWAY: gateway,
        PARTNER: PARTNER_A,
        MD5_KEY: KEY_A,
        NOTIFY_URL,
        RETURN_URL: 'http://merchant.test/alipay/return',
        CLOCK_OFFSET_MS: String(sandbox.control.now() - Date.now()),
        CRASH_AT_NOTIFICATION: crash ? String(crash.at) : '',
        CRASH_IN: crash?.in ?? '',
        CRASH_LOG: join(dir, 'crash.log'),
      },
    })) as Child;
    c.child.on('message', (m: { type?: string; line?: string }) => {
      if (m?.type === 'log') watch.line(`merchant ${m.line}`);
    });
    c.child.on('error', () => {}); // an IPC send racing its SIGKILL; `exited` reports the death
    return c;
  };
  const closeGate = () => {
    gate = new Promise((r) => (openGate = r));
  };
  /** Move the sandbox clock; the merchant's clock is set to the target first. */
  const advance = async (ms: number) => {
    await merchant!.request({ type: 'clock', offset: sandbox.control.now() + ms - Date.now() });
    await sandbox.control.advanceClock(ms);
  };
  const http = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${merchant!.info.port}/alipay${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin': 'ok' },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 400) watch.line(`http ${path} ${res.status} ${JSON.stringify(json)}`);
    return { status: res.status, json };
  };
  /** Move both clocks just past the earliest pending send, which the sandbox then makes (§4 schedule). False when nothing is pending. */
  const retryNext = async (): Promise<boolean> => {
    const next = Math.min(
      ...sandbox.control.notifications({ state: 'pending' }).map((n) => n.next_attempt_at ?? Infinity),
    );
    if (!Number.isFinite(next)) return false;
    await advance(Math.max(0, next - sandbox.control.now()) + 1000);
    return true;
  };
  /** Let the sandbox retry until nothing is pending (8 sends at most per notification, §4). */
  const retryUntilDone = async () => {
    for (let i = 0; i < 16 && (await retryNext()); i++);
  };
  /**
   * Restart the merchant armed with `point` (nothing is in flight: the storm is held at the gate),
   * open the gate and deliver until it has killed itself there, restart it unarmed and retry until
   * nothing is pending. Returns the crash it logged, the notifications its death left pending
   * (`cutOff`), and timings.
   */
  const stormWithCrash = async (point: CrashPoint) => {
    await merchant!.stop();
    merchant = await start(point);
    const armed = merchant;
    const before = crashLog().length;
    const died = (ms: number) => Promise.race([armed.exited.then(() => true), sleep(ms).then(() => false)]);
    const t0 = performance.now();
    openGate();
    gate = undefined;
    await sandbox.control.flushNotifications();
    // The kill does not depend on how fast the first sends are answered: a send that failed before
    // reaching the crash point (a timeout on a loaded machine) is retried on the §4 schedule
    // until the Nth arrival. Only a storm with fewer arrivals than N ends with nothing pending.
    let retryRounds = 0;
    for (; retryRounds < 8 && !(await died(1000)) && armed.child.connected; retryRounds++) {
      if (!(await retryNext().catch(() => true))) break; // a clock request to a process that just died fails: the loop sees it dead
    }
    const exit = await Promise.race([armed.exited, sleep(10_000).then(() => 'still running')]);
    expect(exit, `the merchant should have killed itself at arrival ${point.at} at its ${point.in} point`).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    const stormMs = performance.now() - t0;
    const crashes = crashLog().slice(before);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject(point);
    const cutOff = sandbox.control.notifications({ state: 'pending' }).length;
    const t1 = performance.now();
    merchant = await start();
    await retryUntilDone();
    const timing = `storm ${stormMs.toFixed(0)} ms${retryRounds ? ` (killed after ${retryRounds} retry round(s))` : ''}, restart + retries ${(performance.now() - t1).toFixed(0)} ms`;
    return { crash: crashes[0]!, cutOff, timing };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ak-crash-'));
    const kp = generateKeyPairSync('rsa', { modulusLength: 1024 });
    sandbox = createSandbox({
      merchants: [{ partner: PARTNER_A, md5Key: KEY_A }],
      now: () => T0,
      keyPair: {
        privateKey: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
      notifyTimeoutMs: 5000,
      logger: (line) => watch.line(`sandbox ${line}`),
      fetch: async (url, init) => {
        watch.signsIn(String(init?.body ?? ''));
        if (gate) await gate;
        const target = `http://127.0.0.1:${merchant!.info.port}${new URL(String(url)).pathname}`;
        const res = await fetch(target, init);
        return new Response(await res.text(), { status: res.status });
      },
    });
    gwServer = createServer(sandbox.app);
    await new Promise<void>((r) => gwServer.listen(0, '127.0.0.1', r));
    gateway = `http://127.0.0.1:${(gwServer.address() as AddressInfo).port}/gateway.do`;
    merchant = await start();
  });
  afterAll(async () => {
    await merchant?.stop();
    await sandbox?.close();
    gwServer?.closeAllConnections();
    await new Promise((r) => gwServer?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should end with every payment applied after a SIGKILL in the middle of the payment storm', async () => {
    closeGate();
    for (let i = 0; i < CRASH_TRADES; i++) {
      const c = await http('/checkout', {});
      expect(c.status).toBe(200);
      watch.signsIn(c.json.url.slice(c.json.url.indexOf('?') + 1));
      const sim = await sandbox.control.simulatePayment(c.json.url);
      expect(sim.errorCode).toBeUndefined();
      trades.push(c.json.outTradeNo);
    }
    expect(sandbox.control.notifications({ notify_type: 'trade_status_sync' })).toHaveLength(CRASH_TRADES);
    const at = Math.max(1, Math.floor(CRASH_TRADES / 3));
    const { crash, cutOff, timing } = await stormWithCrash({ in: 'commit', at });
    expect(crash.kind).toBe('payment');
    // The Nth payment's transaction never committed, so at most N-1 payments were answered `success`.
    expect(cutOff, 'notifications cut off by the kill').toBeGreaterThanOrEqual(CRASH_TRADES - at + 1);
    console.log(
      `payment storm: ${CRASH_TRADES} payments; SIGKILL inside payment ${at}'s ledger transaction; ${cutOff} notification(s) cut off; ${timing}`,
    );
    expect(sandbox.control.notifications({ state: 'pending' })).toEqual([]);
    expect(sandbox.control.notifications().every((n) => n.state === 'acknowledged')).toBe(true);
  });

  it('should end with every refund applied after a SIGKILL in the middle of the refund storm', async () => {
    closeGate();
    await pool(trades, 4, async (id, i) => {
      const plan = i % 3 === 0 ? ['10.00'] : i % 3 === 1 ? ['4.00', '3.00'] : [];
      for (const amount of plan) {
        const r = await http('/refunds', { outTradeNo: id, amount, reason: 'crash test' });
        expect(r.status, JSON.stringify(r.json)).toBe(202);
      }
    });
    const held = sandbox.control.notifications({ notify_type: 'refund_status_sync' }).length;
    expect(held).toBe(trades.reduce((s, _, i) => s + (i % 3 === 0 ? 1 : i % 3 === 1 ? 2 : 0), 0));
    const at = Math.max(1, Math.floor(held / 2));
    const { crash, cutOff, timing } = await stormWithCrash({ in: 'hook', at });
    expect(crash.kind).toBe('refunded');
    // Each answered refund notification's hook completed before the kill, and the Nth hook never did.
    expect(cutOff, 'notifications cut off by the kill').toBeGreaterThanOrEqual(held - at + 1);
    console.log(
      `refund storm: ${held} refunds; SIGKILL inside refund hook ${at} (after its effect); ${cutOff} notification(s) cut off; ${timing}`,
    );
    expect(sandbox.control.notifications().filter((n) => n.state !== 'acknowledged')).toEqual([]);
  });

  it('should leave a consistent ledger: integrity ok, final states, refunded sums ≤ paid, no half-written record', async () => {
    await merchant!.stop();
    merchant = undefined;
    let refunds: Array<{ out_return_no: string; out_trade_no: string; amount_minor: number; status: string }> = [];
    const db = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const orders = db.prepare('SELECT * FROM orders').all() as Array<{
        out_trade_no: string;
        status: string;
        total_fee_minor: number;
        refunded_minor: number;
        trade_no: string | null;
        paid_at: string | null;
      }>;
      expect(orders).toHaveLength(CRASH_TRADES);
      refunds = db.prepare('SELECT * FROM refunds').all() as Array<{
        out_return_no: string;
        out_trade_no: string;
        amount_minor: number;
        status: string;
      }>;
      const gwRefunds = sandbox.control.refunds();
      const gwTrades = sandbox.control.trades(PARTNER_A);
      // Each payment applied exactly once: one `applied` row (written in the transition's transaction), one created → paid.
      const applied = new Map(
        (
          db
            .prepare(
              "SELECT out_trade_no, COUNT(*) AS n FROM notifications WHERE notify_type = 'trade_status_sync' AND outcome = 'applied' GROUP BY out_trade_no",
            )
            .all() as Array<{ out_trade_no: string; n: number }>
        ).map((r) => [r.out_trade_no, r.n]),
      );
      expect(refunds.filter((r) => r.status !== 'succeeded')).toEqual([]);
      expect(refunds.length).toBe(gwRefunds.length);
      for (const [i, id] of trades.entries()) {
        const o = orders.find((x) => x.out_trade_no === id)!;
        const want = i % 3 === 0 ? ['refunded', 1000] : i % 3 === 1 ? ['partially_refunded', 700] : ['paid', 0];
        expect([o.status, o.refunded_minor], id).toEqual(want);
        expect(o.trade_no, id).toBe(gwTrades.find((t) => t.out_trade_no === id)?.trade_no);
        expect(applied.get(id), id).toBe(1);
        expect(o.paid_at, id).not.toBeNull();
        const sum = refunds.filter((r) => r.out_trade_no === id).reduce((s, r) => s + r.amount_minor, 0);
        expect(sum, id).toBe(o.refunded_minor);
        expect(sum, id).toBeLessThanOrEqual(o.total_fee_minor);
        const gwSum = gwRefunds
          .filter((r) => r.out_trade_no === id && r.refund_status === 'REFUND_SUCCESS')
          .reduce((s, r) => s + Math.round(Number(r.return_amount) * 100), 0);
        expect(gwSum, id).toBe(sum);
        const hist = db
          .prepare('SELECT from_status AS "from", to_status AS "to" FROM history WHERE out_trade_no = ? ORDER BY id')
          .all(id) as Array<{ from: string | null; to: string }>;
        expect(hist.at(-1)!.to, id).toBe(o.status);
        for (let k = 1; k < hist.length; k++) expect(hist[k]!.from, id).toBe(hist[k - 1]!.to);
        expect(
          hist.filter((h) => h.to === 'paid'),
          id,
        ).toEqual([{ from: 'created', to: 'paid' }]);
      }
      for (const n of db.prepare('SELECT params, outcome FROM notifications').all() as Array<{
        params: string;
        outcome: string;
      }>) {
        expect(() => JSON.parse(n.params)).not.toThrow();
        expect(n.outcome).toMatch(/^(applied|duplicate|ignored|rejected:ERR_[A-Z_]+)$/);
      }
      const events = db.prepare('SELECT state, COUNT(*) AS n FROM events GROUP BY state').all() as Array<{
        state: string;
        n: number;
      }>;
      console.log('outbox events by state', JSON.stringify(events));
      expect(events.filter((e) => e.state !== 'done')).toEqual([]);
    } finally {
      db.close();
    }
    // Hooks run exactly once per transition, except the one the merchant was killed inside after
    // its effect (CRASH_IN=hook): its outbox event was never completed, so it ran once more.
    const crashes = crashLog();
    expect(crashes.map((c) => c.in)).toEqual(['commit', 'hook']);
    const rerun = crashes
      .filter((c) => c.in === 'hook')
      .map((c) => `${c.kind} ${c.out_trade_no} ${c.out_return_no ?? ''}`.trimEnd());
    const lines = existsSync(join(dir, 'fulfil.log'))
      ? readFileSync(join(dir, 'fulfil.log'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.trimEnd())
      : [];
    const count = (line: string) => lines.filter((l) => l === line).length;
    const expected = (line: string) => 1 + rerun.filter((r) => r === line).length;
    const twice = [...new Set(lines)].filter((l) => count(l) > 1);
    console.log(
      `fulfilment lines ${lines.length} (${trades.length} onPaid, ${refunds.length} onRefunded); ran twice: ${JSON.stringify(twice)} (killed inside it: ${JSON.stringify(rerun)})`,
    );
    for (const id of trades) expect(count(`paid ${id}`), id).toBe(expected(`paid ${id}`));
    for (const r of refunds)
      expect(count(`refunded ${r.out_trade_no} ${r.out_return_no}`), r.out_return_no).toBe(
        expected(`refunded ${r.out_trade_no} ${r.out_return_no}`),
      );
    expect(twice).toEqual(rerun);
    expect(lines).toHaveLength(trades.length + refunds.length + rerun.length);
  });

  it('should keep the MD5 key and every sign value out of every log line and error message (both processes)', () => {
    // The merchant only logs on failures (none are expected here); the sandbox logs every send.
    expect(watch.lines.length).toBeGreaterThan(CRASH_TRADES);
    expect(watch.leaks()).toEqual([]);
  });
});
