// The world the invariant suite drives: the real sandbox (in this process, served over HTTP on
// port 0) and two merchant router instances (fixtures/instance.mjs), each in its own process,
// sharing one ledger (a SQLite file, or a PostgreSQL schema). Everything that crosses a process
// boundary is HTTP or IPC, so a SIGKILL is a real crash.
//
// What the world records for the invariants (the gateway is the truth, but some facts only exist
// on the wire):
// - every forex_refund request the gateway received, in arrival order, with its answer
//   (gateway capture in front of the sandbox app) — for I3;
// - every notification delivery (routing fetch): which instance, when it was acknowledged,
//   whether a kill interrupted it — for I3 (REFUND_FAIL acknowledged) and I4 (at-least-once leniency);
// - the fulfilment log both instances append to — for I4.
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import express from 'express';
import { createSandbox, type FaultConfig, type Sandbox } from '@alipay-kit/sandbox';
import { createGatewayClient, type GatewayClient } from '@alipay-kit/server-kit';
import { KEY_A, PARTNER_A, T0 } from '../helpers/world.js';

const INSTANCE = fileURLToPath(new URL('../fixtures/instance.mjs', import.meta.url));
/** One URL for both instances, as behind a load balancer; the routing fetch picks the process. */
export const NOTIFY_URL = 'http://merchant.test/alipay/notify';
const RETURN_URL = 'http://merchant.test/alipay/return';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type InstName = 'a' | 'b';
export const INSTANCES: readonly InstName[] = ['a', 'b'];

/** The sandbox divides the §4 retry schedule and trade windows by this (12h timeout_rule → 12 min). */
export const TIME_SCALE = 60;
/** The fixture's orderValidSeconds (merchant clock, unscaled). */
export const ORDER_VALID_SECONDS = 600;

/** Options of one run family. */
export interface FamilyOptions {
  name: string;
  /** A SQLite file path (created in a temp dir) when absent. */
  pgUrl?: string;
  autoRefundLatePayments: boolean;
}

/** One forex_refund the gateway received. */
export interface RefundSend {
  seq: number;
  realAt: number;
  sandboxAt: number;
  out_trade_no: string;
  out_return_no: string;
  amount: string;
  /** `T`, an error code, `HTTP 500`, `hang` (timeout fault: no answer), or `pending` while in flight. */
  answer: string;
  /** Real time the answer was written. */
  answeredAt?: number;
}

/** One notification delivery attempt that reached (or tried to reach) an instance. */
export interface Delivery {
  realAt: number;
  inst: InstName | null;
  notify_type: string;
  out_trade_no: string;
  out_return_no: string | null;
  status: string | null;
  acked: boolean;
  /** SIGKILL while it was in flight. */
  interrupted: boolean;
  body: string;
}

interface Pending {
  resolve(v: any): void;
  reject(e: Error): void;
}

/** A router instance process. */
export class Instance {
  proc: ChildProcess | undefined;
  port = 0;
  alive = false;
  starts = 0;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Out_trade_nos of notification deliveries in flight to this process. */
  readonly inflight = new Map<number, string>();
  constructor(
    readonly name: InstName,
    private readonly env: () => Record<string, string>,
    private readonly onLog: (line: string) => void,
  ) {}

  /** A warm spare process (modules loaded, ledger not opened) that the next start() activates. */
  private spare: { proc: ChildProcess; loaded: Promise<boolean> } | undefined;
  /** Keep a spare ready (after the first start). */
  useSpares = true;

  private prepareSpare(): void {
    const proc = fork(INSTANCE, [], {
      env: { ...process.env, ...this.env(), INSTANCE_NAME: this.name, STANDBY: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const loaded = new Promise<boolean>((resolve) => {
      proc.on('message', (m: any) => m?.type === 'standby' && resolve(true));
      proc.once('exit', () => resolve(false));
    });
    this.spare = { proc, loaded };
  }

  async start(): Promise<void> {
    let proc: ChildProcess | undefined;
    const spare = this.spare;
    this.spare = undefined;
    if (spare && (await spare.loaded)) {
      proc = spare.proc;
      proc.removeAllListeners('message');
      proc.removeAllListeners('exit');
    }
    if (!proc)
      proc = fork(INSTANCE, [], {
        env: { ...process.env, ...this.env(), INSTANCE_NAME: this.name },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
    else proc.send({ type: 'activate', env: this.env() });
    this.proc = proc;
    this.starts++;
    const p = proc;
    const ready = new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`instance ${this.name}: not ready within 20 s`)), 20_000);
      p.on('message', (m: any) => {
        if (m?.type === 'ready') {
          clearTimeout(t);
          resolve(m.port);
        } else if (m?.type === 'log') this.onLog(m.line);
        else if (m?.type === 'reply') {
          const q = this.pending.get(m.id);
          if (!q) return;
          this.pending.delete(m.id);
          if (m.ok) q.resolve(m);
          else q.reject(new Error(`instance ${this.name} ${m.error}`));
        }
      });
      p.once('exit', (code, signal) => {
        clearTimeout(t);
        if (this.proc === p) this.alive = false;
        for (const [id, q] of this.pending) {
          this.pending.delete(id);
          q.reject(new Error(`instance ${this.name} exited (${code ?? signal})`));
        }
        reject(new Error(`instance ${this.name} exited before ready (${code ?? signal})`));
      });
    });
    this.port = await ready;
    this.alive = true;
    if (this.useSpares) this.prepareSpare();
  }

  async dropSpare(): Promise<void> {
    const s = this.spare;
    this.spare = undefined;
    if (s && s.proc.exitCode === null && s.proc.signalCode === null) {
      const exited = new Promise((r) => s.proc.once('exit', r));
      s.proc.kill('SIGKILL');
      await exited;
    }
  }

  request(type: string, payload: Record<string, unknown> = {}): Promise<any> {
    if (!this.alive || !this.proc) return Promise.reject(new Error(`instance ${this.name} is down`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc!.send({ ...payload, type, id });
    });
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      this.alive = false;
      return;
    }
    const exited = new Promise((r) => proc.once('exit', r));
    this.alive = false;
    proc.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    this.useSpares = false;
    await this.dropSpare();
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    this.alive = false;
  }

  async http(path: string, body: unknown, admin = true): Promise<{ status: number; json: any; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/alipay${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(admin ? { 'x-admin': 'ok' } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  async postNotify(body: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/alipay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: res.status, text: await res.text() };
  }
}

/** Fault settings per scope key: `*` (every call) or a service name. */
export type FaultMap = Record<string, FaultConfig & Record<string, unknown>>;

export class World {
  sandbox!: Sandbox;
  gatewayUrl = '';
  private gwServer!: Server;
  dir = '';
  ledgerUrl = '';
  sqliteFile: string | undefined;
  pgSchema: string | undefined;
  private pgPool: any;
  fulfilLog = '';
  inst!: Record<InstName, Instance>;
  client!: GatewayClient;

  // Routing of the sandbox's notifications.
  partition = false;
  route: InstName | 'alt' = 'alt';
  altNext: InstName = 'a';
  /** Kill the instance that receives the next notification delivery, `delayMs` after sending it. */
  killOnDelivery: { inst: InstName | 'any'; delayMs: number; fired: boolean; victim?: InstName } | undefined;
  /** Kill this instance when the gateway receives a forex_refund. */
  killOnRefund: { inst: InstName; fired: boolean } | undefined;

  readonly refundSends: RefundSend[] = [];
  readonly deliveries: Delivery[] = [];
  /** Orders whose payment delivery was in flight when its instance was SIGKILLed (hooks may run twice). */
  readonly interrupted = new Set<string>();
  /** Recent real notification bodies, for forged replays. */
  readonly recentBodies: string[] = [];
  readonly logs: string[] = [];
  private seq = 0;

  constructor(readonly opts: FamilyOptions) {}

  log(line: string): void {
    this.logs.push(line);
    if (this.logs.length > 400) this.logs.splice(0, this.logs.length - 300);
  }

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), `ak-invariants-${this.opts.name}-`));
    this.fulfilLog = join(this.dir, 'fulfil.log');
    writeFileSync(this.fulfilLog, '');
    if (this.opts.pgUrl) {
      this.pgSchema = `inv_${process.pid}_${Date.now().toString(36)}`;
      const u = new URL(this.opts.pgUrl);
      u.searchParams.set('schema', this.pgSchema);
      this.ledgerUrl = u.toString();
      const pg = createRequire(createRequire(import.meta.url).resolve('@alipay-kit/server-kit'))('pg');
      this.pgPool = new pg.Pool({ connectionString: this.opts.pgUrl, max: 2 });
      this.pgPool.on('error', () => {});
    } else {
      this.sqliteFile = join(this.dir, 'ledger.db');
      this.ledgerUrl = this.sqliteFile;
    }
    const kp = generateKeyPairSync('rsa', { modulusLength: 1024 });
    this.sandbox = createSandbox({
      merchants: [{ partner: PARTNER_A, md5Key: KEY_A }],
      now: () => T0,
      timeScale: TIME_SCALE,
      keyPair: {
        privateKey: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
      notifyTimeoutMs: 3000,
      fetch: (url, init) => this.deliver(url, init),
    });
    // The gateway capture: parse the body once (the sandbox's own raw parser then skips it), record
    // forex_refund requests and their answers, then hand over to the sandbox app.
    const front = express();
    front.disable('x-powered-by');
    front.use('/gateway.do', express.raw({ type: () => true, limit: '2mb' }), (req, res, next) => {
      const q = req.originalUrl.indexOf('?');
      const params = new URLSearchParams(q === -1 ? '' : req.originalUrl.slice(q + 1));
      if (Buffer.isBuffer(req.body) && req.body.length > 0)
        for (const [k, v] of new URLSearchParams(req.body.toString('latin1'))) params.set(k, v);
      if (params.get('service') === 'forex_refund') {
        const rec: RefundSend = {
          seq: ++this.seq,
          realAt: Date.now(),
          sandboxAt: this.sandbox.control.now(),
          out_trade_no: params.get('out_trade_no') ?? '',
          out_return_no: params.get('out_return_no') ?? '',
          amount: params.get('return_amount') ?? params.get('return_rmb_amount') ?? '',
          answer: 'pending',
        };
        this.refundSends.push(rec);
        const chunks: Buffer[] = [];
        const write = res.write.bind(res);
        const end = res.end.bind(res);
        res.write = ((c: any, ...a: any[]) => {
          if (c) chunks.push(Buffer.from(c));
          return write(c, ...a);
        }) as typeof res.write;
        res.end = ((c: any, ...a: any[]) => {
          if (c && typeof c !== 'function') chunks.push(Buffer.from(c));
          const text = Buffer.concat(chunks).toString('utf8');
          const err = /<error>([^<]*)<\/error>/.exec(text)?.[1];
          rec.answeredAt = Date.now();
          rec.answer =
            res.statusCode !== 200
              ? `HTTP ${res.statusCode}`
              : err
                ? err
                : /<is_success>T<\/is_success>/.test(text)
                  ? 'T'
                  : `unreadable`;
          return end(c, ...a);
        }) as typeof res.end;
        res.on('close', () => {
          if (rec.answer === 'pending') rec.answer = 'hang';
        });
        const k = this.killOnRefund;
        if (k && !k.fired) {
          k.fired = true;
          void this.inst[k.inst].kill();
        }
      }
      next();
    });
    front.use((req, res, next) => (this.sandbox.app as any)(req, res, next));
    this.gwServer = createServer(front);
    await new Promise<void>((r) => this.gwServer.listen(0, '127.0.0.1', r));
    this.gatewayUrl = `http://127.0.0.1:${(this.gwServer.address() as AddressInfo).port}/gateway.do`;
    this.client = createGatewayClient({
      gateway: this.gatewayUrl,
      partner: PARTNER_A,
      signType: 'MD5',
      md5Key: KEY_A,
      retry: { limit: 0 },
      timeoutMs: 5000,
    });
    const env = (): Record<string, string> => ({
      LEDGER_URL: this.ledgerUrl,
      FULFIL_LOG: this.fulfilLog,
      GATEWAY: this.gatewayUrl,
      PARTNER: PARTNER_A,
      MD5_KEY: KEY_A,
      NOTIFY_URL,
      RETURN_URL,
      CLOCK_OFFSET_MS: String(this.sandbox.control.now() - Date.now()),
      AUTO_REFUND: this.opts.autoRefundLatePayments ? '1' : '0',
      ORDER_VALID_SECONDS: String(ORDER_VALID_SECONDS),
      HOOK_STALE_MS: '30000',
      CLIENT_TIMEOUT_MS: '250',
    });
    this.inst = { a: new Instance('a', env, (l) => this.log(l)), b: new Instance('b', env, (l) => this.log(l)) };
    // One after the other: the first one creates the schema.
    await this.inst.a.start();
    await this.inst.a.request('dump', { ids: ['warm-up'] });
    await this.inst.b.start();
  }

  async close(): Promise<void> {
    await Promise.all(INSTANCES.map((n) => this.inst?.[n]?.stop()));
    await this.sandbox?.close();
    this.gwServer?.closeAllConnections();
    await new Promise((r) => this.gwServer?.close(r));
    if (this.pgPool) {
      await this.pgPool.query(`DROP SCHEMA IF EXISTS ${this.pgSchema} CASCADE`).catch(() => {});
      await this.pgPool.end();
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  // ───────────── notifications ─────────────

  private pick(): Instance | undefined {
    const live = INSTANCES.filter((n) => this.inst[n].alive);
    if (live.length === 0) return undefined;
    let name: InstName;
    if (this.route === 'alt') {
      name = this.altNext;
      this.altNext = name === 'a' ? 'b' : 'a';
    } else name = this.route;
    if (!this.inst[name].alive) name = live[0]!;
    return this.inst[name];
  }

  private async deliver(_url: string | URL | Request, init?: RequestInit): Promise<Response> {
    const body = String(init?.body ?? '');
    const p = new URLSearchParams(body);
    const rec: Delivery = {
      realAt: Date.now(),
      inst: null,
      notify_type: p.get('notify_type') ?? '',
      out_trade_no: p.get('out_trade_no') ?? '',
      out_return_no: p.get('out_return_no'),
      status: p.get('trade_status') ?? p.get('refund_status'),
      acked: false,
      interrupted: false,
      body,
    };
    this.deliveries.push(rec);
    if (this.deliveries.length > 20_000) this.deliveries.splice(0, 10_000);
    this.recentBodies.push(body);
    if (this.recentBodies.length > 20) this.recentBodies.shift();
    if (this.partition) throw new TypeError('fetch failed (partition: held by the test)');
    const target = this.pick();
    if (!target) throw new TypeError('fetch failed (no instance alive)');
    rec.inst = target.name;
    const key = ++this.seq;
    target.inflight.set(key, rec.out_trade_no);
    const k = this.killOnDelivery;
    try {
      const sent = fetch(`http://127.0.0.1:${target.port}/alipay/notify`, {
        method: 'POST',
        headers: init?.headers,
        body,
        signal: init?.signal,
      });
      if (k && !k.fired && (k.inst === 'any' || k.inst === target.name)) {
        k.fired = true;
        k.victim = target.name;
        const victim = target;
        setTimeout(() => {
          for (const id of victim.inflight.values()) this.interrupted.add(id);
          void victim.kill();
        }, k.delayMs);
      }
      const res = await sent;
      const text = await res.text();
      rec.acked = res.status === 200 && text === 'success';
      return new Response(text, { status: res.status });
    } catch (e) {
      if (!target.alive) rec.interrupted = true;
      throw e;
    } finally {
      target.inflight.delete(key);
    }
  }

  /** Wait (bounded) until no notification delivery to `inst` is in flight. */
  async quiesce(inst: InstName): Promise<void> {
    for (let i = 0; i < 500 && this.inst[inst].inflight.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
  }

  // ───────────── clock ─────────────

  /** Move the sandbox clock; both merchant clocks are set to the target first (as the crash test does). */
  async advance(ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.syncClocks(this.sandbox.control.now() + ms);
    await this.sandbox.control.advanceClock(ms);
  }

  /** Per-instance clock skew (ms ahead of the sandbox), set by the skew command. */
  readonly skew: Record<InstName, number> = { a: 0, b: 0 };

  async syncClocks(target = this.sandbox.control.now()): Promise<void> {
    const offset = target - Date.now();
    await Promise.all(
      INSTANCES.filter((n) => this.inst[n].alive).map((n) =>
        this.inst[n].request('clock', { offset: offset + this.skew[n], skew: this.skew[n] }).catch(() => {}),
      ),
    );
  }

  /** Beijing calendar date (yyyyMMdd) of the sandbox clock. */
  beijingDay(ms = this.sandbox.control.now()): string {
    const d = new Date(ms + 8 * HOUR);
    return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  }

  /** Move to `hour`:00 Beijing of the next calendar day. */
  async nextDay(hour = 1): Promise<void> {
    const now = this.sandbox.control.now();
    const d = new Date(now + 8 * HOUR);
    const target = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, hour) - 8 * HOUR;
    await this.advance(target - now);
  }

  /** Deliver everything the sandbox still has pending, walking its clock through the §4 schedule. */
  async drain(maxSteps = 40): Promise<void> {
    await this.sandbox.control.flushNotifications();
    for (let i = 0; i < maxSteps; i++) {
      const pending = this.sandbox.control.notifications({ state: 'pending' });
      if (pending.length === 0) return;
      const next = Math.min(...pending.map((n) => n.next_attempt_at ?? Infinity));
      const now = this.sandbox.control.now();
      await this.advance(Math.max(next - now, 0) + 1);
      await this.sandbox.control.flushNotifications();
    }
  }

  // ───────────── faults ─────────────

  applyFaults(map: FaultMap): void {
    this.sandbox.control.clearFaults();
    for (const [scope, f] of Object.entries(map)) {
      if (Object.keys(f).length === 0) continue;
      this.sandbox.control.setFaults(scope === '*' ? undefined : { service: scope }, f);
    }
  }

  // ───────────── ledger ─────────────

  /** Bytes the ledger uses: SQLite pages in use (WAL included), or every table of the schema. */
  async ledgerBytes(): Promise<number> {
    if (this.sqliteFile) {
      const db = new Database(this.sqliteFile, { readonly: true, fileMustExist: true });
      try {
        const pages =
          Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }));
        return pages * Number(db.pragma('page_size', { simple: true }));
      } finally {
        db.close();
      }
    }
    const r = await this.pgPool.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'`,
      [this.pgSchema],
    );
    return Number(r.rows[0].n);
  }

  /** SQLite file + WAL on disk (a high-water mark; reported, not bounded). */
  sqliteFileBytes(): number {
    if (!this.sqliteFile) return 0;
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    return size(this.sqliteFile) + size(this.sqliteFile + '-wal');
  }

  /** Run one SQL statement on the shared ledger from outside the instances (discrepancy injection). */
  async ledgerSql(sql: string, params: unknown[]): Promise<number> {
    if (this.sqliteFile) {
      const db = new Database(this.sqliteFile);
      try {
        db.pragma('busy_timeout = 5000');
        return db.prepare(sql).run(...(params as any[])).changes;
      } finally {
        db.close();
      }
    }
    const r = await this.pgPool.query(
      sql.replace(/\borders\b/g, `${this.pgSchema}.orders`).replace(
        /\?/g,
        (() => {
          let i = 0;
          return () => `$${++i}`;
        })(),
      ),
      params,
    );
    return r.rowCount ?? 0;
  }

  private fulfilled: Array<{ kind: string; inst: string; id: string; ret: string }> = [];
  private fulfilledBytes = 0;

  /** Fulfilment lines so far: `<kind> <instance> <out_trade_no> <out_return_no>` (the log is read incrementally). */
  fulfilment(): Array<{ kind: string; inst: string; id: string; ret: string }> {
    const buf = readFileSync(this.fulfilLog);
    const end = buf.lastIndexOf(10) + 1; // whole lines only
    if (end > this.fulfilledBytes) {
      for (const l of buf.subarray(this.fulfilledBytes, end).toString('utf8').split('\n')) {
        if (!l) continue;
        const [kind, inst, id, ret] = l.split(' ');
        this.fulfilled.push({ kind: kind!, inst: inst!, id: id!, ret: ret! });
      }
      this.fulfilledBytes = end;
    }
    return this.fulfilled;
  }

  /** Restart every instance that is down. */
  async reviveAll(): Promise<void> {
    let started = false;
    for (const n of INSTANCES) {
      if (this.inst[n].alive) continue;
      await this.inst[n].start();
      started = true;
    }
    if (started) await this.syncClocks();
  }
}

export { DAY, HOUR };
