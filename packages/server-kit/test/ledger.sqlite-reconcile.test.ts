// The SQLite ledger and reconciliation (issue 17): the reconciliation indexes added in place to
// a file made before them, the query plans that use them, and (issue 15) a ledger file whose
// folder does not exist yet. Real SQLite files in a temporary folder.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteLedger } from '../src/index.js';
import { _sqliteListOrdersQuery } from '../src/ledger/sqlite-list-orders.js';

const dir = mkdtempSync(join(tmpdir(), 'ak-ledger-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = (db: Database.Database, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

describe('SQLite ledger: reconciliation indexes', () => {
  it('should add the reconciliation indexes to a file made before them, keeping its rows', async () => {
    const file = join(dir, 'old.db');
    const first = createSqliteLedger({ file, now: () => new Date('2026-03-01T04:00:00Z') });
    await first.createOrder({ out_trade_no: 'OLD1', subject: 'Tea', currency: 'USD', total_fee_minor: 1000 });
    await first.markPaid('OLD1', { trade_no: 'T1', source: 'notify' });
    await first.close();
    // As the previous release left the file: its order and event indexes, without the reconciliation ones.
    const raw = new Database(file);
    for (const ix of ['orders_paid_status', 'orders_created', 'orders_paid', 'orders_created_open', 'events_open'])
      raw.exec(`DROP INDEX ${ix}`);
    raw.exec(`DROP INDEX refunds_status_updated`);
    raw.exec(`CREATE INDEX orders_paid_at ON orders(paid_at)`);
    raw.exec(`CREATE INDEX orders_status_created ON orders(status, created_at)`);
    raw.exec(`CREATE INDEX events_trade ON events(out_trade_no, state)`);
    raw.close();

    const l = createSqliteLedger({ file });
    expect(
      await l.countOrdersPaidInRange({ from: '2026-02-28T16:00:00Z', to: '2026-03-01T16:00:00Z', status: ['paid'] }),
    ).toBe(1);
    await l.close();
    const db = new Database(file, { readonly: true });
    try {
      const names = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as Array<{ name: string }>
      ).map((r) => r.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'orders_paid_status',
          'orders_paid',
          'orders_created',
          'orders_created_open',
          'refunds_status_updated',
          'refunds_status',
          'events_open',
        ]),
      );
      for (const retired of ['orders_paid_at', 'orders_status_created', 'events_trade'])
        expect(names).not.toContain(retired);
      // The range queries go through those indexes, never a scan of the table.
      expect(
        plan(db, `SELECT COUNT(*) FROM orders WHERE status = ? AND paid_at >= ? AND paid_at < ?`, 'paid', 'a', 'b'),
      ).toMatch(/USING (COVERING )?INDEX orders_paid_status/);
      expect(plan(db, `SELECT * FROM orders WHERE paid_at >= ? AND paid_at < ?`, 'a', 'b')).toMatch(
        /USING INDEX orders_paid /,
      );
      // The outbox: an order's open events, and every order with one (the hook drain).
      expect(plan(db, `SELECT * FROM events WHERE out_trade_no = ? AND state <> 'done' ORDER BY id`, 'x')).toMatch(
        /USING INDEX events_open/,
      );
      expect(
        plan(
          db,
          `SELECT DISTINCT out_trade_no FROM events WHERE state <> 'done' AND (state = 'pending' OR claimed_at < ?) ORDER BY out_trade_no`,
          1,
        ),
      ).toMatch(/SCAN events USING INDEX events_open$/);
      expect(
        plan(db, `SELECT * FROM refunds WHERE status = 'succeeded' AND updated_at >= ? AND updated_at < ?`, 'a', 'b'),
      ).toMatch(/USING INDEX refunds_status_updated/);
      expect(plan(db, `SELECT * FROM orders WHERE out_trade_no IN (SELECT value FROM json_each(?))`, '[]')).toMatch(
        /USING INDEX sqlite_autoindex_orders_1|USING PRIMARY KEY/,
      );
      expect(plan(db, `SELECT * FROM orders ORDER BY created_at, out_trade_no`)).not.toMatch(/USE TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});

describe('SQLite ledger: listOrders on a realistic file', () => {
  // 60,000 orders over 60 days (one in 50 still created, one in 97 paid after close), ANALYZEd, as
  // in the PostgreSQL plan test: what the planner sees in a shop's file, not in an empty one.
  const file = join(dir, 'plans.db');
  const filled = (async () => {
    await createSqliteLedger({ file }).close();
    const raw = new Database(file);
    raw.exec(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 60000)
      INSERT INTO orders (out_trade_no, subject, currency, total_fee_minor, variant, status, trade_no, created_at, updated_at, paid_at)
      SELECT 'O' || i, 'Tea', 'USD', 1000, 'web',
        CASE WHEN i % 50 = 0 THEN 'created' WHEN i % 97 = 0 THEN 'paid_after_close' ELSE 'paid' END, 'T' || i, t, t,
        CASE WHEN i % 50 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', t, '+1 minute') END
      FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01T00:00:00Z', '+' || (i * 86.4) || ' seconds') AS t FROM g);
      ANALYZE;`);
    raw.close();
  })();
  const day = { paidFrom: '2026-02-01T00:00:00.000Z', paidTo: '2026-02-02T00:00:00.000Z' };

  it('should search the paid-range indexes: a day of payments whatever the statuses, the late payments of a range holding every order', async () => {
    await filled;
    const db = new Database(file, { readonly: true });
    try {
      for (const status of [['paid_after_close'], ['paid', 'paid_after_close', 'refunded', 'partially_refunded']]) {
        const { sql, args } = _sqliteListOrdersQuery({ ...day, status: status as never });
        expect(plan(db, sql, args), status.join()).toMatch(/^SEARCH orders USING INDEX orders_paid(_status)? /);
      }
      const { sql, args } = _sqliteListOrdersQuery(day);
      expect(plan(db, sql, args)).toMatch(/^SEARCH orders USING INDEX orders_paid /);
      // Reconciliation's late payments over a range that holds every order (a shop's first month,
      // bench P6): the few paid after close are searched, not found by walking every order.
      const late = _sqliteListOrdersQuery({
        paidFrom: '2026-01-01T00:00:00.000Z',
        paidTo: '2026-03-02T00:00:00.000Z',
        status: ['paid_after_close'],
      });
      expect(plan(db, late.sql, late.args)).toMatch(/^SEARCH orders USING INDEX orders_paid_status /);
    } finally {
      db.close();
    }
  });

  it('should list what it is asked, oldest first (the statuses bound one by one)', async () => {
    await filled;
    const l = createSqliteLedger({ file });
    try {
      const late = await l.listOrders({ ...day, status: ['paid_after_close'] });
      expect(late.length).toBeGreaterThan(0);
      expect(
        late.every((o) => o.status === 'paid_after_close' && o.paid_at! >= day.paidFrom && o.paid_at! < day.paidTo),
      ).toBe(true);
      const all = await l.listOrders(day);
      expect(all.filter((o) => o.status === 'paid_after_close')).toEqual(late);
      expect(all.map((o) => o.created_at)).toEqual(all.map((o) => o.created_at).sort());
      expect(await l.listOrders({ ...day, status: [] })).toEqual([]);
      expect((await l.listOrders({ status: ['created'] })).length).toBe(1200);
    } finally {
      await l.close();
    }
  });
});

describe('createSqliteLedger: the folder of the file (issue 15)', () => {
  it('should create a missing folder, parents too, owner-only (0700)', async () => {
    const file = join(dir, 'a', 'b', 'ledger.db');
    const l = createSqliteLedger({ file });
    await l.createOrder({ out_trade_no: 'F1', subject: 'Tea', currency: 'USD', total_fee_minor: 100 });
    await l.close();
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(file).isFile()).toBe(true);
  });

  it('should throw ERR_CONFIG naming the folder when it cannot be made', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const target = join(blocker, 'ledger.db');
    expect(() => createSqliteLedger({ file: target })).toThrow(
      expect.objectContaining({
        name: 'AlipayLedgerError',
        code: 'ERR_CONFIG',
        message: expect.stringContaining(blocker),
      }),
    );
  });
});
