// Runs every test suite (vitest in Node, the browser suites in Chromium, Firefox and WebKit,
// end to end) and prints one closing line `N passed, N failed` summed over all of them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Run one suite, streaming its output live while keeping a copy to read the counts from. */
function runSuite(root, name, cmd, args, env = {}) {
  console.log(`\n━━ ${name} ━━`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const chunks = [];
    const keep = (stream, sink) =>
      child[stream].on('data', (d) => {
        chunks.push(d);
        sink.write(d);
      });
    keep('stdout', process.stdout);
    keep('stderr', process.stderr);
    child.on('error', (e) => resolve({ code: 1, out: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, out: Buffer.concat(chunks).toString('utf8') }));
  });
}

export async function runAllSuites(root) {
  const results = join(root, 'test-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const broken = [];

  // 1. Node: every package's vitest project (unit, integration against the sandbox, e2e).
  const jsonFile = join(results, 'vitest.json');
  // The cross-engine purchase runs below, in its engine's browser run.
  const v = await runSuite(root, 'vitest (Node)', join(root, 'node_modules/.bin/vitest'), ['run', '--exclude', ENGINE_E2E, '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
  if (existsSync(jsonFile)) {
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load counts as a failure even though no test in it ran.
    for (const f of report.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  } else if (v.code !== 0) {
    failed += 1;
  }
  if (v.code !== 0) {
    broken.push('vitest');
    // A run that failed without a failing test (crash, timeout, unhandled error) still fails.
    if (failed === 0) failed += 1;
  }

  // 2. Browser: the same core tests, the widget tests and the cross-engine purchase, per engine.
  const b = await runBrowserSuites(root, { results });
  passed += b.passed;
  failed += b.failed;
  broken.push(...b.broken);

  console.log(`\nSuites with failures: ${broken.length ? broken.join(', ') : 'none'}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && broken.length === 0 ? 0 : 1;
}

// ── Browser engines ────────────────────────────────────────────────────────────────────────
// `npm run test:browsers` (and step 2 of `npm test`): for each engine, @web/test-runner runs
// core's isomorphic tests and the widget's (WTR_BROWSER=…, see web-test-runner.config.mjs),
// then vitest runs the demo's cross-engine purchase (demo/test/purchase-engines.test.ts,
// E2E_ENGINES=…). One line per engine: `chromium: N passed, N failed`.
//
// BROWSERS=chromium,firefox leaves an engine out (default: all three). An engine that is asked
// for but not installed counts as one failure with the reason.
export const BROWSER_ENGINES = ['chromium', 'firefox', 'webkit'];
const ENGINE_E2E = '**/demo/test/purchase-engines.test.ts';

export function selectedEngines(env = process.env) {
  const asked = (env.BROWSERS ?? BROWSER_ENGINES.join(',')).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = asked.filter((e) => !BROWSER_ENGINES.includes(e));
  if (unknown.length) throw new Error(`BROWSERS: unknown engine(s) ${unknown.join(', ')} (one of ${BROWSER_ENGINES.join(', ')})`);
  return BROWSER_ENGINES.filter((e) => asked.includes(e));
}

/** Counts from a vitest JSON report (a file that failed to load counts as one failure). */
function vitestCounts(file, code) {
  let passed = 0;
  let failed = 0;
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    for (const f of report.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  }
  if (code !== 0 && failed === 0) failed += 1;
  return { passed, failed };
}

export async function runBrowserSuites(root, { results = join(root, 'test-results'), engines = selectedEngines() } = {}) {
  mkdirSync(results, { recursive: true });
  const { missingFor } = await import('./wtr/engines.mjs');
  const lines = [];
  const broken = [];
  let passed = 0;
  let failed = 0;
  for (const engine of engines) {
    const started = Date.now();
    let p = 0;
    let f = 0;
    const missing = missingFor(engine);
    if (missing.length) {
      console.log(`\n━━ ${engine} ━━\n✖ ${engine} cannot run: missing ${missing.join(', ')} (npm test installs it; BROWSERS=… leaves it out)`);
      f += 1;
    } else {
      if (existsSync(join(root, 'web-test-runner.config.mjs'))) {
        const w = await runSuite(root, `@web/test-runner (${engine})`, join(root, 'node_modules/.bin/wtr'), ['--config', 'web-test-runner.config.mjs'], { WTR_BROWSER: engine });
        const plain = w.out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
        const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
        if (m) {
          p += Number(m[1]);
          f += Number(m[2]);
        }
        if (w.code !== 0 && (!m || Number(m[2]) === 0)) f += 1;
      }
      if (existsSync(join(root, 'demo/test/purchase-engines.test.ts'))) {
        const json = join(results, `e2e-${engine}.json`);
        rmSync(json, { force: true });
        const e = await runSuite(root, `end-to-end purchase (${engine})`, join(root, 'node_modules/.bin/vitest'), ['run', '--project', 'demo', 'demo/test/purchase-engines.test.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`], { E2E_ENGINES: engine });
        const c = vitestCounts(json, e.code);
        p += c.passed;
        f += c.failed;
      }
    }
    if (f) broken.push(engine);
    passed += p;
    failed += f;
    lines.push(`${engine}: ${p} passed, ${f} failed`);
    console.log(`\n${engine}: ${p} passed, ${f} failed (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  console.log('\n━━ browser engines ━━');
  for (const l of lines) console.log(l);
  return { passed, failed, broken, lines };
}
