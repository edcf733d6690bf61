// The packages as a merchant gets them: packed tarballs installed into a fresh project with npm,
// every public entry imported from there. The drivers are optional peers: without them the root,
// `./sqlite` and `./postgres` entries still load, and creating a ledger says what to install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const PNPM = ['--yes', 'pnpm@10.34.9'];
let dir: string;

// pnpm's bin shims (vitest's included) export NODE_PATH pointing into the workspace's store,
// which would let the fresh project resolve packages it never installed: clear it.
const env = { ...process.env, NODE_PATH: '' };

function run(cwd: string, cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

/** Run a module in the fresh project and return what it printed. */
function node(code: string): string {
  writeFileSync(join(dir, 'probe.mjs'), code);
  return run(dir, process.execPath, ['probe.mjs']).trim();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ak-packed-'));
  const packs = join(dir, 'packs');
  // The sandbox is left out: better-sqlite3 is a real dependency of it, compiled from source here (minutes).
  for (const pkg of ['core', 'server-kit', 'widget'])
    run(join(root, 'packages', pkg), 'npx', [...PNPM, 'pack', '--pack-destination', packs]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'merchant', private: true, type: 'module' }));
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  run(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', ...tarballs]);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages, installed with npm into a fresh project', () => {
  it('should install no database driver: better-sqlite3 and pg are optional peers', () => {
    const installed = readdirSync(join(dir, 'node_modules'));
    expect(installed).not.toContain('better-sqlite3');
    expect(installed).not.toContain('pg');
    expect(installed).toContain('express'); // a required peer
  });

  it('should import every subpath in the exports of every packed package', () => {
    // The entries are read from the installed package.json files, so a new subpath is covered
    // without editing this test. Node runs the Node entries; the widget's are resolved only
    // (browser modules), JSON entries are parsed.
    const out = node(`
      import { readFileSync } from 'node:fs';
      const seen = [];
      for (const pkg of ['core', 'server-kit', 'widget']) {
        const manifest = JSON.parse(readFileSync('node_modules/@alipay-kit/' + pkg + '/package.json', 'utf8'));
        for (const sub of Object.keys(manifest.exports)) {
          const e = '@alipay-kit/' + pkg + sub.slice(1);
          if (sub.endsWith('.json')) seen.push(e + ':json:' + typeof JSON.parse(readFileSync(new URL(import.meta.resolve(e)), 'utf8')));
          else if (pkg === 'widget') seen.push(e + ':resolved:' + Boolean(import.meta.resolve(e)));
          else seen.push(e + ':' + Object.keys(await import(e)).length);
        }
      }
      console.log(seen.join(' '));
    `);
    const seen = out.split(' ');
    for (const e of [
      '@alipay-kit/core',
      '@alipay-kit/core/encoding',
      '@alipay-kit/core/contract',
      '@alipay-kit/server-kit',
      '@alipay-kit/server-kit/sqlite',
      '@alipay-kit/server-kit/postgres',
      '@alipay-kit/widget',
      '@alipay-kit/widget/bundle',
      '@alipay-kit/widget/custom-elements.json',
    ]) {
      expect(seen.some((s) => s.startsWith(e + ':'))).toBe(true);
    }
    const count = (e: string) => Number(seen.find((s) => s.startsWith(e + ':'))!.slice(e.length + 1));
    expect(count('@alipay-kit/core')).toBeGreaterThan(50);
    expect(count('@alipay-kit/core/encoding')).toBe(18); // the byte-level tier: value exports only
    expect(count('@alipay-kit/core/contract')).toBe(0); // types only
    expect(count('@alipay-kit/server-kit/sqlite')).toBe(1);
    expect(count('@alipay-kit/server-kit/postgres')).toBe(1);
    expect(
      seen
        .filter((s) => s.startsWith('@alipay-kit/widget'))
        .every((s) => s.endsWith(':true') || s.endsWith(':json:object')),
    ).toBe(true);
  });

  it('should name the package to install when a ledger needs a driver that is missing', () => {
    const out = node(`
      import { createSqliteLedger } from '@alipay-kit/server-kit/sqlite';
      import { createPostgresLedger } from '@alipay-kit/server-kit/postgres';
      for (const make of [() => createSqliteLedger({ file: ':memory:' }), () => createPostgresLedger({ connectionString: 'postgres://x@127.0.0.1:1/x' })]) {
        try { make(); console.log('created'); } catch (e) { console.log(e.code + ' ' + e.message); }
      }
    `);
    expect(out.split('\n')).toEqual([
      'ERR_CONFIG createSqliteLedger needs the package better-sqlite3: npm install better-sqlite3@12',
      'ERR_CONFIG createPostgresLedger needs the package pg: npm install pg@8',
    ]);
  });
});
