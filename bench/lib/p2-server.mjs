// The server under test for P2, run in its own process (bench/lib/child.mjs).
//   P2_MODE=router: server-kit's alipayRouter on Express, a SQLite ledger file in a temp dir
//                   (or, with P2_PG_URL, the PostgreSQL ledger in a fresh schema, pool P2_PG_MAX),
//                   P2_ORDERS orders `created` (P2_PREFIX) and P2_PAID_ORDERS orders already
//                   `paid` (P2_PAID_PREFIX, for the duplicate path), notify_verify per
//                   P2_NOTIFY_VERIFY against P2_GATEWAY (the sandbox process). Orders are written
//                   with bulk SQL (one INSERT per 5,000): the public API would take minutes to
//                   fill tens of thousands on PostgreSQL, and what is measured is the notification.
//   P2_MODE=bare:   the baseline: one Express route that parses the urlencoded body and
//                   answers `success`.
// Sends { type: 'ready', port } and answers { type: 'stats' } with its counters.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';
import Database from 'better-sqlite3';
import { alipayRouter, createGatewayClient, createPostgresLedger, createSqliteLedger } from '@alipay-kit/server-kit';
import { KEY_A, ORDER_MINOR, PARTNER_A, TOKEN_SECRET, orderId } from './constants.mjs';

const mode = process.env.P2_MODE ?? 'router';
const stats = { requests: 0, fails: 0, paid: 0, failCodes: {} };
const app = express();
let cleanup = async () => {};
let ledgerRef;
// Requests received and not yet answered: stats wait for them, so each is counted with its row.
let inflight = 0;

if (mode === 'bare') {
  app.post('/alipay/notify', express.urlencoded({ extended: false, limit: '64kb' }), function bareNotify(req, res) {
    stats.requests++;
    if (typeof req.body?.out_trade_no !== 'string') stats.fails++;
    res.type('text/plain').send('success');
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'ak-bench-p2-'));
  const orders = Number(process.env.P2_ORDERS ?? 2000);
  const prefix = process.env.P2_PREFIX ?? 'P2-';
  const paidOrders = Number(process.env.P2_PAID_ORDERS ?? 0);
  const paidPrefix = process.env.P2_PAID_PREFIX ?? 'P2D-';
  const pgUrl = process.env.P2_PG_URL;
  const at = new Date().toISOString();
  // (id, status) of every order to write, in chunks of 5,000.
  const all = [
    ...Array.from({ length: orders }, (_, i) => [orderId(prefix, i), 'created']),
    ...Array.from({ length: paidOrders }, (_, i) => [orderId(paidPrefix, i), 'paid']),
  ];
  const chunks = [];
  for (let i = 0; i < all.length; i += 5000) chunks.push(all.slice(i, i + 5000));
  let ledger;
  if (pgUrl) {
    const schema = `ak_bench_${process.pid}_${Date.now().toString(36)}`;
    const pg = createRequire(import.meta.resolve('@alipay-kit/server-kit'))('pg');
    const pool = new pg.Pool({ connectionString: pgUrl, max: Number(process.env.P2_PG_MAX ?? 10) });
    ledger = createPostgresLedger({ pool, schema });
    await ledger.ready();
    for (const c of chunks) {
      await pool.query(
        `INSERT INTO "${schema}".orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at, paid_at)
         SELECT id, 'Bench tea', 'USD', $3, 'web', st, $4, $4, CASE WHEN st = 'paid' THEN $4::timestamptz END FROM unnest($1::text[], $2::text[]) AS t(id, st)`,
        [c.map((x) => x[0]), c.map((x) => x[1]), ORDER_MINOR, at],
      );
    }
    cleanup = async () => {
      await ledger.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    // Diagnostic only: P2_LEDGER_MODULE points at a patched copy of the SQLite ledger to measure
    // what a proposed server-kit fix would gain. Unset in every reported run.
    const makeLedger = process.env.P2_LEDGER_MODULE
      ? (await import(process.env.P2_LEDGER_MODULE)).createSqliteLedger
      : createSqliteLedger;
    const file = join(dir, 'ledger.db');
    await makeLedger({ file }).close(); // creates the schema
    const db = new Database(file);
    const ins = db.prepare(
      `INSERT INTO orders (out_trade_no, subject, currency, total_fee_minor, variant, status, created_at, updated_at, paid_at) VALUES (?, 'Bench tea', 'USD', ?, 'web', ?, ?, ?, ?)`,
    );
    for (const c of chunks)
      db.transaction(() => c.forEach(([id, st]) => ins.run(id, ORDER_MINOR, st, at, at, st === 'paid' ? at : null)))();
    db.close();
    ledger = makeLedger({ file });
    cleanup = async () => {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  ledgerRef = ledger;
  const client = createGatewayClient({
    gateway: process.env.P2_GATEWAY || 'http://127.0.0.1:9/gateway.do',
    partner: PARTNER_A,
    signType: 'MD5',
    md5Key: KEY_A,
    retry: { limit: 0 },
    timeoutMs: 10_000,
  });
  app.use((req, res, next) => {
    stats.requests++;
    inflight++;
    res.once('finish', () => void inflight--);
    next();
  });
  app.use(
    '/alipay',
    alipayRouter({
      client,
      ledger,
      tokenSecret: TOKEN_SECRET,
      notifyUrl: 'http://127.0.0.1/alipay/notify',
      returnUrl: 'http://127.0.0.1/alipay/return',
      resolveOrder: () => ({ amount: '10.00', currency: 'USD', subject: 'Bench tea' }),
      notifyVerify: process.env.P2_NOTIFY_VERIFY === '1',
      onPaid: () => void stats.paid++,
      logger: {
        warn(message, fields) {
          if (message.startsWith('alipay notify answered fail')) {
            stats.fails++;
            const code = String(fields?.code ?? '?');
            stats.failCodes[code] = (stats.failCodes[code] ?? 0) + 1;
          }
        },
      },
    }),
  );
}

let cpuAtReset = process.cpuUsage();
// Notification rows committed since the last reset, by outcome: every `success` must be a stored
// row, and a first-delivery run must have stored one `applied` row per request.
let storedAtReset = { stored: 0, applied: 0, duplicate: 0 };
async function storedNow() {
  const out = { stored: 0, applied: 0, duplicate: 0 };
  if (mode === 'bare') return out;
  for (const n of await ledgerRef.listNotifications()) {
    out.stored++;
    if (n.outcome === 'applied') out.applied++;
    if (n.outcome === 'duplicate') out.duplicate++;
  }
  return out;
}
const server = createServer(app);
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('message', async (m) => {
  if (m?.type === 'stats') {
    const cpu = process.cpuUsage(cpuAtReset);
    // Requests the load generator gave up on at the end of its round are still processed: wait
    // (up to 10 s) until every request received has its row, or its answer was sent.
    for (let t = 0; t < 100; t++) {
      if (inflight === 0 && (mode === 'bare' || (await storedNow()).stored - storedAtReset.stored >= stats.requests))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const now = await storedNow();
    const since = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - storedAtReset[k]]));
    process.send({ type: 'stats', ...stats, cpuUs: cpu.user + cpu.system, ...since });
  }
  if (m?.type === 'reset') {
    Object.assign(stats, { requests: 0, fails: 0, paid: 0, failCodes: {} });
    storedAtReset = await storedNow();
    cpuAtReset = process.cpuUsage();
    process.send({ type: 'reset' });
  }
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => cleanup().finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
