#!/usr/bin/env node
// One entry point for `npm start`, `npm test`, `npm run test:browsers`, `npm run build`,
// `npm run bench`, `npm run soak`. It needs only Node 20 and npm: pnpm is brought in with npx at
// the pinned version, the browsers (Chromium, Firefox ESR, WebKitGTK) are installed from Debian
// packages when missing (tests only).
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

// Debian packages for the browser engines the tests run in (scripts/wtr/engines.mjs): Chromium,
// Firefox ESR (driven over WebDriver BiDi, built in) and WebKitGTK's WebDriver with Xvfb (WebKitGTK
// has no headless mode). Installed when missing; nothing else provides a browser here.
const ENGINE_PACKAGES = {
  chromium: [['/usr/bin/chromium', 'chromium']],
  firefox: [['/usr/bin/firefox-esr', 'firefox-esr']],
  webkit: [
    ['/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
    ['/usr/bin/Xvfb', 'xvfb'],
  ],
};

function ensureBrowsers(engines = ['chromium', 'firefox', 'webkit']) {
  const pkgs = [
    ...new Set(
      engines.flatMap((e) => (ENGINE_PACKAGES[e] ?? []).filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg)),
    ),
  ];
  if (pkgs.length === 0) return;
  console.log(`Browser packages missing: installing ${pkgs.join(', ')} from Debian packages…`);
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) =>
    sudo.length
      ? run('sudo', ['apt-get', ...args], { env: { DEBIAN_FRONTEND: 'noninteractive' } })
      : run('apt-get', args, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['update']) !== 0) console.warn('apt-get update failed; trying the install anyway');
  const code = apt(['install', '-y', '--no-install-recommends', ...pkgs]);
  if (code === 0) return;
  // Chromium is required as before; another engine that cannot be installed is reported by the
  // browser run itself (one failure with the reason), so the rest of the tests still run.
  if (pkgs.includes('chromium') && !existsSync('/usr/bin/chromium')) {
    console.error(`\n✖ apt-get install ${pkgs.join(' ')} exited with ${code}`);
    process.exit(code);
  }
  console.warn(`apt-get install ${pkgs.join(' ')} exited with ${code}: the engines it left out will fail`);
}

const command = process.argv[2] ?? 'test';
if (command === 'build') {
  install();
  build();
} else if (command === 'test') {
  install();
  build();
  const { runAllSuites, selectedEngines } = await import('./test-suites.mjs');
  ensureBrowsers(selectedEngines());
  process.exit(await runAllSuites(root));
} else if (command === 'test:browsers') {
  // The browser suites alone, in every engine (BROWSERS=chromium,firefox,webkit picks).
  install();
  build();
  const { runBrowserSuites, selectedEngines } = await import('./test-suites.mjs');
  const engines = selectedEngines();
  ensureBrowsers(engines);
  const { failed } = await runBrowserSuites(root, { engines });
  process.exit(failed === 0 ? 0 : 1);
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
  must(process.execPath, [script, ...process.argv.slice(3)]); // e.g. npm run bench -- --only P2,P7
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
