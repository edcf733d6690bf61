import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteLedger } from '../src/index.js';
import { runLedgerContract } from './ledger-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ak-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let clock = Date.parse('2026-03-01T00:00:00Z');
let lastFile = '';

runLedgerContract(
  'SQLite file (WAL)',
  () => createSqliteLedger({ file: (lastFile = join(dir, `l${n++}.db`)), now: () => new Date(clock++) }),
  {
    advance: (ms) => (clock += ms),
    countRows: async (table) => {
      const db = new Database(lastFile, { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
  },
);

// The schema of the ledger before expires_at / synced_at / the rejection ring (commit 25170bf^),
// as a demo's .data/alipay.sqlite made by that version has it.
const V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  out_trade_no TEXT PRIMARY KEY, subject TEXT NOT NULL, body TEXT, currency TEXT NOT NULL,
  total_fee_minor INTEGER, rmb_fee_minor INTEGER, variant TEXT NOT NULL, status TEXT NOT NULL,
  trade_no TEXT, refunded_minor INTEGER NOT NULL DEFAULT 0, refunded_rmb_minor INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, paid_at TEXT, metadata TEXT);
CREATE INDEX IF NOT EXISTS orders_paid_at ON orders(paid_at);
CREATE TABLE IF NOT EXISTS refunds (
  out_return_no TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL REFERENCES orders(out_trade_no),
  currency TEXT NOT NULL, amount_minor INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, error_code TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refunds_trade ON refunds(out_trade_no);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, notify_id TEXT, notify_type TEXT,
  out_trade_no TEXT, out_return_no TEXT, status TEXT, params TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_trade ON notifications(out_trade_no);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, out_trade_no TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
  source TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_trade ON history(out_trade_no);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, out_trade_no TEXT NOT NULL, out_return_no TEXT,
  state TEXT NOT NULL, claimed_at INTEGER);
CREATE INDEX IF NOT EXISTS events_trade ON events(out_trade_no, state);
INSERT INTO orders (out_trade_no, subject, currency, total_fee_minor, variant, status, trade_no, created_at, updated_at, paid_at)
  VALUES ('OLD1', 'Tea', 'USD', 2400, 'web', 'paid', 'T-OLD1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', '2026-01-01T00:01:00.000Z'),
         ('OLD2', 'Tea', 'USD', 500, 'web', 'created', NULL, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z', NULL);
INSERT INTO refunds (out_return_no, out_trade_no, currency, amount_minor, status, created_at, updated_at)
  VALUES ('OLD1-r', 'OLD1', 'USD', 1000, 'possibly_done', '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
`;

describe('createSqliteLedger', () => {
  it('should persist across reopen (process restart) in WAL mode', async () => {
    const file = join(dir, 'persist.db');
    const a = createSqliteLedger({ file });
    await a.createOrder({ out_trade_no: 'K1', subject: 's', currency: 'USD', total_fee_minor: 5 });
    await a.markPaid('K1', { source: 'notify' });
    await a.close();
    const b = createSqliteLedger({ file });
    expect((await b.getOrder('K1'))?.status).toBe('paid');
    expect(await b.claimEvents('K1')).toHaveLength(1);
    await b.close();
  });

  describe('group commit of payment notifications (sqlite-group-commit.ts)', () => {
    const note = (id: string) => ({
      notify_id: `n-${id}`,
      notify_type: 'trade_status_sync',
      out_trade_no: id,
      out_return_no: null,
      status: 'TRADE_FINISHED',
      params: { out_trade_no: id },
    });
    const apply = (l: ReturnType<typeof createSqliteLedger>, id: string) =>
      l.applyPaymentNotification!({
        out_trade_no: id,
        to: 'paid',
        trade_no: `T-${id}`,
        source: 'notify',
        notification: note(id),
      });
    async function ledgerWith(trigger: string) {
      const file = join(dir, `gc${n++}.db`);
      const l = createSqliteLedger({ file });
      for (const id of ['G1', 'G2', 'G3'])
        await l.createOrder({ out_trade_no: id, subject: 's', currency: 'USD', total_fee_minor: 5 });
      const side = new Database(file); // a schema change from outside, as a DBA's trigger would be
      side.exec(trigger);
      side.close();
      return l;
    }

    it('should roll back only the statement that failed in the database, keeping the rest of the batch', async () => {
      const l = await ledgerWith(
        `CREATE TRIGGER no_g2 BEFORE INSERT ON notifications WHEN NEW.out_trade_no = 'G2' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;`,
      );
      const r = await Promise.allSettled(['G1', 'G2', 'G3'].map((id) => apply(l, id)));
      expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await l.getOrder('G2'))!.status).toBe('created'); // its transition rolled back with its savepoint
      expect(await l.history('G2')).toHaveLength(1);
      expect((await l.getOrder('G1'))!.status).toBe('paid');
      expect((await l.getOrder('G3'))!.status).toBe('paid');
      await l.close();
    });

    it('should reject every call of a batch whose transaction SQLite rolled back, storing none of it', async () => {
      const l = await ledgerWith(
        `CREATE TRIGGER rb BEFORE INSERT ON notifications WHEN NEW.out_trade_no = 'G3' BEGIN SELECT RAISE(ROLLBACK, 'whole transaction rolled back'); END;`,
      );
      const r = await Promise.allSettled(['G1', 'G2', 'G3'].map((id) => apply(l, id)));
      expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const id of ['G1', 'G2', 'G3']) {
        expect((await l.getOrder(id))!.status, id).toBe('created');
        expect(await l.listNotifications({ out_trade_no: id }), id).toEqual([]);
      }
      // the next turn's batch is a fresh transaction
      expect((await apply(l, 'G1')).outcome).toBe('applied');
      await l.close();
    });

    it('should commit the event completions of a turn ahead of its notifications, which cannot undo them', async () => {
      const l = await ledgerWith(
        `CREATE TRIGGER keep_g2 BEFORE UPDATE OF state ON events WHEN NEW.state = 'done' AND OLD.out_trade_no = 'G2' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;
         CREATE TRIGGER rb_g4 BEFORE INSERT ON notifications WHEN NEW.out_trade_no = 'G4' BEGIN SELECT RAISE(ROLLBACK, 'whole transaction rolled back'); END;`,
      );
      await l.createOrder({ out_trade_no: 'G4', subject: 's', currency: 'USD', total_fee_minor: 5 });
      const events = await Promise.all(
        ['G1', 'G2', 'G3'].map(async (id) => {
          const r = await l.applyPaymentNotification!({
            out_trade_no: id,
            to: 'paid',
            trade_no: `T-${id}`,
            source: 'notify',
            notification: note(id),
            claim: {},
          });
          return r.events!.claimed[0]!;
        }),
      );
      // One turn: three completions and a notification whose transaction SQLite rolls back.
      const r = await Promise.allSettled([
        l.completeEvent(events[0]!.id),
        apply(l, 'G4'),
        l.completeEvent(events[1]!.id),
        l.completeEvent(events[2]!.id),
      ]);
      expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((await l.getOrder('G4'))!.status).toBe('created');
      // G2's completion alone was refused: its event is still claimed; G1's and G3's are done.
      expect(await l.claimOrderEvents('G2')).toEqual({ claimed: [], busy: [events[1]] });
      for (const id of ['G1', 'G3']) expect(await l.claimOrderEvents(id), id).toEqual({ claimed: [], busy: [] });
      await l.close();
    });

    it('should commit what was queued when the ledger is closed in the same turn', async () => {
      const file = join(dir, `gc${n++}.db`);
      const a = createSqliteLedger({ file });
      await a.createOrder({ out_trade_no: 'G9', subject: 's', currency: 'USD', total_fee_minor: 5 });
      const pending = apply(a, 'G9');
      await a.close();
      expect((await pending).outcome).toBe('applied');
      const b = createSqliteLedger({ file });
      expect((await b.getOrder('G9'))!.status).toBe('paid');
      await b.close();
    });
  });

  it('should migrate a file made by the previous version in place, keeping its rows', async () => {
    const file = join(dir, 'v1.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(V1_SCHEMA);
    old.close();

    const l = createSqliteLedger({ file, now: () => new Date('2026-02-01T00:00:00Z') });
    expect(await l.getOrder('OLD1')).toMatchObject({
      status: 'paid',
      trade_no: 'T-OLD1',
      expires_at: null,
      synced_at: null,
    });
    expect((await l.listOpenRefunds()).map((r) => r.out_return_no)).toEqual(['OLD1-r']);
    // the possibly_done refund of the old file counts against the remainder
    expect(
      (await l.createRefund({ out_return_no: 'OLD1-b', out_trade_no: 'OLD1', currency: 'USD', amount_minor: 1400 }))
        .created,
    ).toBe(true);
    expect(
      await l
        .createRefund({ out_return_no: 'OLD1-c', out_trade_no: 'OLD1', currency: 'USD', amount_minor: 1 })
        .catch((e: { code: string }) => e.code),
    ).toBe('ERR_INVALID_AMOUNT');
    expect(
      (await l.claimOrdersForSync({ createdBefore: '2026-01-31T00:00:00Z', minIntervalMs: 60_000, limit: 5 })).map(
        (o) => [o.out_trade_no, o.synced_at],
      ),
    ).toEqual([['OLD2', '2026-02-01T00:00:00.000Z']]);
    await l.recordRejection({ code: 'ERR_SIGNATURE_INVALID', source: '127.0.0.1' });
    await l.createOrder({
      out_trade_no: 'NEW1',
      subject: 's',
      currency: 'USD',
      total_fee_minor: 5,
      expires_at: '2026-02-01T00:30:00.000Z',
    });
    await l.close();

    const db = new Database(file, { readonly: true });
    const columns = (db.pragma('table_info(orders)') as Array<{ name: string }>).map((c) => c.name);
    expect(columns.slice(-2)).toEqual(['expires_at', 'synced_at']);
    const indexes = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`).all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    // The first release's indexes are replaced by partial ones (issue 17), not kept beside them.
    expect(indexes.sort()).toEqual(
      [
        'events_open',
        'history_trade',
        'notifications_trade',
        'orders_created',
        'orders_created_open',
        'orders_paid',
        'orders_paid_status',
        'refunds_status',
        'refunds_status_updated',
        'refunds_trade',
      ].sort(),
    );
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM orders WHERE status = 'created' AND created_at < ? ORDER BY created_at LIMIT 5`,
      )
      .all('x') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('orders_created_open');
    db.close();

    // and again: migrating a migrated file changes nothing
    const again = createSqliteLedger({ file });
    expect((await again.getOrder('NEW1'))!.expires_at).toBe('2026-02-01T00:30:00.000Z');
    expect((await again.listRejections()).total).toBe(1);
    await again.close();
  });

  it('should open one file from several ledgers at once (schema setup under the write lock)', async () => {
    const file = join(dir, 'many.db');
    const many = Array.from({ length: 4 }, () => createSqliteLedger({ file }));
    await many[0]!.createOrder({ out_trade_no: 'M1', subject: 's', currency: 'USD', total_fee_minor: 5 });
    expect((await many[3]!.getOrder('M1'))!.status).toBe('created');
    await Promise.all(many.map((l) => l.close()));
  });

  it('should throw TypeError without a file', () => {
    expect(() => createSqliteLedger({} as never)).toThrow(/file/);
  });
});
