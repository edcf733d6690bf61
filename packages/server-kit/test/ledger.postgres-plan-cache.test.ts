// The PostgreSQL ledger's prepared statements as its tables grow (issue 17). PostgreSQL plans a
// prepared statement generically from its sixth execution on a connection and keeps that plan
// until the next ANALYZE of the table. On a new ledger the tables are nearly empty then, so the
// plan is a sequential scan; under a launch-day load that first minute scanned every order and
// every event per statement. The ledger's transactions price sequential scans out while their
// statements are planned (`_BEGIN` in postgres-connection.ts) and its autocommit statements are
// not prepared, so after the tables grow by 200,000 rows — without an ANALYZE — not one
// statement reads them sequentially.
// One connection (pool of 1), so the statements, their plans and the table counters are one
// session's. Needs ALIPAY_TEST_PG_URL (scripts/postgres.sh start).
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresLedger, type PaymentNotificationInput, type PostgresLedger } from '../src/index.js';

const url = process.env.ALIPAY_TEST_PG_URL;
if (!url) console.warn('PostgreSQL plan-cache test skipped: ALIPAY_TEST_PG_URL not set');
const schema = `ak_plancache${process.pid}_${Date.now().toString(36)}`;
const s = `"${schema}"`;

describe.skipIf(!url)('PostgreSQL ledger: prepared statements as the tables grow (issue 17)', () => {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let ledger: PostgresLedger;
  afterAll(async () => {
    await ledger?.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pool.end();
  });

  let next = 0;
  const fresh = () => 'O' + String(next++).padStart(8, '0');
  /** A payment notification whose hook runs and completes, as the router does it. */
  const pay = async (id: string): Promise<void> => {
    const r = await ledger.applyPaymentNotification({
      out_trade_no: id,
      to: 'paid',
      trade_no: 'T' + id,
      source: 'notify',
      check: () => {},
      notification: {
        notify_id: 'n' + id,
        notify_type: 'trade_status_sync',
        out_trade_no: id,
        out_return_no: null,
        status: 'TRADE_FINISHED',
        params: { out_trade_no: id },
      },
      claim: { staleMs: 300_000 },
    } satisfies PaymentNotificationInput);
    for (const event of r.events?.claimed ?? []) await ledger.completeEvent(event.id);
  };
  /** Every statement of the notification path once: per-item, set-based first deliveries, duplicates, claims, hook completions, reads. */
  const round = async () => {
    await pay(fresh());
    await Promise.all([pay(fresh()), pay(fresh()), pay(fresh())]);
    await Promise.all([pay('O00000000'), pay('O00000001')]);
    await ledger.claimEvents('O00000000');
    await ledger.getOrder('O00000002');
  };
  /** Rows read by sequential scans so far, per table (the session's counters flushed first). */
  const seqRead = async (): Promise<Record<string, number>> => {
    await pool.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await pool.query('SELECT relname, seq_tup_read FROM pg_stat_user_tables WHERE schemaname = $1', [
      schema,
    ]);
    return Object.fromEntries(
      rows.map((r: { relname: string; seq_tup_read: string }) => [r.relname, Number(r.seq_tup_read)]),
    );
  };

  it('should not scan orders or events sequentially once they have grown, before any ANALYZE', async () => {
    const { rows } = await pool.query(`SELECT current_setting('server_version_num')::int AS v`);
    expect(rows[0].v, 'pg_stat_force_next_flush() needs PostgreSQL 15').toBeGreaterThanOrEqual(150000);
    ledger = createPostgresLedger({ pool, schema });
    await ledger.ready();
    await pool.query(`INSERT INTO ${s}.orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at)
      SELECT 'O' || lpad(i::text, 8, '0'), 'Tea', 'USD', 1000, 'web', 'created', now(), now() FROM generate_series(0, 199) i;
      ANALYZE ${s}.orders; ANALYZE ${s}.events;`);
    // Ten rounds on the small tables: every prepared statement passes its sixth execution.
    for (let r = 0; r < 10; r++) await round();
    await pool.query(`
      INSERT INTO ${s}.events (kind, out_trade_no, state) SELECT 'paid', 'X' || i, 'done' FROM generate_series(1, 200000) i;
      INSERT INTO ${s}.orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at)
      SELECT 'P' || lpad(i::text, 8, '0'), 'Tea', 'USD', 1000, 'web', 'paid', now(), now() FROM generate_series(0, 199999) i;`);
    const before = await seqRead();
    for (let r = 0; r < 5; r++) await round();
    const after = await seqRead();
    // One sequential pass over either table reads 200,000 rows or more.
    expect(after.orders! - before.orders!).toBeLessThan(1000);
    expect(after.events! - before.events!).toBeLessThan(1000);
    expect((await ledger.getOrder('O00000003'))?.status).toBe('paid');
  });
});
