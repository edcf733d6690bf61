// Group commit of payment notifications on the PostgreSQL ledger (ledger/postgres-group-commit.ts):
// the calls of one event-loop turn share a transaction, each in a savepoint. The failures are made
// by real triggers in the database, as a DBA's would be. The ledgers have a pool of one connection,
// so the calls of one turn form a single batch. Needs ALIPAY_TEST_PG_URL
// (`source scripts/postgres.sh start`); without it the tests are reported as skipped.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresLedger, type PostgresLedger } from '../src/index.js';

const url = process.env.ALIPAY_TEST_PG_URL;
if (!url)
  console.warn(
    'PostgreSQL group-commit tests skipped: ALIPAY_TEST_PG_URL not set (`source scripts/postgres.sh start` provides it)',
  );

const prefix = `ak_gc${process.pid}_${Date.now().toString(36)}`;
const schemas: string[] = [];
const opened: PostgresLedger[] = [];

async function sql(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url! });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  await Promise.all(opened.map((l) => l.close().catch(() => {})));
  if (url) for (const s of schemas) await sql(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
});

const note = (id: string) => ({
  notify_id: `n-${id}`,
  notify_type: 'trade_status_sync',
  out_trade_no: id,
  out_return_no: null,
  status: 'TRADE_FINISHED',
  params: { out_trade_no: id },
});
const apply = (l: PostgresLedger, id: string) =>
  l.applyPaymentNotification!({
    out_trade_no: id,
    to: 'paid',
    trade_no: `T-${id}`,
    source: 'notify',
    notification: note(id),
  });

async function ledgerWith(
  trigger: (s: string) => string,
  schema = `${prefix}_${schemas.length}`,
): Promise<PostgresLedger> {
  if (!schemas.includes(schema)) schemas.push(schema);
  // Pool of one: a turn's queue is split into at most `max` batches, so all three items share one.
  const l = createPostgresLedger({ connectionString: url!, schema, max: 1 });
  opened.push(l);
  await l.ready();
  for (const id of ['G1', 'G2', 'G3'])
    await l.createOrder({ out_trade_no: id, subject: 's', currency: 'USD', total_fee_minor: 5 });
  const t = trigger(`"${schema}"`);
  if (t) await sql(t);
  return l;
}

describe.skipIf(!url)('PostgreSQL ledger: group commit of payment notifications', () => {
  it('should roll back only the item that failed in the database, keeping the rest of the batch', async () => {
    const l = await ledgerWith(
      (
        s,
      ) => `CREATE FUNCTION ${s}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by trigger'; END $$;
              CREATE TRIGGER no_g2 BEFORE INSERT ON ${s}.notifications FOR EACH ROW WHEN (NEW.out_trade_no = 'G2') EXECUTE FUNCTION ${s}.refuse();`,
    );
    const r = await Promise.allSettled(['G1', 'G2', 'G3'].map((id) => apply(l, id)));
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((r[1] as PromiseRejectedResult).reason)).toContain('refused by trigger');
    expect((await l.getOrder('G2'))!.status).toBe('created'); // its transition rolled back with its savepoint
    expect(await l.history('G2')).toHaveLength(1);
    expect(await l.claimEvents('G2')).toEqual([]);
    for (const id of ['G1', 'G3']) {
      expect((await l.getOrder(id))!.status, id).toBe('paid');
      expect(
        (await l.listNotifications({ out_trade_no: id })).map((n) => n.outcome),
        id,
      ).toEqual(['applied']);
    }
  });

  it('should reject every item of a batch whose COMMIT fails, storing none of it', async () => {
    // A deferred constraint trigger runs at COMMIT: the whole transaction fails there.
    const l = await ledgerWith(
      (
        s,
      ) => `CREATE FUNCTION ${s}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
              CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON ${s}.notifications DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.out_trade_no = 'G3') EXECUTE FUNCTION ${s}.refuse();`,
    );
    const r = await Promise.allSettled(['G1', 'G2', 'G3'].map((id) => apply(l, id)));
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const id of ['G1', 'G2', 'G3']) {
      expect((await l.getOrder(id))!.status, id).toBe('created');
      expect(await l.listNotifications({ out_trade_no: id }), id).toEqual([]);
    }
    // the next turn's batch is a fresh transaction
    expect((await apply(l, 'G1')).outcome).toBe('applied');
  });

  it('should keep each item of a batch its own outcome when one order is notified twice in it', async () => {
    const l = await ledgerWith(() => '');
    const r = await Promise.all([apply(l, 'G1'), apply(l, 'G1'), apply(l, 'G2')]);
    expect(r.map((x) => x.outcome).sort()).toEqual(['applied', 'applied', 'duplicate']);
    expect((await l.listNotifications({ out_trade_no: 'G1' })).map((n) => n.outcome).sort()).toEqual([
      'applied',
      'duplicate',
    ]);
    expect(await l.claimEvents('G1')).toHaveLength(1);
  });

  it('should commit what was queued when the ledger is closed in the same turn', async () => {
    const schema = `${prefix}_${schemas.length}`;
    const a = await ledgerWith(() => '', schema);
    const pending = apply(a, 'G1');
    await a.close();
    expect((await pending).outcome).toBe('applied');
    const b = createPostgresLedger({ connectionString: url!, schema, max: 2 });
    opened.push(b);
    expect((await b.getOrder('G1'))!.status).toBe('paid');
  });
});
