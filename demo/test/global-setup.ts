/**
 * Once per run: build the front end if it is missing or older than its sources, pre-generate the
 * RSA key pairs every test demo reuses, and launch the one Chromium the tests connect to.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { persistentKeyPair } from '../src/keys.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/wtr/browser-flags.mjs';

const demo = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function buildIfStale(): void {
  const out = join(demo, 'dist/web/index.html');
  let built = 0;
  try {
    built = statSync(out).mtimeMs;
  } catch {
    /* not built */
  }
  const sources = Math.max(
    newest(join(demo, 'web')),
    statSync(join(demo, 'src/catalog.ts')).mtimeMs,
    statSync(join(demo, 'vite.config.ts')).mtimeMs,
    statSync(join(demo, '../packages/widget/dist/index.js')).mtimeMs,
  );
  if (built > sources) return;
  const r = spawnSync(process.execPath, [join(demo, 'scripts/build.mjs'), '--no-check'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('demo: the front-end build failed');
}

let server: BrowserServer | undefined;
let keysDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  buildIfStale();
  keysDir = mkdtempSync(join(tmpdir(), 'demo-keys-'));
  persistentKeyPair(keysDir, 'merchant-rsa');
  persistentKeyPair(keysDir, 'sandbox-rsa');
  mkdirSync(join(demo, '..', 'test-results', 'screenshots'), { recursive: true });
  server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  project.provide('browserWsEndpoint', server.wsEndpoint());
  project.provide('keysDir', keysDir);
}

export async function teardown(): Promise<void> {
  await server?.close();
  if (keysDir) rmSync(keysDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    browserWsEndpoint: string;
    keysDir: string;
  }
}
