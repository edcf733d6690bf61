#!/usr/bin/env node
// The committed entry of `alipay-sandbox`: package managers link bins at install time, before
// the build, so the bin must exist in a fresh clone. It loads the built CLI (dist/bin.js).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  console.error(
    'alipay-sandbox: the CLI is not built yet (no packages/sandbox/dist/bin.js): run `npm run build` (or `node_modules/.bin/tsc -b`) at the repository root first',
  );
  process.exit(1);
}
await import(built.href);
