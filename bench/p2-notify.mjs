// P2: POST /notify throughput of server-kit's alipayRouter (signature verified, order cross-
// checked, notification committed to a SQLite file) against a bare Express route that parses the
// same urlencoded body and answers `success`. autocannon at 64 connections runs here; each server
// runs in its own child process, so load generation never shares the server's event loop.
//   P2.notify         first deliveries: every request pays a fresh `created` order (notify_verify
//                     off, signed here with Key A, protocol §2.7); each round checks that the
//                     ledger stored one `applied` row per timed request.
//   P2.notify_dup     the duplicate path: every order already `paid`; one `duplicate` row per request.
//   P2.notify_verify  the duplicate path with notify_verify on, answered by a sandbox in a third
//                     process: the bodies are the ones that sandbox sent for the trades it paid
//                     (every notify_id is real), their orders already `paid` in the router's
//                     ledger; one `duplicate` row per request.
// Each row: a warm-up, then P2_ROUNDS (≥ 3) alternating rounds of P2_ROUND_SECONDS per server
// (bench/lib/p2-load.mjs); value and baseline are medians, ratio_min/ratio_max the per-round
// extremes, since one round swings by ±0.3 on this shared 2-core machine.
// Env: P2_ORDERS (fresh orders, default 100000), P2_PROFILE=1 (servers under test with
// --cpu-prof into bench/profiles/; summarise with bench/lib/cpuprofile-top.mjs).
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/child.mjs';
import {
  CONNECTIONS,
  ROUND_SECONDS,
  ROUNDS,
  compare,
  feed,
  notificationBody,
  profileArgs,
  startServer,
} from './lib/p2-load.mjs';
import { row } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ORDERS = Number(process.env.P2_ORDERS ?? 100_000);
const DUP_ORDERS = 2000;

/** The row of candidate vs baseline: medians, per-round ratio extremes, p99 and CPU per request. */
export function compareRow(id, target, cand, base, extra = {}) {
  const ratios = cand.rounds.map((v, i) => v / base.rounds[i]);
  return row(id, cand.rps, base.rps, 'req/s', target, {
    ratio_min: Math.round(Math.min(...ratios) * 1000) / 1000,
    ratio_max: Math.round(Math.max(...ratios) * 1000) / 1000,
    rounds: ROUNDS,
    round_rps: cand.rounds.map(Math.round),
    baseline_round_rps: base.rounds.map(Math.round),
    p99_ms: cand.p99,
    baseline_p99_ms: base.p99,
    cpu_us_per_req: Math.round(cand.cpuUsPerReq),
    baseline_cpu_us_per_req: Math.round(base.cpuUsPerReq),
    connections: CONNECTIONS,
    seconds_per_round: ROUND_SECONDS,
    ...extra,
  });
}

export const wanted = (only, id) => !only?.length || only.some((p) => id.startsWith(p));

/** `only`: id prefixes (bench/run.mjs --only); a row runs if one of them is a prefix of its id. */
export async function runP2(only = []) {
  const rows = [];
  const started = [];
  const prefix = 'P2-';
  try {
    const bare = await startServer('baseline (bare Express)', { P2_MODE: 'bare' });
    started.push(bare);
    const router = (label, env, opts) =>
      startServer(label, { P2_MODE: 'router', P2_PREFIX: prefix, P2_NOTIFY_VERIFY: '0', ...env }, opts).then(
        (s) => (started.push(s), s),
      );
    if (wanted(only, 'P2.notify')) {
      console.error(`  P2.notify: signing ${ORDERS} fresh notifications…`);
      const bodies = Array.from({ length: ORDERS }, (_, i) => notificationBody(prefix, i));
      const s = await router(
        'alipayRouter (first deliveries)',
        { P2_ORDERS: String(ORDERS) },
        { execArgv: profileArgs('P2.notify'), expect: 'applied' },
      );
      const [cand, base] = await compare('P2.notify', [s, bare], [feed(bodies, true), feed(bodies, false)]);
      rows.push(compareRow('P2.notify', '>= 0.9', cand, base));
      rows.push(row('P2.notify.p99', cand.p99, base.p99, 'ms p99', '<= 1.2'));
      await s.stop();
    }
    if (wanted(only, 'P2.notify_dup')) {
      const bodies = Array.from({ length: DUP_ORDERS }, (_, i) => notificationBody('P2D-', i));
      const s = await router(
        'alipayRouter (duplicates)',
        { P2_ORDERS: '0', P2_PAID_ORDERS: String(DUP_ORDERS), P2_PAID_PREFIX: 'P2D-' },
        { execArgv: profileArgs('P2.notify_dup'), expect: 'duplicate' },
      );
      const [cand, base] = await compare('P2.notify_dup', [s, bare], [feed(bodies, false), feed(bodies, false)]);
      rows.push(compareRow('P2.notify_dup', '>= 0.7', cand, base));
      await s.stop();
    }
    if (wanted(only, 'P2.notify_verify')) {
      const gw = await startChild(join(here, 'lib/p2-sandbox.mjs'), {
        env: { P2_ORDERS: String(DUP_ORDERS), P2_PREFIX: prefix },
      });
      started.push(gw);
      const s = await router(
        'alipayRouter + notify_verify (duplicates)',
        {
          P2_ORDERS: '0',
          P2_PAID_ORDERS: String(DUP_ORDERS),
          P2_PAID_PREFIX: prefix,
          P2_NOTIFY_VERIFY: '1',
          P2_GATEWAY: gw.info.gateway,
        },
        { execArgv: profileArgs('P2.notify_verify'), expect: 'duplicate' },
      );
      const [cand, base] = await compare(
        'P2.notify_verify',
        [s, bare],
        [feed(gw.info.bodies, false), feed(gw.info.bodies, false)],
      );
      rows.push(compareRow('P2.notify_verify', '>= 0.6', cand, base));
    }
  } finally {
    for (const s of started.reverse()) await s.stop();
  }
  return rows;
}
