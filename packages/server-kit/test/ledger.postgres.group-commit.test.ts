// Group commit of payment notifications on the PostgreSQL ledger (ledger/postgres-group-commit.ts):
// the calls of one event-loop turn share a transaction, each in a savepoint. The failures are made
// by real triggers in the database, as a DBA's would be. The ledgers have a pool of one connection,
// so the calls of one turn form a single batch. Needs ALIPAY_TEST_PG_URL
// (`source scripts/postgres.sh start`); without it the tests are reported as skipped.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresLedger, type PostgresLedger } from '../src/index.js';
import type { PgPoolLike } from '../src/ledger/postgres-connection.js';

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

  it('should apply the first deliveries of a batch in one set-based statement, store the notifications that move nothing in another, and the rest item by item, each with its own outcome (issue 17)', async () => {
    const schema = `${prefix}_${schemas.length}`;
    schemas.push(schema);
    // The real pool, recording what each batch's connection is sent.
    const real = new pg.Pool({ connectionString: url!, max: 1 });
    const sent: string[] = [];
    const pool = {
      connect: async () => {
        const c = await real.connect();
        return {
          query: (q: string | { text: string }, ...rest: unknown[]) => {
            sent.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').trim().slice(0, 30));
            return (c.query as (...a: unknown[]) => unknown)(q, ...rest);
          },
          release: (e?: boolean | Error) => c.release(e),
        };
      },
      query: real.query.bind(real),
      end: () => real.end(),
      on: real.on.bind(real),
    } as unknown as PgPoolLike;
    const l = createPostgresLedger({ pool, schema });
    opened.push(l);
    await l.ready();
    for (const id of ['F1', 'F2', 'F3', 'D1', 'D2', 'D3', 'C1', 'X1', 'N1'])
      await l.createOrder({ out_trade_no: id, subject: 's', currency: 'USD', total_fee_minor: 5 });
    await l.markPaid('D1', { trade_no: 'T-D1', source: 'notify' });
    // D2 and D3: paid, their hook event not done (D2's pending; D3's claimed, by a hook running elsewhere).
    await l.markPaid('D2', { trade_no: 'T-D2', source: 'notify' });
    await l.markPaid('D3', { trade_no: 'T-D3', source: 'notify' });
    const [d3Event] = await l.claimEvents('D3');
    await l.markClosed('C1', { source: 'sweeper' });
    const [dEvent] = await l.claimEvents('D1');
    await l.completeEvent(dEvent!.id);
    const [cEvent] = await l.claimEvents('C1');
    await l.completeEvent(cEvent!.id);
    sent.length = 0;

    const pay = (
      id: string,
      extra: Partial<Parameters<NonNullable<PostgresLedger['applyPaymentNotification']>>[0]> = {},
    ) =>
      l.applyPaymentNotification!({
        out_trade_no: id,
        to: 'paid',
        trade_no: `T-${id}`,
        source: 'notify',
        notification: note(id),
        claim: {},
        ...extra,
      });
    // One turn: three first deliveries, F1 twice, a duplicate, a late payment, a refused cross-check,
    // an ignored status, two duplicates whose hook has yet to run (one of them without a claim), and
    // D1 again without a claim.
    const r = await Promise.allSettled([
      pay('F1'),
      pay('F2'),
      pay('F1'),
      pay('F3'),
      pay('D1'),
      pay('C1'),
      pay('X1', {
        check: () => {
          throw new Error('amount differs');
        },
      }),
      pay('N1', { to: null }),
      pay('D2'),
      pay('D3'),
      pay('D1', { claim: undefined }),
    ]);
    const value = (i: number) => (r[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof pay>>>).value;
    expect(r.map((x) => x.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected', ...Array(4).fill('fulfilled')]);
    expect(String((r[6] as PromiseRejectedResult).reason)).toContain('amount differs');
    expect([0, 1, 2, 3, 4, 5, 7, 8, 9, 10].map((i) => value(i).outcome)).toEqual([
      'applied',
      'applied',
      'duplicate',
      'applied',
      'duplicate',
      'applied',
      'ignored',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    // The stored repeats answer as the per-item path does: the order as it is, the empty claim.
    expect(value(4)).toEqual({
      changed: false,
      order: await l.getOrder('D1'),
      outcome: 'duplicate',
      events: { claimed: [], busy: [] },
    });
    expect(value(10)).toEqual({ changed: false, order: await l.getOrder('D1'), outcome: 'duplicate' });
    expect(value(7)).toMatchObject({ changed: false, order: { status: 'created' }, events: { claimed: [], busy: [] } });
    // Duplicates whose order still has a hook to run were left to the per-item path, which claimed it.
    expect(value(8).events!.claimed).toMatchObject([{ kind: 'paid', out_trade_no: 'D2' }]);
    expect(value(9).events).toEqual({ claimed: [], busy: [d3Event] });
    // The set-based results are what the per-item path returns: the order as stored, the event claimed.
    for (const i of [0, 1, 3]) {
      const v = value(i);
      expect(v.order).toEqual(await l.getOrder(v.order.out_trade_no));
      expect(v.order).toMatchObject({ status: 'paid', trade_no: `T-${v.order.out_trade_no}` });
      expect(v.events).toEqual({
        claimed: [{ id: expect.any(Number), kind: 'paid', out_trade_no: v.order.out_trade_no, out_return_no: null }],
        busy: [],
      });
      expect(await l.history(v.order.out_trade_no)).toMatchObject([
        { from: null, to: 'created' },
        { from: 'created', to: 'paid', source: 'notify' },
      ]);
    }
    // F1's second notification saw the first one's claimed event as busy.
    expect(value(2).events).toEqual({ claimed: [], busy: value(0).events!.claimed });
    expect(value(5)).toMatchObject({ changed: true, order: { status: 'paid_after_close' } });
    expect(value(5).events!.claimed.map((e) => e.kind)).toEqual(['late_paid']);
    expect((await l.getOrder('X1'))!.status).toBe('created');
    for (const [id, outcomes] of Object.entries({
      F1: ['applied', 'duplicate'],
      F2: ['applied'],
      F3: ['applied'],
      D1: ['duplicate', 'duplicate'],
      D2: ['duplicate'],
      D3: ['duplicate'],
      C1: ['applied'],
      X1: [],
      N1: ['ignored'],
    }))
      expect((await l.listNotifications({ out_trade_no: id })).map((n) => n.outcome).sort(), id).toEqual(outcomes);
    // One transaction: one set-based statement for F1, F2 and F3, one for D1 (twice) and N1; F1
    // again and C1 move item by item, D2 and D3 are stored and claimed item by item; X1 sends nothing.
    expect(sent.filter((t) => t.startsWith('BEGIN'))).toHaveLength(1);
    expect(sent.filter((t) => t.startsWith('WITH i AS'))).toHaveLength(2);
    expect(sent.filter((t) => t.startsWith('WITH moved AS'))).toHaveLength(2); // F1 again, C1
    expect(sent.filter((t) => t.startsWith('INSERT INTO'))).toHaveLength(2); // D2, D3
    expect(sent.filter((t) => t.startsWith('SAVEPOINT') || t.includes('SAVEPOINT item'))).toEqual([]);
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
