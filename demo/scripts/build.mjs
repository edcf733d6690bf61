#!/usr/bin/env node
// Builds the storefront and admin front end (demo/web → demo/dist/web) with Vite's JS API.
// Run after `tsc -b` (the widget's dist/ must exist): `node demo/scripts/build.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const demo = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(demo, '..');

if (!existsSync(join(root, 'packages/widget/dist/index.js'))) {
  console.error('demo build: packages/widget/dist is missing; run `tsc -b` first.');
  process.exit(1);
}

// Type-check the browser code (Vite only strips types).
if (!process.argv.includes('--no-check')) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(demo, 'web/tsconfig.json')],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

const { build } = await import('vite');
const started = Date.now();
await build({ configFile: join(demo, 'vite.config.ts'), mode: 'production' });
console.log(`demo: storefront built to demo/dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
