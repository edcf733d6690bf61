#!/usr/bin/env node
// One entry point for `npm start`, `npm test`, `npm run build`, `npm run bench`, `npm run soak`.
// It needs only Node 20 and npm: pnpm is brought in with npx at the pinned version, Chromium
// is installed from Debian packages when missing (tests only).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['--yes', 'pnpm@10.34.9'];
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(cmd, args, { env = {}, ...opts } = {}) {
  // Extra variables are added to the inherited environment, never replace it (PATH must survive).
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function must(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(' ')} exited with ${code}`);
    process.exit(code);
  }
}

function install() {
  // node-gyp must build better-sqlite3 against the local headers: there is no download here.
  const env = existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {};
  must('npx', [...PNPM, 'install', '--frozen-lockfile', '--prefer-offline'], { env });
}

export function build() {
  must(bin('tsc'), ['-b']);
  for (const script of ['packages/widget/scripts/build.mjs', 'demo/scripts/build.mjs']) {
    if (existsSync(join(root, script))) must(process.execPath, [script]);
  }
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  console.log('Chromium is missing: installing it from Debian packages…');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const update = run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update']);
  if (update !== 0) console.warn('apt-get update failed; trying the install anyway');
  must(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '--no-install-recommends', 'chromium'], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const command = process.argv[2] ?? 'test';
if (command === 'build') {
  install();
  build();
} else if (command === 'test') {
  install();
  build();
  ensureChromium();
  const { runAllSuites } = await import('./test-suites.mjs');
  process.exit(await runAllSuites(root));
} else if (command === 'start') {
  install();
  build();
  const entry = join(root, 'demo', 'dist', 'server.js');
  if (!existsSync(entry)) {
    console.log('\nThe demo storefront is not built yet (issue: demo/). The packages built fine.');
    process.exit(0);
  }
  must(process.execPath, [entry]);
} else if (command === 'bench' || command === 'soak') {
  install();
  build();
  const script = join(root, 'bench', command === 'bench' ? 'run.mjs' : 'soak.mjs');
  if (!existsSync(script)) {
    console.log(`No ${command} suite yet.`);
    process.exit(0);
  }
  must(process.execPath, [script]);
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
