// P6: reconciliation cost against parsing the same compare file, same run (issue 17). For each
// ledger (SQLite; PostgreSQL when ALIPAY_BENCH_PG_URL or ALIPAY_TEST_PG_URL is set) and each N
// (10^4 and 10^5; with --scale 10^5 and 10^6): reconcileStream() rows/s ÷ parse-only rows/s
// (target >= 0.2 SQLite, >= 0.1 PostgreSQL), peak RSS growth during the run (<= 128 MB), and
// the growth exponent of reconcile time between the two N (<= 1.1). Each measurement runs in
// its own process (bench/lib/p6-child.mjs); a run whose matched rows are not N fails.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildResult } from './lib/p6-run.mjs';
import { row } from './lib/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));

export async function runP6(only = []) {
  const scale = process.argv.includes('--scale') || process.env.P6_SCALE === '1';
  const sizes = scale ? [100_000, 1_000_000] : [10_000, 100_000];
  const pgUrl = process.env.ALIPAY_BENCH_PG_URL ?? process.env.ALIPAY_TEST_PG_URL;
  const ledgers = [['sqlite', 0.2], ...(pgUrl ? [['postgres', 0.1]] : [])];
  if (!pgUrl) console.error('P6: PostgreSQL rows skipped (set ALIPAY_BENCH_PG_URL or ALIPAY_TEST_PG_URL)');
  const rows = [];
  for (const [kind, target] of ledgers) {
    if (
      only.length &&
      !only.some(
        (p) => 'P6'.startsWith(p) || `P6.reconcile.${kind}`.startsWith(p) || p.startsWith(`P6.reconcile.${kind}`),
      )
    )
      continue;
    const times = [];
    for (const N of sizes) {
      console.error(`P6: ${kind} N=${N}…`);
      const r = await startChildResult(join(here, 'lib/p6-child.mjs'), {
        P6_LEDGER: kind,
        P6_N: String(N),
        P6_PG_URL: pgUrl ?? '',
        // Three alternating rounds at every N, medians: a single round timed parse-only cold (the
        // process's first work, before the JIT had warmed) against a reconcile that ran warm,
        // which flattered the ratio at 10⁶ by about 2x.
        P6_ROUNDS: '3',
      });
      if (r.matched !== N) throw new Error(`P6 ${kind} N=${N}: ${r.matched} rows matched, expected ${N}`);
      times.push([N, r.reconcileMs]);
      const notes = `reconcileStream via the gateway client over HTTP (port 0, legacy layout, ${(r.bodyBytes / N).toFixed(0)} B/row) vs parseCompareFile of the same body, medians of 3 alternating rounds; ledger filled with bulk SQL; matched ${r.matched} = N`;
      rows.push(
        row(`P6.reconcile.${kind}.${N}`, (N * 1000) / r.reconcileMs, (N * 1000) / r.parseMs, 'rows/s', `>= ${target}`, {
          reconcile_s: +(r.reconcileMs / 1000).toFixed(2),
          parse_s: +(r.parseMs / 1000).toFixed(3),
          matched: r.matched,
          notes,
        }),
      );
      rows.push(
        row(`P6.reconcile_rss.${kind}.${N}`, r.rssGrowthMB, null, 'MB', '<= 128', {
          peak_rss_mb: Math.round(r.rssPeakMB),
          notes:
            'peak RSS during reconcileStream minus RSS before it (sampled every 10 ms, the largest of the rounds); peak_rss_mb: the process peak while reconciling, the file body held by the test server included',
        }),
      );
    }
    const [[n1, t1], [n2, t2]] = times;
    rows.push(
      row(`P6.reconcile_growth.${kind}`, Math.log(t2 / t1) / Math.log(n2 / n1), null, 'exponent', '<= 1.1', {
        notes: `reconcile time from N=${n1} to N=${n2}`,
      }),
    );
  }
  return rows;
}
