// The P2 load: signed notification bodies, autocannon at 64 connections, alternating rounds of
// two servers (bench/lib/p2-server.mjs children) with per-round honesty checks. Shared by P2
// (router vs bare Express) and P7 (PostgreSQL ledger vs SQLite ledger).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { formatBeijingDateTime, md5Sign } from '@alipay-kit/core';
import { encodeForm } from '@alipay-kit/core/encoding';
import { startChild } from './child.mjs';
import { KEY_A, ORDER_AMOUNT, orderId } from './constants.mjs';
import { median } from './results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const CONNECTIONS = 64;
/** Timed rounds per row (each server once per round); the row reports the median. */
export const ROUNDS = Math.max(3, Number(process.env.P2_ROUNDS ?? 3));
/** Seconds of load per server per round. */
export const ROUND_SECONDS = Number(process.env.P2_ROUND_SECONDS ?? 3);
/** Seconds of warm-up per server before the timed rounds. */
export const WARMUP_SECONDS = Number(process.env.P2_WARMUP_SECONDS ?? 2);

/** A §3.9 payment notification for the i-th order of `prefix`, MD5-signed with Key A (§2.7). */
export function notificationBody(prefix, i) {
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

/**
 * The bodies a server is sent, in turn. `fresh`: each body once, across warm-up and every round
 * (a first delivery each, so a run needs at least as many orders as requests; running out throws
 * rather than silently measuring duplicates). Otherwise they cycle.
 */
export function feed(bodies, fresh) {
  let i = 0;
  return {
    fresh,
    next() {
      if (fresh && i >= bodies.length) throw new Error(`P2: all ${bodies.length} fresh orders used; raise P2_ORDERS`);
      return bodies[i++ % bodies.length];
    },
    get used() {
      return i;
    },
  };
}

/** autocannon against `port` for `seconds`, each request the feed's next body. */
export async function load(port, source, seconds) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/alipay/notify`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: source.next() }),
      },
    ],
  });
  if (result.errors || result.timeouts || result.non2xx)
    throw new Error(`P2: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  return { rps: result.requests.average, p99: result.latency.p99, total: result.requests.total };
}

/** One P2 server child (`env` as bench/lib/p2-server.mjs reads it). `expect`: 'applied' | 'duplicate' | undefined. */
export async function startServer(label, env, { execArgv = [], expect } = {}) {
  const s = await startChild(join(here, 'p2-server.mjs'), { env, execArgv, timeoutMs: 600_000 });
  return Object.assign(s, { label, stores: env.P2_MODE === 'router', expect });
}

/** `--cpu-prof` arguments when P2_PROFILE=1 (profiles in bench/profiles/, see bench/lib/cpuprofile-top.mjs). */
export function profileArgs(name) {
  if (process.env.P2_PROFILE !== '1') return [];
  const dir = join(here, '..', 'profiles');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

/**
 * Warm each server up, then `ROUNDS` alternating rounds. `feeds[i]` is server i's body feed.
 * Per round and server: a progress line, and the honesty checks (every request a stored row;
 * for a first-delivery feed, every request an `applied` row; for the duplicate path, every
 * request a `duplicate` row). Returns per server: median rps and p99, per-round rps, CPU µs/request.
 */
export async function compare(id, servers, feeds) {
  const out = servers.map(() => ({ rps: [], p99: [], requests: 0, cpuUs: 0, fails: 0, failCodes: {} }));
  for (const [i, s] of servers.entries()) await load(s.info.port, feeds[i], WARMUP_SECONDS);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
    for (const i of order) {
      const s = servers[i];
      await s.request({ type: 'reset' });
      const res = await load(s.info.port, feeds[i], ROUND_SECONDS);
      const st = await s.request({ type: 'stats' });
      if (s.stores && st.stored !== st.requests)
        throw new Error(
          `${id} ${s.label}: ${st.requests} notifications received but ${st.stored} notification rows stored`,
        );
      if (s.expect && st[s.expect] !== st.requests)
        throw new Error(`${id} ${s.label}: ${st.requests} timed requests but ${st[s.expect]} '${s.expect}' rows`);
      out[i].rps.push(res.rps);
      out[i].p99.push(res.p99);
      out[i].requests += st.requests;
      out[i].cpuUs += st.cpuUs;
      out[i].fails += st.fails;
      for (const [k, v] of Object.entries(st.failCodes)) out[i].failCodes[k] = (out[i].failCodes[k] ?? 0) + v;
      const checked = s.expect ? `, ${st[s.expect]} ${s.expect} rows` : s.stores ? `, ${st.stored} rows` : '';
      console.error(
        `  ${id} round ${r + 1}/${ROUNDS} ${s.label}: ${res.rps.toFixed(0)} req/s, p99 ${res.p99} ms (${st.requests} requests${checked})`,
      );
    }
  }
  return out.map((o, i) => {
    if (o.fails > 0)
      throw new Error(
        `${id} ${servers[i].label}: ${o.fails} of ${o.requests} notifications answered fail ${JSON.stringify(o.failCodes)}`,
      );
    return { rps: median(o.rps), p99: median(o.p99), rounds: o.rps, p99s: o.p99, cpuUsPerReq: o.cpuUs / o.requests };
  });
}

/** Fresh orders needed for one first-delivery server: warm-up plus every round at `maxRps`. */
export const ordersFor = (maxRps) => Math.ceil(maxRps * (WARMUP_SECONDS + ROUNDS * ROUND_SECONDS) * 1.2);
