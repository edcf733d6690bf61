#!/usr/bin/env node
// Diagnostic (not a bench row): the SQLite ledger's own CPU per payment notification, without
// HTTP: `applyPaymentNotification` with a hook claim, then `completeEvent` for what it claimed,
// 64 in flight (so the group commit batches them as P2 does), on N fresh `created` orders (first
// deliveries), then the same N again (duplicates). The outcome counts prove which path ran.
// With LEDGER_PG_URL, the PostgreSQL ledger in a fresh schema instead, and the CPU the
// PostgreSQL server's processes spent too (from /proc: Linux, server on this machine).
// IN_FLIGHT (64) sets how many notifications are in flight: about the size of each batch.
// Usage: [LEDGER_PG_URL=postgres://…] [IN_FLIGHT=14] node bench/lib/ledger-write-cost.mjs [N=40000]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPostgresLedger, createSqliteLedger } from '@alipay-kit/server-kit';

const N = Number(process.argv[2] ?? 40_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);
const pgUrl = process.env.LEDGER_PG_URL;
const id = (i) => 'O' + String(i).padStart(8, '0');
const dir = mkdtempSync(join(tmpdir(), 'ak-ledger-write-'));
const schema = `ak_write_cost_${process.pid}`;
let ledger;
let dropSchema = async () => {};
if (pgUrl) {
  const pg = createRequire(import.meta.resolve('@alipay-kit/server-kit'))('pg');
  const pool = new pg.Pool({ connectionString: pgUrl, max: 10 });
  ledger = createPostgresLedger({ pool, schema });
  await ledger.ready();
  await pool.query(
    `INSERT INTO "${schema}".orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at)
     SELECT 'O' || lpad(i::text, 8, '0'), 'Bench tea', 'USD', 1000, 'web', 'created', now(), now() FROM generate_series(0, $1 - 1) i`,
    [2 * N],
  );
  await pool.query(`ANALYZE "${schema}".orders`);
  dropSchema = async () => (await pool.query(`DROP SCHEMA "${schema}" CASCADE`), await pool.end());
} else {
  const file = join(dir, 'ledger.db');
  await createSqliteLedger({ file }).close(); // creates the schema
  // Orders written with bulk SQL: what is measured is the notification, not order creation.
  const db = new Database(file);
  const at = new Date().toISOString();
  const ins = db.prepare(
    `INSERT INTO orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at) VALUES (?, 'Bench tea', 'USD', 1000, 'web', 'created', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < 2 * N; i++) ins.run(id(i), at, at);
  })();
  db.close();
  ledger = createSqliteLedger({ file });
}

/** CPU µs of every process named postgres on this machine (0 when there is none). */
function postgresCpuUs() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * 10_000; // USER_HZ 100
}
const params = {
  notify_id: 'n'.repeat(34),
  notify_type: 'trade_status_sync',
  notify_time: '2026-11-25 22:00:00',
  trade_no: '2026112522000000000000000001',
  total_fee: '10.00',
  currency: 'USD',
  trade_status: 'TRADE_FINISHED',
  sign: 's'.repeat(32),
  sign_type: 'MD5',
};

async function notify(outTradeNo) {
  const r = await ledger.applyPaymentNotification({
    out_trade_no: outTradeNo,
    to: 'paid',
    trade_no: params.trade_no,
    source: 'notify',
    check: () => {},
    notification: {
      notify_id: params.notify_id,
      notify_type: params.notify_type,
      out_trade_no: outTradeNo,
      out_return_no: null,
      status: params.trade_status,
      params: { ...params, out_trade_no: outTradeNo },
    },
    claim: { staleMs: 300_000 },
  });
  for (const ev of r.events?.claimed ?? []) await ledger.completeEvent(ev.id);
  return r.outcome;
}

async function run(label, first) {
  let next = 0;
  const outcomes = {};
  const cpu = process.cpuUsage();
  const pgBefore = pgUrl ? postgresCpuUs() : 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < N) {
        const o = await notify(id(first + next++));
        outcomes[o] = (outcomes[o] ?? 0) + 1;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const pgUs = pgUrl ? ` + PostgreSQL ${((postgresCpuUs() - pgBefore) / N).toFixed(1)} µs` : '';
  console.log(
    `${label.padEnd(16)} ${((used.user + used.system) / N).toFixed(1)} µs CPU per notification${pgUs} ${JSON.stringify(outcomes)}`,
  );
}

await run('warm-up (first)', N);
await run('first deliveries', 0);
await run('duplicates', 0);
await ledger.close();
await dropSchema();
rmSync(dir, { recursive: true, force: true });
