// The PostgreSQL ledger: the shared contract suite, cross-pool races, and two real server
// processes receiving the same notifications. Needs ALIPAY_TEST_PG_URL (scripts/postgres.sh
// start exports it); without it those tests are reported as skipped, with the reason printed.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { createLedgerFromUrl, createPostgresLedger, type Ledger, type PostgresLedger } from '../src/index.js';
import { KEY_A, PARTNER_A } from './fixtures/keys.js';
import { runLedgerContract } from './ledger-contract.js';

const url = process.env.ALIPAY_TEST_PG_URL;
const SKIP_REASON =
  'PostgreSQL tests skipped: ALIPAY_TEST_PG_URL not set (`source scripts/postgres.sh start` provides it)';
if (!url) console.warn(SKIP_REASON);

// One schema prefix per test file (and run); each contract test gets its own schema under it,
// because the contract expects an empty ledger. All dropped afterwards.
const prefix = `ak_t${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];
const freshSchema = (): string => {
  const s = `${prefix}_${schemas.length}`;
  schemas.push(s);
  return s;
};
const opened: Ledger[] = [];
const track = <L extends Ledger>(l: L): L => (opened.push(l), l);

afterAll(async () => {
  await Promise.all(opened.map((l) => l.close().catch(() => {})));
  if (!url || schemas.length === 0) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await c.end();
  }
});

const order = (id: string, minor = 1000) => ({
  out_trade_no: id,
  subject: 'Tea',
  currency: 'USD',
  total_fee_minor: minor,
});

let clock = Date.parse('2026-03-01T00:00:00Z');
const openPg = async (schema = freshSchema(), extra: { max?: number } = {}): Promise<PostgresLedger> => {
  const l = track(
    createPostgresLedger({ connectionString: url!, schema, max: extra.max ?? 4, now: () => new Date(clock++) }),
  );
  await l.ready();
  return l;
};

/** Rows of a table of the schema opened last (a contract test's ledger). */
async function countRows(table: string): Promise<number> {
  const c = new pg.Client({ connectionString: url! });
  await c.connect();
  try {
    return (await c.query(`SELECT count(*)::int AS n FROM "${schemas.at(-1)!}".${table}`)).rows[0].n as number;
  } finally {
    await c.end();
  }
}

// The schema before expires_at / synced_at / the rejection ring (commit 25170bf^), with rows.
const v1Schema = (s: string) => `
CREATE SCHEMA ${s};
CREATE TABLE ${s}.ledger_meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO ${s}.ledger_meta (key, value) VALUES ('schema_version', '1');
CREATE TABLE ${s}.orders (
  out_trade_no text PRIMARY KEY, subject text NOT NULL, body text, currency text NOT NULL,
  total_fee_minor bigint, rmb_fee_minor bigint, variant text NOT NULL, status text NOT NULL,
  trade_no text, refunded_minor bigint NOT NULL DEFAULT 0, refunded_rmb_minor bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, paid_at timestamptz, metadata text);
CREATE INDEX orders_paid_at ON ${s}.orders (paid_at);
CREATE INDEX orders_created_at ON ${s}.orders (created_at);
CREATE TABLE ${s}.refunds (
  out_return_no text PRIMARY KEY, out_trade_no text NOT NULL REFERENCES ${s}.orders (out_trade_no),
  currency text NOT NULL, amount_minor bigint NOT NULL, status text NOT NULL, reason text, error_code text,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE INDEX refunds_trade ON ${s}.refunds (out_trade_no);
CREATE TABLE ${s}.notifications (
  id bigserial PRIMARY KEY, received_at timestamptz NOT NULL, notify_id text, notify_type text,
  out_trade_no text, out_return_no text, status text, params json NOT NULL, outcome text NOT NULL);
CREATE TABLE ${s}.history (
  id bigserial PRIMARY KEY, out_trade_no text NOT NULL, from_status text, to_status text NOT NULL,
  source text NOT NULL, at timestamptz NOT NULL);
CREATE TABLE ${s}.events (
  id bigserial PRIMARY KEY, kind text NOT NULL, out_trade_no text NOT NULL, out_return_no text,
  state text NOT NULL, claimed_at bigint);
CREATE UNIQUE INDEX events_once_per_order ON ${s}.events (out_trade_no, kind) WHERE kind IN ('paid', 'closed');
CREATE UNIQUE INDEX events_once_per_refund ON ${s}.events (out_return_no) WHERE kind = 'refunded';
INSERT INTO ${s}.orders (out_trade_no, subject, currency, total_fee_minor, variant, status, trade_no, created_at, updated_at, paid_at)
  VALUES ('OLD1', 'Tea', 'USD', 2400, 'web', 'paid', 'T-OLD1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '2026-01-01T00:01:00Z'),
         ('OLD2', 'Tea', 'USD', 500, 'web', 'created', NULL, '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', NULL);
INSERT INTO ${s}.refunds (out_return_no, out_trade_no, currency, amount_minor, status, created_at, updated_at)
  VALUES ('OLD1-r', 'OLD1', 'USD', 1000, 'possibly_done', '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z');
`;

describe.skipIf(!url)(url ? 'PostgreSQL ledger' : 'PostgreSQL ledger (skipped: ALIPAY_TEST_PG_URL not set)', () => {
  runLedgerContract('PostgreSQL', () => openPg(), { advance: (ms) => (clock += ms), countRows });

  describe('createPostgresLedger', () => {
    it('should set the schema up once when several processes start at the same moment', async () => {
      const schema = freshSchema();
      const many = Array.from({ length: 6 }, () =>
        track(createPostgresLedger({ connectionString: url!, schema, max: 1 })),
      );
      await Promise.all(many.map((l) => l.ready()));
      await many[0]!.createOrder(order('M1'));
      expect((await many[5]!.getOrder('M1'))?.status).toBe('created');
      const again = await openPg(schema); // idempotent on an existing schema
      expect((await again.getOrder('M1'))?.out_trade_no).toBe('M1');
    });

    it('should let exactly one of two pools pay each order and run its hook event once', async () => {
      const schema = freshSchema();
      const [a, b] = [await openPg(schema), await openPg(schema)];
      const ids = Array.from({ length: 20 }, (_, i) => `X${i}`);
      for (const id of ids) await a.createOrder(order(id));
      const results = await Promise.all(
        ids.flatMap((id) =>
          Array.from({ length: 8 }, (_, k) =>
            (k % 2 ? a : b)
              .markPaid(id, { trade_no: `T-${id}`, source: 'notify' })
              .then((r) => [id, r.changed] as const),
          ),
        ),
      );
      for (const id of ids)
        expect(
          results.filter(([i, c]) => i === id && c),
          id,
        ).toHaveLength(1);
      const claims = await Promise.all(
        ids.flatMap((id) => [a.claimEvents(id), b.claimEvents(id), a.claimEvents(id), b.claimEvents(id)]),
      );
      expect(
        claims
          .flat()
          .map((e) => e.out_trade_no)
          .sort(),
      ).toEqual([...ids].sort());
    });

    it('should add up concurrent refunds of one order from two pools without losing one', async () => {
      const schema = freshSchema();
      const [a, b] = [await openPg(schema), await openPg(schema)];
      await a.createOrder(order('RF', 1000));
      await a.markPaid('RF', { source: 'notify' });
      const rids = Array.from({ length: 10 }, (_, i) => `RF-${i}`);
      for (const r of rids)
        await a.createRefund({ out_return_no: r, out_trade_no: 'RF', currency: 'USD', amount_minor: 100 });
      const applied = await Promise.all(
        rids.flatMap((r) =>
          [a, b].map((l) => l.applyRefundResult(r, { status: 'succeeded', source: 'refund_notify' })),
        ),
      );
      expect(applied.filter((r) => r.changed)).toHaveLength(10);
      expect(await b.getOrder('RF')).toMatchObject({ status: 'refunded', refunded_minor: 1000 });
      const h = (await a.history('RF')).map((x) => x.to);
      expect(h.filter((t) => t === 'refunded')).toHaveLength(1);
      expect(h.filter((t) => t === 'partially_refunded')).toHaveLength(9);
      expect((await a.claimEvents('RF')).map((e) => e.kind).sort()).toEqual(['paid', ...Array(10).fill('refunded')]);
    });

    it('should keep one winner per order when the database defaults to SERIALIZABLE', async () => {
      const schema = freshSchema();
      await openPg(schema);
      const u = new URL(url!);
      u.searchParams.set('options', '-c default_transaction_isolation=serializable');
      const [a, b] = [0, 1].map(() => track(createPostgresLedger({ connectionString: u.toString(), schema, max: 4 })));
      const ids = Array.from({ length: 10 }, (_, i) => `S${i}`);
      for (const id of ids) await a!.createOrder(order(id));
      const results = await Promise.all(
        ids.flatMap((id) =>
          Array.from({ length: 6 }, (_, k) =>
            (k % 2 ? a! : b!).markPaid(id, { source: 'notify' }).then((r) => [id, r.changed] as const),
          ),
        ),
      );
      for (const id of ids)
        expect(
          results.filter(([i, c]) => i === id && c),
          id,
        ).toHaveLength(1);
      await a!.createRefund({ out_return_no: 'S0-r', out_trade_no: 'S0', currency: 'USD', amount_minor: 1000 });
      const applied = await Promise.all(
        [a!, b!, a!, b!].map((l) => l.applyRefundResult('S0-r', { status: 'succeeded', source: 'refund_notify' })),
      );
      expect(applied.filter((r) => r.changed)).toHaveLength(1);
      expect(await b!.getOrder('S0')).toMatchObject({ status: 'refunded', refunded_minor: 1000 });
    });

    it('should run on a schema set up beforehand by a role without DDL rights', async () => {
      const schema = freshSchema();
      await (await openPg(schema)).ready(); // the "DBA" sets the schema up
      const role = `${prefix}_dml`;
      const admin = new pg.Client({ connectionString: url! });
      await admin.connect();
      try {
        await admin.query(`CREATE ROLE "${role}" LOGIN`);
        await admin.query(
          `GRANT USAGE ON SCHEMA "${schema}" TO "${role}"; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"; GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO "${role}"`,
        );
        const u = new URL(url!);
        u.username = role;
        const l = track(createPostgresLedger({ connectionString: u.toString(), schema, max: 2 }));
        await l.createOrder(order('D1'));
        expect((await l.markPaid('D1', { source: 'notify' })).changed).toBe(true);
        expect(await l.claimEvents('D1')).toHaveLength(1);
        await l.close();
      } finally {
        await admin.query(`DROP OWNED BY "${role}"; DROP ROLE IF EXISTS "${role}"`).catch(() => {});
        await admin.end();
      }
    });

    it('should migrate a schema made by the previous version in place, keeping its rows', async () => {
      const schema = freshSchema();
      const admin = new pg.Client({ connectionString: url! });
      await admin.connect();
      try {
        await admin.query(v1Schema(`"${schema}"`));
        const l = track(
          createPostgresLedger({ connectionString: url!, schema, max: 2, now: () => new Date('2026-02-01T00:00:00Z') }),
        );
        await l.ready();
        expect(await l.getOrder('OLD1')).toMatchObject({
          status: 'paid',
          trade_no: 'T-OLD1',
          expires_at: null,
          synced_at: null,
        });
        expect(
          (await l.createRefund({ out_return_no: 'OLD1-b', out_trade_no: 'OLD1', currency: 'USD', amount_minor: 1400 }))
            .created,
        ).toBe(true);
        await expect(
          l.createRefund({ out_return_no: 'OLD1-c', out_trade_no: 'OLD1', currency: 'USD', amount_minor: 1 }),
        ).rejects.toMatchObject({ code: 'ERR_INVALID_AMOUNT' });
        expect(
          (await l.claimOrdersForSync({ createdBefore: '2026-01-31T00:00:00Z', minIntervalMs: 60_000, limit: 5 })).map(
            (o) => [o.out_trade_no, o.synced_at],
          ),
        ).toEqual([['OLD2', '2026-02-01T00:00:00.000Z']]);
        await l.recordRejection({ code: 'ERR_SIGNATURE_INVALID', source: '127.0.0.1' });
        expect((await l.listRejections()).total).toBe(1);
        const meta = await admin.query(`SELECT value FROM "${schema}".ledger_meta WHERE key = 'schema_version'`);
        expect(meta.rows[0].value).toBe('3');
        const idx = await admin.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [schema]);
        expect(idx.rows.map((r) => r.indexname)).toEqual(
          expect.arrayContaining([
            'orders_status_created',
            'refunds_status',
            'events_once_late_paid',
            'orders_status_paid',
            'refunds_status_updated',
          ]),
        );
        // a newer version's marker is never lowered
        await admin.query(`UPDATE "${schema}".ledger_meta SET value = '4' WHERE key = 'schema_version'`);
        const again = await openPg(schema);
        expect((await again.getOrder('OLD2'))!.synced_at).toBe('2026-02-01T00:00:00.000Z');
        expect(
          (await admin.query(`SELECT value FROM "${schema}".ledger_meta WHERE key = 'schema_version'`)).rows[0].value,
        ).toBe('4');
      } finally {
        await admin.end();
      }
    });

    it('should leave a pool it was given open on close', async () => {
      const pool = new pg.Pool({ connectionString: url!, max: 2 });
      const l = createPostgresLedger({ pool, schema: freshSchema() });
      await l.createOrder(order('G1'));
      await l.close();
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await pool.end();
    });

    it('should treat ids PostgreSQL cannot store as absent and keep hostile notifications', async () => {
      const l = await openPg();
      expect(await l.getOrder('A\0B')).toBeUndefined();
      await expect(l.markPaid('A\0B', { source: 'notify' })).rejects.toMatchObject({ code: 'ERR_ORDER_NOT_FOUND' });
      await expect(l.createOrder(order('A\0B'))).rejects.toBeInstanceOf(TypeError);
      const params = { out_trade_no: 'N\0X', sign: 'abc', 'é&=': '测试 \u0000 😀' };
      await l.recordNotification({
        notify_id: 'n\0',
        notify_type: null,
        out_trade_no: 'N\0X',
        out_return_no: null,
        status: null,
        params,
        outcome: 'rejected:ERR_NOTIFICATION_INVALID',
      });
      const [n] = await l.listNotifications();
      expect(n).toMatchObject({ out_trade_no: 'N\uFFFDX', notify_id: 'n\uFFFD' });
      expect(n!.params).toEqual(params);
    });

    it('should open from a postgres:// URL with ?schema=', async () => {
      const schema = freshSchema();
      const u = new URL(url!);
      u.searchParams.set('schema', schema);
      const l = track(createLedgerFromUrl(u.toString())) as PostgresLedger;
      await l.createOrder(order('U1'));
      const direct = await openPg(schema);
      expect((await direct.getOrder('U1'))?.status).toBe('created');
    });
  });

  describe('two server processes on one PostgreSQL', () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const children: ChildProcess[] = [];
    afterAll(() => children.forEach((c) => c.connected && c.kill()));

    function startServer(schema: string, label: string): Promise<{ child: ChildProcess; port: number }> {
      const child = fork(join(here, 'helpers', 'pg-server.ts'), {
        execArgv: ['--import', tsx],
        env: {
          ...process.env,
          PG_URL: url!,
          PG_SCHEMA: schema,
          SERVER_LABEL: label,
          PARTNER: PARTNER_A,
          MD5_KEY: KEY_A,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${label} did not start in 30 s`)), 30_000);
        child.once('exit', (code) => reject(new Error(`${label} exited with ${code} before listening`)));
        child.on('message', (m: { port?: number }) => {
          if (m?.port) (clearTimeout(t), resolve({ child, port: m.port }));
        });
      });
    }
    const ask = <T>(child: ChildProcess, msg: string, key: string): Promise<T> =>
      new Promise((resolve) => {
        const on = (m: Record<string, unknown>) => {
          if (m && key in m) (child.off('message', on), resolve(m[key] as T));
        };
        child.on('message', on);
        child.send(msg);
      });

    /** §3.9 payment notification signed with the merchant's MD5 key, as the gateway would. */
    function notification(outTradeNo: string, notifyId: string, status: 'TRADE_FINISHED' | 'TRADE_SUCCESS'): string {
      const p = {
        notify_id: notifyId,
        notify_type: 'trade_status_sync',
        notify_time: '2026-11-25 12:00:00',
        trade_no: `2026112522001300${outTradeNo.slice(-6).padStart(12, '0')}`,
        trade_status: status,
        out_trade_no: outTradeNo,
        total_fee: '10.00',
        currency: 'USD',
      };
      return encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
    }

    it('should fulfil each trade exactly once when both get the same 500 notifications concurrently', async () => {
      const started = Date.now();
      const schema = freshSchema();
      const setup = await openPg(schema, { max: 8 });
      const side = new pg.Pool({ connectionString: url!, max: 2 });
      await side.query(
        `CREATE TABLE "${schema}".fulfilments (id bigserial PRIMARY KEY, out_trade_no text NOT NULL, server text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
      );
      const TRADES = 250;
      const ids = Array.from({ length: TRADES }, (_, i) => `MP${String(i).padStart(6, '0')}`);
      await Promise.all(ids.map((id) => setup.createOrder(order(id))));

      const servers = await Promise.all([startServer(schema, 'A'), startServer(schema, 'B')]);
      // 2 distinct notifications per trade (a redelivery with a new notify_id, as the gateway
      // retries): 500 notifications, shuffled (seeded), each POSTed to BOTH processes at the
      // same moment (in random order), so the two race on the same trade; PAIRS in flight.
      const notes = ids.flatMap((id, i) => [
        notification(id, `${String(i).padStart(6, '0')}a`.padEnd(34, '0'), 'TRADE_FINISHED'),
        notification(id, `${String(i).padStart(6, '0')}b`.padEnd(34, '1'), 'TRADE_SUCCESS'),
      ]);
      let seed = 20261125;
      const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
      for (let i = notes.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [notes[i], notes[j]] = [notes[j]!, notes[i]!];
      }
      const post = async (port: number, body: string) => {
        const res = await fetch(`http://127.0.0.1:${port}/alipay/notify`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        return res.text();
      };

      const answers: Record<string, number> = {};
      const sendStart = Date.now();
      let next = 0;
      let posts = 0;
      const PAIRS = 16;
      await Promise.all(
        Array.from({ length: PAIRS }, async () => {
          while (next < notes.length) {
            const body = notes[next++]!;
            const order = rnd() < 0.5 ? servers : [...servers].reverse();
            for (const text of await Promise.all(order.map((s) => post(s.port, body))))
              answers[text] = (answers[text] ?? 0) + 1;
            posts += 2;
          }
        }),
      );
      const sendMs = Date.now() - sendStart;

      const perTrade = (
        await side.query(`SELECT out_trade_no, count(*)::int AS n FROM "${schema}".fulfilments GROUP BY out_trade_no`)
      ).rows as { out_trade_no: string; n: number }[];
      const byServer = (
        await side.query(
          `SELECT server, count(*)::int AS n FROM "${schema}".fulfilments GROUP BY server ORDER BY server`,
        )
      ).rows as { server: string; n: number }[];
      const stats = await Promise.all(
        servers.map((s) => ask<{ fulfilled: number; warnings: string[] }>(s.child, 'stats', 'stats')),
      );
      const outcomes = (
        await side.query(
          `SELECT outcome, count(*)::int AS n FROM "${schema}".notifications GROUP BY outcome ORDER BY outcome`,
        )
      ).rows as { outcome: string; n: number }[];
      const events = (await side.query(`SELECT state, count(*)::int AS n FROM "${schema}".events GROUP BY state`))
        .rows as { state: string; n: number }[];
      const paidRows = (await side.query(`SELECT count(*)::int AS n FROM "${schema}".history WHERE to_status = 'paid'`))
        .rows[0].n as number;
      await side.end();
      await Promise.all(servers.map((s) => new Promise((r) => (s.child.once('exit', r), s.child.send('stop')))));

      const counts = perTrade.map((r) => r.n);
      console.log(
        `multi-process PG: ${notes.length} notifications × 2 servers = ${posts} POSTs (${PAIRS} pairs in flight) for ${TRADES} trades in ${sendMs} ms; ` +
          `fulfilments per trade min ${Math.min(...counts)} max ${Math.max(...counts)} over ${perTrade.length} trades; by server ${byServer.map((r) => `${r.server}=${r.n}`).join(' ')}; ` +
          `answers ${JSON.stringify(answers)}; notification outcomes ${JSON.stringify(Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])))}; total ${Date.now() - started} ms`,
      );
      expect(posts).toBe(1000);
      expect(answers).toEqual({ success: posts });
      expect(perTrade).toHaveLength(TRADES);
      expect(counts.every((n) => n === 1)).toBe(true);
      expect(stats.reduce((n, s) => n + s.fulfilled, 0)).toBe(TRADES);
      expect(paidRows).toBe(TRADES);
      expect(outcomes).toEqual([
        { outcome: 'applied', n: TRADES },
        { outcome: 'duplicate', n: posts - TRADES },
      ]);
      expect(events).toEqual([{ state: 'done', n: TRADES }]);
      const paid = await setup.listOrders({ status: ['paid'] });
      expect(paid).toHaveLength(TRADES);
      expect(stats.flatMap((s) => s.warnings)).toEqual([]);
    }, 60_000);
  });
});

describe('createPostgresLedger options', () => {
  it('should throw TypeError for missing or doubled connection settings and bad schema names', () => {
    expect(() => createPostgresLedger({} as never)).toThrow(/exactly one of connectionString or pool/);
    expect(() => createPostgresLedger({ connectionString: 'mysql://x' })).toThrow(TypeError);
    expect(() => createPostgresLedger({ connectionString: 'postgres://x/y', pool: {} as never })).toThrow(
      /exactly one/,
    );
    for (const schema of ['Public', 'a-b', 'x;drop', '"q"', '', 'a'.repeat(64)])
      expect(() => createPostgresLedger({ connectionString: 'postgres://x/y', schema }), schema).toThrow(/schema/);
    expect(() => createPostgresLedger({ connectionString: 'postgres://x/y', max: 0 })).toThrow(RangeError);
  });

  it('should reject ready() and every call when the server is unreachable', async () => {
    const l = createPostgresLedger({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(l.ready()).rejects.toThrow();
    await expect(l.getOrder('x')).rejects.toThrow();
    await l.close();
    await expect(l.getOrder('x')).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});

describe('createLedgerFromUrl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ak-from-url-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should open SQLite for a path, a sqlite: URL and a file: URL', async () => {
    for (const [i, u] of [
      join(dir, 'a.db'),
      `sqlite:${join(dir, 'b.db')}`,
      `sqlite://${join(dir, 'c.db')}`,
      pathToFileURL(join(dir, 'd.db')).href,
      'sqlite::memory:',
    ].entries()) {
      const l = createLedgerFromUrl(u);
      expect((await l.createOrder(order(`S${i}`))).created, u).toBe(true);
      await l.close();
    }
    const reopened = createLedgerFromUrl(`sqlite:${join(dir, 'b.db')}`);
    expect((await reopened.getOrder('S1'))?.status).toBe('created');
    await reopened.close();
  });

  it('should throw TypeError for an empty string or an unknown scheme, naming only the scheme', () => {
    expect(() => createLedgerFromUrl('')).toThrow(TypeError);
    expect(() => createLedgerFromUrl('mysql://user:secret@db/x')).toThrow(/unsupported ledger URL scheme "mysql:"/);
    expect(() => createLedgerFromUrl('mysql://user:secret@db/x')).not.toThrow(/secret/);
    expect(() => createLedgerFromUrl('sqlite:')).toThrow(TypeError);
  });
});
