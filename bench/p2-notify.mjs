// P2: POST /notify throughput of server-kit's alipayRouter (signature verified, order cross-
// checked, notification committed to a SQLite file) against a bare Express route that parses the
// same urlencoded body and answers `success`. autocannon at 64 connections runs here; each server
// runs in its own child process, so load generation never shares the server's event loop.
//   P2.notify         notify_verify off; notifications signed here with Key A (protocol §2.7).
//   P2.notify_verify  notify_verify on, answered by a sandbox in a third process; the bodies are
//                     the ones that sandbox sent for trades it paid, so every notify_id is real.
// Both servers stay up and are loaded in alternating rounds (P2_ROUNDS, default 2, splitting
// P2_SECONDS, default 10 s per server), because this 2-core machine is shared and its load drifts.
// Each row also carries the server's CPU time per request, which drift barely moves.
// Env: P2_ORDERS (default 2000), P2_ONLY=notify|verify, P2_PROFILE=1 (servers under test with
// --cpu-prof into bench/profiles/; summarise with bench/lib/cpuprofile-top.mjs).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { formatBeijingDateTime, md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { startChild } from './lib/child.mjs';
import { KEY_A, ORDER_AMOUNT, orderId } from './lib/constants.mjs';
import { median, row } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.P2_SECONDS ?? 10);
const ORDERS = Number(process.env.P2_ORDERS ?? 2000);
const CONNECTIONS = 64;
const ROUNDS = Number(process.env.P2_ROUNDS ?? 2);

/** A §3.9 payment notification for the i-th order, MD5-signed with Key A. */
function notificationBody(prefix, i) {
  const p = {
    notify_id: randomBytes(17).toString('hex'),
    notify_type: 'trade_status_sync',
    notify_time: formatBeijingDateTime(Date.now()),
    out_trade_no: orderId(prefix, i),
    trade_no: `202611252200${String(i).padStart(16, '0')}`,
    total_fee: ORDER_AMOUNT,
    currency: 'USD',
    trade_status: 'TRADE_FINISHED',
  };
  return encodeForm({ ...p, sign: md5Sign(p, KEY_A), sign_type: 'MD5' });
}

/** autocannon against `port` for `seconds`, each request one of `bodies` in turn. */
async function load(port, bodies, seconds) {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/alipay/notify`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
      },
    ],
  });
  if (result.errors || result.timeouts || result.non2xx) throw new Error(`P2: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, total: result.requests.total };
}

/** Warm a server up, then run `ROUNDS` alternating rounds against the servers of `pair`. */
async function compare(id, servers, bodies) {
  const perRound = Math.max(1, Math.round(SECONDS / ROUNDS));
  const out = servers.map(() => ({ rps: [], p99: [], requests: 0, cpuUs: 0, fails: 0, failCodes: {} }));
  for (const s of servers) await load(s.info.port, bodies, Math.min(3, perRound)); // JIT, SQLite cache, first markPaid per order
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order each round so drift on this shared machine hits both alike.
    const order = r % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
    for (const i of order) {
      await servers[i].request({ type: 'reset' });
      const res = await load(servers[i].info.port, bodies, perRound);
      const st = await servers[i].request({ type: 'stats' });
      out[i].rps.push(res.rps);
      out[i].p99.push(res.p99);
      // Honesty check: every notification received is a committed row (`success` is answered only after COMMIT).
      if (servers[i].stores && st.stored !== st.requests) throw new Error(`P2 ${id} ${servers[i].label}: ${st.requests} notifications received but ${st.stored} notification rows stored`);
      out[i].requests += st.requests;
      out[i].cpuUs += st.cpuUs;
      out[i].fails += st.fails;
      for (const [k, v] of Object.entries(st.failCodes)) out[i].failCodes[k] = (out[i].failCodes[k] ?? 0) + v;
    }
  }
  return out.map((o, i) => {
    if (o.fails > 0) throw new Error(`P2 ${id} ${servers[i].label}: ${o.fails} of ${o.requests} notifications answered fail ${JSON.stringify(o.failCodes)}`);
    const m = { rps: median(o.rps), p99: median(o.p99), cpuUsPerReq: o.cpuUs / o.requests };
    console.error(`  ${id} ${servers[i].label}: ${m.rps.toFixed(0)} req/s, p99 ${m.p99} ms, ${m.cpuUsPerReq.toFixed(0)} µs CPU/request (rounds: ${o.rps.map((x) => x.toFixed(0)).join(', ')} req/s)`);
    return m;
  });
}

function profileArgs(name) {
  if (process.env.P2_PROFILE !== '1') return [];
  const dir = join(here, 'profiles');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

async function server(label, env, execArgv = []) {
  const s = await startChild(join(here, 'lib/p2-server.mjs'), { env, execArgv });
  s.label = label;
  s.stores = env.P2_MODE === 'router';
  return s;
}

function rowsFor(id, target, cand, base, p99Row) {
  const extra = { p99_ms: cand.p99, baseline_p99_ms: base.p99, cpu_us_per_req: Math.round(cand.cpuUsPerReq), baseline_cpu_us_per_req: Math.round(base.cpuUsPerReq), connections: CONNECTIONS, seconds: SECONDS };
  const rows = [row(id, cand.rps, base.rps, 'req/s', target, extra)];
  if (p99Row) rows.push(row(`${id}.p99`, cand.p99, base.p99, 'ms p99', '<= 1.5'));
  return rows;
}

export async function runP2() {
  const rows = [];
  const prefix = 'P2-';
  const only = process.env.P2_ONLY;
  const started = [];
  try {
    const bare = await server('baseline (bare Express)', { P2_MODE: 'bare' });
    started.push(bare);
    if (only !== 'verify') {
      const local = Array.from({ length: ORDERS }, (_, i) => notificationBody(prefix, i));
      const router = await server('alipayRouter', { P2_MODE: 'router', P2_ORDERS: String(ORDERS), P2_PREFIX: prefix, P2_NOTIFY_VERIFY: '0' }, profileArgs('P2.notify'));
      started.push(router);
      const [cand, base] = await compare('P2.notify', [router, bare], local);
      rows.push(...rowsFor('P2.notify', '>= 0.7', cand, base, true));
      await router.stop();
    }
    if (only !== 'notify') {
      const gw = await startChild(join(here, 'lib/p2-sandbox.mjs'), { env: { P2_ORDERS: String(ORDERS), P2_PREFIX: prefix } });
      started.push(gw);
      const router = await server('alipayRouter + notify_verify', { P2_MODE: 'router', P2_ORDERS: String(ORDERS), P2_PREFIX: prefix, P2_NOTIFY_VERIFY: '1', P2_GATEWAY: gw.info.gateway }, profileArgs('P2.notify_verify'));
      started.push(router);
      const [cand, base] = await compare('P2.notify_verify', [router, bare], gw.info.bodies);
      rows.push(...rowsFor('P2.notify_verify', '>= 0.4', cand, base, false));
    }
  } finally {
    for (const s of started.reverse()) await s.stop();
  }
  return rows;
}
