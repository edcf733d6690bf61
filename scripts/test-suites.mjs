// Runs every test suite (vitest in Node, @web/test-runner in Chromium, end to end) and prints
// one closing line `N passed, N failed` summed over all of them.
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
  const v = await runSuite(root, 'vitest (Node)', join(root, 'node_modules/.bin/vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
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

  // 2. Browser: the same core tests and the widget tests in Chromium.
  if (existsSync(join(root, 'web-test-runner.config.mjs'))) {
    const w = await runSuite(root, '@web/test-runner (Chromium)', join(root, 'node_modules/.bin/wtr'), ['--config', 'web-test-runner.config.mjs']);
    const plain = w.out.replace(/\x1b\[[0-9;]*m/g, '');
    const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    }
    if (w.code !== 0) {
      broken.push('wtr');
      if (!m || Number(m[2]) === 0) failed += 1;
    }
  }

  console.log(`\nSuites with failures: ${broken.length ? broken.join(', ') : 'none'}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && broken.length === 0 ? 0 : 1;
}
