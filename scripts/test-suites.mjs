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

/** Sources + tests type-checked in `npm test` (each counts as one check). */
const TYPECHECKED = [
  'packages/core/tsconfig.test.json',
  'packages/server-kit/tsconfig.test.json',
  'packages/sandbox/tsconfig.test.json',
  'packages/widget/tsconfig.test.json',
  'demo/tsconfig.test.json',
];

export async function runAllSuites(root) {
  const results = join(root, 'test-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const broken = [];

  // 0. Types: every package's sources and tests type-checked together (tsconfig.test.json), one
  // check per package, so a test that no longer matches the API fails here, not silently.
  for (const config of TYPECHECKED) {
    const t = await runSuite(root, `tsc (${config})`, join(root, 'node_modules/.bin/tsc'), [
      '-p',
      config,
      '--pretty',
      'false',
    ]);
    if (t.code === 0) passed += 1;
    else {
      failed += 1;
      broken.push(`tsc ${config}`);
    }
  }

  // 1. Node: every package's vitest project (unit, integration against the sandbox, e2e).
  const jsonFile = join(results, 'vitest.json');
  // The cross-engine purchase runs below, in its engine's browser run.
  const v = await runSuite(root, 'vitest (Node)', join(root, 'node_modules/.bin/vitest'), [
    'run',
    '--exclude',
    ENGINE_E2E,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${jsonFile}`,
  ]);
  if (existsSync(jsonFile)) {
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load counts as a failure even though no test in it ran.
    for (const f of report.testResults ?? [])
      if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
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
// Globs are matched inside each project (demo's root is demo/), hence no 'demo/' here.
const ENGINE_E2E = '**/purchase-engines.test.ts';

export function selectedEngines(env = process.env) {
  const asked = (env.BROWSERS ?? BROWSER_ENGINES.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = asked.filter((e) => !BROWSER_ENGINES.includes(e));
  if (unknown.length)
    throw new Error(`BROWSERS: unknown engine(s) ${unknown.join(', ')} (one of ${BROWSER_ENGINES.join(', ')})`);
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
    for (const f of report.testResults ?? [])
      if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  }
  if (code !== 0 && failed === 0) failed += 1;
  return { passed, failed };
}

export async function runBrowserSuites(
  root,
  { results = join(root, 'test-results'), engines = selectedEngines() } = {},
) {
  mkdirSync(results, { recursive: true });
  const { missingFor } = await import('./wtr/engines.mjs');
  const count = Object.fromEntries(engines.map((e) => [e, { passed: 0, failed: 0, seconds: 0 }]));
  const runnable = [];
  for (const engine of engines) {
    const missing = missingFor(engine);
    if (missing.length) {
      console.log(
        `\n━━ ${engine} ━━\n✖ ${engine} cannot run: missing ${missing.join(', ')} (npm test installs it; BROWSERS=… leaves it out)`,
      );
      count[engine].failed += 1;
    } else {
      runnable.push(engine);
    }
  }

  // @web/test-runner, one run per engine.
  if (existsSync(join(root, 'web-test-runner.config.mjs'))) {
    for (const engine of runnable) {
      const started = Date.now();
      const w = await runSuite(
        root,
        `@web/test-runner (${engine})`,
        join(root, 'node_modules/.bin/wtr'),
        ['--config', 'web-test-runner.config.mjs'],
        { WTR_BROWSER: engine },
      );
      const plain = w.out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
      if (m) {
        count[engine].passed += Number(m[1]);
        count[engine].failed += Number(m[2]);
      }
      if (w.code !== 0 && (!m || Number(m[2]) === 0)) count[engine].failed += 1;
      count[engine].seconds += (Date.now() - started) / 1000;
    }
  }

  // The cross-engine purchase: one vitest run for every engine (one demo, one set of keys),
  // each test counted for the engine its describe block names ("purchase in firefox").
  if (runnable.length && existsSync(join(root, 'demo/test/purchase-engines.test.ts'))) {
    const started = Date.now();
    const json = join(results, 'e2e-engines.json');
    rmSync(json, { force: true });
    const e = await runSuite(
      root,
      `end-to-end purchase (${runnable.join(', ')})`,
      join(root, 'node_modules/.bin/vitest'),
      [
        'run',
        '--project',
        'demo',
        'demo/test/purchase-engines.test.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${json}`,
      ],
      { E2E_ENGINES: runnable.join(',') },
    );
    const seen = new Set();
    let attributed = 0; // failures the report put on an engine
    let fileFailed = !existsSync(json);
    if (!fileFailed) {
      const report = JSON.parse(readFileSync(json, 'utf8'));
      for (const f of report.testResults ?? []) {
        if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) fileFailed = true;
        for (const a of f.assertionResults ?? []) {
          const engine = runnable.find((x) => (a.ancestorTitles ?? []).includes(`purchase in ${x}`));
          if (!engine) continue;
          seen.add(engine);
          if (a.status === 'passed') count[engine].passed += 1;
          else if (a.status === 'failed') {
            count[engine].failed += 1;
            attributed += 1;
          }
        }
      }
    }
    // A crash, or an engine whose tests never reported, is a failure of that engine.
    const crashed = fileFailed || (e.code !== 0 && attributed === 0);
    for (const engine of runnable) if (crashed || !seen.has(engine)) count[engine].failed += 1;
    const share = (Date.now() - started) / 1000 / runnable.length;
    for (const engine of runnable) count[engine].seconds += share;
  }

  const lines = engines.map((e) => `${e}: ${count[e].passed} passed, ${count[e].failed} failed`);
  console.log(`\n━━ browser engines ━━ (${engines.map((e) => `${e} ${Math.round(count[e].seconds)} s`).join(', ')})`);
  for (const l of lines) console.log(l);
  const passed = engines.reduce((n, e) => n + count[e].passed, 0);
  const failed = engines.reduce((n, e) => n + count[e].failed, 0);
  return { passed, failed, broken: engines.filter((e) => count[e].failed), lines };
}
