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

runLedgerContract('SQLite file (WAL)', () => createSqliteLedger({ file: join(dir, `l${n++}.db`), now: () => new Date(clock++) }), {
  advance: (ms) => (clock += ms),
});

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
    const note = (id: string) => ({ notify_id: `n-${id}`, notify_type: 'trade_status_sync', out_trade_no: id, out_return_no: null, status: 'TRADE_FINISHED', params: { out_trade_no: id } });
    const apply = (l: ReturnType<typeof createSqliteLedger>, id: string) => l.applyPaymentNotification!({ out_trade_no: id, to: 'paid', trade_no: `T-${id}`, source: 'notify', notification: note(id) });
    async function ledgerWith(trigger: string) {
      const file = join(dir, `gc${n++}.db`);
      const l = createSqliteLedger({ file });
      for (const id of ['G1', 'G2', 'G3']) await l.createOrder({ out_trade_no: id, subject: 's', currency: 'USD', total_fee_minor: 5 });
      const side = new Database(file); // a schema change from outside, as a DBA's trigger would be
      side.exec(trigger);
      side.close();
      return l;
    }

    it('should roll back only the statement that failed in the database, keeping the rest of the batch', async () => {
      const l = await ledgerWith(`CREATE TRIGGER no_g2 BEFORE INSERT ON notifications WHEN NEW.out_trade_no = 'G2' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;`);
      const r = await Promise.allSettled(['G1', 'G2', 'G3'].map((id) => apply(l, id)));
      expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await l.getOrder('G2'))!.status).toBe('created'); // its transition rolled back with its savepoint
      expect(await l.history('G2')).toHaveLength(1);
      expect((await l.getOrder('G1'))!.status).toBe('paid');
      expect((await l.getOrder('G3'))!.status).toBe('paid');
      await l.close();
    });

    it('should reject every call of a batch whose transaction SQLite rolled back, storing none of it', async () => {
      const l = await ledgerWith(`CREATE TRIGGER rb BEFORE INSERT ON notifications WHEN NEW.out_trade_no = 'G3' BEGIN SELECT RAISE(ROLLBACK, 'whole transaction rolled back'); END;`);
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

  it('should throw TypeError without a file', () => {
    expect(() => createSqliteLedger({} as never)).toThrow(/file/);
  });
});
