// Runs every test suite (vitest in Node, @web/test-runner in Chromium, end to end) and prints
// one closing line `N passed, N failed` summed over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function runSuite(root, name, cmd, args, env = {}) {
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(out);
  return { code: r.status ?? 1, out };
}

export async function runAllSuites(root) {
  const results = join(root, 'test-results');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  let passed = 0;
  let failed = 0;
  let broken = [];

  // 1. Node: every package's vitest project (unit, integration against the sandbox, e2e).
  const jsonFile = join(results, 'vitest.json');
  const v = runSuite(root, 'vitest (Node)', join(root, 'node_modules/.bin/vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
  if (existsSync(jsonFile)) {
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0);
    // A file that failed to load counts as a failure even though no test in it ran.
    for (const f of report.testResults ?? []) if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  } else if (v.code !== 0) {
    failed += 1;
  }
  if (v.code !== 0) broken.push('vitest');

  // 2. Browser: the same core tests and the widget tests in Chromium.
  if (existsSync(join(root, 'web-test-runner.config.mjs'))) {
    const w = runSuite(root, '@web/test-runner (Chromium)', join(root, 'node_modules/.bin/wtr'), ['--config', 'web-test-runner.config.mjs']);
    const plain = w.out.replace(/\x1b\[[0-9;]*m/g, '');
    const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    } else if (w.code !== 0) failed += 1;
    if (w.code !== 0) broken.push('wtr');
  }

  console.log(`\nSuites with failures: ${broken.length ? broken.join(', ') : 'none'}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && broken.length === 0 ? 0 : 1;
}
