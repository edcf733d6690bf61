// P7.notify_pg: the P2 load (64 connections, notify_verify off, first deliveries) against
// alipayRouter on the PostgreSQL ledger ÷ the same against the SQLite ledger, same run, alternating
// rounds (bench/lib/p2-load.mjs). Both routers get the same fresh orders in their own ledger;
// each round checks one `applied` row per timed request. PostgreSQL comes from ALIPAY_TEST_PG_URL
// (`source scripts/postgres.sh start` exports it); without one the row is skipped with a line
// saying so. P7_PG_MAX sets the PostgreSQL pool (default 10).
import { CONNECTIONS, compare, feed, notificationBody, profileArgs, startServer } from './lib/p2-load.mjs';
import { compareRow } from './p2-notify.mjs';

const ORDERS = Number(process.env.P2_ORDERS ?? 100_000);

/** Can `url` be reached? (A TCP connect to its host and port, 2 s at most.) */
async function reachable(url) {
  const { connect } = await import('node:net');
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = connect({ host: u.hostname, port: Number(u.port || 5432), timeout: 2000 });
    const done = (ok) => (sock.destroy(), resolve(ok));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

export async function runP7() {
  const url = process.env.ALIPAY_TEST_PG_URL;
  if (!url || !(await reachable(url))) {
    console.log(
      `P7.notify_pg: skipped — no PostgreSQL ${url ? `reachable at ${new URL(url).host}` : '(ALIPAY_TEST_PG_URL not set; `source scripts/postgres.sh start` provides one)'}`,
    );
    return [];
  }
  const max = process.env.P7_PG_MAX ?? '10';
  const prefix = 'P7-';
  console.error(`  P7.notify_pg: signing ${ORDERS} fresh notifications…`);
  const bodies = Array.from({ length: ORDERS }, (_, i) => notificationBody(prefix, i));
  const env = { P2_MODE: 'router', P2_PREFIX: prefix, P2_ORDERS: String(ORDERS), P2_NOTIFY_VERIFY: '0' };
  const started = [];
  try {
    const pgServer = await startServer(
      `alipayRouter on PostgreSQL (pool ${max})`,
      { ...env, P2_PG_URL: url, P2_PG_MAX: max },
      { execArgv: profileArgs('P7.notify_pg'), expect: 'applied' },
    );
    started.push(pgServer);
    const sqliteServer = await startServer('alipayRouter on SQLite', env, { expect: 'applied' });
    started.push(sqliteServer);
    const [cand, base] = await compare(
      'P7.notify_pg',
      [pgServer, sqliteServer],
      [feed(bodies, true), feed(bodies, true)],
    );
    return [compareRow('P7.notify_pg', '>= 0.7', cand, base, { pg_pool: Number(max), connections: CONNECTIONS })];
  } finally {
    for (const s of started.reverse()) await s.stop();
  }
}
