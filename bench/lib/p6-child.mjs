// One P6 measurement in its own process (so its peak RSS is its own): a ledger of N paid orders
// filled with bulk SQL (a recursive CTE on SQLite, generate_series on PostgreSQL — the public API
// would take minutes at a million rows), the matching compare file (legacy layout, protocol §8.4,
// ~72 bytes a row) served by a node:http server on port 0, then in alternating rounds:
// parse-only of the body fetched from that server, and reconcileStream() through the real
// gateway client. Sends { type: 'result', … } over IPC.
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCompareFile } from '@alipay-kit/core';
import { createGatewayClient, createPostgresLedger, createSqliteLedger, reconcileStream } from '@alipay-kit/server-kit';

const kind = process.env.P6_LEDGER;
const N = Number(process.env.P6_N);
const rounds = Number(process.env.P6_ROUNDS ?? 1);
const pgUrl = process.env.P6_PG_URL;
const here = dirname(fileURLToPath(import.meta.url));
const requireKit = createRequire(join(here, '../../packages/server-kit/package.json'));
const KEY = 'bench-md5-key-0123456789abcdef';
const PAID_AT = '2026-03-01T04:00:00.000Z'; // 2026-03-01 12:00 Beijing

function compareBody(n) {
  const parts = [];
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    chunk += `ORD-${String(i).padStart(8, '0')}|10.00|USD|20260301120000||P|0.10|P|Tea order no. ${i}\r\n`;
    if (chunk.length > 1 << 16) (parts.push(Buffer.from(chunk)), (chunk = ''));
  }
  parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function sqliteLedger(dir) {
  const file = join(dir, 'ledger.db');
  await createSqliteLedger({ file }).close(); // the schema, as the ledger makes it
  const Database = requireKit('better-sqlite3');
  const db = new Database(file);
  db.exec(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${N})
    INSERT INTO orders (out_trade_no, subject, currency, total_fee_minor, variant, status, trade_no, created_at, updated_at, paid_at)
    SELECT 'ORD-' || printf('%08d', i), 'Tea', 'USD', 1000, 'web', 'paid', 'T' || i, '${PAID_AT}', '${PAID_AT}', '${PAID_AT}' FROM g;
    ANALYZE;`);
  db.close();
  return createSqliteLedger({ file });
}

async function postgresLedger() {
  const schema = `ak_p6_${process.pid}`;
  const ledger = createPostgresLedger({ connectionString: pgUrl, schema, max: 4 });
  await ledger.ready();
  const pg = requireKit('pg');
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(
    `INSERT INTO "${schema}".orders (out_trade_no, subject, currency, total_fee_minor, variant, status, trade_no, created_at, updated_at, paid_at)
    SELECT 'ORD-' || lpad(i::text, 8, '0'), 'Tea', 'USD', 1000, 'web', 'paid', 'T' || i, $1, $1, $1 FROM generate_series(1, ${N}) i`,
    [PAID_AT],
  );
  await c.query(`ANALYZE "${schema}".orders`);
  return { ledger, drop: async () => (await c.query(`DROP SCHEMA "${schema}" CASCADE`), await c.end()) };
}

const dir = mkdtempSync(join(tmpdir(), 'ak-p6-'));
const { ledger, drop } =
  kind === 'sqlite' ? { ledger: await sqliteLedger(dir), drop: async () => {} } : await postgresLedger();
const body = compareBody(N);
const server = createServer((req, res) => {
  let form = '';
  req.on('data', (d) => (form += d));
  req.on('end', () => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(form.includes('forex_compare_file') ? body : 'File download failed:No balance account data in the period');
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/gateway.do`;
const client = createGatewayClient({
  gateway: url,
  partner: '2088101122136241',
  signType: 'MD5',
  md5Key: KEY,
  timeoutMs: 600_000,
});

async function parseOnly() {
  const res = await fetch(url, { method: 'POST', body: 'service=forex_compare_file' });
  let n = 0;
  for await (const batch of parseCompareFile(res.body).batches()) n += batch.length;
  if (n !== N) throw new Error(`parse-only read ${n} rows, expected ${N}`);
}

const ms = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const parse = [];
const rec = [];
let matched = 0;
let peak = 0;
let before = 0;
let peakRss = 0; // the process's peak RSS while reconciling (ledger, file body and server included)
let growth = 0; // the largest peak-RSS growth of any round (the first, on a fresh heap, is the honest one)
for (let r = 0; r < rounds; r++) {
  parse.push(await ms(parseOnly));
  globalThis.gc?.();
  before = process.memoryUsage.rss();
  peak = before;
  // P6_PROFILE=file.cpuprofile: a CPU profile of the (last) reconcile only, for bench/lib/cpuprofile-top.mjs.
  const session = process.env.P6_PROFILE ? new Session() : undefined;
  if (session) (session.connect(), await session.post('Profiler.enable'), await session.post('Profiler.start'));
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  rec.push(
    await ms(async () => {
      const s = await reconcileStream({ client, ledger, startDate: '20260301', endDate: '20260301' });
      matched = s.counts.matched;
      if (s.counts.fileRows !== N || s.counts.missing_in_file !== 0)
        throw new Error(`unexpected summary ${JSON.stringify(s.counts)}`);
    }),
  );
  clearInterval(sampler);
  if (session) writeFileSync(process.env.P6_PROFILE, JSON.stringify((await session.post('Profiler.stop')).profile));
  peak = Math.max(peak, process.memoryUsage.rss());
  growth = Math.max(growth, peak - before);
  peakRss = Math.max(peakRss, peak);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
process.send({
  type: 'result',
  N,
  kind,
  parseMs: med(parse),
  reconcileMs: med(rec),
  matched,
  rssGrowthMB: growth / 2 ** 20,
  rssPeakMB: peakRss / 2 ** 20,
  bodyBytes: body.length,
});
server.close();
await ledger.close();
await drop();
rmSync(dir, { recursive: true, force: true });
process.disconnect?.();
