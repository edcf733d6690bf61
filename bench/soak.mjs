#!/usr/bin/env node
// `npm run soak`: the reliability suite with large counts (SOAK=1: 10,000 fuzz cases per target,
// 10,000 notifications in the storm, more trades in the crash and fault tests; see
// reliability/helpers/env.ts). Runs vitest in a child process; exits with its status.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const r = spawnSync(
  join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--project', 'reliability', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SOAK: '1' },
  },
);
console.log(`soak finished in ${((Date.now() - started) / 1000).toFixed(0)} s with status ${r.status ?? r.signal}`);
process.exit(r.status ?? 1);
